"""The conference deck's content: which part of the report goes on which slide, as plain data.

Nothing is computed or worded here: every text on a slide, every figure and every sentence of
the speaker notes is the report's own (analysis.report.document), picked by the parts' keys
(Section.key, Table.key) and the assessment's sub-headings. analysis.render.pptx lays it out.

The slides, in the order of the conference:

* the title slide: the issuing bodies, the conference (the report's title), place and date,
  "DỰ THẢO" on a draft; notes: the report's opening paragraph;
* the key results in large figures (Report.key_figures); notes: part I (leadership);
* one slide per chart of part II, drawn again for a projector (Figure.redraw); notes: the
  sentences of part II that lead to the chart (and those after it in the same sub-part);
* results against the target (the poverty table's printed cells: the unit's row, and the
  area's for a ward's or commune's deck); notes: the table's caption and note;
* the assessment's strengths and limitations; then directions (tasks ahead) and proposals.
  A part the report does not have (a unit without its own narrative has no IV and V) has no
  slide, as the report has no such part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from analysis.formatting import fmt_place_date
from analysis.report.document import (
    BulletList,
    Figure,
    Heading,
    KeyFigure,
    Paragraph,
    Report,
    Run,
    Section,
)

ASSESSMENT_ON_SLIDES = ("Ưu điểm", "Hạn chế")   # the assessment's sub-parts shown; the others go in the notes
_NUMBERED = re.compile(r"^(?:\d+\.|[a-zđ]\))\s+(.*)$")


@dataclass(frozen=True)
class Item:
    """A paragraph on a slide: a bullet (a sentence or a list item of the report) or a sub-heading."""

    runs: tuple[Run, ...]
    kind: Literal["bullet", "heading"] = "bullet"

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class TitleSlide:
    issuer_parent: str
    issuer: str
    conference: str          # "HỘI NGHỊ SƠ KẾT 2 NĂM THỰC HIỆN CUỘC VẬN ĐỘNG …"
    place_date: str          # "Kon Tum, ngày 23 tháng 6 năm 2023"
    draft: bool
    notes: tuple[str, ...]


@dataclass(frozen=True)
class FiguresSlide:
    title: str
    figures: tuple[KeyFigure, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class ChartSlide:
    title: str               # the figure's caption, "Hình 1. …"
    figure: Figure
    source: str              # its unit and source line, as the report prints it under the figure
    notes: tuple[str, ...]


@dataclass(frozen=True)
class TargetSlide:
    """A printed table turned on its side for a slide: one row per year, for each unit shown its
    printed rate and change; the verdict in the last row."""

    title: str
    units: tuple[str, ...]                       # the units shown (their printed names)
    rate_label: str
    change_label: str
    rows: tuple[tuple[str, ...], ...]            # year label, then (rate, change) per unit
    verdict_label: str
    verdicts: tuple[str, ...]                    # one per unit
    note: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class ListSlide:
    """Sentences of one part as bullets. `more_notes`: the part's sentences not shown on the slide."""

    title: str
    items: tuple[Item, ...]
    more_notes: tuple[str, ...] = field(default=())


Slide = TitleSlide | FiguresSlide | ChartSlide | TargetSlide | ListSlide


@dataclass(frozen=True)
class Deck:
    issuer: str              # the footer of every slide but the title
    title: str               # the file's title property
    slides: tuple[Slide, ...]


# --- the report's text, as note lines and slide items ----------------------------------------------------


