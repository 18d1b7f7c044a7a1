"""The analyst's companion file beside each report: HTML always, Excel when xlsx is asked.

The same templates as the report's HTML (templates/html: companion.html.j2 and the blocks' macros);
a plain page of its own (no Party header, no signature): it is check material, not a document to sign.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from pathlib import Path

import nbformat
from markdown_it import MarkdownIt
from markupsafe import Markup

from analysis import config
from analysis.formatting import is_missing
from analysis.report.document import Companion, Report, Table
from analysis.render.html import css
from analysis.render.notebook_page import PageExporter
from analysis.render.templates import render

# The executed analysis notebooks `report` runs beside the report, each a section after the
# provenance block (the artifacts of write_companion_html, under these names).
NOTEBOOK_SECTIONS = (
    ("01_lam_sach_va_kiem_tra", "LÀM SẠCH VÀ KIỂM TRA SỐ LIỆU: LỖI, CẢNH BÁO VÀ PHÁT HIỆN"),
    ("02_xu_huong", "XU HƯỚNG VÀ XẾP HẠNG CÁC CHỈ TIÊU"),
    ("03_mo_hinh", "MÔ HÌNH KINH TẾ: DUY TRÌ VÀ NHÂN RỘNG"),
)
_MARKDOWN = MarkdownIt("commonmark", {"html": False})  # a notebook's Markdown cells (_notebook_markdown)


@functools.cache
def _exporter() -> PageExporter:
    exporter = PageExporter(template_name="phantich", extra_template_basedirs=[str(config.TEMPLATES_DIR)],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.register_filter("notebook_markdown", _notebook_markdown)
    return exporter


_RENDERED: dict[str, str] = {}  # SHA-256 of an executed notebook -> its fragment (a batch's 01 is one file copied)


def _notebook_markdown(source: str) -> str:
    """A notebook's Markdown cell as HTML, its headings moved under the companion section's own
    (# -> h3, ## -> h4 …): markdown-it's tokens, the tags rendered by the library."""
    tokens = _MARKDOWN.parse(source)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1:]) + 2, 6)}"
    return _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})


def notebook_html(executed: Path) -> str:
    """An executed notebook's text cells and outputs, without its code (nbconvert, exclude_input,
    templates/phantich; its Markdown through _notebook_markdown)."""
    data = Path(executed).read_bytes()
    key = hashlib.sha256(data).hexdigest()
    if key not in _RENDERED:
        body, _ = _exporter().from_notebook_node(nbformat.reads(data.decode("utf-8"), as_version=4))
        if len(_RENDERED) > 8:
            _RENDERED.clear()
        _RENDERED[key] = body
    return _RENDERED[key]


def render_companion(companion: Companion, notebooks: Mapping[str, Path] | None = None) -> str:
    """The companion's page (templates/html/companion.html.j2), a section per executed notebook given."""
    shown = [(name, title) for name, title in NOTEBOOK_SECTIONS if notebooks and name in notebooks]
    sections = [{"number": len(companion.sections) + i, "title": title, "file": Path(notebooks[name]).name,
                 "html": Markup(notebook_html(Path(notebooks[name])))}
                for i, (name, title) in enumerate(shown, start=1) if notebooks]
    return render("companion.html.j2", companion=companion, notebooks=sections, title=companion.title, css=css())


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
