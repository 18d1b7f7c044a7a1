"""Form 01: the rows of each table as typed counts, then the rules on unit rows: campaign columns
present, households present, a unit and year typed once, the comparison rules of the rules file."""

from __future__ import annotations

from functools import partial

import pandas as pd

from analysis.check.counts import parse_counts, report_counts
from analysis.check.findings import Findings, location
from analysis.check.rules import BROKEN, OPERATORS, Rules
from analysis.formatting import fmt_int
from analysis.read import Reading
from analysis.vocabulary import COUNT_FIELDS, PART_FIELDS, WHOLE_FIELD, field_header, field_label

META = ["table", "slot", "file", "sheet", "row", "kind", "group", "label", "unit_code", "unit_name", "unit_cell",
        "year", "is_csv"]


class Cells:
    """Where each value of a frame of records is: `of(i, field)` -> "E9" (or "" in a CSV)."""

    def __init__(self, reading: Reading, frame: pd.DataFrame):
        self.reading = reading
        self.keys = list(zip(frame["table"].tolist(), frame["slot"].tolist() if "slot" in frame else [0] * len(frame),
                             frame["row"].tolist(), frame["is_csv"].tolist()))

    def of(self, i: int, field: str, measure: str = "count") -> str:
        table, slot, row, is_csv = self.keys[i]
        return self.reading.address(table, slot, field, measure, int(row), bool(is_csv))


def check_campaign_columns(reading: Reading, records: pd.DataFrame, years: list, period: tuple[int, int],
                           findings: Findings) -> set[int]:
    """A form 01 table with a campaign year (not the baseline) must have every campaign column.
    Returns the tables that fail."""
    tables_years: dict[int, set] = {}
    for table, year in zip(records["table"].tolist(), years):
        if year is not None:
            tables_years.setdefault(table, set()).add(year)
    failing = set()
    for t in reading.tables[reading.tables["form"] == "01"].itertuples(index=False):
        absent = [f for f in PART_FIELDS if f not in t.fields]
        if absent and any(y >= period[0] for y in tables_years.get(t.table, ())):
            names = ", ".join(f"“{field_header(f)}”" for f in absent)
            found = "; ".join(f"“{h}”" for h in t.headers)
            findings.add("E-COLUMN", file=t.file, sheet=t.sheet, row=t.header_row, field=",".join(absent),
                         text={"what": f"Biểu 01 thiếu cột {names}", "found": found})
            failing.add(t.table)
    return failing


def _cell_of(cells: Cells, field: str, position: int) -> str:
    return cells.of(position, field)


def counts_frame(reading: Reading, records: pd.DataFrame, rules: Rules, findings: Findings) -> tuple[pd.DataFrame, set]:
    """The records with each count parsed (Int64, missing when empty or wrong: a located finding),
    and the (position, field) of the values that are not read: wrong, or a formula without a value."""
    frame = records[META].reset_index(drop=True)
    cells = Cells(reading, frame)
    limit = rules.setting("E-TOO-LARGE", "max")
    flagged: set[tuple[int, str]] = set()
    for field in COUNT_FIELDS:
        raw = records[field].tolist()
        values, codes = parse_counts(raw, limit)
        wrong = report_counts(frame, field, raw, codes, findings, rules, label=field_label(field),
                              column=field_header(field), cell=partial(_cell_of, cells, field))
        flagged.update((i, field) for i in wrong)
        frame[field] = pd.array(values, dtype="Int64")
    if reading.unvalued:
        keys = zip(frame["table"].tolist(), frame["slot"].tolist(), frame["row"].tolist())
        for i, (table, slot, row) in enumerate(keys):
            for field in COUNT_FIELDS:
                if (table, slot, row, field) in reading.unvalued:
                    flagged.add((i, field))
    return frame, flagged


