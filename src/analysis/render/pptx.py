"""The conference deck (python-pptx): the report presented on a 16:9 projector, editable in PowerPoint.

The slides' content is analysis.report.slides (the report's own texts and printed figures); this
module lays it out on the project's template (analysis.render.pptx_template). No text is left to
PowerPoint's auto-fit: every text box is measured with the metrics of Times New Roman (Liberation
Serif 2.x, analysis.render.textwidth, as the Word and Excel writers measure), wrapped between words
as PowerPoint wraps (analysis.render.textfit), and given the largest size of its list that fits; a
list of sentences too long for one slide goes on as many as it needs ("(tiếp theo)"). How a text is
written into a box, a title, the footer and the notes: analysis.render.pptx_text.

Every text from the report is a plain run (clean(): no control character), in Times New Roman,
proofing vi-VN: never a link, a field or an object. The only field in the deck is the deck's own
slide number in the footer. The charts are drawn again for the projector (Figure.redraw with
charts.projector: large text, high contrast), at the size of their box.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR
from pptx.oxml.ns import qn
from pptx.util import Pt

from analysis.render.ooxml import clean, without_application
from analysis.render.pptx_template import (
    BODY_BOX,
    COVER,
    COVER_DATE_BOX,
    COVER_TITLE_BOX,
    DARK_RED,
    LANGUAGE,
    MARGIN,
    TEMPLATE,
    TITLED,
    emu,
)
from analysis.render.textfit import (
    BLACK,
    INSET_X,
    INSET_Y,
    LINE,
    SLACK,
    Box,
    Para,
    first_fit,
    fits,
    line_count,
    plain,
    text_height,
)
from analysis.render.pptx_text import _box, _fill, _footer, _notes, _place, _title
from analysis.render.textwidth import text_width_pt
from analysis.report.chart_theme import picture_png, projector
from analysis.report.document import Report, Run
from analysis.report.slides import (
    ChartSlide,
    Deck,
    FiguresSlide,
    Item,
    ListSlide,
    TargetSlide,
    TitleSlide,
    build_deck,
)

CHART_DPI = 150     # a 12,3-inch chart is then 1.850 px wide: sharp on a 1920 × 1080 projector
LIST_SIZES = (26, 24, 22, 20)
LIST_FLOOR = (18, 16, 14)   # sizes tried for a slide that holds one very long item only
SOURCE_SIZES = (14, 13, 12)
CONTINUED = " (tiếp theo)"


# --- the slides ----------------------------------------------------------------------------------------------


def _cover(prs, deck: Deck, slide_data: TitleSlide) -> None:
    slide = prs.slides.add_slide(_layout(prs, COVER))
    issuer_box: Box = (MARGIN, 24.0, 520.0, 64.0)
    _box(slide, issuer_box, first_fit(lambda size: [
        Para(((slide_data.issuer_parent, False, False),), size, align="ctr"),
        Para(((slide_data.issuer, True, False),), size + 2, align="ctr")], (20, 18, 16, 14), issuer_box),
        name="Cơ quan ban hành")
    if slide_data.draft:
        draft_box: Box = (744.0, 30.0, 180.0, 44.0)
        _box(slide, draft_box, [Para((("DỰ THẢO", True, False),), 24, align="ctr", colour="C00000")],
             name="Dự thảo", anchor=MSO_ANCHOR.MIDDLE, line="C00000")
    title = slide.shapes.title
    _place(title, COVER_TITLE_BOX)
    _fill(title.text_frame, first_fit(lambda size: [
        Para(((slide_data.conference, True, False),), size, align="ctr", colour=DARK_RED)],
        (32, 30, 28, 26, 24, 22, 20), COVER_TITLE_BOX), anchor=MSO_ANCHOR.MIDDLE)
    date = next(s for s in slide.placeholders if s.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE)
    _place(date, COVER_DATE_BOX)
    _fill(date.text_frame, first_fit(lambda size: [Para(((slide_data.place_date, False, True),), size, align="ctr")],
                                      (24, 22, 20, 18), COVER_DATE_BOX), anchor=MSO_ANCHOR.MIDDLE)
    _notes(slide, slide_data.notes)


def _content_slide(prs, deck: Deck, title: str):
    slide = prs.slides.add_slide(_layout(prs, TITLED))
    _title(slide, title)
    _footer(slide, deck, len(prs.slides))
    return slide


def _grid(count: int) -> tuple[int, int]:
    columns = count if count <= 3 else 2 if count == 4 else 3
    return columns, math.ceil(count / columns)


def _figure_paras(figure, value: float, label: float, detail: float) -> list[Para]:
    details = "; ".join(part for part in (figure.count, figure.note) if part)
    paras = [Para(((figure.value, True, False),), value, align="ctr", colour=DARK_RED),
             Para(((figure.label, True, False),), label, align="ctr", before=2)]
    if details:
        paras.append(Para(((details, False, False),), detail, align="ctr", before=4))
    return paras


def _figures(prs, deck: Deck, slide_data: FiguresSlide) -> None:
    slide = _content_slide(prs, deck, slide_data.title)
    left, top, width, height = BODY_BOX
    columns, rows = _grid(len(slide_data.figures))
    gap = 14.0
    card_w, card_h = (width - gap * (columns - 1)) / columns, (height - gap * (rows - 1)) / rows
    sizes = [(54, 22, 18), (48, 22, 18), (44, 20, 17), (40, 20, 16), (36, 18, 15), (32, 16, 14), (28, 14, 12)]
    chosen = next((s for s in sizes if all(fits(_figure_paras(f, *s), (0, 0, card_w, card_h))
                                           for f in slide_data.figures)), sizes[-1])
    # The tallest card's text is centred; the others start at the same height, so the figures line up.
    tallest = max(text_height(_figure_paras(f, *chosen), card_w) for f in slide_data.figures)
    pad = max(0.0, (card_h * SLACK - tallest) / 2)
    for i, figure in enumerate(slide_data.figures):
        row, column = divmod(i, columns)
        box = (left + column * (card_w + gap), top + row * (card_h + gap), card_w, card_h)
        paras = _figure_paras(figure, *chosen)
        paras[0] = replace(paras[0], before=round(pad, 1))
        _box(slide, box, paras, name=f"Số liệu {i + 1}", line="7F7F7F")
    _notes(slide, slide_data.notes)


def _chart(prs, deck: Deck, slide_data: ChartSlide) -> None:
    slide = _content_slide(prs, deck, slide_data.title)
    left, top, width, height = BODY_BOX
    source = first_fit(lambda size: [Para(((slide_data.source, False, True),), size)], SOURCE_SIZES,
                        (left, 0, width, height / 4))
    source_h = math.ceil(text_height(source, width) + 2)
    picture_box = (left, top, width, height - source_h - 4)
    figure = slide_data.figure
    if figure.redraw is not None:
        png = picture_png(figure.redraw(style=projector(picture_box[2] / 72, picture_box[3] / 72)), CHART_DPI)
        shown = picture_box
    else:  # a picture without its chart: the printed one, as large as fits, centred
        png = figure.png
        pixels_w, pixels_h = Image.open(io.BytesIO(png)).size
        scale = min(picture_box[2] / pixels_w, picture_box[3] / pixels_h)
        w, h = pixels_w * scale, pixels_h * scale
        shown = (left + (width - w) / 2, top + (picture_box[3] - h) / 2, w, h)
    picture = slide.shapes.add_picture(io.BytesIO(png), *(emu(v) for v in shown))
    picture.name = f"Hình {figure.number}"
    picture._element.find(".//" + qn("p:cNvPr")).set("descr", clean(figure.alt))
    _box(slide, (left, top + height - source_h, width, source_h), source, name="Nguồn")
    _notes(slide, slide_data.notes)


def _cell(cell, text: str, size: float, *, bold: bool = False, align: str = "ctr", fill: str | None = None,
          colour: str = BLACK) -> None:
    cell.margin_left = cell.margin_right = Pt(INSET_X)
    cell.margin_top = cell.margin_bottom = Pt(INSET_Y)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    _fill(cell.text_frame, [Para(((text, bold, False),), size, align=align, colour=colour)], anchor=MSO_ANCHOR.MIDDLE)
    if fill:
        cell.fill.solid()
        cell.fill.fore_color.rgb = RGBColor.from_string(fill)
    else:
        cell.fill.background()


def _target_grid(data: TargetSlide) -> list[list[tuple[str, bool, int]]]:
    """The table's cells as (text, bold, columns spanned), row by row; a spanned cell's followers are
    ("", False, 0)."""
    grid: list[list[tuple[str, bool, int]]] = []
    if len(data.units) > 1:
        grid.append([("Năm", True, 1)] + [c for unit in data.units for c in ((unit, True, 2), ("", False, 0))])
        grid.append([("", True, 1)] + [(label, True, 1) for _ in data.units
                                        for label in (data.rate_label, data.change_label)])
    else:
        grid.append([("Năm", True, 1), (data.rate_label, True, 1), (data.change_label, True, 1)])
    for row in data.rows:
        grid.append([(row[0], True, 1)] + [(cell, False, 1) for cell in row[1:]])
    if data.verdict_label:
        grid.append([(data.verdict_label, True, 1)] + [c for verdict in data.verdicts
                                                        for c in ((verdict, True, 2), ("", False, 0))])
    return grid


def _target_widths(grid, sizes: list[float], width: float) -> list[float]:
    """The first column as wide as its longest word (bold), the others share the rest."""
    columns = len(grid[0])
    first = max(text_width_pt(word, size, bold=True) for row, size in zip(grid, sizes)
                for word in (row[0][0].split() or [""])) + 2 * INSET_X + 8
    rest = (width - first) / (columns - 1)
    return [first] + [rest] * (columns - 1)


def _target_heights(grid, widths: list[float], sizes: list[float]) -> list[float]:
    heights = []
    for row, size in zip(grid, sizes):
        lines = 1
        for c, (text, bold, span) in enumerate(row):
            if span:
                room = (sum(widths[c:c + span]) - 2 * INSET_X) * SLACK
                lines = max(lines, line_count(((text, bold, False),), size, room))
        heights.append(lines * size * LINE + 2 * INSET_Y + 4)
    return heights


def _target(prs, deck: Deck, data: TargetSlide) -> None:
    slide = _content_slide(prs, deck, data.title)
    left, top, width, height = BODY_BOX
    grid = _target_grid(data)
    header_rows = 2 if len(data.units) > 1 else 1
    note_paras = [Para(((data.note, False, True),), 14)] if data.note else []
    note_h = text_height(note_paras, width) + 8 if note_paras else 0.0
    for body in (24, 22, 20, 18, 16, 14):
        sizes = [max(14.0, body - 4) if r < header_rows else body for r in range(len(grid))]
        widths = _target_widths(grid, sizes, width)
        heights = _target_heights(grid, widths, sizes)
        if sum(heights) + note_h <= height * SLACK:
            break
    shape = slide.shapes.add_table(len(grid), len(widths), emu(left), emu(top), emu(width), emu(sum(heights)))
    shape.name = "Bảng kết quả so với mục tiêu"
    table = shape.table
    table.first_row = True
    table.horz_banding = False
    for c, w in enumerate(widths):
        table.columns[c].width = emu(w)
    for r, h in enumerate(heights):
        table.rows[r].height = emu(h)
    for r, (row, size) in enumerate(zip(grid, sizes)):
        header = r < header_rows
        verdict = data.verdict_label and r == len(grid) - 1
        for c, (text, bold, span) in enumerate(row):
            cell = table.cell(r, c)
            if span == 0:
                continue
            if span > 1:
                cell.merge(table.cell(r, c + span - 1))
            _cell(cell, text, size, bold=bold, align="l" if c == 0 and not header else "ctr",
                  fill=DARK_RED if header else "F2F2F2" if verdict else None, colour="FFFFFF" if header else BLACK)
    if header_rows == 2:
        table.cell(0, 0).merge(table.cell(1, 0))
    if note_paras:
        _box(slide, (left, top + sum(heights) + 8, width, note_h - 8), note_paras, name="Ghi chú")
    _notes(slide, data.notes)


def _item_para(item: Item, size: float, first: bool) -> Para:
    runs = tuple((run.text, run.bold or item.kind == "heading", run.italic) for run in item.runs)
    return Para(runs, size, bullet=item.kind == "bullet", before=0 if first else round(size * 0.45, 1))


def _pages(items: Sequence[Item]) -> list[tuple[list[Item], float]]:
    """The items split into slides: all on one at the largest size that fits; otherwise as many
    slides as needed at LIST_SIZES[-1], a very long item alone on a slide at a smaller size."""
    def paras(chosen: Sequence[Item], size: float) -> list[Para]:
        return [_item_para(item, size, i == 0) for i, item in enumerate(chosen)]

    for size in LIST_SIZES:
        if fits(paras(items, size), BODY_BOX):
            return [(list(items), size)]
    size = LIST_SIZES[-1]
    pages: list[tuple[list[Item], float]] = []
    current: list[Item] = []
    for item in items:
        if current and not fits(paras([*current, item], size), BODY_BOX):
            pages.append((current, size))
            current = []
        current.append(item)
        if len(current) == 1 and not fits(paras(current, size), BODY_BOX):
            smaller = next((s for s in LIST_FLOOR if fits(paras(current, s), BODY_BOX)), None)
            if smaller is None:  # a paragraph longer than a slide even at the smallest size: split it
                pages += _split_long(item)
            else:
                pages.append((current, smaller))
            current = []
    if current:
        pages.append((current, size))
    return pages


def _split_long(item: Item) -> list[tuple[list[Item], float]]:
    """An item too long for a slide, cut between sentences into pieces that fit at LIST_FLOOR[-1]."""
    size = LIST_FLOOR[-1]
    text = item.text
    sentences = re.split(r"(?<=[.;:])\s+", text)
    pages, current = [], ""
    for sentence in sentences:
        trial = f"{current} {sentence}".strip()
        if current and not fits([Para(((trial, False, False),), size, bullet=True)], BODY_BOX):
            pages.append(current)
            trial = sentence
        current = trial
    pages.append(current)
    return [([Item((Run(piece),), item.kind)], size) for piece in pages]


def _list(prs, deck: Deck, data: ListSlide) -> None:
    pages = _pages(data.items)
    for number, (items, size) in enumerate(pages):
        slide = _content_slide(prs, deck, data.title + (CONTINUED if number else ""))
        paras = [_item_para(item, size, i == 0) for i, item in enumerate(items)]
        _box(slide, BODY_BOX, paras, name="Nội dung")
        last = number == len(pages) - 1
        _notes(slide, [item.text for item in items] + (list(data.more_notes) if last else []))


def _layout(prs, name: str):
    return next(layout for layout in prs.slide_layouts if layout.name == name)


def _properties(prs, report: Report, deck: Deck) -> None:
    m, when = report.meta, report.generated_at
    properties = prs.core_properties
    properties.title = plain(deck.title)
    properties.subject = plain(m.unit_name)
    properties.author = properties.last_modified_by = plain(m.issuer)
    properties.keywords = properties.comments = ""
    properties.category = plain(m.doc_type)
    properties.language = LANGUAGE
    properties.created = properties.modified = when.astimezone(dt.UTC).replace(tzinfo=None)
    properties.revision = 1


WRITERS: dict[type, Callable[[Any, Deck, Any], None]] = {
    TitleSlide: _cover, FiguresSlide: _figures, ChartSlide: _chart, TargetSlide: _target, ListSlide: _list}


def build_pptx(report: Report, *, template: Path = TEMPLATE) -> bytes:
    deck = build_deck(report)
    prs = Presentation(str(template))
    for slide_data in deck.slides:
        WRITERS[type(slide_data)](prs, deck, slide_data)
    _properties(prs, report, deck)
    buffer = io.BytesIO()
    prs.save(buffer)
    return without_application(buffer.getvalue())


def write_pptx(report: Report, path: Path, artifacts: Mapping[str, Path] | None = None) -> None:
    Path(path).write_bytes(build_pptx(report))
