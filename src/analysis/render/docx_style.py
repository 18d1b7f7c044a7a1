"""The Word document's page and styles: A4 with the margins of Nghị định 30/2020/NĐ-CP, Times New
Roman (any metric-compatible serif with Vietnamese coverage stands in), the paragraph styles,
Vietnamese proofing (vi-VN), the page number at the top from page 2; table rows that never split,
header rows that repeat, and column widths fitted to their content so no word is broken.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt, RGBColor

from analysis.render.textwidth import text_width_pt

FONT = "Times New Roman"
LANGUAGE = "vi-VN"
NUMERIC = {"count", "rate", "points", "number"}

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
