"""The report as an editable Word document (python-docx), from the same content as the HTML.

What a clerk would make by hand: A4 portrait with the margins of Nghị định 30/2020/NĐ-CP,
Times New Roman 14 pt (any metric-compatible serif with Vietnamese coverage stands in),
justified body with a first-line indent, the Party header block, page numbers centred at the
top from page 2. The appendices with wide tables sit in landscape sections (same margins,
numbering carried on). Table columns are fitted to their content so no word is broken;
rows never split across pages, header rows repeat, captions stay with their table or
figure. Spacing comes from paragraph styles, never from empty paragraphs; the language is
Vietnamese (vi-VN) for proofing; the core properties name the issuing body. The file is
regenerated on every run: edit a copy.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt

from analysis.formatting import fmt_place_date
from analysis.render.docx_style import (
    LANGUAGE,
    NUMERIC,
    TABLE_SIZES,
    WIDE_SIZES,
    _font,
    _no_borders,
    _page,
    _row_properties,
    _set_widths,
    _setup,
    _text_width,
    fit_columns,
)
from analysis.render.html import attached_to
from analysis.render.ooxml import clean, without_application
from analysis.report.document import BulletList, Figure, Heading, Paragraph, Report, Section, Table


def _line(container, text: str, style: str, *, size: float | None = None, bold=None, italic=None, underline=None,
          first: bool = False):
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    paragraph.style = style
    _font(paragraph.add_run(clean(text)), size=size, bold=bold, italic=italic, underline=underline)
    return paragraph


def _header(document, report: Report) -> None:
    m = report.meta
    if m.draft:
        paragraph = _line(document, "DỰ THẢO", "Đầu văn bản", bold=True)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    _line(left, m.issuer_parent, "Đầu văn bản", size=14, first=True)
    _line(left, m.issuer, "Đầu văn bản", size=14, bold=True)
    _line(left, "*", "Đầu văn bản")
    _line(left, m.number, "Đầu văn bản", size=14)
    _line(right, "ĐẢNG CỘNG SẢN VIỆT NAM", "Đầu văn bản", size=15, bold=True, underline=True, first=True)
    date = _line(right, fmt_place_date(m.place, m.date), "Đầu văn bản", size=14, italic=True)
    date.paragraph_format.space_before = Pt(18)
    _line(document, m.doc_type, "Tên loại văn bản")
    _line(document, m.title, "Trích yếu")
    rule = _line(document, "-----", "Đầu văn bản")
    rule.paragraph_format.space_after = Pt(12)


def _paragraph(document, block: Paragraph, *, prefix: str = "") -> None:
    style = {"note": "Nguồn", "center": "Đầu văn bản"}.get(block.style, "Nội dung")
    paragraph = document.add_paragraph(style=style)
    if prefix:
        paragraph.paragraph_format.first_line_indent = Cm(0)
        paragraph.paragraph_format.left_indent = Cm(1.5)
        paragraph.paragraph_format.first_line_indent = Cm(-0.5)
        _font(paragraph.add_run(prefix))
    for run in block.runs:
        _font(paragraph.add_run(clean(run.text)), bold=run.bold or None, italic=run.italic or None)


def _table(document, block: Table, available_pt: float) -> None:
    _line(document, block.caption, "Tên bảng, hình")
    if block.unit:
        _line(document, block.unit, "Đơn vị tính")
    rows = list(block.text) + ([block.totals_text] if block.totals_text else [])
    total_row = len(rows) if block.totals_text else None
    cells = [[(clean(c.label), True) for c in block.columns]]
    cells += [[(clean(v), r == total_row) for v in values] for r, values in enumerate(rows, start=1)]
    kinds = [c.kind for c in block.columns]
    for size in (WIDE_SIZES if block.wide or len(block.columns) > 8 else TABLE_SIZES):
        widths = fit_columns([text for text, _ in cells[0]], cells[1:], kinds, available_pt, size)
        if widths:
            break
    else:  # even 7,5 pt does not fit every word: share the width evenly (words may wrap)
        widths = [available_pt / len(block.columns)] * len(block.columns)
    table = document.add_table(rows=1 + len(rows), cols=len(block.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, (row, values) in enumerate(zip(table.rows, cells)):
        _row_properties(row, header=r == 0)
        for cell, (text, bold), column in zip(row.cells, values, block.columns):
            paragraph = cell.paragraphs[0]
            paragraph.style = "Ô bảng"
            if r == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif column.kind in NUMERIC:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _font(paragraph.add_run(text), size=size, bold=bold or None)
    _set_widths(table, widths)
    _line(document, block.source, "Nguồn")
    if block.note:
        note = _line(document, block.note, "Nguồn")
        note.paragraph_format.space_before = Pt(0)


def _figure(document, block: Figure, available_pt: float) -> None:
    _line(document, block.caption, "Tên bảng, hình")
    picture = document.add_paragraph(style="Hình")
    run = picture.add_run()
    _font(run)
    run.add_picture(io.BytesIO(block.png), width=Emu(min(Mm(160), Pt(available_pt))))
    # The alt text, for screen readers, on the picture itself.
    for properties in run._element.iter(qn("wp:docPr")):
        properties.set("descr", clean(block.alt))
    _line(document, f"{block.unit}. {block.source}.", "Nguồn")


def _blocks(document, blocks) -> None:
    available = _text_width(document.sections[-1]).pt
    for block in blocks:
        if isinstance(block, Paragraph):
            _paragraph(document, block)
        elif isinstance(block, Heading):
            heading = document.add_heading(clean(block.text), level=min(block.level, 3))
            for run in heading.runs:
                _font(run)
        elif isinstance(block, BulletList):
            for item in block.items:
                _paragraph(document, item, prefix="- ")
        elif isinstance(block, Table):
            _table(document, block, available)
        elif isinstance(block, Figure):
            _figure(document, block, available)


def _appendix_section(document, *, landscape: bool):
    """A new section on a new page for an appendix; the page number carries on (same header,
    numbering continued) and shows on its first page too."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    # python-docx ends the previous section with an empty paragraph of its own; when a paragraph
    # precedes it, that paragraph carries the section break instead (no empty line, no blank page).
    mark = document.element.body[-2]
    previous = mark.getprevious()
    if previous is not None and previous.tag == qn("w:p") and previous.find(qn("w:pPr") + "/" + qn("w:sectPr")) is None:
        previous.get_or_add_pPr()._insert_sectPr(mark.pPr.sectPr)
        mark.getparent().remove(mark)
    else:  # after a table: the break's own paragraph stays, 1 pt high
        document.paragraphs[-1].style = "Ngắt phần"
    _page(section, landscape=landscape)
    section.different_first_page_header_footer = False
    section.header.is_linked_to_previous = True
    return section


