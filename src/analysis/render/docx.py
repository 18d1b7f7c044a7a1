"""The report as an editable Word document (python-docx), from the same content as the HTML.

A4 with the margins of Nghị định 30/2020/NĐ-CP, Times New Roman 14 pt (the font offices
use; any metric-compatible serif with Vietnamese coverage stands in), justified body with a
first-line indent, the Party header block, tables with a repeated header row, the charts as
pictures, page numbers centred at the top from page 2. The file is regenerated on every run:
edit a copy.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from analysis.report.document import BulletList, Figure, Heading, Paragraph, Report, Run, Section, Table
from analysis.formatting import fmt_place_date

FONT = "Times New Roman"
NUMERIC = {"count", "rate", "points", "number"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean(text) -> str:
    """Text as Word can hold it (XML forbids most control characters)."""
    return _CONTROL.sub("", str(text))


def _font(run, *, size: float | None = None, bold: bool | None = None, italic: bool | None = None,
          underline: bool | None = None) -> None:
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    if underline is not None:
        run.underline = underline


def _setup(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.PORTRAIT
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Heading 1", 14), ("Heading 2", 14), ("Heading 3", 14), ("Title", 16)):
        style = document.styles[name]
        style.font.name, style.font.size, style.font.bold = FONT, Pt(size), True
        style.font.italic = name == "Heading 3"
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)  # a theme font would win over the named one
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), FONT)
        style.font.color.rgb = RGBColor(0, 0, 0)
    # Page number centred at the top, none on page 1.
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties = table._tbl.tblPr
    # OOXML wants tblBorders before these; Word reports a damaged file otherwise.
    later = [child for child in properties if child.tag in {qn(f"w:{t}") for t in ("shd", "tblLayout", "tblCellMar", "tblLook")}]
    if later:
        later[0].addprevious(borders)
    else:
        properties.append(borders)


def _line(cell_or_doc, text: str, *, size: float = 13, bold=False, italic=False, underline=False,
          align=WD_ALIGN_PARAGRAPH.CENTER, first: bool = False):
    paragraph = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    _font(paragraph.add_run(clean(text)), size=size, bold=bold, italic=italic, underline=underline)
    return paragraph


def _header(document, report: Report) -> None:
    m = report.meta
    if m.draft:
        _line(document, "DỰ THẢO", size=13, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    _line(left, m.issuer_parent, first=True)
    _line(left, m.issuer, bold=True)
    _line(left, "*")
    _line(left, m.number)
    _line(right, "ĐẢNG CỘNG SẢN VIỆT NAM", size=14, bold=True, underline=True, first=True)
    _line(right, "")
    _line(right, fmt_place_date(m.place, m.date), size=14, italic=True)
    document.add_paragraph()
    _line(document, m.doc_type, size=16, bold=True)
    _line(document, m.title, size=14, bold=True)
    _line(document, "-----")


def _paragraph(document, block: Paragraph, *, style: str | None = None) -> None:
    paragraph = document.add_paragraph(style=style)
    if block.style in ("note", "center"):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if block.style == "center" else WD_ALIGN_PARAGRAPH.LEFT
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if style is None:
            paragraph.paragraph_format.first_line_indent = Cm(1)
    for run in block.runs:
        _font(paragraph.add_run(clean(run.text)), bold=run.bold or None, italic=run.italic or (block.style == "note") or None,
              size=12 if block.style == "note" else None)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def _table(document, block: Table) -> None:
    _line(document, block.caption, size=13, bold=True)
    if block.unit:
        _line(document, block.unit, size=11, italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    rows = list(block.text) + ([block.totals_text] if block.totals_text else [])
    table = document.add_table(rows=1 + len(rows), cols=len(block.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = 9 if block.wide or len(block.columns) > 8 else 11
    for cell, column in zip(table.rows[0].cells, block.columns):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(clean(column.label)), size=size, bold=True)
    _repeat_header(table.rows[0])
    for r, values in enumerate(rows, start=1):
        total = block.totals_text is not None and r == len(rows)
        for cell, value, column in zip(table.rows[r].cells, values, block.columns):
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if column.kind in NUMERIC else WD_ALIGN_PARAGRAPH.LEFT
            _font(paragraph.add_run(clean(value)), size=size, bold=total or None)
    _line(document, block.source, size=11, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    if block.note:
        _line(document, block.note, size=11, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)


def _figure(document, block: Figure) -> None:
    _line(document, block.caption, size=13, bold=True)
    picture = document.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = picture.add_run()
    run.add_picture(io.BytesIO(block.png), width=Mm(160))
    # The alt text, for screen readers, on the picture itself.
    for properties in run._element.iter(qn("wp:docPr")):
        properties.set("descr", clean(block.alt))
    _line(document, f"{block.unit}. {block.source}.", size=11, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)


def _blocks(document, blocks) -> None:
    for block in blocks:
        if isinstance(block, Paragraph):
            _paragraph(document, block)
        elif isinstance(block, Heading):
            document.add_heading(clean(block.text), level=min(block.level, 3))
        elif isinstance(block, BulletList):
            for item in block.items:
                _paragraph(document, Paragraph((Run("- "), *item.runs)))
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, Figure):
            _figure(document, block)


def _section(document, part: Section, *, appendix: bool) -> None:
    if appendix:
        document.add_page_break()
        _line(document, part.number, size=14, bold=True)
        heading = document.add_heading(clean(part.title), level=1)
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:
        document.add_heading(clean(f"{part.number}. {part.title}"), level=1)
    _blocks(document, part.blocks)


def _signature(document, report: Report) -> None:
    m = report.meta
    document.add_paragraph()
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    _line(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    for recipient in m.recipients:
        _line(left, recipient, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(right, m.signer_on_behalf, size=14, bold=True, first=True)
    _line(right, m.signer_title, size=14, bold=True)
    for _ in range(3):
        _line(right, "")
    _line(right, m.signer_name, size=14, bold=True)


def build_docx(report: Report) -> bytes:
    document = Document()
    _setup(document)
    document.core_properties.title = clean(f"{report.meta.doc_type} {report.meta.title}")
    document.core_properties.language = "vi-VN"
    _header(document, report)
    for part in report.sections:
        _section(document, part, appendix=False)
    _signature(document, report)
    for part in report.appendices:
        _section(document, part, appendix=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_docx(report: Report, path: Path, artifacts: Mapping[str, Path] | None = None) -> None:
    Path(path).write_bytes(build_docx(report))
