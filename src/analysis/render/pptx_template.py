"""The conference deck's template, src/analysis/templates/hoi-nghi.pptx, and the script that makes it.

Run `python -m analysis.render.pptx_template` to make the file again (tests/render/test_pptx.py
fails when the committed file and this script disagree). It starts from python-pptx's own default
template and changes what an office's deck needs:

* 16:9 (13,33 × 7,5 in), the size of today's projectors and screens;
* Times New Roman in the theme (headings and body, every script) and in the notes: a font every
  office PC in Vietnam has, with every Vietnamese letter; proofing language vi-VN;
* high contrast: black text on white, titles in dark red, a dark-red rule under the title;
* three layouts, named in Vietnamese: "Trang tiêu đề" (the title slide), "Tiêu đề" (a title and
  what the writer places under it), "Trống"; the master's placeholders and the footer (issuer,
  slide number) at the positions below, which analysis.render.pptx lays its slides out by.

Why a file and a script: the file is what an office or a designer opens in PowerPoint to see the
masters; the script says why each choice was made and makes the file again when python-pptx
changes. Nothing in the file is typed by hand.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.shapes import PP_PLACEHOLDER as PH
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Length, Pt

from analysis import config
from analysis.render.ooxml import without_application

TEMPLATE = config.TEMPLATES_DIR / "hoi-nghi.pptx"
FONT = "Times New Roman"
LANGUAGE = "vi-VN"

# Geometry, in points (the slide is 960 × 540 pt): (left, top, width, height).
SLIDE = (960.0, 540.0)
MARGIN = 36.0
TITLE_BOX = (MARGIN, 14.0, 888.0, 82.0)
TITLE_RULE_Y = 100.0
BODY_BOX = (MARGIN, 110.0, 888.0, 380.0)
FOOTER_RULE_Y = 497.0
FOOTER_BOX = (MARGIN, 503.0, 700.0, 28.0)
NUMBER_BOX = (804.0, 503.0, 120.0, 28.0)
COVER_TITLE_BOX = (60.0, 140.0, 840.0, 250.0)
COVER_DATE_BOX = (60.0, 400.0, 840.0, 44.0)
BAND = 12.0  # the title slide's dark-red bands, top and bottom
BOXES = {PH.CENTER_TITLE: COVER_TITLE_BOX, PH.TITLE: TITLE_BOX, PH.SUBTITLE: COVER_DATE_BOX, PH.BODY: BODY_BOX,
         PH.OBJECT: BODY_BOX, PH.FOOTER: FOOTER_BOX, PH.SLIDE_NUMBER: NUMBER_BOX}

# Colours: high contrast on a projector (text black on white; titles and rules dark red).
DARK_RED = "990000"
COLOURS = {"dk1": "000000", "lt1": "FFFFFF", "dk2": DARK_RED, "lt2": "F2F2F2", "accent1": "C00000",
           "accent2": "1F4E99", "accent3": "E8590C", "accent4": "4D4D4D", "accent5": "7F7F7F",
           "accent6": "BF9000", "hlink": "1F4E99", "folHlink": "7030A0"}
LAYOUTS = {"Title Slide": "Trang tiêu đề", "Title Only": "Tiêu đề", "Blank": "Trống"}
COVER, TITLED, BLANK = LAYOUTS.values()
TITLE_PT, BODY_PT, FOOTER_PT = 30, 24, 14
MADE = dt.datetime(2025, 1, 1)  # the template's own date (not the run's): the file is the same every time

def emu(points: float) -> Length:
    return Pt(points)


def _place(shape, box: tuple[float, float, float, float]) -> None:
    shape.left, shape.top, shape.width, shape.height = (emu(v) for v in box)


def _theme(part, name: str) -> None:
    """Times New Roman for headings and body in every script; the colours above. (python-pptx
    keeps the presentation's theme as bytes, parsed, changed and written back; the notes' as XML.)"""
    if hasattr(part, "_element"):
        _theme_fonts_and_colours(part._element, name)
        return
    theme = etree.fromstring(part.blob)
    _theme_fonts_and_colours(theme, name)
    part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)


def _theme_fonts_and_colours(theme: etree._Element, name: str) -> None:
    theme.set("name", name)
    for scheme in theme.iter(qn("a:fontScheme")):
        scheme.set("name", name)
        for kind in ("a:majorFont", "a:minorFont"):
            font = scheme.find(qn(kind))
            for script in ("a:latin", "a:ea", "a:cs"):
                font.find(qn(script)).set("typeface", FONT)
            for other in font.findall(qn("a:font")):  # per-script fallbacks (Japanese, Arabic…): ours everywhere
                font.remove(other)
    for scheme in theme.iter(qn("a:clrScheme")):
        scheme.set("name", name)
        for key, value in COLOURS.items():
            slot = scheme.find(qn(f"a:{key}"))
            for child in list(slot):
                slot.remove(child)
            etree.SubElement(slot, qn("a:srgbClr"), val=value)


def _vietnamese(element: etree._Element) -> None:
    """Proofing in Vietnamese for every default run style under `element`."""
    for tag in ("a:defRPr", "a:rPr", "a:endParaRPr"):
        for properties in element.iter(qn(tag)):
            properties.set("lang", LANGUAGE)
            properties.attrib.pop("altLang", None)


def _text_styles(master) -> None:
    styles = master._element.find(qn("p:txStyles"))
    title = styles.find(qn("p:titleStyle")).find(qn("a:lvl1pPr"))
    title.set("algn", "l")
    run = title.find(qn("a:defRPr"))
    run.set("sz", str(TITLE_PT * 100))
    run.set("b", "1")
    fill = run.find(qn("a:solidFill"))
    fill.find(qn("a:schemeClr")).set("val", "tx2")
    body = styles.find(qn("p:bodyStyle"))
    for level, size in zip(range(1, 10), (BODY_PT, 22, 20, 18, 18, 18, 18, 18, 18)):
        properties = body.find(qn(f"a:lvl{level}pPr"))
        if properties is not None:
            properties.find(qn("a:defRPr")).set("sz", str(size * 100))
    _vietnamese(styles)


def _rule(shapes, y: float, *, weight: float, colour: str, name: str) -> None:
    line = shapes.add_connector(MSO_CONNECTOR.STRAIGHT, emu(MARGIN), emu(y), emu(SLIDE[0] - MARGIN), emu(y))
    line.line.width = Pt(weight)
    line.line.color.rgb = RGBColor.from_string(colour)
    line.name = name
    style = line._element.find(qn("p:style"))  # the theme's line style brings a shadow: a rule is a plain line
    if style is not None:
        line._element.remove(style)


def _band(shapes, top: float, name: str) -> None:
    band = shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, emu(top), emu(SLIDE[0]), emu(BAND))
    band.fill.solid()
    band.fill.fore_color.rgb = RGBColor.from_string(DARK_RED)
    band.line.fill.background()
    band.shadow.inherit = False
    band.name = name


def _decorate(prs, container, draw) -> None:
    """Shapes drawn by `draw(shapes)` on a scratch slide, moved onto a master or a layout (python-pptx
    adds shapes to slides only), behind its placeholders."""
    scratch = prs.slides.add_slide(prs.slide_layouts[0])
    draw(scratch.shapes)
    tree = container.shapes._spTree
    used = max(int(e.get("id")) for e in tree.iter(qn("p:cNvPr")))
    first = next(i for i, child in enumerate(tree) if child.tag not in (qn("p:nvGrpSpPr"), qn("p:grpSpPr")))
    for offset, shape in enumerate([s for s in scratch.shapes if not s.is_placeholder]):
        element = copy.deepcopy(shape._element)
        element.find(".//" + qn("p:cNvPr")).set("id", str(used + 1 + offset))
        tree.insert(first + offset, element)
    slides = prs.slides._sldIdLst
    entry = slides[-1]
    prs.part.drop_rel(entry.rId)
    slides.remove(entry)


def _placeholders(container) -> None:
    """The master's and a layout's placeholders where the writer lays its slides out; no date."""
    for shape in list(container.placeholders):
        kind = shape.placeholder_format.type
        if kind == PH.DATE:  # the date is on the title slide
            shape.element.getparent().remove(shape.element)
            continue
        if kind in BOXES:
            _place(shape, BOXES[kind])
        if kind in (PH.FOOTER, PH.SLIDE_NUMBER):
            for properties in shape.element.iter(qn("a:defRPr")):
                properties.set("sz", str(FOOTER_PT * 100))
    _vietnamese(container.element)


def _keep_layouts(prs) -> None:
    """Only the three layouts the deck uses, renamed in Vietnamese; the others are dropped."""
    master = prs.slide_master
    id_list = master._element.find(qn("p:sldLayoutIdLst"))
    for entry in list(id_list):
        layout_part = master.part.related_part(entry.get(qn("r:id")))
        name = layout_part.slide_layout.name
        if name in LAYOUTS:
            layout_part.slide_layout._element.find(qn("p:cSld")).set("name", LAYOUTS[name])
        else:
            id_list.remove(entry)
            master.part.drop_rel(entry.get(qn("r:id")))


def _drop_extras(prs) -> None:
    """No thumbnail of python-pptx's own template, no printer settings."""
    package = prs.part.package
    for rel in list(package._rels.values()):
        if rel.reltype == RT.THUMBNAIL:
            package._rels.pop(rel.rId)
    for rel in list(prs.part.rels.values()):
        if rel.reltype == RT.PRINTER_SETTINGS:
            prs.part.rels.pop(rel.rId)


