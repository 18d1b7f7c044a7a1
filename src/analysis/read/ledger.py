"""The ledger of a sheet: what every non-empty cell of a form's table, and below it, was read as.

Roles: title, header, column_number, data (a unit's or a model's value), percent (a reported
"Tỉ lệ (%)" of a unit), total, subtotal (a reported totals or group subtotal row), group (a
group heading), note (notes and signatures, a stray remark), ignored (with its reason: an STT
number, an extra column's text) and unread (a figure the reader does not use and does not
recognise: an error naming its cells, never dropped without a word).

A ledger is compact: a role per row kind and per column, and the cells that differ; `role(r, c)`
answers for any cell, `unread()` lists the figures nobody reads with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from analysis.read.aliases import is_number
from analysis.read.sheet import Sheet, column_letter

ROLES = ("title", "header", "column_number", "data", "percent", "total", "subtotal", "group", "note", "ignored",
         "unread")
ROW_ROLES = {"unit": None, "model": None, "total": "total", "subtotal": "subtotal", "group": "group", "note": "note",
             "column_number": "column_number", "empty": "ignored"}
ROW_REASONS = {"empty": "dòng chỉ có số thứ tự"}


@dataclass
class Column:
    """What a column of the table holds in its data rows."""

    role: str            # data | percent | ignored | unread
    reason: str = ""     # for ignored and unread: why ("số thứ tự", "không có tiêu đề cột" …)


@dataclass
class Ledger:
    sheet: Sheet
    header_top: int
    header_bottom: int
    end: int                                    # the last row of the table (notes and signatures below it)
    columns: dict[int, Column] = field(default_factory=dict)
    # body row -> unit | model | total | subtotal | group | note | column_number | empty
    rows: dict[int, str] = field(default_factory=dict)
    beyond: Column = field(default_factory=lambda: Column("unread", "nằm ngoài các cột của bảng"))
    header_numbers: set[int] = field(default_factory=set)  # header rows that are rows of column numbers

    def role(self, row: int, col: int) -> tuple[str, str]:
        """(role, reason) of a cell; the cell is assumed non-empty."""
        value = self.sheet.cell(row, col)
        if row < self.header_top:
            return "title", ""
        if row <= self.header_bottom:
            return ("column_number", "") if row in self.header_numbers else ("header", "")
        number = is_number(value)
        if row > self.end:
            return ("unread", "nằm dưới bảng, sau phần ghi chú") if number else ("note", "")
        kind = self.rows.get(row)
        if kind is None:
            return ("unread", "nằm trong bảng nhưng không thuộc dòng nào") if number else ("note", "")
        if kind == "column_number":
            return "column_number", ""
        column = self.columns.get(col, self.beyond)
        if column.role == "unread" and number:
            return "unread", column.reason
        row_role = ROW_ROLES[kind]
        if row_role is not None:
            return row_role, ROW_REASONS.get(kind, "")
        if column.role == "unread":
            return "ignored", column.reason
        return column.role, column.reason

    def cells(self) -> Iterator[tuple[int, int, str, str]]:
        """Every non-empty cell from the first title row down: (row, column, role, reason)."""
        for r, values in enumerate(self.sheet.rows, start=1):
            for c, value in enumerate(values, start=1):
                if value is None or value == "" or (isinstance(value, str) and not value.strip()):
                    continue
                role, reason = self.role(r, c)
                yield r, c, role, reason

    def unread(self) -> list[tuple[int, int, str]]:
        """The figures nobody reads: (row, column, reason), in reading order."""
        found = []
        width = max((len(values) for values in self.sheet.rows), default=0)
        watched = [c for c, column in sorted(self.columns.items()) if column.role == "unread"]
        watched += list(range(max(self.columns, default=0) + 1, width + 1))
        for r in range(self.header_bottom + 1, len(self.sheet.rows) + 1):
            values = self.sheet.rows[r - 1]
            kind = self.rows.get(r)
            if kind == "column_number":
                continue
            columns: Iterable[int] = range(1, len(values) + 1) if kind is None else [c for c in watched
                                                                                     if c <= len(values)]
            for c in columns:
                if is_number(values[c - 1]):
                    role, reason = self.role(r, c)
                    if role == "unread":
                        found.append((r, c, reason))
        return found


def ranges(cells: Iterable[tuple[int, int]], *, is_csv: bool, limit: int = 6) -> str:
    """Cells as rectangles in reading order: "F9:N30, B40" (a CSV: "dòng 9–30, cột 6–14")."""
    by_row: dict[int, list[int]] = {}
    for r, c in sorted(set(cells)):
        by_row.setdefault(r, []).append(c)
    runs: list[tuple[int, int, int, int]] = []   # r1, c1, r2, c2
    open_runs: dict[tuple[int, int], int] = {}  # (c1, c2) -> index in runs of the rectangle still growing
    for r in sorted(by_row):
        row_runs, columns = [], by_row[r]
        start = previous = columns[0]
        for c in columns[1:]:
            if c != previous + 1:
                row_runs.append((start, previous))
                start = c
            previous = c
        row_runs.append((start, previous))
        grown = {}
        for span in row_runs:
            index = open_runs.get(span)
            if index is not None and runs[index][2] == r - 1:
                r1, c1, _, c2 = runs[index]
                runs[index] = (r1, c1, r, c2)
            else:
                runs.append((r, span[0], r, span[1]))
                index = len(runs) - 1
            grown[span] = index
        open_runs = grown
    runs.sort()
    texts = [_rectangle(run, is_csv) for run in runs[:limit]]
    if len(runs) > limit:
        texts.append(f"… ({len(runs) - limit} vùng nữa)")
    return ", ".join(texts)


def columns_and_rows(cells: list[tuple[int, int]], *, is_csv: bool) -> str:
    """Figures of whole columns: "cột M–Q, dòng 9–30" (a CSV: "cột 13–17, dòng 9–30"); cells
    scattered over columns that do not follow each other are given as ranges."""
    columns = sorted({c for _, c in cells})
    rows = sorted({r for r, _ in cells})
    if columns != list(range(columns[0], columns[-1] + 1)):
        return ranges(cells, is_csv=is_csv)
    name = (lambda c: str(c)) if is_csv else column_letter
    span = name(columns[0]) if len(columns) == 1 else f"{name(columns[0])}–{name(columns[-1])}"
    lines = f"dòng {rows[0]}" if len(rows) == 1 else f"dòng {rows[0]}–{rows[-1]}"
    return f"cột {span}, {lines}"


def _rectangle(run: tuple[int, int, int, int], is_csv: bool) -> str:
    r1, c1, r2, c2 = run
    if is_csv:
        rows = f"dòng {r1}" if r1 == r2 else f"dòng {r1}–{r2}"
        columns = f"cột {c1}" if c1 == c2 else f"cột {c1}–{c2}"
        return f"{rows}, {columns}"
    first = f"{column_letter(c1)}{r1}"
    return first if (r1, c1) == (r2, c2) else f"{first}:{column_letter(c2)}{r2}"
