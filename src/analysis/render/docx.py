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
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt, RGBColor

from analysis.formatting import fmt_place_date
from analysis.render.html import attached_to
from analysis.render.ooxml import without_application
from analysis.render.textwidth import text_width_pt
from analysis.report.document import BulletList, Figure, Heading, Paragraph, Report, Section, Table

FONT = "Times New Roman"
LANGUAGE = "vi-VN"
NUMERIC = {"count", "rate", "points", "number"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

PAGE = (Mm(210), Mm(297))
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
CELL_PADDING_PT = 2 * 5.4 + 2.0  # Word's default left and right cell margins (0,19 cm each) and a little air
TABLE_SIZES = (11, 10, 9, 8, 7.5)  # font sizes tried, largest first, until the columns fit
WIDE_SIZES = (9, 8.5, 8, 7.5)

# Paragraph styles, based on Normal: name -> (size, bold, italic, alignment, space before, space after in pt,
# keep with the next paragraph).
STYLES = {
    "Đầu văn bản": (13, False, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 0, False),
    "Tên loại văn bản": (16, True, False, WD_ALIGN_PARAGRAPH.CENTER, 18, 0, True),
    "Trích yếu": (14, True, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 0, True),
    "Nội dung": (14, False, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 0, 6, False),
    "Tên bảng, hình": (13, True, False, WD_ALIGN_PARAGRAPH.CENTER, 8, 2, True),
    "Đơn vị tính": (11, False, True, WD_ALIGN_PARAGRAPH.RIGHT, 0, 2, True),
    "Hình": (14, False, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 2, True),
    "Nguồn": (11, False, True, WD_ALIGN_PARAGRAPH.LEFT, 2, 8, False),
    "Ô bảng": (11, False, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 0, False),
    "Số phụ lục": (14, True, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 0, True),
    "Nơi nhận": (11, False, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 0, False),
    "Chữ ký": (14, True, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 0, False),
    "Ngắt phần": (1, False, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 0, False),
}


def clean(text) -> str:
    """Text as Word can hold it (XML forbids most control characters)."""
    return _CONTROL.sub("", str(text))


# --- text widths (to fit table columns) ---------------------------------------------------------------


def fit_columns(header: list[str], body: list[list[tuple[str, bool]]], kinds: Sequence[str], available_pt: float,
                size: float) -> list[float] | None:
    """Column widths (pt) within `available_pt` for a table of `header` labels (bold) and `body` rows of
    (text, bold), or None when they cannot fit at this font size without breaking a word.

    A header may wrap between words; a cell of the body keeps to one line (a unit name, a number) as
    long as the columns fit, else text columns wrap between words too. The room left goes to the
    columns whose text would still wrap, in proportion to what they lack."""
    def width(text: str, bold: bool) -> float:
        return text_width_pt(text, size, bold=bold) + CELL_PADDING_PT

    def longest_word(text: str, bold: bool) -> float:
        return max(width(word, bold) for word in (text.split() or [""]))

    head_word = [longest_word(text, True) for text in header]
    head_full = [width(text, True) for text in header]
    body_full = [max([width(row[c][0], row[c][1]) for row in body] or [0.0]) for c in range(len(header))]
    body_word = [max([longest_word(*row[c]) for row in body] or [0.0]) for c in range(len(header))]
    most = [max(a, b) for a, b in zip(head_full, body_full)]
    for wrap_text in (False, True):
        least = [max(h, bw if wrap_text and kind == "text" else bf)
                 for h, bf, bw, kind in zip(head_word, body_full, body_word, kinds)]
        if sum(least) > available_pt:
            continue
        if sum(most) <= available_pt:
            spare = available_pt - sum(most)
            return [m + spare * m / sum(most) for m in most]
        spare = available_pt - sum(least)
        slack = [m - n for m, n in zip(most, least)]
        return [n + spare * s / sum(slack) for n, s in zip(least, slack)]
    return None


# --- runs, paragraphs and styles -----------------------------------------------------------------------


def _lang(r_pr) -> None:
    """Vietnamese proofing on a run or a style."""
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    for attribute in ("w:val", "w:eastAsia"):
        lang.set(qn(attribute), LANGUAGE)


def _font(run, *, size: float | None = None, bold: bool | None = None, italic: bool | None = None,
          underline: bool | None = None) -> None:
    run.font.name = FONT
    r_pr = run._element.get_or_add_rPr()
    r_pr.get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    if underline is not None:
        run.underline = underline
    _lang(r_pr)


def _style_font(style, size: float, *, bold: bool = False, italic: bool = False) -> None:
    style.font.name, style.font.size, style.font.bold, style.font.italic = FONT, Pt(size), bold, italic
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would win over the named one
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    style.font.color.rgb = RGBColor(0, 0, 0)
    _lang(style.element.get_or_add_rPr())


def _page(section, *, landscape: bool) -> None:
    width, height = PAGE
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.header_distance = Mm(10)


def _text_width(section) -> Emu:
    return Emu(section.page_width - section.left_margin - section.right_margin)


def _setup(document) -> None:
    _page(document.sections[0], landscape=False)
    styles = document.styles
    # The defaults every style inherits: the font and Vietnamese proofing.
    defaults = styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _lang(r_pr)
    settings = document.settings.element
    for element in settings.iter(qn("w:themeFontLang")):
        element.set(qn("w:val"), LANGUAGE)
        element.attrib.pop(qn("w:eastAsia"), None)
    normal = styles["Normal"]
    _style_font(normal, 14)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    for name, size in (("Heading 1", 14), ("Heading 2", 14), ("Heading 3", 14), ("Title", 16)):
        style = styles[name]
        _style_font(style, size, bold=True, italic=name == "Heading 3")
        style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(10), Pt(4)
        style.paragraph_format.keep_with_next = True
    for name, (size, bold, italic, alignment, before, after, keep) in STYLES.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        _style_font(style, size, bold=bold, italic=italic)
        form = style.paragraph_format
        form.alignment, form.space_before, form.space_after = alignment, Pt(before), Pt(after)
        form.keep_with_next = keep
        form.widow_control = True
    styles["Nội dung"].paragraph_format.first_line_indent = Cm(1)
    # Page number centred at the top, none on page 1.
    section = document.sections[0]
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


def _row_properties(row, *, header: bool) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:cantSplit")  # a row never breaks across pages
    properties.append(element)
    if header:
        element = OxmlElement("w:tblHeader")  # repeated at the top of every page
        element.set(qn("w:val"), "true")
        properties.append(element)


def _set_widths(table, widths_pt: list[float]) -> None:
    table.autofit = False
    properties = table._tbl.tblPr
    width = properties.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        properties.append(width)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(round(sum(widths_pt) * 20)))
    for column, points in zip(table.columns, widths_pt):
        column.width = Pt(points)
    for row in table.rows:
        for cell, points in zip(row.cells, widths_pt):
            cell.width = Pt(points)


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
        _line(left, recipient, "Nơi nhận")
    on_behalf = _line(right, m.signer_on_behalf, "Chữ ký", first=True)
    on_behalf.paragraph_format.space_before = Pt(12)
    _line(right, m.signer_title, "Chữ ký")
    name = _line(right, m.signer_name, "Chữ ký")
    name.paragraph_format.space_before = Pt(64)  # room to sign and stamp


def _core_properties(document, report: Report) -> None:
    m, when = report.meta, report.generated_at
    properties = document.core_properties
    properties.title = clean(f"{m.doc_type} {m.title}")
    properties.subject = clean(m.unit_name)
    properties.author = properties.last_modified_by = clean(m.issuer)
    properties.comments = ""
    properties.keywords = ""
    properties.category = clean(m.doc_type)
    properties.language = LANGUAGE
    properties.created = properties.modified = when.astimezone(dt.UTC)  # local time if naive
    properties.revision = 1


def build_docx(report: Report) -> bytes:
    document = Document()
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