def build_template() -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = emu(SLIDE[0]), emu(SLIDE[1])
    _drop_extras(prs)
    master = prs.slide_master
    _theme(master.part.part_related_by(RT.THEME), "Báo cáo sơ kết")
    _text_styles(master)
    _keep_layouts(prs)
    _placeholders(master)
    def rules(shapes) -> None:
        _rule(shapes, TITLE_RULE_Y, weight=2.25, colour=DARK_RED, name="Đường dưới tiêu đề")
        _rule(shapes, FOOTER_RULE_Y, weight=0.75, colour="7F7F7F", name="Đường trên chân trang")

    def bands(shapes) -> None:
        _band(shapes, 0.0, "Dải trên")
        _band(shapes, SLIDE[1] - BAND, "Dải dưới")

    _decorate(prs, master, rules)
    for layout in prs.slide_layouts:
        _placeholders(layout)
        if layout.name == COVER:  # the title slide: bands instead of the master's rules
            layout._element.set("showMasterSp", "0")
            _decorate(prs, layout, bands)
            for shape in list(layout.placeholders):
                if shape.placeholder_format.type in (PH.FOOTER, PH.SLIDE_NUMBER):
                    shape.element.getparent().remove(shape.element)
    notes = prs.notes_master  # made now, so that its theme is ours too
    _theme(notes.part.part_related_by(RT.THEME), "Báo cáo sơ kết – ghi chú")
    for placeholder in list(notes.placeholders):  # no date field: the deck's only field is the slide number
        if placeholder.placeholder_format.type == PH.DATE:
            placeholder.element.getparent().remove(placeholder.element)
    _vietnamese(notes.element)
    _vietnamese(prs.part._element.find(qn("p:defaultTextStyle")))
    properties = prs.core_properties
    properties.title = "Mẫu trình chiếu hội nghị sơ kết, tổng kết"
    properties.author = properties.last_modified_by = ""
    properties.subject = properties.keywords = properties.comments = properties.category = ""
    properties.language = LANGUAGE
    properties.created = properties.modified = MADE
    properties.revision = 1
    buffer = io.BytesIO()
    prs.save(buffer)
    return _fixed_times(without_application(buffer.getvalue()))


def _fixed_times(package: bytes) -> bytes:
    """The same package with every member dated MADE (zip headers carry the time of writing)."""
    source = zipfile.ZipFile(io.BytesIO(package))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = copy.copy(info)
            fixed.date_time = MADE.timetuple()[:6]
            target.writestr(fixed, source.read(info), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def main(path: Path = TEMPLATE) -> None:
    Path(path).write_bytes(build_template())
    print(path)


if __name__ == "__main__":
    main()
