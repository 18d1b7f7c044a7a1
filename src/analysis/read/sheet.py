"""A sheet as read: its values, and what the layout step needs to know about its cells.

A `Sheet` carries, besides the values: merged ranges, the cells with an Excel percent format
(0.988 shown as 98,8%), formula cells without a stored value, hidden state, and how many cells
were converted from a legacy Vietnamese encoding (TCVN3, VNI) to Unicode. Shared by the file
readers (files.py for the folder, CSV and xls; xlsx.py for SpreadsheetML).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.read import legacy

# Bounds well above any real form (a form of 10.000 units x 5 years is a few MB).
MAX_SHEET_CELLS = 5_000_000
MAX_SHEET_COLUMNS = 500


class FileProblem(Exception):
    """A whole file (or sheet) cannot be read: `code` is the rule code, `values` fill its message."""

    def __init__(self, code: str, **values):
        super().__init__(code)
        self.code = code
        self.values = values


@dataclass
class Sheet:
    file: str
    name: str
    rows: list[list]
    is_csv: bool = False
    hidden: bool = False
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 1-based r1, c1, r2, c2
    percent_cells: dict[tuple[int, int], int] = field(default_factory=dict)  # (row, col) -> decimals shown
    formulas_without_value: set[tuple[int, int]] = field(default_factory=set)
    legacy: str = ""  # the legacy encoding converted in this sheet ("TCVN3", "VNI"), if any
    origins: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # a cell filled from a merge -> its top

    def cell(self, row: int, col: int):
        """1-based access; None outside the grid or for an empty cell."""
        if 1 <= row <= len(self.rows) and 1 <= col <= len(self.rows[row - 1]):
            value = self.rows[row - 1][col - 1]
            return None if value == "" else value
        return None


@dataclass
class SheetScan:
    """What a workbook says of a sheet besides its values: its extent, the cells shown as a percent
    (with the digits shown), the cells typed in a legacy font, the formulas without a stored value."""

    height: int = 0
    width: int = 0
    percent: dict[tuple[int, int], int] = field(default_factory=dict)
    legacy: dict[tuple[int, int], legacy.Legacy] = field(default_factory=dict)
    formulas: set[tuple[int, int]] = field(default_factory=set)


def percent_decimals(code: str) -> int | None:
    """Digits an Excel number format shows if it is a percent format ("0.0%" -> 1), else None."""
    plain = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    if "%" not in plain:
        return None
    match = re.search(r"[0#]\.([0#]+)", plain)
    return len(match.group(1)) if match else 0


def column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def address(sheet: Sheet, row: int, col: int | None) -> str:
    """"E9" in a workbook; "" in a CSV (its messages give the row and the column's header)."""
    return "" if sheet.is_csv or col is None else f"{column_letter(col)}{row}"


def convert_legacy(sheet: Sheet, cells: dict[tuple[int, int], legacy.Legacy]) -> None:
    """Text typed with a TCVN3 or VNI font becomes Unicode (NFC)."""
    converted = set()
    for (row, col), encoding in cells.items():
        value = sheet.cell(row, col)
        if isinstance(value, str) and value.strip():
            sheet.rows[row - 1][col - 1] = legacy.to_unicode(value, encoding)
            converted.add(encoding.name)
    sheet.legacy = ", ".join(sorted(converted))
