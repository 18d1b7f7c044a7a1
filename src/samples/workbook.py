"""What every sample workbook shares: the office's styles, the title rows, and a save that gives
the same bytes on every run (fixed document properties and zip timestamps)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the zip format's first day: no clock in the bytes

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(name="Times New Roman", bold=True, size=12)
PLAIN = Font(name="Times New Roman", size=12)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def title_rows(ws, last_col: int, lines: list[str], agency: tuple[str, str]) -> None:
    """Rows 1-2 the agency, rows 4-5 the form's title and period, merged across the table."""
    ws["A1"], ws["A2"] = agency
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=5)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=5)
    for row, text in zip((4, 5), lines):
        ws.cell(row, 1, text).font = BOLD
        ws.cell(row, 1).alignment = CENTER
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
    ws["A1"].font = ws["A2"].font = BOLD


def save_deterministic(wb: Workbook, path: Path, *, creator: str, document_time: str) -> None:
    """Save with fixed document properties and zip timestamps: same bytes on every run."""
    wb.properties.creator = creator
    wb.properties.lastModifiedBy = wb.properties.creator
    buffer = io.BytesIO()
    wb.save(buffer)
    source = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + document_time.encode(), data)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, data)
    path.write_bytes(out.getvalue())
