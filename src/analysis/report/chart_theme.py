"""The one chart theme and the chart object every chart function returns.

White background, greys and hatching that survive a black-and-white printer (`PRINT`; a slide
of the conference deck has its own `projector` style), the package's serif
font (full Vietnamese coverage), Vietnamese numbers on the axes, a unit and a source line on
every chart. A `Chart` shows itself in a notebook (a PNG, its alt text as the plain-text form);
`to_figure_block` renders it once as the PNG every format of the report embeds.

Global matplotlib state is left alone: figures are made with `matplotlib.figure.Figure`, not
pyplot (so no backend is chosen and nothing is shown twice), and the theme is applied only while
a chart is built or drawn, restoring just the theme's own keys (never `interactive`, which the
inline backend relies on to show the analyst's own plots).
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import io
import textwrap
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any, cast

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as MplFigure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.typing import RcKeyType
from PIL import Image

from analysis import config
from analysis.formatting import fmt_number
from analysis.report import document
from analysis.report.chart_key import chart_key, digest_of

FONT_FAMILY = "Liberation Serif"
INK = "#1a1a1a"
GREYS = ["#2b2b2b", "#7a7a7a", "#bdbdbd", "#ffffff"]
HATCHES = ["", "///", "...", "xx"]
WIDTH_IN = 6.3  # the text width of an A4 page with 30 + 15 mm margins, in inches
# The phone variant: drawn 3,6 in wide and shown about 340 CSS px wide, its smallest text (8 pt) is
# 8/72 × 340/3,6 ≈ 10,5 px on a 360 px screen; the print chart scaled to that width would give 6 px.
NARROW_WIDTH_IN = 3.6


@dataclass(frozen=True)
class ChartStyle:
    """How a chart is drawn for where it is shown. PRINT: the A4 report and its phone variant
    (greys and hatches that a black-and-white printer keeps). `projector(width, height)`: a slide
    of the conference deck, drawn at the size of its box on the slide, every text, line and marker
    `scale` times its print size, in a few saturated colours that a washed-out projector keeps apart
    (dark blue and orange, safe for the colour-blind), no hatching."""

    name: str = "print"
    scale: float = 1.0                              # text sizes, line widths and markers, times the print sizes
    size_in: tuple[float, float] | None = None      # the figure's size; None: the A4 text width (or the phone's)
    fills: tuple[str, ...] = tuple(GREYS)           # the statuses' fills (model_cohorts), in STATUSES order
    hatches: tuple[str, ...] = tuple(HATCHES)
    label_on: tuple[str, ...] = ("white", INK, INK, INK)   # a count printed on each fill
    label_box: tuple[bool, ...] = (False, True, False, False)  # a white box behind it (mid grey)
    years: tuple[tuple[str, str], ...] = ((GREYS[0], HATCHES[0]), (GREYS[2], HATCHES[2]))  # first, last year
    line: str = INK                                 # the data: a line, its dots
    stem: str = GREYS[2]                            # a dot plot's stems
    bar: str = GREYS[1]                             # a bar that is judged (the yearly falls)
    accent: str = INK                               # a target

    def pt(self, size: float) -> float:
        """A print size (points, line width) in this style."""
        return size * self.scale


PRINT = ChartStyle()
PROJECTOR_ROWS = 12  # a dot plot of more units than this is drawn in two columns on a slide
PROJECTOR_BLUE, PROJECTOR_ORANGE, PROJECTOR_GREY = "#1f4e99", "#e8590c", "#4d4d4d"


def projector(width_in: float, height_in: float) -> ChartStyle:
    """The style of a chart on a 16:9 slide, drawn `width_in` × `height_in` (its box on the slide):
    text twice its print size (the smallest, 8 pt in print, is 16 pt on a 13,3-inch slide)."""
    return ChartStyle(name="projector", scale=2.0, size_in=(width_in, height_in),
                      fills=(PROJECTOR_BLUE, PROJECTOR_ORANGE, PROJECTOR_GREY, "#ffffff"), hatches=("", "", "", ""),
                      label_on=("white", INK, "white", INK), label_box=(False, False, False, False),
                      years=((PROJECTOR_ORANGE, ""), (PROJECTOR_BLUE, "")), line=PROJECTOR_BLUE,
                      stem="#8c8c8c", bar=PROJECTOR_BLUE, accent=PROJECTOR_ORANGE)


def _register_fonts() -> None:
    """Use the package's Liberation Serif 2.x, never a system copy of the same family: Liberation
    Serif 1.07, which some systems carry, lacks most precomposed Vietnamese letters."""
    ours = sorted(str(path) for path in config.FONTS_DIR.glob("*.ttf"))
    for path in ours:
        font_manager.fontManager.addfont(path)
    font_manager.fontManager.ttflist = [
        entry for entry in font_manager.fontManager.ttflist if entry.name != FONT_FAMILY or entry.fname in ours
    ]
    cached = getattr(font_manager.FontManager, "_findfont_cached", None)
    if cached is not None and hasattr(cached, "cache_clear"):
        cached.cache_clear()


_register_fonts()
THEME: dict[RcKeyType, object] = {
    "font.family": FONT_FAMILY,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.facecolor": "white",
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "xtick.color": INK,
    "ytick.color": INK,
    "hatch.linewidth": 0.6,
    "axes.formatter.use_locale": False,
    "legend.fontsize": 9,
}
NOTEBOOK_DPI = 100  # a chart shown in a notebook: 630 px wide
# zlib level of a chart's PNG: 3 makes files the size level 6 (Pillow's default) makes of these flat
# greys, in two thirds of the time (measured on the report's charts: bench/RESULTS.md, 2026-12-06).
PNG_COMPRESSION = 3


# Sizes a scaled style (the projector's) also scales: matplotlib's defaults, times the style's scale.
SCALED_DEFAULTS: dict[RcKeyType, float] = {"axes.linewidth": 0.8, "xtick.major.width": 0.8, "ytick.major.width": 0.8,
                   "xtick.major.size": 3.5, "ytick.major.size": 3.5, "lines.linewidth": 1.5, "lines.markersize": 6.0,
                   "xtick.major.pad": 3.5, "ytick.major.pad": 3.5, "axes.labelpad": 4.0, "legend.handlelength": 2.0}


def _theme(style: ChartStyle) -> dict[RcKeyType, Any]:
    if style.scale == 1:
        return THEME
    sizes = {key: cast(float, value) * style.scale for key, value in THEME.items()
             if key.endswith("size") or key == "hatch.linewidth"}
    return {**THEME, **sizes, **{key: value * style.scale for key, value in SCALED_DEFAULTS.items()}}


@contextmanager
def themed(style: ChartStyle = PRINT) -> Iterator[None]:
    """The chart theme for the duration of a block (text and hatches read rcParams when they are
    made or drawn); afterwards only the theme's keys get their previous values back."""
    theme = _theme(style)
    saved = {key: matplotlib.rcParams[key] for key in theme}
    matplotlib.rcParams.update(theme)
    try:
        yield
    finally:
        matplotlib.rcParams.update(saved)