def _section(document, part: Section, *, appendix: bool, attached: str = "") -> None:
    """A part of the report; an appendix on its own page(s) under its number, its title and the
    "(Kèm theo Báo cáo số …)" line `attached`."""
    if appendix:
        _appendix_section(document, landscape=any(isinstance(b, Table) and b.wide for b in part.blocks))
        _line(document, part.number, "Số phụ lục")
        heading = document.add_heading(clean(part.title), level=1)
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        heading.paragraph_format.space_before = Pt(0)
        for run in heading.runs:
            _font(run)
        if attached:
            line = _line(document, attached, "Đầu văn bản", italic=True)
            line.paragraph_format.keep_with_next = True
            line.paragraph_format.space_after = Pt(6)
    else:
        heading = document.add_heading(clean(f"{part.number}. {part.title}"), level=1)
        for run in heading.runs:
            _font(run)
    _blocks(document, part.blocks)


def _signature(document, report: Report) -> None:
    m = report.meta
    # The signature never stands alone on a page: the last lines of the text go with it.
    document.paragraphs[-1].paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _row_properties(table.rows[0], header=False)  # the signature never leaves its title on another page
    left, right = table.rows[0].cells
    label = _line(left, "Nơi nhận:", "Nơi nhận", size=12, bold=True, italic=True, first=True)
    label.paragraph_format.space_before = Pt(12)
    for recipient in m.recipients:
        line = _line(left, recipient, "Nơi nhận")
        line.paragraph_format.left_indent, line.paragraph_format.first_line_indent = Pt(9), Pt(-9)  # hanging
    on_behalf = _line(right, m.signer_on_behalf, "Chữ ký", first=True)
    on_behalf.paragraph_format.space_before = Pt(12)
    _line(right, m.signer_title, "Chữ ký")
    name = _line(right, m.signer_name, "Chữ ký")
    name.paragraph_format.space_before = Pt(64)  # room to sign and stamp


CORE_PROPERTY_CHARS = 255  # the Word file's core properties hold at most 255 characters (python-docx checks)


def _property(text: str) -> str:
    """A core property's text: cut to its limit with "…" (the full text stays in the document)."""
    text = clean(text)
    if len(text) <= CORE_PROPERTY_CHARS:
        return text
    cut = text[:CORE_PROPERTY_CHARS - 1]
    if " " in cut[-40:]:  # at a word's end when one is near
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip() + "…"


def _core_properties(document, report: Report) -> None:
    m, when = report.meta, report.generated_at
    properties = document.core_properties
    properties.title = _property(f"{m.doc_type} {m.title}")
    properties.subject = _property(m.unit_name)
    properties.author = properties.last_modified_by = _property(m.issuer)
    properties.comments = ""
    properties.keywords = ""
    properties.category = _property(m.doc_type)
    properties.language = LANGUAGE
    # created on the report's own date (the document's), modified when this file was made
    properties.created = dt.datetime.combine(m.date, dt.time()).replace(tzinfo=dt.UTC)
    properties.modified = when.astimezone(dt.UTC)  # local time if naive
    properties.revision = 1


def _without_template_leftovers(document) -> None:
    """python-docx's default template carries a blank thumbnail and a customXml part (bibliography
    sources): neither belongs to the report."""
    for rels, kind in ((document.part.package.rels, "/thumbnail"), (document.part.rels, "/customXml")):
        for rid, rel in list(rels.items()):
            if rel.reltype.endswith(kind):
                rels.pop(rid)


def build_docx(report: Report) -> bytes:
    document = Document()
    _without_template_leftovers(document)
    _setup(document)
    _core_properties(document, report)
    _header(document, report)
    _blocks(document, report.opening)
    for part in report.sections:
        _section(document, part, appendix=False)
    _signature(document, report)
    attached = attached_to(report)
    for part in report.appendices:
        _section(document, part, appendix=True, attached=attached)
    buffer = io.BytesIO()
    document.save(buffer)
    return without_application(buffer.getvalue())


def write_docx(report: Report, path: Path, artifacts: Mapping[str, Path] | None = None) -> None:
    Path(path).write_bytes(build_docx(report))
