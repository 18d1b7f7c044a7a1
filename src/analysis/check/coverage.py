"""Whether the data set covers what a report needs, and the day its figures are as of.

Every year of the period and its baseline year need form 01, and the period needs form 02 (a
report cannot be made otherwise: `validate` says so). A unit missing in a year and households
moving by more than the threshold are warnings. Each form states, or not, the day its figures
are as of (analysis.read.asof); two files of one year that state different days are a warning
naming both, and the earlier day is the year's.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.check.findings import Findings, location
from analysis.check.rules import Rules
from analysis.formatting import fmt_int, fmt_number, fmt_short_date
from analysis.read import Reading, year_in
from analysis.vocabulary import WHOLE_FIELD

AS_OF_COLUMNS = ["form", "year", "unit_code", "date", "source_file", "source_sheet", "where"]


def check_coverage(units: pd.DataFrame, reference, rules: Rules, findings: Findings, cells,
                   suggested: frozenset[tuple[int, str]] | set[tuple[int, str]] = frozenset()) -> None:
    """A unit missing in a year (unless a misspelled name of that year points to it: the E-UNIT is
    the cause); households changing by more than the threshold year on year."""
    years = sorted(units["year"].unique())
    present: dict = {}
    files: dict = {}
    for year, code, file in zip(units["year"].tolist(), units["unit_code"].tolist(), units["file"].tolist()):
        present.setdefault(year, set()).add(code)
        files.setdefault(year, file)
    for year in years:
        units_of_year = reference(int(year)) if callable(reference) else reference
        here = present[year]
        for code, name in zip(units_of_year["code"].tolist(), units_of_year["full_name"].tolist()):
            if code not in here and (int(year), code) not in suggested:
                findings.add("W-MISSING-UNIT", file=files[year], unit_code=code, unit_name=name, year=int(year),
                             text={"year": int(year), "unit": name})
    _outliers(units, years, reference, rules, findings, cells)


def _outliers(units: pd.DataFrame, years: list, reference, rules: Rules, findings: Findings, cells) -> None:
    threshold = rules.setting("W-OUTLIER", "threshold")
    wide = units.pivot_table(index="unit_code", columns="year", values=WHOLE_FIELD, aggfunc="first",
                             dropna=False).reindex(columns=years)  # a year without any households stays a column
    for previous, year in zip(years, years[1:]):
        if year != previous + 1:
            continue
        if callable(reference) and set(reference(int(previous))["code"]) != set(reference(int(year))["code"]):
            continue  # households of a new map's unit are not comparable with its namesake's of the old map
        before = wide[previous].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        now = wide[year].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):  # from 0 households to some: an infinite change
            change = np.where(before > 0, (now - before) / before, np.where(now > 0, np.inf, 0.0))
        change = np.where(np.isnan(before) | np.isnan(now), np.nan, change)
        for code in wide.index[np.abs(np.nan_to_num(change, nan=0.0)) > threshold]:
            index = units.index[(units["unit_code"] == code) & (units["year"] == year)][0]
            r = units.loc[index]
            ratio = change[wide.index.get_loc(code)]
            shown = f"{fmt_number(ratio * 100, 1)}%" if np.isfinite(ratio) else "từ 0 hộ"
            findings.add("W-OUTLIER", file=r["file"], sheet=r["sheet"], cell=cells.of(index, WHOLE_FIELD),
                         row=int(r["row"]), unit_code=code, unit_name=r["unit_name"], year=int(year), field=WHOLE_FIELD,
                         text={"unit": r["unit_name"], "year": int(year), "current": fmt_int(wide.at[code, year]),
                               "previous_year": int(previous), "previous": fmt_int(wide.at[code, previous]),
                               "change": shown, "threshold": f"{fmt_number(threshold * 100, 0)}%"},
                         values={"previous": float(wide.at[code, previous]), "current": float(wide.at[code, year])})


def check_needed(reading: Reading, years_read: set[int], period: tuple[int, int], data_dir: Path,
                 findings: Findings) -> None:
    """The baseline year, every year of the period and form 02 are there (else a report cannot be
    made). A year whose file could not be read, or whose table has an error, is already reported."""
    start, end = period
    attempted = set(years_read)
    for p in reading.problems:
        if p.code.startswith("E-"):
            attempted |= {y for y in (year_in(p.file), year_in(p.sheet)) if y is not None}
    folder = Path(data_dir).name or str(data_dir)
    todo = "Chép biểu còn thiếu vào thư mục số liệu rồi chạy lại, hoặc chọn kỳ báo cáo khác (--period)."
    for year in range(start - 1, end + 1):
        if year not in attempted:
            what = (f"không có số liệu Biểu 01 năm {year}" +
                    (f" (năm gốc của kỳ {start}–{end}: số hộ, hộ nghèo, hộ cận nghèo)" if year == start - 1 else ""))
            findings.add("E-NO-FORM", file=folder, year=year, text={"what": what, "todo": todo})
    has_register = (reading.tables["form"] == "02").any() if len(reading.tables) else False
    if not has_register:
        findings.add("E-NO-FORM", file=folder, text={
            "what": "không có Biểu 02 (danh sách mô hình kinh tế) trong thư mục số liệu", "todo": todo})


def as_of_frame(reading: Reading, table_years: dict[int, set[int]], table_units: dict[int, str],
                period: tuple[int, int]) -> pd.DataFrame:
    """One row per as-of day a form states for a year it holds: form, year, unit (a file per unit),
    day, where. A day applies to the year it falls in; a form 01 table's day only to a year the
    table holds (a header's day to its own year)."""
    rows = []
    start, end = period
    for a in reading.as_of:
        year = a.year if a.year is not None else a.date.year
        holds = table_years.get(a.table, set())
        if a.form == "01" and year not in holds or not (start - 1 <= year <= end):
            continue
        rows.append((a.form, year, table_units.get(a.table, ""), a.date, a.file, a.sheet,
                     location(a.file, a.sheet, a.cell) if a.cell else location(a.file, a.sheet)))
    return pd.DataFrame(rows, columns=AS_OF_COLUMNS)


def check_as_of(as_of: pd.DataFrame, findings: Findings) -> None:
    """Two files (or two places) of one year stating different days: a warning naming both."""
    for year, group in as_of.groupby("year"):
        dates = group.sort_values("date")
        first, last = dates.iloc[0], dates.iloc[-1]
        if first["date"] == last["date"]:
            continue
        findings.add("W-AS-OF", file=last["source_file"], sheet=last["source_sheet"], year=int(year),
                     unit_code=last["unit_code"], text={
                         "year": int(year), "first": fmt_short_date(first["date"]), "first_at": first["where"],
                         "second": fmt_short_date(last["date"]), "second_at": last["where"]})


def year_as_of(as_of: pd.DataFrame, year: int) -> dt.date:
    """The day a year's form 01 figures are as of: the earliest day its form 01 files state, else
    the earliest its form 02 states, else 31 December."""
    for form in ("01", "02"):
        dates = as_of.loc[(as_of["form"] == form) & (as_of["year"] == year), "date"]
        if len(dates):
            return min(dates)
    return dt.date(int(year), 12, 31)
