"""The analyst's companion file beside each report: HTML always, Excel when xlsx is asked.

Same escaping and the same block renderers as the report's HTML; a plain page of its own
(no Party header, no signature): it is check material, not a document to sign.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from analysis import config
from analysis.formatting import is_missing
from analysis.report.document import Companion, Report, Table
from analysis.render.html import block_html, e, page_end, page_start

# The executed analysis notebooks `report` runs beside the report, each a section after the
# provenance block (the artifacts of write_companion_html, under these names).
NOTEBOOK_SECTIONS = (
    ("01_lam_sach_va_kiem_tra", "LÀM SẠCH VÀ KIỂM TRA SỐ LIỆU: LỖI, CẢNH BÁO VÀ PHÁT HIỆN"),
    ("02_xu_huong", "XU HƯỚNG VÀ XẾP HẠNG CÁC CHỈ TIÊU"),
    ("03_mo_hinh", "MÔ HÌNH KINH TẾ: DUY TRÌ VÀ NHÂN RỘNG"),
)
# The notebooks' sections only (the page's CSS is the report's): printed lines in the text font
# and wrapped, long names broken rather than widening the page, charts no wider than the screen.
NOTEBOOK_CSS = """<style>
section.notebook .nb-text-output { font-family: inherit; font-size: 1em; white-space: pre-wrap; overflow-wrap: anywhere;
  margin: 0.4em 0; }
section.notebook p, section.notebook li, section.notebook code { overflow-wrap: anywhere; }
section.notebook code { font-size: 0.9em; }
section.notebook .nb-output { margin: 0.6em 0 1em; }
section.notebook .nb-output caption { font-weight: bold; padding-bottom: 0.2em; }
section.notebook .nb-chart { margin: 0.8em 0 1.2em; text-align: center; }
section.notebook .nb-chart img { max-width: 100%; height: auto; }
section.notebook .nb-error { font-weight: bold; }
section.notebook .nb-output caption { text-align: left; }
@media screen and (max-width: 600px) {
  /* a chart keeps its drawn size and scrolls sideways, as the tables do: shrunk to the screen its text is 4 px */
  section.notebook .nb-chart { overflow-x: auto; -webkit-overflow-scrolling: touch; text-align: left; }
  section.notebook .nb-chart img { max-width: none; }
}
</style>
"""
_HEADING = re.compile(r"<(/?)h([1-4])\b")
_ANCHOR = re.compile(r"<a class=\"anchor-link\"[^>]*>.*?</a>", re.S)


@functools.cache
def _exporter():
    return HTMLExporter(template_name="phantich", extra_template_basedirs=[str(config.TEMPLATES_DIR)],
                        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)


_RENDERED: dict[str, str] = {}  # SHA-256 of an executed notebook -> its fragment (a batch's 01 is one file copied)


def notebook_html(executed: Path) -> str:
    """An executed notebook's text cells and outputs, without its code (nbconvert, exclude_input,
    templates/phantich); its headings moved under the section's own (h1 -> h3)."""
    data = Path(executed).read_bytes()
    key = hashlib.sha256(data).hexdigest()
    if key not in _RENDERED:
        body, _ = _exporter().from_notebook_node(nbformat.reads(data.decode("utf-8"), as_version=4))
        body = _ANCHOR.sub("", body)
        if len(_RENDERED) > 8:
            _RENDERED.clear()
        _RENDERED[key] = _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 2}", body)
    return _RENDERED[key]


def render_companion(companion: Companion, notebooks: Mapping[str, Path] | None = None) -> str:
    parts = [f"<h1 class=\"companion-title\">{e(companion.title)}</h1>\n"]
    for part in companion.sections:
        parts.append(f"<section class=\"companion\">\n<h2>{e(part.number)}. {e(part.title)}</h2>\n"
                     + "".join(block_html(b) for b in part.blocks) + "</section>\n")
    number = len(companion.sections)
    for name, title in NOTEBOOK_SECTIONS:
        if not notebooks or name not in notebooks:
            continue
        number += 1
        executed = Path(notebooks[name])
        parts.append(
            f"<section class=\"companion notebook\">\n<h2>{number}. {e(title)}</h2>\n"
            f"<p class=\"source\">Kết quả của sổ phân tích {e(executed.name)}, chạy cùng lần lập báo cáo này trên "
            "cùng số liệu đã kiểm tra; mở tệp đó trong JupyterLab để xem cả mã lệnh.</p>\n"
            + notebook_html(executed) + "</section>\n")
    style = NOTEBOOK_CSS if number > len(companion.sections) else ""
    return page_start(companion.title) + style + "".join(parts) + page_end()


def _companion(report: Report) -> Companion:
    if report.companion is None:
        raise ValueError("this report was built without its companion (build_report makes one)")
    return report.companion


def write_companion_html(report: Report, path: Path, artifacts: Mapping[str, Path] | None = None) -> None:
    """`artifacts` may hold the executed notebooks 01-03 (NOTEBOOK_SECTIONS' names): each becomes a section."""
    Path(path).write_text(render_companion(_companion(report), artifacts), encoding="utf-8")


def write_companion_xlsx(report: Report, path: Path, artifacts: Mapping[str, Path] | None = None) -> None:
    """One sheet per table of the companion; values raw (numbers stay numbers)."""
    from openpyxl import Workbook  # noqa: PLC0415 (lazy: only when the xlsx companion is asked)
    from openpyxl.styles import Font  # noqa: PLC0415

    companion = _companion(report)
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