def note_lines(blocks) -> tuple[str, ...]:
    """The sentences of `blocks` as the notes show them: a paragraph or heading per line, list items
    after "- " (tables and figures are on the slides, not in the notes)."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, (Paragraph, Heading)):
            lines.append(block.text)
        elif isinstance(block, BulletList):
            lines += [f"- {item.text}" for item in block.items]
    return tuple(line for line in lines if line.strip())


def items_of(blocks) -> tuple[Item, ...]:
    items: list[Item] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            items.append(Item(block.runs))
        elif isinstance(block, Heading):
            items.append(Item((Run(block.text, bold=True),), "heading"))
        elif isinstance(block, BulletList):
            items += [Item(item.runs) for item in block.items]
    return tuple(item for item in items if item.text.strip())


def _part(report: Report, key: str) -> Section | None:
    return next((s for s in report.sections if s.key == key), None)


def _heading_name(heading: Heading) -> str:
    """"2. Hạn chế" -> "Hạn chế" (the report numbers its sub-headings)."""
    match = _NUMBERED.match(heading.text.strip())
    return match.group(1) if match else heading.text.strip()


def _subparts(section: Section) -> list[tuple[Heading | None, list]]:
    """A part split at its level-2 headings: (heading or None for the text before the first, blocks)."""
    parts: list[tuple[Heading | None, list]] = [(None, [])]
    for block in section.blocks:
        if isinstance(block, Heading) and block.level <= 2:
            parts.append((block, []))
        else:
            parts[-1][1].append(block)
    return [(heading, blocks) for heading, blocks in parts if heading is not None or blocks]


# --- the slides -------------------------------------------------------------------------------------------


def title_slide(report: Report) -> TitleSlide:
    m = report.meta
    return TitleSlide(issuer_parent=m.issuer_parent, issuer=m.issuer, conference=f"HỘI NGHỊ {m.title.upper()}",
                      place_date=fmt_place_date(m.place, m.date), draft=m.draft, notes=note_lines(report.opening))


def figures_slide(report: Report) -> FiguresSlide | None:
    if not report.key_figures:
        return None
    leadership = _part(report, "leadership")
    notes = note_lines(leadership.blocks) if leadership else ()
    # without part I, the figures themselves, as the email lists them
    return FiguresSlide("Kết quả chủ yếu", report.key_figures, notes or tuple(
        f"{k.label}: {k.value}" + (f" ({k.count})" if k.count else "") + (f"; {k.note}" if k.note else "")
        for k in report.key_figures))


def chart_slides(report: Report) -> list[ChartSlide]:
    """A slide per figure of part II. Its notes: the sentences since the previous figure, and those
    after it up to the next sub-part (a sub-part without a figure leads into the next figure)."""
    results = _part(report, "results")
    if results is None:
        return []
    found: list[tuple[Figure, list]] = []
    pending: list = []
    since_figure = False  # the current sub-part has a figure: its later sentences go with that figure
    for block in results.blocks:
        if isinstance(block, Figure):
            found.append((block, pending))
            pending, since_figure = [], True
        elif isinstance(block, Heading) and block.level <= 2:
            if since_figure and found:
                found[-1][1].extend(pending)
                pending = []
            since_figure = False
            pending.append(block)
        else:
            pending.append(block)
    if found:
        found[-1][1].extend(pending)
    return [ChartSlide(figure.caption, figure, f"{figure.unit}. {figure.source}.", note_lines(blocks))
            for figure, blocks in found]


def target_slide(report: Report) -> TargetSlide | None:
    """The poverty table (Table.key "poverty") on its side: its printed year columns ("rate") and
    changes ("points", one per year after the first), its last column the verdict. The area's
    deck shows the area's row (the totals); a unit's, the unit's row and the area's beside it."""
    table = next((t for t in report.tables() if t.key == "poverty"), None)
    if table is None:
        return None
    shown = [table.totals_text] if table.totals_text else list(table.text)
    kinds = [column.kind for column in table.columns]
    rates = [i for i, kind in enumerate(kinds) if kind == "rate"]
    changes = [i for i, kind in enumerate(kinds) if kind == "points"]
    rows = []
    for position, column in enumerate(rates):
        change = changes[position - 1] if 0 < position <= len(changes) else None
        cells: list[str] = [table.columns[column].label]
        for row in shown:
            cells += [row[column], row[change] if change is not None else ""]
        rows.append(tuple(cells))
    last = len(table.columns) - 1
    verdict_label = table.columns[last].label if kinds[last] == "text" and last not in rates else ""
    return TargetSlide(
        title="Kết quả so với mục tiêu giảm tỉ lệ hộ nghèo và cận nghèo",
        units=tuple(row[0] for row in shown), rate_label="Tỉ lệ (%)",
        change_label="So với năm trước (điểm phần trăm)", rows=tuple(rows), verdict_label=verdict_label,
        verdicts=tuple(row[last] for row in shown) if verdict_label else (), note=table.note,
        notes=(table.caption, table.unit, *(note_lines([Paragraph.of(table.note)]) if table.note else ())))


def assessment_slides(report: Report) -> list[ListSlide]:
    """The strengths and the limitations, each on its slide; the causes, lessons and any other
    sub-part the analyst wrote go in the notes of the last one."""
    section = _part(report, "assessment")
    if section is None:
        return []
    slides: list[ListSlide] = []
    rest: list = []
    for heading, blocks in _subparts(section):
        if heading is not None and _heading_name(heading) in ASSESSMENT_ON_SLIDES:
            slides.append(ListSlide(f"{section.number}. {section.title} – {heading.text}", items_of(blocks)))
        else:
            rest += ([heading] if heading is not None else []) + blocks
    if slides and rest:
        last = slides[-1]
        slides[-1] = ListSlide(last.title, last.items, note_lines(rest))
    elif rest:  # no strengths or limitations: the part as it is
        slides.append(ListSlide(f"{section.number}. {section.title}", items_of(rest)))
    return [slide for slide in slides if slide.items]


def part_slide(report: Report, key: str) -> ListSlide | None:
    section = _part(report, key)
    if section is None:
        return None
    slide = ListSlide(f"{section.number}. {section.title}", items_of(section.blocks))
    return slide if slide.items else None


def build_deck(report: Report) -> Deck:
    slides: list[Slide | None] = [title_slide(report), figures_slide(report), *chart_slides(report),
                                  target_slide(report), *assessment_slides(report),
                                  part_slide(report, "directions"), part_slide(report, "proposals")]
    m = report.meta
    return Deck(issuer=m.issuer, title=f"{m.doc_type} {m.title}", slides=tuple(s for s in slides if s is not None))
