"""Two versions of one report side by side: which printed figures and which sentences differ, by
how much, and which changed form cells each of them may come from, as a `Comparison`
(analysis.report.changes): the companion file, the email, the terminal and the `diff` page all
show the same one.

Figures (tables and key figures, analysis.report.figures) are matched on their label; a figure
differs when its printed text differs (a raw value that moved without changing the print does
not). The difference is the one a reader gets by subtracting the two printed values
(formatting.printed_difference), worded as the report words changes: "giảm 1,4 điểm phần
trăm" for rates and differences of rates, "tăng 10" for counts. Sentences are aligned in
order (difflib), so an inserted paragraph does not make every later one "changed".

The cells of a figure or sentence are the changed form cells it can come from: cells of a unit
it names (any unit when it names none, or names the whole area; for a unit's own report, no
name means that unit) and of a year it names (a sentence naming a year also depends on the
year before, as a yearly change does; no year means any year). A cell that feeds no figure (a
totals row, a percent typed by the unit) is listed with the others but given to none.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from analysis.formatting import fmt_change, printed_difference
from analysis.report.changes import NONE_TEXT, CellChange, Comparison, FigureChange, SentenceChange
from analysis.report.figures import PrintedFigure, Sentence


@dataclass(frozen=True)
class Version:
    """One side of a comparison: a name a reader understands and what it prints."""

    name: str                   # "Báo cáo số 127-BC/TU ngày 23/6/2023", "Dự thảo (số liệu hiện tại)"
    figures: tuple[PrintedFigure, ...]
    sentences: tuple[Sentence, ...]
    header: tuple[Sentence, ...] = ()


@dataclass(frozen=True)
class Scope:
    """How the report names its units, to tell which cells a figure can come from."""

    names: Mapping[str, str]            # unit code (on the report's map) -> its name as printed
    area_names: tuple[str, ...] = ()    # the whole area, as printed ("toàn thành phố", "Thành phố Kon Tum")
    own: str = ""                       # the report's unit code; "" for the area's report


# --- which cells ------------------------------------------------------------------------------------

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:\s*[–-]\s*((?:19|20)\d{2}))?(?!\d)")


def years_in(text: str) -> set[int]:
    """The years a text names; a span of years ("first–last") names every year in it."""
    years: set[int] = set()
    for start, end in _YEAR.findall(text):
        first, last = int(start), int(end or start)
        years.update(range(first, last + 1) if 0 <= last - first <= 50 else (first, last))
    return years


def _units_in(text: str, scope: Scope) -> set[str] | None:
    """The units a text names; None when it names the whole area (every unit)."""
    lowered = text.lower()
    if any(name.lower() in lowered for name in scope.area_names if name):
        return None
    return {code for code, name in scope.names.items() if name and name.lower() in lowered}


def cells_of(texts: Iterable[str], cells: Iterable[CellChange], scope: Scope, *,
             year_before: bool = False) -> tuple[CellChange, ...]:
    """The changed cells a figure or sentence described by `texts` can come from (see the module)."""
    texts = [t for t in texts if t]
    units: set[str] | None = set()
    for text in texts:
        named = _units_in(text, scope)
        units = None if named is None or units is None else units | named
    if units is not None and not units:
        units = {scope.own} if scope.own else None
    years: set[int] = set()
    for text in texts:
        years |= years_in(text)
    if year_before:
        years |= {year - 1 for year in years}
    return tuple(c for c in cells if c.feeds and (units is None or c.unit_code in units)
                 and (not years or c.year is None or c.year in years))


def scope_texts(figure: PrintedFigure) -> list[str]:
    """What says whose and which year a figure is: its row and column; its table's title only
    when they say nothing of it (Bảng 1 "… năm 2023" holds the year of every cell)."""
    if figure.origin != "table":
        return [figure.label]
    own = [figure.row, figure.column]
    if not any(years_in(t) for t in own):
        own.append(figure.table)
    return own


# --- figures and sentences --------------------------------------------------------------------------


def difference(then: PrintedFigure, now: PrintedFigure) -> str:
    """The change from `then` to `now` as the report words it; "" when it is not a number on both sides."""
    if not isinstance(then.value, float) or not isinstance(now.value, float) or "text" in (then.kind, now.kind):
        return ""
    decimals = max(then.decimals, now.decimals)
    change = printed_difference(now.value, then.value, decimals)
    if change is None:
        return ""
    unit = "điểm phần trăm" if now.kind in ("rate", "points") else ""
    return fmt_change(change, decimals, unit)


def _compared(figures: Iterable[PrintedFigure]) -> dict[str, PrintedFigure]:
    return {f.label: f for f in figures if f.origin != "sentence"}


def figure_changes(then: Iterable[PrintedFigure], now: Iterable[PrintedFigure], cells: tuple[CellChange, ...],
                   scope: Scope) -> tuple[FigureChange, ...]:
    before, after = _compared(then), _compared(now)
    out = []
    for label in [*after, *(k for k in before if k not in after)]:
        old, new = before.get(label), after.get(label)
        if old is not None and new is not None and old.text == new.text:
            continue
        shown = new or old
        assert shown is not None
        out.append(FigureChange(
            label=label, place=shown.place, then=old.text if old else NONE_TEXT, now=new.text if new else NONE_TEXT,
            difference=difference(old, new) if old and new else "",
            cells=cells_of(scope_texts(shown), cells, scope)))
    return tuple(out)


def sentence_changes(then: Iterable[Sentence], now: Iterable[Sentence], cells: tuple[CellChange, ...],
                     scope: Scope) -> tuple[SentenceChange, ...]:
    before, after = list(then), list(now)
    matcher = difflib.SequenceMatcher(a=[s.text for s in before], b=[s.text for s in after], autojunk=False)
    out = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = before[i1:i2], after[j1:j2]
        for k in range(max(len(olds), len(news))):
            old = olds[k] if k < len(olds) else None
            new = news[k] if k < len(news) else None
            texts = [s.text for s in (old, new) if s is not None]
            out.append(SentenceChange(place=(new or old).place,  # type: ignore[union-attr]
                                      then=old.text if old else "", now=new.text if new else "",
                                      cells=cells_of(texts, cells, scope, year_before=True)))
    return tuple(out)


def compare(then: Version, now: Version, *, cells: tuple[CellChange, ...] = (), scope: Scope | None = None,
            notes: tuple[str, ...] = ()) -> Comparison:
    """What differs from `then` to `now`; `cells`: the form cells that changed between the forms
    each was made from."""
    scope = scope or Scope(names={})
    return Comparison(
        then=then.name, now=now.name,
        figures=figure_changes(then.figures, now.figures, cells, scope),
        sentences=sentence_changes(then.sentences, now.sentences, cells, scope),
        header=tuple(SentenceChange(n.place, o.text, n.text) for o, n in zip(then.header, now.header)
                     if o.text != n.text),
        cells=cells, compared=len(_compared(now.figures)), notes=notes)


def changed_words(then: str, now: str) -> list[tuple[str, str]]:
    """The words that differ between two versions of a sentence, as (then, now) pairs:
    [("551", "561"), ("4,5%", "4,6%")]; one side is "" for words added or removed."""
    pairs, gone = [], ""
    for kind, text in word_diff(then, now):
        if kind == "gone":
            gone = text
        elif kind == "new":
            pairs.append((gone, text))
            gone = ""
        else:
            if gone:
                pairs.append((gone, ""))
            gone = ""
    if gone:
        pairs.append((gone, ""))
    return [(a.strip(" ,.;:"), b.strip(" ,.;:")) for a, b in pairs]


def word_diff(then: str, now: str) -> list[tuple[str, str]]:
    """The two texts as runs for display: ("same" | "gone" | "new", text), word by word."""
    old, new = then.split(" "), now.split(" ")
    runs: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            runs.append(("same", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("gone", " ".join(old[i1:i2])))
        if j2 > j1:
            runs.append(("new", " ".join(new[j1:j2])))
    return runs
