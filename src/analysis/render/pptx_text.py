"""Text on a slide of the conference deck (analysis.render.pptx): runs, text frames filled as
measured (no auto-fit), text boxes, the slide's title, its footer (the issuer and PowerPoint's
slide-number field, the deck's only field) and its speaker notes.

Every text is a plain run (analysis.render.textfit.plain: no control character) in the template's
font, proofing vi-VN: never a link, a field or an object.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Pt

from analysis.render.pptx_template import DARK_RED, FONT, FOOTER_BOX, FOOTER_PT, LANGUAGE, NUMBER_BOX, TITLE_BOX, emu
from analysis.render.textfit import BLACK, INSET_X, INSET_Y, Box, Para, first_fit, plain
from analysis.report.slides import Deck

TITLE_SIZES = (30, 28, 26, 24, 22, 20)
NOTES_PT = 12
GREY = "595959"


def _run(paragraph, text: str, size: float, *, bold: bool = False, italic: bool = False,
         colour: str | None = BLACK) -> None:
    run = paragraph.add_run()
    run.text = plain(text)
    font = run.font
    font.name, font.size, font.bold, font.italic = FONT, Pt(size), bold, italic
    font.language_id = MSO_LANGUAGE_ID.VIETNAMESE
    if colour:
        font.color.rgb = RGBColor.from_string(colour)


def _fill(frame, paras: Sequence[Para], *, anchor=MSO_ANCHOR.TOP) -> None:
    """Write `paras` into a text frame: no auto-fit, wrapped, the default insets (as measured)."""
    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Pt(INSET_X)
    frame.margin_top = frame.margin_bottom = Pt(INSET_Y)
    for i, para in enumerate(paras):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = {"l": PP_ALIGN.LEFT, "ctr": PP_ALIGN.CENTER, "r": PP_ALIGN.RIGHT}[para.align]
        paragraph.space_before = Pt(para.before)
        paragraph.space_after = Pt(0)
        paragraph.line_spacing = 1.0
        properties = paragraph._p.get_or_add_pPr()
        if para.bullet:
            properties.set("marL", str(emu(para.indent)))
            properties.set("indent", str(-emu(para.indent)))
            font = etree.SubElement(properties, qn("a:buFont"))
            font.set("typeface", FONT)
            etree.SubElement(properties, qn("a:buChar")).set("char", "–")
        else:
            properties.set("marL", "0")
            properties.set("indent", "0")
            etree.SubElement(properties, qn("a:buNone"))
        for text, bold, italic in para.runs:
            _run(paragraph, text, para.size, bold=bold, italic=italic, colour=para.colour)
        end = paragraph._p.get_or_add_endParaRPr()
        end.set("lang", LANGUAGE)
        end.set("sz", str(int(para.size * 100)))


def _box(slide, box: Box, paras: Sequence[Para], *, name: str, anchor=MSO_ANCHOR.TOP, line: str | None = None):
    shape = slide.shapes.add_textbox(*(emu(v) for v in box))
    shape.name = name
    _fill(shape.text_frame, paras, anchor=anchor)
    if line:
        shape.line.color.rgb = RGBColor.from_string(line)
        shape.line.width = Pt(1.5)
    return shape


def _place(shape, box: Box) -> None:
    shape.left, shape.top, shape.width, shape.height = (emu(v) for v in box)


def _title(slide, text: str) -> None:
    shape = slide.shapes.title
    _place(shape, TITLE_BOX)
    paras = first_fit(lambda size: [Para(((text, True, False),), size, colour=DARK_RED)], TITLE_SIZES, TITLE_BOX)
    _fill(shape.text_frame, paras, anchor=MSO_ANCHOR.MIDDLE)


def _footer(slide, deck: Deck, number: int) -> None:
    """The issuer and the slide number, in the layout's footer placeholders (PowerPoint's Header and
    Footer dialog controls them); the number is PowerPoint's slide-number field."""
    for placeholder in slide.slide_layout.placeholders:
        kind = placeholder.placeholder_format.type
        if kind not in (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER):
            continue
        slide.shapes.clone_placeholder(placeholder)
        shape = next(s for s in slide.placeholders if s.placeholder_format.idx == placeholder.placeholder_format.idx)
        if kind == PP_PLACEHOLDER.FOOTER:
            _place(shape, FOOTER_BOX)
            _fill(shape.text_frame, [Para(((deck.issuer, False, False),), FOOTER_PT, colour=GREY)],
                  anchor=MSO_ANCHOR.MIDDLE)
        else:
            _place(shape, NUMBER_BOX)
            _fill(shape.text_frame, [Para((), FOOTER_PT, align="r", colour=GREY)], anchor=MSO_ANCHOR.MIDDLE)
            paragraph = shape.text_frame.paragraphs[0]._p
            field = etree.Element(qn("a:fld"), id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}", type="slidenum")
            properties = etree.SubElement(field, qn("a:rPr"), lang=LANGUAGE, sz=str(FOOTER_PT * 100))
            fill = etree.SubElement(properties, qn("a:solidFill"))
            etree.SubElement(fill, qn("a:srgbClr"), val=GREY)
            etree.SubElement(properties, qn("a:latin"), typeface=FONT)
            etree.SubElement(field, qn("a:t")).text = str(number)
            paragraph.find(qn("a:endParaRPr")).addprevious(field)


def _notes(slide, lines: Iterable[str]) -> None:
    frame = slide.notes_slide.notes_text_frame
    paras = [Para(((line, False, False),), NOTES_PT) for line in lines if line.strip()]
    _fill(frame, paras or [Para((), NOTES_PT)])
