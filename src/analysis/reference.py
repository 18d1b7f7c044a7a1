"""Load the reference files in data/reference/ (units, aliases, statuses): data an analyst edits."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from analysis import config
from analysis.safe_files import MAX_TEXT_BYTES, read_text_file
from analysis.safe_yaml import load_yaml_file
from analysis.errors import UsageError
from analysis.periods import parse_period

# pandas is imported where a unit list is read (lazy): the up-to-date check of `report` reads the
# vocabulary through this module and must not pay for it (analysis.incremental).
if TYPE_CHECKING:
    import pandas as pd

UNIT_TYPE_LABEL = {"phường": "Phường", "xã": "Xã"}


def ascii_slug(text: str) -> str:
    """"Xã Đắk Rơ Wa" -> "xa-dak-ro-wa": an ASCII file-name part."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


UNIT_COLUMNS = ["code", "name", "type", "aliases", "full_name", "slug"]
HISTORY_COLUMNS = [*UNIT_COLUMNS, "valid_from", "valid_to"]


def _parse_day(text: str, path: Path, line: int, column: str) -> pd.Timestamp:
    """An ISO date ("2025-07-01"), or NaT for an empty cell (an open end)."""
    import pandas as pd  # noqa: PLC0415 (lazy: see the module's imports)

    if not text.strip():
        return pd.NaT
    try:
        return pd.Timestamp(date.fromisoformat(text.strip()))
    except ValueError:
        raise UsageError(f"{path}, dòng {line}, cột {column}: «{text}» không phải là ngày dạng NNNN-TT-NN "
                         f"(ví dụ 2025-07-01); để trống nếu không giới hạn.") from None


@lru_cache(maxsize=8)
def _read_history(path: Path) -> pd.DataFrame:
    import pandas as pd  # noqa: PLC0415 (lazy: see the module's imports)

    units = pd.read_csv(io.StringIO(_csv_text(path)), dtype=str, keep_default_na=False)
    for column in ("valid_from", "valid_to"):  # a file without validity columns: every unit always valid
        if column not in units:
            units[column] = ""
    full_name = units["type"].map(UNIT_TYPE_LABEL) + " " + units["name"]
    frame = units.assign(
        aliases=units["aliases"].map(lambda s: tuple(a.strip() for a in s.split(";") if a.strip())),
        full_name=full_name,
        slug=full_name.map(ascii_slug),
        # CSV line numbers: the header is line 1.
        valid_from=[_parse_day(v, path, i + 2, "valid_from") for i, v in enumerate(units["valid_from"])],
        valid_to=[_parse_day(v, path, i + 2, "valid_to") for i, v in enumerate(units["valid_to"])],
    )[HISTORY_COLUMNS]
    frame["valid_from"] = pd.to_datetime(frame["valid_from"])
    frame["valid_to"] = pd.to_datetime(frame["valid_to"])
    _check_history(frame, path)
    return frame


def _check_history(history: pd.DataFrame, path: Path) -> None:
    """A code may be reused, but never by two units valid on the same day."""
    import pandas as pd  # noqa: PLC0415 (lazy: see the module's imports)

    problems = []
    for i, row in enumerate(history.itertuples(index=False)):
        if pd.notna(row.valid_from) and pd.notna(row.valid_to) and row.valid_from > row.valid_to:
            problems.append(f"{path}, dòng {i + 2}: mã {row.code} có valid_from ({row.valid_from.date()}) "
                            f"sau valid_to ({row.valid_to.date()}).")
    for code, group in history.groupby("code", sort=False):
        rows = list(group.itertuples())
        for a in range(len(rows)):
            for b in range(a + 1, len(rows)):
                first, second = rows[a], rows[b]
                if _overlap(first.valid_from, first.valid_to, second.valid_from, second.valid_to):
                    problems.append(
                        f"{path}, dòng {first.Index + 2} và dòng {second.Index + 2}: mã {code} dùng cho hai đơn vị "
                        f"({first.full_name}, {second.full_name}) có hiệu lực trùng nhau; một mã chỉ được dùng "
                        f"lại sau ngày đơn vị cũ hết hiệu lực (valid_to).")
    if problems:
        raise UsageError("\n".join(problems))


