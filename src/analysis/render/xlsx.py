"""The appendices' tables (Phụ lục I–III) as an Excel workbook, one sheet per table.

Numbers stay numbers with number formats (thousands, one decimal for rates; a Vietnamese
Excel shows them as 12.291 and 98,8), so a reader can re-use them; a column the report
prints as text but that holds only numbers (years, published and recomputed figures) is
stored as numbers too. Headers are Vietnamese, the header row is frozen, the totals row is
kept. Each sheet prints as a clerk would set it up: A4 landscape, one page wide, the title
and header rows repeated, the page number in the footer; wrapped rows get their height;
the font is the report's (Times New Roman). Every text is written as text: a unit name that
starts with "=" never becomes a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.properties import PageSetupProperties

from analysis.formatting import round_half_up
from analysis.render.html import attached_to
from analysis.render.textwidth import text_width_pt
from analysis.render.ooxml import clean, without_application
from analysis.report.document import Report, Table

FONT_NAME, FONT_SIZE = "Times New Roman", 11
VI = "[$-42A]"  # Vietnamese: LibreOffice shows 12.291 and 98,8 whatever its own locale; Excel uses the system's
FORMATS = {"count": VI + "#,##0", "rate": VI + "0.0", "points": VI + "+0.0;-0.0;0.0", "number": VI + "#,##0.0"}
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_ROW = 3
LINE_PT = 15.0  # the height of one line of 11 pt Times New Roman in a row, with its leading
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_VN_NUMBER = re.compile(r"^([+\-−]?)(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(%?)$")


def _font(*, bold: bool = False, italic: bool = False, size: float = FONT_SIZE) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic)


def parse_vn_number(text: str) -> tuple[float | int, str] | None:
    """A number printed the Vietnamese way ("12.291", "98,8%", "−0,2", "2023") as (value, Excel number
    format), or None for anything else. A percentage becomes a fraction with a percent format."""
    match = _VN_NUMBER.match(str(text).strip())
    if not match:
        return None
    sign, whole, fraction, percent = match.groups()
    decimals = len(fraction or "")
    value: float | int = int(whole.replace(".", "")) if not decimals else float(f"{whole.replace('.', '')}.{fraction}")
    if sign in ("-", "−"):
        value = -value
    digits = "0." + "0" * decimals if decimals else "0"
    if percent:
        return round(value / 100, decimals + 2), VI + digits + "%"
    if sign == "+":
        return value, f"{VI}+{digits};-{digits};{digits}"
    if "." not in whole and len(whole) == 4 and not decimals:
        return value, "0"  # a year: no thousands separator
    return value, VI + "#,##0" + digits[1:]


def _text(cell, value) -> None:
    cell.value = clean(value)
    cell.data_type = "s"  # never a formula


def _value(cell, value, kind: str, decimals: int, numeric_text: bool) -> None:
    if kind == "text" or isinstance(value, str):
        parsed = parse_vn_number(value) if numeric_text and value is not None else None
        if parsed:
            cell.value, cell.number_format = parsed
            cell.alignment = Alignment(horizontal="right", vertical="top")
        else:
            _text(cell, "" if value is None else value)
    elif value is None:
        _text(cell, "–")
        cell.alignment = Alignment(horizontal="right", vertical="top")
    else:
        # the value as printed (rounded half up), never the unrounded rate behind it (98.93617…)
        cell.value = round_half_up(float(value), decimals) if kind != "count" else int(round(float(value)))
        cell.number_format = FORMATS[kind] if kind != "rate" or decimals == 1 else VI + "0." + "0" * decimals
        cell.alignment = Alignment(vertical="top")


def _numeric_text_columns(table: Table) -> list[bool]:
    """Text columns whose every body cell is a printed number (or "–"): stored as numbers."""
    result = []
    for c, column in enumerate(table.columns):
        cells = [str(row[c]).strip() for row in table.rows if row[c] is not None and str(row[c]).strip() not in ("", "–")]
        result.append(column.kind == "text" and bool(cells) and all(parse_vn_number(v) for v in cells))
    return result


def _sheet_name(appendix: str, number: int, used: set[str]) -> str:
    roman = appendix.replace("Phụ lục ", "PL ")
    name = _BAD_SHEET_CHARS.sub("-", f"{roman} - Bảng {number}")[:31]
    while name in used:
        name = name[:29] + f"-{len(used)}"
    used.add(name)
    return name


def _units(points: float) -> float:
    """Excel's column width unit (one digit of the default font, 7 px at 11 pt) for a width in points,
    with the cell's padding."""
    return (points + 6) / 5.25


def _room(width_units: float) -> float:
    """The points of text a column of `width_units` holds on one line (the inverse of `_units`)."""
    return max(1.0, width_units * 5.25 - 6)


