"""The appendices' tables (Phụ lục I–III) as an Excel workbook, one sheet per table.

Numbers stay numbers with number formats (thousands, one decimal for rates), so a reader
can re-use them; headers are Vietnamese, the header row is frozen, the totals row is kept.
Every text is written as text: a unit name that starts with "=" never becomes a formula.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from analysis.report.document import Report, Table

FORMATS = {"count": "#,##0", "rate": "0.0", "points": "+0.0;-0.0;0.0", "number": "#,##0.0"}
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _text(cell, value) -> None:
    cell.value = _CONTROL.sub("", str(value))
    cell.data_type = "s"  # never a formula


def _value(cell, value, kind: str, decimals: int) -> None:
    if kind == "text" or isinstance(value, str):
        _text(cell, "" if value is None else value)
    elif value is None:
        _text(cell, "–")
        cell.alignment = Alignment(horizontal="right")
    else:
        cell.value = float(value) if kind != "count" else int(round(float(value)))
        cell.number_format = FORMATS[kind] if kind != "rate" or decimals == 1 else "0." + "0" * decimals


def _sheet_name(appendix: str, number: int, used: set[str]) -> str:
    roman = appendix.replace("Phụ lục ", "PL ")
    name = _BAD_SHEET_CHARS.sub("-", f"{roman} - Bảng {number}")[:31]
    while name in used:
        name = name[:29] + f"-{len(used)}"
    used.add(name)
    return name


def _write_table(sheet, table: Table, appendix_title: str) -> None:
    width = len(table.columns)
    _text(sheet.cell(1, 1), f"{appendix_title}. {table.caption}")
    sheet.cell(1, 1).font = Font(bold=True, size=13)
    _text(sheet.cell(2, 1), table.unit)
    sheet.cell(2, 1).font = Font(italic=True)
    for c, column in enumerate(table.columns, start=1):
        cell = sheet.cell(3, c)
        _text(cell, column.label)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEEEEE")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX
    rows = list(table.rows) + ([table.totals] if table.totals is not None else [])
    for r, values in enumerate(rows, start=4):
        is_total = table.totals is not None and r == 3 + len(rows)
        for c, (value, column) in enumerate(zip(values, table.columns), start=1):
            cell = sheet.cell(r, c)
            _value(cell, value, column.kind, column.decimals)
            cell.border = BOX
            if is_total:
                cell.font = Font(bold=True)
            if column.kind == "text":
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    after = 4 + len(rows)
    _text(sheet.cell(after, 1), table.source)
    sheet.cell(after, 1).font = Font(italic=True)
    if table.note:
        _text(sheet.cell(after + 1, 1), table.note)
        sheet.cell(after + 1, 1).font = Font(italic=True)
    sheet.freeze_panes = "B4" if width > 4 else "A4"
    for c, column in enumerate(table.columns, start=1):
        longest = max([len(str(v)) for v in [column.label, *(row[c - 1] for row in table.text)]] or [8])
        sheet.column_dimensions[get_column_letter(c)].width = min(60, max(9, longest * 0.9 + 2)) if column.kind == "text" \
            else min(16, max(9, len(column.label) * 0.55 + 2))
    sheet.row_dimensions[3].height = 45


def build_xlsx(report: Report) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for appendix in report.appendices:
        for block in appendix.blocks:
            if isinstance(block, Table):
                sheet = workbook.create_sheet(_sheet_name(appendix.number, block.number, used))
                _write_table(sheet, block, f"{appendix.number} - {appendix.title}")
    workbook.properties.title = f"{report.meta.doc_type} {report.meta.title} - Phụ lục"
    workbook.properties.language = "vi-VN"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_xlsx(report: Report, path: Path, artifacts: Mapping[str, Path] | None = None) -> None:
    Path(path).write_bytes(build_xlsx(report))
