"""The analyst's companion file beside each report: HTML always, Excel when xlsx is asked.

Same escaping and the same block renderers as the report's HTML; a plain page of its own
(no Party header, no signature): it is check material, not a document to sign.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from analysis.report.document import Companion, Report, Table
from analysis.render.html import block_html, e, page_end, page_start


def render_companion(companion: Companion) -> str:
    parts = [f"<h1 class=\"companion-title\">{e(companion.title)}</h1>\n"]
    for part in companion.sections:
        parts.append(f"<section class=\"companion\">\n<h2>{e(part.number)}. {e(part.title)}</h2>\n"
                     + "".join(block_html(b) for b in part.blocks) + "</section>\n")
    return page_start(companion.title) + "".join(parts) + page_end()


def write_companion_html(report: Report, path: Path, artifacts: Mapping[str, Path] | None = None) -> None:
    Path(path).write_text(render_companion(report.companion), encoding="utf-8")


def write_companion_xlsx(report: Report, path: Path, artifacts: Mapping[str, Path] | None = None) -> None:
    """One sheet per table of the companion; values raw (numbers stay numbers)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from analysis.formatting import is_missing

    companion = report.companion
    workbook = Workbook()
    workbook.remove(workbook.active)
    tables: list[Table] = companion.tables()
    for table in tables:
        sheet = workbook.create_sheet(title=f"Bảng {table.number}"[:31])
        sheet.append([table.caption])
        sheet["A1"].font = Font(bold=True)
        sheet.append([c.label for c in table.columns])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([None if (not isinstance(v, str) and is_missing(v)) else v for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text from a form, never a formula
        if table.note:
            sheet.append([])
            sheet.append([table.note])
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in list(column)[1:]) if sheet.max_row > 1 else 10
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 80)
    if not tables:
        workbook.create_sheet(title="Kiểm tra").append([companion.title])
    workbook.properties.title = companion.title
    workbook.save(str(path))