# Off by default. A process that rebuilds the same report again and again (the live preview)
# turns it on: a chart whose inputs did not change is then neither rebuilt nor redrawn.
_MEMO: OrderedDict[str, Chart] | None = None
MEMO_SIZE = 64


def remember_charts(on: bool = True) -> None:
    global _MEMO
    _MEMO = OrderedDict() if on else None


def _themed_chart(function):
    """A chart function drawn in its style's theme. A function with a `style` parameter gives its
    Chart `again`: the same chart, from the same data, to draw in another style (the deck's)."""
    restyles = "style" in inspect.signature(function).parameters

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        memo, key = _MEMO, chart_key(function, args, kwargs)
        if memo is not None and key is not None and key in memo:
            memo.move_to_end(key)
            return memo[key]
        style = kwargs.get("style", PRINT)
        with themed(style):
            chart = function(*args, **kwargs)
        chart.style = style
        chart.key = key
        if restyles:  # a module-level function and its data: the Figure that keeps it stays picklable
            chart.again = partial(wrapper, *args, **{k: v for k, v in kwargs.items() if k not in ("narrow", "style")})
        if memo is not None and key is not None:
            memo[key] = chart
            while len(memo) > MEMO_SIZE:
                memo.popitem(last=False)
        return chart
    return wrapper


