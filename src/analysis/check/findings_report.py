"""Findings as people read them: a terminal table, a one-line summary, a workbook per unit."""

from __future__ import annotations

import os
import shutil
import sys
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


def text_table(findings: pd.DataFrame, width: int | None = None, *, stream=None) -> str:
    """Findings for a terminal, one finding per line when the output is not one (a log, a file,
    a pipe: `grep "Hùng Vương"` finds every line); on a terminal, messages wrap to its width.
    Cell text quoted in a message has its control characters visible."""
    stream = sys.stdout if stream is None else stream
    if width is None:
        width = shutil.get_terminal_size().columns if _is_terminal(stream) else 0
    lines = []
    for record in findings.itertuples(index=False):
        head = f"{SEVERITY_TEXT[record.severity]:<9} {visible(record.code):<15} "
        message = " ".join(visible(record.message).split())
        if not width:
            lines.append(head + message)
            continue
        body = textwrap.wrap(message, width=max(40, width - len(head))) or [""]
        lines.append(head + body[0])
        lines.extend(" " * len(head) + line for line in body[1:])
    return "\n".join(lines)


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _as_text(cell, value) -> None:
    """Write form text as text: never a formula, whatever it starts with; control characters that
    a workbook cannot hold (openpyxl refuses them) written out as "\x1b"."""
    cell.value = "" if value is None or (isinstance(value, float) and pd.isna(value)) else xml_safe(value)
    cell.data_type = "s"


GENERAL = "kiem-tra-chung.xlsx"
HEADERS = ["Mức độ", "Mã", "Tệp", "Trang tính", "Ô", "Dòng", "Năm", "Nội dung"]


def write_by_unit(findings: pd.DataFrame, out_dir: Path) -> list[Path]:
    """One workbook per ward or commune with its findings, to send back for correction (an unknown
    name goes to the closest unit's, a file per unit's findings to its unit's), and one for the
    findings about no unit (a file that cannot be read, a year missing): nothing is left out."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for (code, name), group in findings[findings["unit_code"] != ""].groupby(["unit_code", "unit_name"]):
        written.append(_workbook(out_dir / f"kiem-tra-{ascii_slug(name)}.xlsx",
                                 f"Kết quả kiểm tra số liệu: {name} (mã {code})", group))
    general = findings[findings["unit_code"] == ""]
    if len(general):
        written.append(_workbook(out_dir / GENERAL, "Kết quả kiểm tra số liệu: các tệp, trang tính và năm (không gắn "
                                                    "với một xã, phường)", general))
    return written


def _workbook(target: Path, title: str, group: pd.DataFrame) -> Path:
    from openpyxl import Workbook  # noqa: PLC0415 (here: `report` prints this module's tables and writes no workbook)
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kết quả kiểm tra"
    _as_text(sheet.cell(1, 1), title)
    sheet.cell(1, 1).font = Font(bold=True, size=13)
    for c, header in enumerate(HEADERS, start=1):
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
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".xlsx")
    os.close(handle)
    workbook.save(temporary)
    os.replace(temporary, target)
    return target