def check_missing_whole(units: pd.DataFrame, findings: Findings, cells: Cells, flagged: set) -> None:
    """A unit row without households (the denominator of every rate): an error, unless its cell
    held something not read (already a finding)."""
    for i in units.index[units[WHOLE_FIELD].isna()]:
        if (i, WHOLE_FIELD) in flagged:
            continue
        r = units.loc[i]
        findings.add("E-MISSING", file=r["file"], sheet=r["sheet"], cell=cells.of(i, WHOLE_FIELD), row=int(r["row"]),
                     column=field_header(WHOLE_FIELD), unit_code=r["unit_code"], unit_name=r["unit_name"],
                     year=int(r["year"]), field=WHOLE_FIELD,
                     text={"unit": r["unit_name"], "year": int(r["year"]), "label": field_label(WHOLE_FIELD)})


def _same(a, b) -> bool:
    return (pd.isna(a) and pd.isna(b)) or (not pd.isna(a) and not pd.isna(b) and a == b)


def _n(value) -> str:
    return "trống" if pd.isna(value) else fmt_int(value)


def dedupe(units: pd.DataFrame, findings: Findings) -> pd.DataFrame:
    """Same unit and year twice: identical values are kept once (warning), different ones are an error."""
    duplicated = units.duplicated(["unit_code", "year"], keep=False)
    if not duplicated.any():
        return units
    drop = []
    for _, group in units[duplicated].groupby(["unit_code", "year"], sort=False):
        first = group.iloc[0]
        first_at = location(first["file"], first["sheet"], row=int(first["row"]))
        for index, later in group.iloc[1:].iterrows():
            differing = [f for f in COUNT_FIELDS if not _same(first[f], later[f])]
            common = dict(file=later["file"], sheet=later["sheet"],
                          cell=later["unit_cell"] if isinstance(later.get("unit_cell"), str) else "",
                          row=int(later["row"]), unit_code=later["unit_code"], unit_name=later["unit_name"],
                          year=int(later["year"]))
            if not differing:
                findings.add("W-DUPLICATE", field="unit", **common,
                             text={"unit": later["unit_name"], "year": int(later["year"]), "first_at": first_at})
            else:
                shown = "; ".join(f"{field_label(f)}: {_n(first[f])} và {_n(later[f])}" for f in differing)
                findings.add("E-DUPLICATE", field=",".join(differing), **common,
                             text={"unit": later["unit_name"], "year": int(later["year"]), "first_at": first_at,
                                   "differences": shown})
            drop.append(index)
    return units.drop(index=drop)


def _sum(frame: pd.DataFrame, fields: tuple[str, ...], missing: str) -> pd.Series:
    stacked = frame[list(fields)].astype("Float64")
    total = stacked.fillna(0).sum(axis=1)
    if missing == "skip_if_any_missing":
        return total.where(stacked.notna().all(axis=1))
    if missing == "skip_if_all_missing":
        return total.where(stacked.notna().any(axis=1))
    return total


def check_comparisons(units: pd.DataFrame, rules: Rules, findings: Findings, cells: Cells) -> None:
    """The comparison rules of the rules file, on every unit row, vectorised per rule."""
    for rule in rules.comparisons:
        left, right = _sum(units, rule.left, rule.missing), _sum(units, rule.right, rule.missing)
        known = left.notna() & right.notna()
        ok = pd.Series(True, index=units.index)
        ok[known] = OPERATORS[rule.operator](left[known].to_numpy(float), right[known].to_numpy(float))
        for index in ok.index[~ok.to_numpy()]:
            r = units.loc[index]
            text = {"unit": r["unit_name"], "year": int(r["year"]), "left_label": field_label(rule.left_text),
                    "left": fmt_int(left[index]), "right_label": field_label(rule.right_text),
                    "right": fmt_int(right[index]), "relation": BROKEN[rule.operator]}
            findings.add(rule.code, file=r["file"], sheet=r["sheet"], cell=cells.of(index, rule.left[0]),
                         row=int(r["row"]), column=field_header(rule.left[0]), unit_code=r["unit_code"],
                         unit_name=r["unit_name"], year=int(r["year"]), field=rule.left_text,
                         message=(rule.message.format_map(text), rule.todo.format_map(text)),
                         values={"left": float(left[index]), "right": float(right[index])})