@dataclass
class Chart:
    figure: MplFigure
    title: str
    alt: str
    unit: str
    source: str
    narrow: Callable[[], Chart] | None = None  # draws the same chart laid out for a phone screen
    style: ChartStyle = PRINT
    again: Callable[..., Chart] | None = None  # draws the same chart again: again(style=projector(w, h))
    key: str | None = field(default=None, repr=False, compare=False)  # what it is drawn from (chart_key)
    _print_png: dict = field(default_factory=dict, repr=False, compare=False)  # dpi -> PNG without the footer
    _png: dict = field(default_factory=dict, repr=False, compare=False)  # (dpi, footer shown) -> PNG

    def png(self, *, dpi: int = NOTEBOOK_DPI) -> bytes:
        """The chart drawn once per resolution and footer (a chart remembered across a batch shows
        many times), as an RGB PNG (no "Software" text). The same pixels as `savefig` at a third
        less work: savefig lays a constrained figure out twice. The figure is opaque (white), so an
        alpha channel would only make the file bigger and make WeasyPrint decode and split every
        image into a colour image and a mask."""
        footer = footer_of(self.figure)
        key = (dpi, footer is not None and footer.get_visible())
        if key in self._png:
            return self._png[key]
        with themed(self.style):
            canvas = FigureCanvasAgg(self.figure)
            previous = self.figure.dpi
            self.figure.set_dpi(dpi)
            try:
                canvas.draw()
                size = canvas.get_width_height(physical=True)
                image = Image.frombuffer("RGBA", size, canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
            finally:
                self.figure.set_dpi(previous)
        png = io.BytesIO()
        image.save(png, format="png", dpi=(dpi, dpi), compress_level=PNG_COMPRESSION)
        self._png[key] = png.getvalue()
        return self._png[key]

    def _repr_png_(self) -> bytes:
        return self.png()

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        """A PNG for the notebook, the title and alt text for anything that shows only text."""
        width, height = self.figure.get_size_inches()
        data = {"image/png": self.png(), "text/plain": f"{self.title}\n{self.alt}"}
        return data, {"image/png": {"width": int(width * 96), "height": int(height * 96)}}

    def __repr__(self) -> str:
        return f"<Chart “{self.title}”>"


def _new(height: float, ncols: int = 1, *, nrows: int = 1, narrow: bool = False,
         style: ChartStyle = PRINT) -> tuple[MplFigure, list]:
    """A figure outside pyplot: no backend, no figure manager, nothing shown behind the caller's back.
    `narrow`: laid out for a phone screen (3,6 in wide); a style with a size (the projector's) is that size."""
    size = style.size_in or (NARROW_WIDTH_IN if narrow else WIDTH_IN, height)
    figure = MplFigure(figsize=size, layout="constrained")
    axes = figure.subplots(nrows, ncols)
    return figure, list(np.atleast_1d(axes).ravel())


def _percent_axis(axis, decimals: int = 0) -> None:
    """Vietnamese tick labels; one decimal where a tick is not a whole number (98,5). Ticks fall on
    steps of 1, 2 or 5 (times a power of ten), so each label is its tick's exact value: never a
    tick at 98,25 printed "98,3" beside one at 98,5."""
    axis.set_major_locator(MaxNLocator(steps=[1, 2, 5, 10]))

    def label(value, _) -> str:
        for places in range(decimals, 4):
            if abs(round(value, places) - value) < 1e-9:
                return fmt_number(value, places)
        return fmt_number(value, 3)

    axis.set_major_formatter(FuncFormatter(label))


FOOTER = "footer"  # the gid of a chart's unit and source line


def _footer(figure: MplFigure, unit: str, source: str, style: ChartStyle = PRINT) -> None:
    text = textwrap.fill(f"{unit}. {source}", width=120)
    figure.supxlabel(text, fontsize=style.pt(8), color="#444444", x=0.0, ha="left", gid=FOOTER)


def footer_of(figure: MplFigure) -> Text | None:
    """The unit and source line drawn under a chart (the report prints it as text instead)."""
    return next((text for text in figure.texts if text.get_gid() == FOOTER), None)


def _bar_labels(axis, bars, texts, *, horizontal: bool = False, style: ChartStyle = PRINT) -> None:
    for bar, text in zip(bars, texts):
        if horizontal:
            axis.annotate(text, (bar.get_width(), bar.get_y() + bar.get_height() / 2), xytext=(style.pt(3), 0),
                          textcoords="offset points", va="center", fontsize=style.pt(8))
        else:
            axis.annotate(text, (bar.get_x() + bar.get_width() / 2, bar.get_height()), xytext=(0, style.pt(2)),
                          textcoords="offset points", ha="center", fontsize=style.pt(8))


def _number(cell) -> float:
    """One cell of a frame as a float: NaN when it is missing (or no single cell was found)."""
    if isinstance(cell, (int, float, np.number)) and not pd.isna(cell):
        return float(cell)
    return np.nan


def _in_sentence(label: str) -> str:
    """A label inside a sentence: "Tỉ lệ hộ ĐBDTTS ..." -> "tỉ lệ hộ ĐBDTTS ..." (acronyms keep their case)."""
    return label[:1].lower() + label[1:]


def _wrap(text: str, width: int = 18) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])


