"""Load the reference files in data/reference/ (units, aliases, statuses): data an analyst edits."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.safe_yaml import load_yaml_file

UNIT_TYPE_LABEL = {"phường": "Phường", "xã": "Xã"}


def ascii_slug(text: str) -> str:
    """"Xã Đắk Rơ Wa" -> "xa-dak-ro-wa": an ASCII file-name part."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


@lru_cache(maxsize=8)
def _read_units(path: Path) -> pd.DataFrame:
    units = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    full_name = units["type"].map(UNIT_TYPE_LABEL) + " " + units["name"]
    return units.assign(
        aliases=units["aliases"].map(lambda s: tuple(a.strip() for a in s.split(";") if a.strip())),
        full_name=full_name,
        slug=full_name.map(ascii_slug),
    )


def load_units(path: Path | None = None) -> pd.DataFrame:
    """The 21 wards and communes: code, name, type (phường/xã), aliases (tuple), full_name, slug."""
    return _read_units(Path(path or config.UNITS_FILE)).copy()


def load_yaml(path: Path):
    """A reference YAML file, through the package's one bounded safe loader (analysis.safe_yaml)."""
    return load_yaml_file(Path(path), what="tệp danh mục")[0]


def load_header_aliases(path: Path | None = None) -> dict:
    return load_yaml(Path(path or config.HEADER_ALIASES_FILE))


def load_statuses(path: Path | None = None) -> dict:
    """{"statuses": {code: {label, aliases}}, "sectors": {code: {label, aliases}}}."""
    return load_yaml(Path(path or config.STATUS_ALIASES_FILE))
