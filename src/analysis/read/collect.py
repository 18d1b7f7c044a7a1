"""Tables -> records: one per form 01 row and year, one per form 02 row, values as typed.

A record keeps the row's kind (unit, model, total, subtotal), its group, the words that made it
a total, its unit as typed (from its column, the title rows or the file name) and where that is,
its year as typed and where that came from, and one column per field with the raw value. The
columns a value came from are kept aside (`columns`), so that any value's cell can be named.
Per sheet, the formula cells without a stored value and the figures nobody reads are one
problem each, naming their cells as ranges.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as _default
from pathlib import Path

from analysis.read.aliases import Aliases, is_text
from analysis.read.asof import as_of_in
from analysis.read.body import Row, table_rows
from analysis.read.sheet import FileProblem, Sheet, address, column_letter
from analysis.read.header import Table, find_table, required_fields
from analysis.read.ledger import Ledger, columns_and_rows, ranges
from analysis.vocabulary import COUNT_FIELDS, FORM02_FIELDS

FORM01_META = ["table", "slot", "file", "sheet", "row", "kind", "group", "label", "unit_text", "unit_cell", "unit_from",
               "year_raw", "year_cell", "year_from", "is_csv"]
FORM02_META = ["table", "file", "sheet", "row", "kind", "group", "label", "unit_text", "unit_cell", "unit_from",
               "is_csv", "reported_count"]
PERCENT = "percent:"   # form 01 record column of a field's reported percent ("percent:changed_mindset")
TEXT_FIELDS = ("unit", "year", "model_name", "sector", "status", "notes")  # columns read as text
FORMAT = "format:"     # the digits of its Excel percent format (0.988 shown as 98,8%), else -1
_YEAR = re.compile(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)")


def year_in(text: str) -> int | None:
    match = _YEAR.search(text)
    return int(match.group(0)) if match else None


@dataclass
class Problem:
    """Something read could not get past: a rule code, where, and the values its message needs."""

    code: str
    file: str
    sheet: str = ""
    cell: str = ""
    row: int | None = None
    field: str = ""
    values: dict = _default(default_factory=dict)


@dataclass(frozen=True)
class AsOf:
    """An as-of day a form states: for which form, table and (a header's) year, and where."""

    form: str
    table: int
    file: str
    sheet: str
    date: dt.date
    where: str             # title | header | sheet | file | note
    cell: str = ""
    year: int | None = None  # the year of the header that states it (years across columns)


def _empty(sheet: Sheet) -> bool:
    return not any(v not in ("", None) for row in sheet.rows for v in row)


class Collector:
    def __init__(self, aliases: Aliases, units_in_names, *, keep_ledgers: bool = False):
        self.aliases = aliases
        self.find_unit = units_in_names  # text -> a unit name found in it, or None
        self.keep_ledgers = keep_ledgers
        self.records: dict[str, dict[str, list]] = {
            "01": {name: [] for name in (*FORM01_META, *COUNT_FIELDS, *(PERCENT + f for f in COUNT_FIELDS),
                                         *(FORMAT + f for f in COUNT_FIELDS))},
            "02": {name: [] for name in (*FORM02_META, *FORM02_FIELDS)}}
        self.problems: list[Problem] = []
        self.tables: list[tuple] = []
        self.columns: dict[tuple[int, int, str, str], int] = {}
        self.as_of: list[AsOf] = []
        self.ledgers: list[Ledger] = []
        self.unvalued: set[tuple[int, int, int, str]] = set()  # (table, slot, row, field): a formula without a value

    # -- a file ----------------------------------------------------------------------------------
    def file(self, path_name: str, name: str, sheets: Iterator[Sheet]) -> None:
        """Every sheet of one file; a file that fails part-way gives nothing but its problem."""
        mark = self._mark()
        found, skipped, any_content, first_texts = 0, [], False, None
        try:
            for sheet in sheets:
                if _empty(sheet):
                    continue
                any_content = True
                if sheet.hidden:
                    self.problems.append(Problem("W-SHEET-HIDDEN", name, sheet.name))
                    continue
                if first_texts is None:
                    first_texts = [str(v).strip() for r in sheet.rows[:12] for v in r
                                   if isinstance(v, str) and v.strip()][:8]
                if self.sheet(path_name, sheet):
                    found += 1
                else:
                    skipped.append(sheet.name)
        except FileProblem as problem:
            self._rollback(mark)
            self.problems.append(Problem(problem.code, name, values=problem.values))
            return
        if not any_content:
            self.problems.append(Problem("E-EMPTY", name))
        elif not found:
            self.problems.append(Problem("E-COLUMN", name,
                                         values={"form": "", "missing": [], "found": first_texts or []}))
        else:
            self.problems += [Problem("W-SHEET", name, sheet) for sheet in skipped]

    def _mark(self) -> tuple:
        return ({form: len(columns["table"]) for form, columns in self.records.items()}, len(self.problems),
                len(self.tables), len(self.as_of), len(self.ledgers))

    def _rollback(self, mark: tuple) -> None:
        lengths, problems, tables, as_of, ledgers = mark
        for form, columns in self.records.items():
            for values in columns.values():
                del values[lengths[form]:]
        del self.problems[problems:], self.tables[tables:], self.as_of[as_of:], self.ledgers[ledgers:]
        self.unvalued = {key for key in self.unvalued if key[0] < tables}
        self.columns = {key: c for key, c in self.columns.items() if key[0] < tables}

    # -- a sheet ---------------------------------------------------------------------------------
    def sheet(self, path_name: str, sheet: Sheet) -> bool:
        table = find_table(sheet, self.aliases)
        if table is None:
            return False
        number = len(self.tables)
        if sheet.legacy:
            self.problems.append(Problem("W-LEGACY", sheet.file, sheet.name, values={"encoding": sheet.legacy}))
        unit = self._unit(path_name, table)
        if unit is None:
            self._table_row(number, table, None)
            return True
        missing = [f for f in required_fields(table.form, has_unit_elsewhere=unit[0] != "column")
                   if f not in table.fields]
        if missing:
            self.problems.append(Problem("E-COLUMN", sheet.file, sheet.name, row=table.header_top,
                                         field=",".join(missing), values={"form": table.form, "missing": missing,
                                                                          "found": table.headers_found}))
            self._table_row(number, table, None)
            return True
        rows, ledger, notes = table_rows(table, self.aliases)
        self._table_row(number, table, unit)
        self._remember_columns(number, table)
        if table.form == "02":
            self._models(number, table, rows, unit)
        else:
            self._form01(number, path_name, table, rows, unit)
        self._as_of(number, path_name, table, notes)
        self._sheet_problems(table, rows, ledger)
        if self.keep_ledgers:
            self.ledgers.append(ledger)
        return True

    def _unit(self, path_name: str, table: Table) -> tuple[str, str | None, str] | None:
        """(unit_from, unit text, its cell) for the whole table, or ("column", None, ""); None
        after an E-UNIT-CONFLICT between the title and the file name."""
        if "unit" in table.columns:
            return "column", None, ""
        sheet = table.sheet
        file_unit = self.find_unit(Path(path_name).stem, prefix_required=False)
        title_unit = next(((r, c, u) for r, c, text in table.titles if (u := self.find_unit(text))), None)
        if file_unit and title_unit and file_unit != title_unit[2]:
            self.problems.append(Problem("E-UNIT-CONFLICT", sheet.file, sheet.name,
                                         cell=address(sheet, title_unit[0], title_unit[1]), row=title_unit[0],
                                         values={"in_title": title_unit[2], "in_file": file_unit}))
            return None
        if title_unit:
            return "title", title_unit[2], address(sheet, title_unit[0], title_unit[1])
        return "file", file_unit, ""

    def _table_row(self, number: int, table: Table, unit) -> None:
        sheet = table.sheet
        self.tables.append((number, sheet.file, sheet.name, table.form, table.header_top, tuple(sorted(table.fields)),
                            tuple(table.headers_found), sheet.is_csv, unit[0] if unit else "",
                            unit[1] if unit else None))

    def _remember_columns(self, number: int, table: Table) -> None:
        for f, c in table.columns.items():
            self.columns[(number, 0, f, "text" if f in TEXT_FIELDS
                          or table.form == "02" else "count")] = c
        for index, slot in enumerate(table.slots):
            for f, c in slot.counts.items():
                self.columns[(number, index, f, "count")] = c
            for f, c in slot.percents.items():
                self.columns[(number, index, f, "percent")] = c

    def tables_frame(self):
        import pandas as pd  # noqa: PLC0415 (lazy: read.files alone needs no data stack)

        return pd.DataFrame.from_records(self.tables, columns=["table", "file", "sheet", "form", "header_row", "fields",
                                                               "headers", "is_csv", "unit_from", "unit_text"])

    def frame(self, form: str):
        import pandas as pd  # noqa: PLC0415 (lazy: read.files alone needs no data stack)

        columns = self.records[form]
        return pd.DataFrame({name: pd.Series(values, dtype=object) for name, values in columns.items()})

    # -- form 01 ---------------------------------------------------------------------------------
    def _year(self, path_name: str, table: Table) -> tuple[object, str, str]:
        sheet = table.sheet
        if "year" in table.columns:
            return None, "", "column"
        if (year := year_in(sheet.name)) is not None:
            return year, "", "sheet"
        if (year := year_in(Path(path_name).stem)) is not None:
            return year, "", "file"
        for r, c, text in table.titles:
            if (year := year_in(text)) is not None:
                return year, address(sheet, r, c) or f"dòng {r}", "title"
        return None, "", ""

    def _form01(self, number: int, path_name: str, table: Table, rows: list[Row], unit: tuple) -> None:
        """A record per row and slot (a year across columns), filled column by column."""
        sheet = table.sheet
        year, year_cell, year_from = self._year(path_name, table)
        if not year_from and not table.years_across:
            self.problems.append(Problem("E-YEAR-UNKNOWN", sheet.file, sheet.name, values={"scope": "table"}))
            return
        year_col = table.columns.get("year")
        lines, numbers, shared = _shared(number, table, rows, unit, "unit")
        n = len(rows)
        out = self.records["01"]
        for index, slot in enumerate(table.slots):
            if slot.year is not None:
                r, c, _ = table.year_texts[slot.year]
                year, year_cell, year_from = slot.year, address(sheet, r, c) or f"dòng {r}", "header"
            by_column = year_col is not None and slot.year is None
            columns = {**shared, "slot": [index] * n,
                       "year_raw": _column(lines, year_col) if by_column else [year] * n,
                       "year_cell": _cells(sheet, numbers, year_col) if year_col is not None and by_column
                       else [year_cell] * n,
                       "year_from": ["column" if by_column else year_from] * n}
            for f in COUNT_FIELDS:
                columns[f] = _column(lines, slot.counts.get(f))
                columns[PERCENT + f] = _column(lines, slot.percents.get(f))
                column = slot.percents.get(f)
                columns[FORMAT + f] = [sheet.percent_cells.get((r, column), -1) for r in numbers] \
                    if column and sheet.percent_cells else [-1] * n
            for name, values in columns.items():
                out[name].extend(values)
            if sheet.formulas_without_value:
                self.unvalued.update((number, index, r, f) for r in numbers for f, c in slot.counts.items()
                                     if (r, c) in sheet.formulas_without_value)

    # -- form 02 ---------------------------------------------------------------------------------
    def _models(self, number: int, table: Table, rows: list[Row], unit: tuple) -> None:
        sheet = table.sheet
        lines, numbers, columns = _shared(number, table, rows, unit, "model")
        n = len(rows)
        columns["reported_count"] = [None if row.kind == "model" else _count_in(values)
                                     for row, values in zip(rows, lines)]
        for f in FORM02_FIELDS:
            columns[f] = _column(lines, table.columns.get(f)) if f != "unit" else [None] * n
        out = self.records["02"]
        for name, values in columns.items():
            out[name].extend(values)
        if sheet.formulas_without_value:
            self.unvalued.update((number, 0, r, f) for r in numbers for f, c in table.columns.items()
                                 if (r, c) in sheet.formulas_without_value)

    # -- what a sheet tells besides its values ---------------------------------------------------
    def _as_of(self, number: int, path_name: str, table: Table, notes: list[str]) -> None:
        sheet = table.sheet
        found: list[tuple[dt.date | None, str, str, int | None]] = [
            (as_of_in(text), "title", address(sheet, r, c) or f"dòng {r}", None) for r, c, text in table.titles]
        found += [(as_of_in(text), "header", address(sheet, r, c) or f"dòng {r}", year)
                  for year, (r, c, text) in table.year_texts.items()]
        found += [(as_of_in(sheet.name), "sheet", "", None), (as_of_in(Path(path_name).stem), "file", "", None)]
        found += [(as_of_in(text), "note", "", None) for text in notes[:50]]
        seen = set()
        for date, where, cell, year in found:
            if date is not None and (date, year) not in seen:
                seen.add((date, year))
                self.as_of.append(AsOf(table.form, number, sheet.file, sheet.name, date, where, cell, year))

    def _sheet_problems(self, table: Table, rows: list[Row], ledger: Ledger) -> None:
        sheet = table.sheet
        in_rows = {row.row for row in rows}
        formulas = sorted((r, c) for r, c in sheet.formulas_without_value if r in in_rows)
        if formulas:
            self.problems.append(Problem("E-FORMULA", sheet.file, sheet.name, values={
                "cells": ranges(formulas, is_csv=sheet.is_csv), "count": len(formulas)}))
        unread: dict[str, list[tuple[int, int]]] = {}
        for r, c, reason in ledger.unread():
            unread.setdefault(reason, []).append((r, c))
        for reason, cells in unread.items():
            by_column = reason.startswith(("cột", "trùng", "không có tiêu"))
            where = columns_and_rows(cells, is_csv=sheet.is_csv) if by_column else ranges(cells, is_csv=sheet.is_csv)
            self.problems.append(Problem("E-UNREAD", sheet.file, sheet.name, values={
                "cells": where, "count": len(cells), "why": reason}))


def _shared(number: int, table: Table, rows: list[Row], unit: tuple, data_kind: str) -> tuple[list, list, dict]:
    """The rows' values as typed, their numbers, and the record columns both forms share: where a
    row is, what it is, its unit as typed and where that is."""
    sheet = table.sheet
    unit_from, unit_text, unit_cell = unit
    unit_col = table.columns.get("unit")
    lines = [sheet.rows[row.row - 1] for row in rows]
    numbers = [row.row for row in rows]
    n = len(rows)
    return lines, numbers, {
        "table": [number] * n, "file": [sheet.file] * n, "sheet": [sheet.name] * n, "row": numbers,
        "kind": [row.kind for row in rows], "group": [row.group for row in rows],
        "label": [row.label for row in rows], "is_csv": [sheet.is_csv] * n,
        "unit_text": _column(lines, unit_col) if unit_col else [unit_text] * n,
        "unit_cell": _cells(sheet, numbers, unit_col) if unit_col else [unit_cell] * n,
        "unit_from": [unit_from if row.kind == data_kind else "" for row in rows]}


def _cells(sheet: Sheet, rows: list[int], column: int) -> list[str]:
    """The cells of a column in these rows ("" in a CSV); a cell filled from a merge is named by
    the merge's top cell, where the value was typed."""
    if sheet.is_csv:
        return [""] * len(rows)
    letter = column_letter(column)
    if not sheet.origins:
        return [f"{letter}{r}" for r in rows]
    return [address(sheet, *sheet.origins.get((r, column), (r, column))) for r in rows]


def _column(lines: list[list], column: int | None) -> list:
    """A column's values in these rows, as typed (None for an empty cell or no column)."""
    if column is None:
        return [None] * len(lines)
    i = column - 1
    return [None if i >= len(values) or values[i] == "" else values[i] for values in lines]


def _count_in(values: list) -> int | None:
    """The count a closing line types in its words ("Tổng cộng: 211 mô hình", "Cộng: 211")."""
    digits = re.findall(r"\d+", " ".join(v for v in values if is_text(v)))
    return int(digits[0]) if digits else None