def _png(chart: Chart, dpi: int) -> tuple[bytes, int, int]:
    """The chart as a PNG without its unit and source line (the report prints them as text under
    the figure), and its size in CSS px. Kept on the chart, so a batch draws it once."""
    if dpi not in chart._print_png:
        footer = footer_of(chart.figure)
        if footer is not None:
            footer.set_visible(False)
        chart._print_png[dpi] = chart.png(dpi=dpi)
    width, height = chart.figure.get_size_inches()
    return chart._print_png[dpi], int(width * 96), int(height * 96)


def picture_png(chart: Chart, dpi: int) -> bytes:
    """The chart as a PNG at `dpi`, without its unit and source line (printed as text beside it)."""
    return _png(chart, dpi)[0]


# The charts of the figures built inside `drawing_deferred()`, by the figure's `drawn_from` (drawn by draw_figure).
_DEFERRED: dict[str, tuple[Chart, int]] | None = None


def to_figure_block(chart: Chart, number: int, *, dpi: int = 200) -> document.Figure:
    """Render once, as a PNG fit for print (200 dpi at the A4 text width), and, when the chart has
    one, its narrow variant for phones (200 dpi at 3,6 in: sharp on a 2–3× phone screen). The
    figures live outside pyplot: nothing to close. (PNGs rather than SVG: text drawn as SVG paths
    made the PDF take twice as long to lay out; see bench/RESULTS.md.)

    The figure is named by what it is drawn from (`drawn_from`: the chart's key, the resolution,
    whether it has a narrow variant). Inside `drawing_deferred()` a chart that has a key is not
    drawn: its figure comes without pictures, and `draw_figure` draws them when they are needed."""
    drawn_from = digest_of(["figure", chart.key, dpi, chart.narrow is not None]) if chart.key is not None else ""
    if _DEFERRED is not None and drawn_from:
        _DEFERRED[drawn_from] = (chart, dpi)
        return document.Figure(number=number, title=chart.title, alt=chart.alt, png=b"", unit=chart.unit,
                               source=chart.source, redraw=chart.again, drawn_from=drawn_from)
    png, width_px, height_px = _png(chart, dpi)
    narrow_png, narrow_width, narrow_height = _png(chart.narrow(), dpi) if chart.narrow else (b"", 0, 0)
    return document.Figure(number=number, title=chart.title, alt=chart.alt, png=png, unit=chart.unit,
                           source=chart.source, width_px=width_px, height_px=height_px, png_narrow=narrow_png,
                           narrow_width_px=narrow_width, narrow_height_px=narrow_height, redraw=chart.again,
                           drawn_from=drawn_from)


@contextmanager
def drawing_deferred() -> Iterator[dict[str, tuple[Chart, int]]]:
    """Figures built inside the block are not drawn (see to_figure_block): the block gets the charts
    to draw them later (draw_figure), by the figure's `drawn_from`. A report can thus be compared
    with the files in place before any chart is drawn (analysis.publish.cutoff), and its print
    pictures drawn (and its PDF started) before its phone pictures."""
    global _DEFERRED
    previous, _DEFERRED = _DEFERRED, {}
    try:
        yield _DEFERRED
    finally:
        _DEFERRED = previous


def draw_figure(figure: document.Figure, charts: dict[str, tuple[Chart, int]], *, narrow: bool) -> document.Figure:
    """`figure` with its print picture drawn (`narrow` False) or its phone picture (`narrow` True),
    from the chart it was built from (drawing_deferred); a figure drawn already is given back."""
    found = charts.get(figure.drawn_from)
    if found is None:
        return figure
    chart, dpi = found
    if not narrow:
        if figure.png:
            return figure
        png, width_px, height_px = _png(chart, dpi)
        return dataclasses.replace(figure, png=png, width_px=width_px, height_px=height_px)
    if figure.png_narrow or chart.narrow is None:
        return figure
    png, width_px, height_px = _png(chart.narrow(), dpi)
    return dataclasses.replace(figure, png_narrow=png, narrow_width_px=width_px, narrow_height_px=height_px)
