"""The unit and the year of each row as typed: resolved once per distinct text, errors located once per row."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.check.findings import Findings
from analysis.read.numbers import parse_year
from analysis.read.units import UnitMatcher

EMPTY_UNIT = ("dòng có số liệu nhưng không ghi tên đơn vị", "Ghi tên xã, phường vào ô này.", "")


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA


def resolve_years(records: pd.DataFrame, period: tuple[int, int], findings: Findings) -> list[int | None]:
    """Form 01: the year of each record (None when it is unknown or outside the period). A table's
    rows of a year outside the period are one finding, not one per row."""
    start, end = period
    cache: dict = {}
    years: list[int | None] = []
    outside: dict[tuple, list] = {}
    seen_unknown: set = set()
    columns = [records[c].tolist() for c in ("year_raw", "table", "file", "sheet", "row", "year_cell", "year_from",
                                             "kind")]
    for raw, table, file, sheet, row, cell, source, kind in zip(*columns):
        key = (type(raw), raw)
        if key not in cache:
            cache[key] = parse_year(raw).value
        year = cache[key]
        if year is None:
            if (table, row) not in seen_unknown:
                seen_unknown.add((table, row))
                findings.add("E-YEAR-UNKNOWN", file=file, sheet=sheet, cell=cell, row=row, column="Năm", field="year",
                             text={"what": "không xác định được năm của dòng này",
                                   "todo": "Ghi năm (ví dụ 2022) vào cột “Năm”."})
            years.append(None)
        elif not (start - 1 <= year <= end):
            outside.setdefault((table, year), []).append((file, sheet, row, cell if source == "column" else "", kind))
            years.append(None)
        else:
            years.append(year)
    for (_, year), rows in outside.items():
        file, sheet, row, cell, _ = rows[0]
        count = len({r for _, _, r, _, kind in rows if kind == "unit"})
        lines = f" ({count} dòng)" if count > 1 else ""
        findings.add("E-YEAR-PERIOD", file=file, sheet=sheet, cell=cell, row=row, year=year, field="year",
                     text={"what": f"số liệu năm {year}{lines} nằm ngoài kỳ báo cáo {start}–{end} (kể cả năm gốc "
                                   f"{start - 1})",
                           "todo": "Bỏ tệp này khỏi thư mục số liệu, hoặc chạy với --period phù hợp."})
    return years


@dataclass
class Units:
    """The unit of each record: code and official name (None: unknown, an E-UNIT finding; "": a row
    that is not a unit's, such as a totals row). `suggested`: (table, row) -> the closest unit's
    code of an unknown name."""

    codes: list
    names: list
    suggested: dict


def resolve_units(records: pd.DataFrame, matcher: UnitMatcher, findings: Findings, *, kinds: tuple[str, ...],
                  years: list | None = None, maps=None, skip_without_year: bool = False) -> Units:
    """`maps`, when the period spans a change of the map: an object with `matcher(year)` (the units in
    force for that year's figures) and `place(name, year)` (analysis.maps.place_unit):
    a unit of the other map is then an error that names the unit it should be. `skip_without_year`:
    a row whose year is unknown or outside the period is not matched (that error comes first)."""
    out = Units([], [], {})
    unknown: dict[tuple, list] = {}   # (table, cell or row) -> [first row's details, rows]
    cache: dict = {}
    columns = [records[c].tolist() for c in ("kind", "unit_text", "table", "file", "sheet", "row", "unit_cell")]
    years = years if years is not None else [None] * len(records)
    for kind, raw, table, file, sheet, row, cell, year in zip(*columns, years):
        if kind not in kinds or (skip_without_year and year is None):
            out.codes.append("" if kind not in kinds else None)
            out.names.append("" if kind not in kinds else None)
            continue
        raw = None if _missing(raw) else raw
        key = (raw, year if maps is not None else None)
        if key not in cache:
            cache[key] = _resolve(raw, year, matcher, maps)
        code, name, message, suggestion = cache[key]
        out.codes.append(code)
        out.names.append(name)
        if code is None:
            out.suggested[(table, row)] = suggestion
            first = (file, sheet, row, cell, year, raw, message, suggestion)
            unknown.setdefault((table, cell or row), [first, set()])[1].add(row)
    for (file, sheet, row, cell, year, raw, message, suggestion), rows in unknown.values():
        what = message[0] + (f" (ô gộp, dùng cho {len(rows)} dòng)" if len(rows) > 1 else "") + message[2]
        findings.add("E-UNIT", file=file, sheet=sheet, cell=cell, row=row, column="Đơn vị", field="unit",
                     unit_code=suggestion or "", unit_name=matcher_name(matcher, maps, suggestion), year=year,
                     text={"what": what}, message=(what, message[1]) if message[1] else None,
                     values={"unit": "" if raw is None else str(raw)})
    return out


def matcher_name(matcher: UnitMatcher, maps, code: str | None) -> str:
    if not code:
        return ""
    return (maps.any_matcher if maps is not None else matcher).name_of(code)


def _resolve(raw, year, matcher: UnitMatcher, maps) -> tuple:
    """(code, name, (what, todo, hint), closest code): a known unit, or None and the message."""
    if raw is None or not str(raw).strip():
        return None, None, EMPTY_UNIT, None
    use = maps.matcher(int(year)) if maps is not None and year is not None else matcher
    match = use.match(str(raw))
    if match.code is not None:
        return match.code, match.name, ("", "", ""), None
    if maps is not None and year is not None:
        placement = maps.place(str(raw), int(year))
        if placement.message:
            return None, None, (placement.message, "", ""), None
    hint = f"; có phải là “{match.suggestion}”?" if match.suggestion else ""
    what = f"không có đơn vị “{' '.join(str(raw).split())}” trong danh sách xã, phường"
    return None, None, (what, "", hint), match.suggestion_code