def _overlap(from_a, to_a, from_b, to_b) -> bool:
    import pandas as pd  # noqa: PLC0415 (lazy: see the module's imports)

    start_a = pd.Timestamp.min if pd.isna(from_a) else from_a
    start_b = pd.Timestamp.min if pd.isna(from_b) else from_b
    end_a = pd.Timestamp.max if pd.isna(to_a) else to_a
    end_b = pd.Timestamp.max if pd.isna(to_b) else to_b
    return start_a <= end_b and start_b <= end_a


def in_force(history: pd.DataFrame, on: date) -> pd.Series:
    """True for the rows of a unit history valid on the day `on` (an empty bound is open)."""
    import pandas as pd  # noqa: PLC0415 (lazy: see the module's imports)

    day = pd.Timestamp(on)
    return ((history["valid_from"].isna() | (history["valid_from"] <= day))
            & (history["valid_to"].isna() | (history["valid_to"] >= day)))


def _csv_text(path: Path) -> str:
    """A reference CSV file (the unit list, the crosswalk): regular, bounded, UTF-8 (analysis.safe_files)."""
    return read_text_file(path, what="tệp danh mục", max_bytes=MAX_TEXT_BYTES, within=config.ROOT)


@lru_cache(maxsize=8)
def _validity(path: Path) -> tuple[tuple[date | None, date | None], ...]:
    rows = list(csv.DictReader(io.StringIO(_csv_text(path), newline="")))

    def day(text) -> date | None:
        text = (text or "").strip()
        try:
            return date.fromisoformat(text) if text else None
        except ValueError:  # load_unit_history says where
            return None

    return tuple((day(row.get("valid_from")), day(row.get("valid_to"))) for row in rows)


def unit_validity(path: Path | None = None) -> tuple[tuple[date | None, date | None], ...]:
    """(valid_from, valid_to) of every row of the unit list (None = open), read with the csv
    module: checking a report's map in its parameters needs no data stack (the up-to-date check
    of `report` stays light). load_unit_history reads and checks the same file in full."""
    return _validity(Path(path or config.UNITS_FILE))


def units_in_force(on: date, path: Path | None = None) -> list[tuple[date | None, date | None]]:
    """The validity of the units in force on the day `on` (see unit_validity)."""
    return [(start, end) for start, end in unit_validity(path)
            if (start is None or start <= on) and (end is None or end >= on)]


def load_unit_history(path: Path | None = None) -> pd.DataFrame:
    """Every unit that was ever on the city's map, one row per unit and validity period.

    Columns: code, name, type, aliases, full_name, slug, valid_from, valid_to (Timestamps; NaT =
    open). A code can appear twice (codes are reused: a merged unit may keep the code of one of
    its members): a unit is identified by its code and its validity period.
    """
    return _read_history(Path(path or config.UNITS_FILE)).copy()


@lru_cache(maxsize=1)
def default_units_on() -> date:
    """The day of the default map: 31/12 of the last year of report.yaml's period (the map the
    forms of that year are on). Pass `on=` to load_units for another day (a report's map day)."""
    text = str(load_yaml(config.REPORT_DEFAULTS_FILE)["period"])
    return date(parse_period(text)[1], 12, 31)


def load_units(path: Path | None = None, *, on: date | None = None) -> pd.DataFrame:
    """The wards and communes in force on the day `on`: code, name, type (phường/xã), aliases
    (tuple), full_name, slug.

    Without `on`: the units in force on default_units_on() (the map of the default period's forms).
    """
    history = load_unit_history(path)
    units = history[in_force(history, default_units_on() if on is None else on)]
    return units[UNIT_COLUMNS].reset_index(drop=True)


def load_yaml(path: Path):
    """A reference YAML file, through the package's one bounded safe loader (analysis.safe_yaml)."""
    return load_yaml_file(Path(path), what="tệp danh mục", within=config.ROOT)[0]


def load_header_aliases(path: Path | None = None) -> dict:
    return load_yaml(Path(path or config.HEADER_ALIASES_FILE))


def load_statuses(path: Path | None = None) -> dict:
    """{"statuses": {code: {label, aliases}}, "sectors": {code: {label, aliases}}}."""
    return load_yaml(Path(path or config.STATUS_ALIASES_FILE))
