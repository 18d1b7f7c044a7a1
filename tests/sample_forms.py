"""Reading the sample's form 01 workbooks back in tests, independently of the package's reader."""

from pathlib import Path

import openpyxl


def unit_rows(workbook: Path) -> list[tuple]:
    """The unit rows of a form 01 workbook as typed (from row 9 to the totals row), each once:
    the planted duplicate row is dropped."""
    sheet = openpyxl.load_workbook(workbook, read_only=True).active
    rows, seen = [], set()
    for row in sheet.iter_rows(min_row=9, values_only=True):
        if row[1] == "Tổng cộng":
            break
        if row not in seen:
            seen.add(row)
            rows.append(row)
    return rows
