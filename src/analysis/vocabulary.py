"""The project's vocabulary, read once from data/reference/: the one module through which field ids,
their Vietnamese labels, model statuses and sectors, the area and the default period reach the code.

Nothing here is typed in: change the reference files and every stage follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from analysis import config
from analysis.reference import load_statuses, load_yaml


@dataclass(frozen=True)
class Field:
    id: str
    label: str          # inside a sentence: "tổng số hộ ĐBDTTS"
    header: str         # the canonical column header
    role: str = ""      # form 01: whole | part | poverty
    baseline: bool = False
    required: bool = False


@lru_cache(maxsize=1)
def _fields() -> dict[str, tuple[Field, ...]]:
    raw = load_yaml(config.FIELDS_FILE)
    return {form: tuple(Field(**item) for item in items) for form, items in raw.items()}


@lru_cache(maxsize=1)
def _area() -> dict:
    return load_yaml(config.AREA_FILE)


def form01_fields() -> tuple[Field, ...]:
    return _fields()["form01"]


def form02_fields() -> tuple[Field, ...]:
    return _fields()["form02"]


# Form 01 count fields in the order of the form, and their groups.
COUNT_FIELDS: tuple[str, ...] = tuple(f.id for f in form01_fields())
WHOLE_FIELD: str = next(f.id for f in form01_fields() if f.role == "whole")
PART_FIELDS: tuple[str, ...] = tuple(f.id for f in form01_fields() if f.role == "part")
POVERTY_FIELDS: tuple[str, ...] = tuple(f.id for f in form01_fields() if f.role == "poverty")
BASELINE_FIELDS: tuple[str, ...] = tuple(f.id for f in form01_fields() if f.baseline)
FORM02_FIELDS: tuple[str, ...] = tuple(f.id for f in form02_fields())
FORM02_REQUIRED: tuple[str, ...] = tuple(f.id for f in form02_fields() if f.required)

STATUSES: tuple[str, ...] = tuple(load_statuses()["statuses"])   # disjoint; see status_aliases.yaml
SECTORS: tuple[str, ...] = tuple(load_statuses()["sectors"])
RUNNING_STATUSES = ("maintained", "replicated")                  # "still running"


def field_label(field_id: str, form: str = "01") -> str:
    """The Vietnamese label of a field inside a sentence; a sum "poor + near_poor" reads with " + "."""
    fields = {f.id: f for f in (*_fields()["form02" if form == "02" else "form01"], *_fields()["form01_other"])}
    return " + ".join(fields[part.strip()].label if part.strip() in fields else part.strip()
                      for part in field_id.split("+"))


def field_header(field_id: str, form: str = "01") -> str:
    fields = {f.id: f for f in (*_fields()["form02" if form == "02" else "form01"], *_fields()["form01_other"])}
    return fields[field_id].header


def status_label(status: str) -> str:
    return load_statuses()["statuses"][status]["label"]


def sector_label(sector: str) -> str:
    return load_statuses()["sectors"][sector]["label"]


def status_labels() -> dict[str, str]:
    return {code: status_label(code) for code in STATUSES}


def sector_labels() -> dict[str, str]:
    return {code: sector_label(code) for code in SECTORS}


# The area a report covers as a whole (data/reference/area.yaml).
AREA_CODE: str = str(_area()["code"])
AREA_NAME: str = _area()["name"]
AREA_IN_TEXT: str = _area()["in_text"]
UNITS_WORD: str = _area()["units_word"]


@lru_cache(maxsize=1)
def default_period() -> tuple[int, int]:
    """The period of data/reference/report.yaml: the default of every command and notebook."""
    text = str(load_yaml(config.REPORT_DEFAULTS_FILE)["period"]).replace("–", "-")
    start, _, end = text.partition("-")
    return int(start), int(end or start)