def _column_widths(table: Table) -> list[float]:
    """Widths in Excel's units: a text column as wide as its longest cell (at most 60 units, then it
    wraps), a number column as wide as its widest number or the longest word of its header."""
    widths = []
    rows = list(table.text) + ([table.totals_text] if table.totals_text else [])
    for c, column in enumerate(table.columns):
        cells = max([text_width_pt(str(row[c]), FONT_SIZE, bold=True) for row in rows] or [0.0])
        words = max(text_width_pt(word, FONT_SIZE, bold=True) for word in (column.label.split() or [""]))
        label = text_width_pt(column.label, FONT_SIZE, bold=True)
        if column.kind == "text":
            widths.append(min(60.0, max(8.0, _units(cells), _units(words), min(_units(label), 24.0))))
        else:
            widths.append(min(18.0, max(8.0, _units(cells), _units(words), _units(label) / 3)))
    return widths


def _lines(text: str, width_units: float, *, bold: bool = False, size: float = FONT_SIZE) -> int:
    """How many lines `text` wraps to, between words, in a column `width_units` wide."""
    room = _room(width_units)
    lines = 0
    for paragraph in str(text).split("\n"):
        line, count = "", 1
        for word in paragraph.split():
            candidate = f"{line} {word}".strip()
            if line and text_width_pt(candidate, size, bold=bold) > room:
                count += 1 + int(text_width_pt(word, size, bold=bold) // room)
                line = word
            else:
                line = candidate
        lines += count
    return lines


def _merged_line(sheet, row: int, width: int, text: str, widths: list[float], *, bold=False, italic=False,
                 size: float = FONT_SIZE, align: str = "left") -> None:
    cell = sheet.cell(row, 1)
    _text(cell, text)
    cell.font = _font(bold=bold, italic=italic, size=size)
    cell.alignment = Alignment(horizontal=align, vertical="top", wrap_text=True)
    if width > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    lines = _lines(text, sum(widths), bold=bold, size=size)
    sheet.row_dimensions[row].height = lines * LINE_PT * size / FONT_SIZE + 2


def _page_setup(sheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as needed
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"1:{HEADER_ROW}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.6
    sheet.page_margins.top, sheet.page_margins.bottom = 0.7, 0.7
    sheet.oddFooter.center.text = "Trang &P/&N"
    sheet.oddFooter.center.font = f"{FONT_NAME},Regular"
    sheet.oddFooter.center.size = 10


def _write_table(sheet, table: Table, appendix_title: str) -> None:
    width = len(table.columns)
    widths = _column_widths(table)
    for c, value in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = value
    _merged_line(sheet, 1, width, f"{appendix_title}. {table.caption}", widths, bold=True, size=13)
    _merged_line(sheet, 2, width, table.unit, widths, italic=True, align="right")
    header_lines = 1
    for c, column in enumerate(table.columns, start=1):
        cell = sheet.cell(HEADER_ROW, c)
        _text(cell, column.label)
        cell.font = _font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEEEEE")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX
        header_lines = max(header_lines, _lines(column.label, widths[c - 1], bold=True))
    sheet.row_dimensions[HEADER_ROW].height = header_lines * LINE_PT + 2
    numeric_text = _numeric_text_columns(table)
    rows = list(table.rows) + ([table.totals] if table.totals is not None else [])
    for r, values in enumerate(rows, start=HEADER_ROW + 1):
        is_total = table.totals is not None and r == HEADER_ROW + len(rows)
        lines = 1
        for c, (value, column) in enumerate(zip(values, table.columns), start=1):
            cell = sheet.cell(r, c)
            _value(cell, value, column.kind, column.decimals, numeric_text[c - 1])
            cell.border = BOX
            cell.font = _font(bold=is_total)
            if cell.data_type == "s" and column.kind == "text":
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                lines = max(lines, _lines(cell.value, widths[c - 1], bold=is_total))
        if lines > 1:
            sheet.row_dimensions[r].height = lines * LINE_PT + 2
    after = HEADER_ROW + 1 + len(rows)
    _merged_line(sheet, after, width, table.source, widths, italic=True)
    if table.note:
        _merged_line(sheet, after + 1, width, table.note, widths, italic=True)
    sheet.freeze_panes = f"B{HEADER_ROW + 1}" if width > 4 else f"A{HEADER_ROW + 1}"
    _page_setup(sheet)


def build_xlsx(report: Report) -> bytes:
    workbook = Workbook()
    # The report's font for every cell, written or empty (the workbook's default font is Calibri).
    workbook._fonts = IndexedList([_font()])
    workbook._named_styles["Normal"].font = _font()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for appendix in report.appendices:
        for block in appendix.blocks:
            if isinstance(block, Table):
                sheet = workbook.create_sheet(_sheet_name(appendix.number, block.number, used))
                _write_table(sheet, block, f"{appendix.number} - {appendix.title} {attached_to(report)}")
    m = report.meta
    properties = workbook.properties
    properties.title = f"{m.doc_type} {m.title} - Phụ lục"
    properties.subject = m.unit_name
    properties.creator = properties.lastModifiedBy = m.issuer
    properties.language = "vi-VN"
    when = report.generated_at.astimezone(dt.UTC).replace(tzinfo=None)
    properties.created = properties.modified = when
    buffer = io.BytesIO()
    workbook.save(buffer)
    return without_application(buffer.getvalue())


def write_xlsx(report: Report, path: Path, artifacts: Mapping[str, Path] | None = None) -> None:
    Path(path).write_bytes(build_xlsx(report))
