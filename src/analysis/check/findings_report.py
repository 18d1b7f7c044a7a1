"""Findings as people read them: a terminal table, a one-line summary, a workbook per unit."""

from __future__ import annotations

import os
import tempfile
import textwrap
from pathlib import Path

import pandas as pd

from analysis.reference import ascii_slug
from analysis.terminal import visible, xml_safe
from analysis.check.rules import SEVERITY_TEXT

COLUMNS = {"severity": "Mức độ", "code": "Mã", "message": "Nội dung"}


def summary_line(dataset) -> str:
    errors, warnings = len(dataset.errors), len(dataset.warnings)
    files = len(dataset.sources)
    verdict = "Có lỗi: chưa lập được báo cáo." if errors else "Không có lỗi: có thể lập báo cáo."
    return f"{errors} lỗi, {warnings} cảnh báo trong {files} tệp. {verdict}"


def text_table(findings: pd.DataFrame, width: int = 100) -> str:
    """Findings for a terminal: cell text quoted in a message has its control characters visible."""
    lines = []
    for record in findings.itertuples(index=False):
        head = f"{SEVERITY_TEXT[record.severity]:<9} {visible(record.code):<15} "
        body = textwrap.wrap(visible(record.message), width=max(40, width - len(head))) or [""]
        lines.append(head + body[0])
        lines.extend(" " * len(head) + line for line in body[1:])
    return "\n".join(lines)


def _as_text(cell, value) -> None:
    """Write form text as text: never a formula, whatever it starts with; control characters that
    a workbook cannot hold (openpyxl refuses them) written out as "\x1b"."""
    cell.value = "" if value is None or (isinstance(value, float) and pd.isna(value)) else xml_safe(value)
    cell.data_type = "s"


def write_by_unit(findings: pd.DataFrame, out_dir: Path) -> list[Path]:
    """One workbook per ward or commune with its findings, to send back for correction."""
    # lazy: `report` prints this module's tables and writes no workbook
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    headers = ["Mức độ", "Mã", "Tệp", "Trang tính", "Ô", "Dòng", "Năm", "Nội dung"]
    for (code, name), group in findings[findings["unit_code"] != ""].groupby(["unit_code", "unit_name"]):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Kết quả kiểm tra"
        _as_text(sheet.cell(1, 1), f"Kết quả kiểm tra số liệu: {name} (mã {code})")
        sheet.cell(1, 1).font = Font(bold=True, size=13)
        for c, header in enumerate(headers, start=1):
            sheet.cell(3, c, header).font = Font(bold=True)
        for r, record in enumerate(group.itertuples(index=False), start=4):
            values = [SEVERITY_TEXT[record.severity], record.code, record.file, record.sheet, record.cell,
                      None if pd.isna(record.row) else int(record.row), None if pd.isna(record.year) else int(record.year),
                      record.message]
            for c, value in enumerate(values, start=1):
                cell = sheet.cell(r, c)
                if isinstance(value, int):
                    cell.value = value
                else:
                    _as_text(cell, value)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for letter, width in zip("ABCDEFGH", (10, 15, 20, 14, 7, 7, 7, 90)):
            sheet.column_dimensions[letter].width = width
        sheet.freeze_panes = "A4"
        target = out_dir / f"kiem-tra-{ascii_slug(name)}.xlsx"
        handle, temporary = tempfile.mkstemp(dir=out_dir, suffix=".xlsx")
        os.close(handle)
        workbook.save(temporary)
        os.replace(temporary, target)
        written.append(target)
    return written
