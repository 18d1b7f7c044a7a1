"""The project's vocabulary, read once from data/reference/: the one module through which field ids,
their Vietnamese labels, model statuses and sectors, the area and the default period reach the code.

Nothing here is typed in: change the reference files and every stage follows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from analysis import config
from analysis.formatting import fmt_short_date
from analysis.periods import parse_period
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


def status_in_text(status: str, **values: object) -> str:
    """How a sentence says a model's status: "đang được duy trì", "xây dựng mới trong năm 2023" (year=…)."""
    return str(load_statuses()["statuses"][status]["in_text"]).format(**values)


def status_labels() -> dict[str, str]:
    return {code: status_label(code) for code in STATUSES}


def sector_labels() -> dict[str, str]:
    return {code: sector_label(code) for code in SECTORS}


# The area a report covers as a whole (data/reference/area.yaml).
AREA_CODE: str = str(_area()["code"])
AREA_NAME: str = _area()["name"]
AREA_IN_TEXT: str = _area()["in_text"]
UNITS_WORD: str = _area()["units_word"]


@dataclass(frozen=True)
class Area:
    """How a report names the area it covers as a whole, on one map (area.yaml)."""

    code: str
    name: str           # as a title
    in_text: str        # in running text: "trên địa bàn <in_text>", "mức chung của <in_text>"
    units_word: str     # what its units are called together
    scope_note: str = ""  # said once after the area in the opening, with {count} and {units_word}
    whole_text: str = ""  # the whole area in running text, when not "toàn <in_text>" (area.yaml `whole`)

    @property
    def whole(self) -> str:
        """The whole area in running text: "toàn thành phố"; a former area "toàn địa bàn thành phố X cũ"."""
        return self.whole_text or f"toàn {self.in_text}"


def area_on(day=None) -> Area:
    """The area's names on the map in force on `day` (area.yaml: the base names, then the
    `later` entry with the latest valid_from on or before `day`); without `day`, the base names."""
    raw = _area()
    values = {key: raw[key] for key in ("name", "in_text", "units_word")}
    values["scope_note"] = str(raw.get("scope_note") or "")
    values["whole_text"] = str(raw.get("whole") or "")
    if day is not None:
        entries = sorted(raw.get("later") or (), key=lambda e: str(e["valid_from"]))
        for entry in entries:
            start = entry["valid_from"]
            start = start if isinstance(start, dt.date) else dt.date.fromisoformat(str(start))
            if start <= day:
                values.update({k: str(v) for k, v in entry.items() if k not in ("valid_from", "whole")})
                values["whole_text"] = str(entry.get("whole") or "")  # never the base's: it names the base's area
    return Area(code=str(raw["code"]), **values)


@lru_cache(maxsize=1)
def _measures() -> tuple[str, dict[str, str]]:
    raw = load_yaml(config.INDICATORS_FILE)
    return str(raw["measure_label"]), {str(key): str(value) for key, value in raw["measures"].items()}


def measure(name: str) -> str:
    """A unit of measure of indicators.yaml (`measures`): "hộ", "mô hình", "%", "điểm phần trăm" …"""
    return _measures()[1][name]


def measure_line(*parts: str) -> str:
    """The line under a table or chart: "Đơn vị tính: hộ; %". Each part is a measure's name
    (households, percent …) or, for a part that needs words of its own, that text."""
    label, measures = _measures()
    return f"{label}: " + "; ".join(measures.get(part, part) for part in parts)


@lru_cache(maxsize=1)
def default_period() -> tuple[int, int]:
    """The period of data/reference/report.yaml: the default of every command and notebook."""
    return parse_period(str(load_yaml(config.REPORT_DEFAULTS_FILE)["period"]))


@lru_cache(maxsize=1)
def _legal() -> dict[str, dict]:
    return {str(number): dict(entry) for number, entry in (load_yaml(config.LEGAL_FILE)["documents"] or {}).items()}


def province_merger() -> tuple[str, str] | None:
    """(citation, what it changed) of the provinces' reorganisation (legal.yaml `province_merger`)."""
    number = load_yaml(config.LEGAL_FILE).get("province_merger")
    if not number:
        return None
    return citation(str(number)), str(_legal().get(str(number), {}).get("effect", ""))


def citation(number: str) -> str:
    """A legal document as a report cites it, from data/reference/legal.yaml: "Nghị quyết số
    1677/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội về việc sắp xếp …". A number
    the file does not know is cited by its number alone."""
    entry = _legal().get(str(number))
    if entry is None:
        return f"văn bản số {number}"
    day = entry["date"] if isinstance(entry["date"], dt.date) else dt.date.fromisoformat(str(entry["date"]))
    return f"{entry['kind']} số {number} ngày {fmt_short_date(day)} của {entry['issuer']} {entry['subject']}"
