"""Charts of the report, in one theme: white background, greys and hatching that survive a
black-and-white printer, the package's serif font (full Vietnamese coverage), Vietnamese
numbers on the axes, a unit and a source line on every chart, and alt text.

Chart functions take tidy frames and return a `Chart`; they never save files.
`to_figure_block` renders a Chart once, as a PNG that every format embeds. In a notebook a Chart
shows itself (`display(chart)`, or as a cell's last value) as a PNG with its alt text as the
plain-text form, wherever the cell runs: JupyterLab, nbconvert, papermill.

Global matplotlib state is left alone: figures are made with `matplotlib.figure.Figure`, not
pyplot (so no backend is chosen and nothing is shown twice), and the theme is applied only while
a chart is built or drawn, restoring just the theme's own keys (never `interactive`, which the
inline backend relies on to show the analyst's own plots).
"""

from __future__ import annotations

import functools
import hashlib
import io
import textwrap
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial

import matplotlib
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure as MplFigure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from analysis import config  # noqa: E402
from analysis.vocabulary import AREA_CODE, STATUSES, Area, area_on, status_label  # noqa: E402
from analysis.report import document  # noqa: E402
from analysis.formatting import fmt_change, fmt_int, fmt_number, fmt_percent  # noqa: E402

FONT_FAMILY = "Liberation Serif"
INK = "#1a1a1a"
GREYS = ["#2b2b2b", "#7a7a7a", "#bdbdbd", "#ffffff"]
HATCHES = ["", "///", "...", "xx"]
WIDTH_IN = 6.3  # the text width of an A4 page with 30 + 15 mm margins, in inches
# The phone variant: drawn 3,6 in wide and shown about 340 CSS px wide, its smallest text (8 pt) is
# 8/72 × 340/3,6 ≈ 10,5 px on a 360 px screen; the print chart scaled to that width would give 6 px.
NARROW_WIDTH_IN = 3.6


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
THEME = {
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


@contextmanager
def themed() -> Iterator[None]:
    """The chart theme for the duration of a block (text and hatches read rcParams when they are
    made or drawn); afterwards only the theme's keys get their previous values back."""
    saved = {key: matplotlib.rcParams[key] for key in THEME}
    matplotlib.rcParams.update(THEME)
    try:
        yield
    finally:
        matplotlib.rcParams.update(saved)


# Off by default. A process that rebuilds the same report again and again (the live preview)
# turns it on: a chart whose inputs did not change is then neither rebuilt nor redrawn.
_MEMO: OrderedDict[str, "Chart"] | None = None
MEMO_SIZE = 64


def remember_charts(on: bool = True) -> None:
    global _MEMO
    _MEMO = OrderedDict() if on else None


def _fingerprint(value) -> str:
    if isinstance(value, pd.DataFrame):
        digest = hashlib.sha256(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
        digest.update(repr((list(value.columns), [str(t) for t in value.dtypes])).encode())
        return digest.hexdigest()
    if isinstance(value, dict):
        return repr([(key, _fingerprint(item)) for key, item in value.items()])
    return repr(value)


def _themed_chart(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        key = None
        if _MEMO is not None:
            key = "|".join([function.__name__, *(_fingerprint(a) for a in args), _fingerprint(dict(sorted(kwargs.items())))])
            if key in _MEMO:
                _MEMO.move_to_end(key)
                return _MEMO[key]
        with themed():
            chart = function(*args, **kwargs)
        if key is not None:
            _MEMO[key] = chart
            while len(_MEMO) > MEMO_SIZE:
                _MEMO.popitem(last=False)
        return chart
    return wrapper


@dataclass
class Chart:
    figure: MplFigure
    title: str
    alt: str
    unit: str
    source: str
    narrow: Callable[[], "Chart"] | None = None  # draws the same chart laid out for a phone screen
    _print_png: dict = field(default_factory=dict, repr=False, compare=False)  # dpi -> PNG without the footer
    _png: dict = field(default_factory=dict, repr=False, compare=False)  # (dpi, footer shown) -> PNG

    def png(self, *, dpi: int = NOTEBOOK_DPI) -> bytes:
        """The chart drawn once per resolution and footer (a chart remembered across a batch shows
        many times), as an RGB PNG (no "Software" text). The same pixels as `savefig` at a third
        less work: savefig lays a constrained figure out twice. The figure is opaque (white), so an
        alpha channel would only make the file bigger and make WeasyPrint decode and split every
        image into a colour image and a mask."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from PIL import Image

        key = (dpi, self.figure._supxlabel is not None and self.figure._supxlabel.get_visible())
        if key in self._png:
            return self._png[key]
        with themed():
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
        image.save(png, format="png", dpi=(dpi, dpi))
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


def _new(height: float, ncols: int = 1, *, nrows: int = 1, narrow: bool = False) -> tuple[MplFigure, list]:
    """A figure outside pyplot: no backend, no figure manager, nothing shown behind the caller's back.
    `narrow`: laid out for a phone screen (3,6 in wide)."""
    figure = MplFigure(figsize=(NARROW_WIDTH_IN if narrow else WIDTH_IN, height), layout="constrained")
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


def _footer(figure: MplFigure, unit: str, source: str) -> None:
    text = textwrap.fill(f"{unit}. {source}", width=120)
    figure.supxlabel(text, fontsize=8, color="#444444", x=0.0, ha="left")


def _bar_labels(axis, bars, texts, *, horizontal: bool = False) -> None:
    for bar, text in zip(bars, texts):
        if horizontal:
            axis.annotate(text, (bar.get_width(), bar.get_y() + bar.get_height() / 2), xytext=(3, 0),
                          textcoords="offset points", va="center", fontsize=8)
        else:
            axis.annotate(text, (bar.get_x() + bar.get_width() / 2, bar.get_height()), xytext=(0, 2),
                          textcoords="offset points", ha="center", fontsize=8)


@_themed_chart
def rates_by_year(indicators: pd.DataFrame, labels: dict[str, str], *, years: tuple[int, int],
                  city_code: str = AREA_CODE, source: str, narrow: bool = False) -> Chart:
    """Grouped bars: each campaign rate of the city in the first year and the review year (horizontal
    bars in the narrow variant, so the labels keep their size)."""
    city = indicators[(indicators["unit_code"] == city_code) & indicators["indicator"].isin(labels)]
    figure, (axis,) = _new(0.62 * len(labels) + 1.0 if narrow else 3.3, narrow=narrow)
    positions = np.arange(len(labels))
    width = 0.38
    alt_parts = []
    for i, year in enumerate(years):
        values = [city.loc[(city["indicator"] == k) & (city["year"] == year), "value"].squeeze() for k in labels]
        # A missing value is a gap (no bar, "–"), never a bar at 0.
        values = [float(v) if np.isscalar(v) and not pd.isna(v) else np.nan for v in values]
        style = dict(label=f"Năm {year}", color=GREYS[i * 2], edgecolor=INK, hatch=HATCHES[i * 2], linewidth=0.6)
        if narrow:  # the first year on top of each pair
            bars = axis.barh(positions + (i - 0.5) * width, values, width, **style)
        else:
            bars = axis.bar(positions + (i - 0.5) * width, values, width, **style)
        _bar_labels(axis, bars, ["" if np.isnan(v) else fmt_number(v, 1) for v in values], horizontal=narrow)
        for bar, value in zip(bars, values):
            if np.isnan(value):
                where = (0, bar.get_y() + bar.get_height() / 2) if narrow else (bar.get_x() + bar.get_width() / 2, 0)
                axis.annotate("–", where, xytext=(2, 0) if narrow else (0, 2), textcoords="offset points",
                              ha="left" if narrow else "center", va="center" if narrow else "bottom", fontsize=8)
        alt_parts.append(f"năm {year}: " + "; ".join(f"{_in_sentence(label)} {fmt_percent(v)}" for label, v in zip(labels.values(), values)))
    if narrow:
        axis.set_yticks(positions, [_wrap(label, 14) for label in labels.values()], fontsize=9)
        axis.invert_yaxis()
        axis.set_xlim(0, 118)
        axis.set_xticks([0, 25, 50, 75, 100])
        axis.set_xlabel("Tỉ lệ (%)")
        _percent_axis(axis.xaxis)
    else:
        axis.set_xticks(positions, [_wrap(label) for label in labels.values()], fontsize=9)
        axis.set_ylim(0, 110)
        axis.set_ylabel("Tỉ lệ (%)")
        _percent_axis(axis.yaxis)
    axis.legend(frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2)
    unit, title = "Đơn vị tính: % số hộ ĐBDTTS", f"Tỉ lệ hộ ĐBDTTS theo các nội dung Cuộc vận động, năm {years[0]} và năm {years[1]}"
    _footer(figure, unit, source)
    alt = (f"Biểu đồ cột so sánh tỉ lệ hộ ĐBDTTS theo các nội dung Cuộc vận động giữa năm {years[0]} và năm "
           f"{years[1]}. " + "; ".join(alt_parts) + ".")
    again = None if narrow else partial(rates_by_year, indicators, labels, years=years, city_code=city_code,
                                        source=source, narrow=True)
    return Chart(figure, title, alt, unit, source, again)


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


@_themed_chart
def unit_rates(indicators: pd.DataFrame, *, indicator: str, label: str, year: int, unit_names: dict[str, str],
               city_code: str = AREA_CODE, target: float | None = None, source: str, narrow: bool = False,
               area: Area | None = None) -> Chart:
    """Horizontal bars of one rate per unit in one year, sorted, with the city rate as a
    reference line (and the target, when there is one). `area` names the whole and its units
    (default: area.yaml's base names)."""
    area = area or area_on()
    subset = indicators[(indicators["indicator"] == indicator) & (indicators["year"] == year)]
    city_value = subset.loc[subset["unit_code"] == city_code, "value"]
    city_value = float(city_value.iloc[0]) if len(city_value) and not pd.isna(city_value.iloc[0]) else None
    units = subset[subset["unit_code"] != city_code].dropna(subset=["value"]).sort_values("value")
    names = [unit_names.get(code, code) for code in units["unit_code"]]
    figure, (axis,) = _new(0.24 * len(units) + 1.3, narrow=narrow)
    # A dot plot, not bars: the axis need not start at zero, so close values stay readable.
    low = float(min(units["value"].min(), city_value if city_value is not None else 100, target or 100)) if len(units) else 0.0
    start = max(0.0, np.floor(low) - 1.0)
    positions = np.arange(len(units))
    axis.hlines(positions, start, units["value"], color=GREYS[2], linewidth=0.8)
    axis.plot(units["value"], positions, "o", color=INK, markersize=4.5)
    for y, value in zip(positions, units["value"]):
        axis.annotate(fmt_number(value, 1), (value, y), xytext=(5, 0), textcoords="offset points", va="center", fontsize=8,
                      bbox={"boxstyle": "square,pad=0.05", "fc": "white", "ec": "none"})  # legible across the city line
    axis.set_yticks(positions, names)
    if city_value is not None:
        axis.axvline(city_value, color=INK, linestyle="--", linewidth=1)
        axis.annotate(f"{area.whole[:1].upper()}{area.whole[1:]}: {fmt_percent(city_value)}", (city_value, len(units) - 0.4), xytext=(-4, 4),
                      textcoords="offset points", ha="right", fontsize=8)
    if target is not None:
        axis.axvline(target, color=INK, linestyle=":", linewidth=1.2)
        axis.annotate(f"Mục tiêu: {fmt_percent(target)}", (target, -0.6), xytext=(3, 0), textcoords="offset points", fontsize=8)
    high = float(units["value"].max()) if len(units) else 100.0
    axis.set_xlim(start, high + (high - start) * 0.12 + 0.3)
    axis.set_ylim(-0.8, len(units) - 0.2 + 0.8)
    axis.tick_params(axis="y", labelsize=8.5)
    _percent_axis(axis.xaxis)
    axis.set_xlabel("Tỉ lệ (%)")
    unit = "Đơn vị tính: % số hộ ĐBDTTS của đơn vị"
    title = f"{label} theo {area.units_word}, năm {year}"
    _footer(figure, unit, source)
    lowest, highest = (names[0], names[-1]) if names else ("", "")
    alt = (f"Biểu đồ thanh ngang: {_in_sentence(label)} của {len(units)} {area.units_word} năm {year}, xếp từ thấp đến cao; "
           f"thấp nhất {lowest} ({fmt_percent(units['value'].iloc[0]) if names else ''}), cao nhất {highest} "
           f"({fmt_percent(units['value'].iloc[-1]) if names else ''}); {area.whole} {fmt_percent(city_value)}.")
    again = None if narrow else partial(unit_rates, indicators, indicator=indicator, label=label, year=year,
                                        unit_names=unit_names, city_code=city_code, target=target, source=source,
                                        narrow=True, area=area)
    return Chart(figure, title, alt, unit, source, again)


@_themed_chart
def poverty_trend(indicators: pd.DataFrame, falls: pd.DataFrame, *, target: float,
                  city_code: str = AREA_CODE, source: str, narrow: bool = False, mid_years=()) -> Chart:
    """Left: the poor + near-poor rate by year, mid-year figures (`mid_years`) starred. Right: the
    yearly fall in points against the target; a change a mid-year figure enters is shown hatched
    and not judged. (The narrow variant puts the two panels one above the other.)"""
    rates = indicators[(indicators["indicator"] == "poor_near_poor_rate") & (indicators["unit_code"] == city_code)]
    rates = rates.sort_values("year")  # a missing year stays a gap in the line
    city_falls = falls[falls["unit_code"] == city_code].dropna(subset=["fall"]).sort_values("year")
    figure, (left, right) = _new(5.4, nrows=2, narrow=True) if narrow else _new(3.0, ncols=2)
    left.plot(rates["year"], rates["value"], color=INK, marker="o", linewidth=1.5)
    for year, value in zip(rates["year"], rates["value"]):
        if pd.isna(value):
            continue
        left.annotate(fmt_number(value, 1), (year, value), xytext=(0, 6), textcoords="offset points", ha="center", fontsize=8)
    left.set_xticks(rates["year"], [f"{y}*" if y in mid_years else str(y) for y in rates["year"]])
    top = rates["value"].max()
    left.set_ylim(0, float(top) * 1.25 if not pd.isna(top) and top > 0 else 1)
    left.set_ylabel("Tỉ lệ (%)")
    left.set_title("Tỉ lệ hộ nghèo và cận nghèo", fontsize=10)
    _percent_axis(left.yaxis)
    colors = [GREYS[1] if judged else GREYS[3] for judged in city_falls["judged"]]
    bars = right.bar(city_falls["year"].astype(str), city_falls["fall"], color=colors, edgecolor=INK, linewidth=0.6,
                     hatch=None)
    for bar, judged in zip(bars, city_falls["judged"]):
        if not judged:
            bar.set_hatch("///")
    _bar_labels(right, bars, [fmt_number(v, 1) for v in city_falls["fall"]])
    # The target is named in a legend above the bars, never over one of them.
    right.axhline(target, color=INK, linestyle="--", linewidth=1,
                  label=f"Mục tiêu: giảm trên {fmt_number(target, 0)} điểm/năm")
    right.legend(loc="upper right", fontsize=8, frameon=False, handlelength=2.2)
    # A rise is a negative fall: the axis goes below zero when it must.
    low = float(city_falls["fall"].min()) if len(city_falls) else 0.0
    high = float(city_falls["fall"].max()) if len(city_falls) else 1.0
    right.set_ylim(min(0.0, low * 1.3 - 0.2), max(high * 1.3, target * 2))
    right.axhline(0, color=INK, linewidth=0.6)
    right.set_ylabel("Điểm phần trăm")
    right.set_title("Mức giảm so với năm trước", fontsize=10)
    _percent_axis(right.yaxis, 0)
    shown = set(rates["year"])
    notes = [f"(*) Năm {y}: số liệu giữa năm; mức thay đổi năm {y} và năm {y + 1} chưa đánh giá theo mục tiêu năm"
             if y + 1 in shown else f"(*) Năm {y}: số liệu giữa năm, chưa đánh giá theo mục tiêu năm"
             for y in mid_years if y in shown]
    unit = "Đơn vị tính: %; điểm phần trăm" + "".join(f". {note}" for note in notes)
    _footer(figure, unit, source)
    title = f"Tỉ lệ hộ nghèo và cận nghèo ĐBDTTS {int(rates['year'].min())}–{int(rates['year'].max())} và mức giảm hằng năm"
    alt = ("Biểu đồ đường và cột: tỉ lệ hộ nghèo và cận nghèo ĐBDTTS "
           + "; ".join(f"năm {y} {fmt_percent(v)}" for y, v in zip(rates["year"], rates["value"]))
           + ". Thay đổi so với năm trước: " + "; ".join(
               f"năm {y} {fmt_change(-v)}" + ("" if j else " (giữa năm, chưa đánh giá)" if y in mid_years
                                             else " (so với số giữa năm, chưa đánh giá)")
               for y, v, j in zip(city_falls["year"], city_falls["fall"], city_falls["judged"]))
           + f". Mục tiêu: giảm trên {fmt_number(target, 0)} điểm phần trăm mỗi năm.")
    again = None if narrow else partial(poverty_trend, indicators, falls, target=target,
                                        city_code=city_code, source=source, narrow=True, mid_years=mid_years)
    return Chart(figure, title, alt, unit, source, again)


COHORT_STATUSES = [(status, status_label(status)) for status in STATUSES]


@_themed_chart
def model_cohorts(cohorts: pd.DataFrame, *, source: str, narrow: bool = False) -> Chart:
    """Stacked bars per year built: maintained, replicated, stopped, new."""
    figure, (axis,) = _new(3.4 if narrow else 3.0, narrow=narrow)
    years = cohorts["year_built"].astype(str)
    bottom = np.zeros(len(cohorts))
    for (status, label), color, hatch in zip(COHORT_STATUSES, GREYS, HATCHES):
        values = cohorts[status].to_numpy(float)
        bars = axis.bar(years, values, bottom=bottom, label=label, color=color, edgecolor=INK, hatch=hatch, linewidth=0.6)
        for bar, value, base in zip(bars, values, bottom):
            if value >= 4:
                axis.annotate(fmt_int(value), (bar.get_x() + bar.get_width() / 2, base + value / 2), ha="center",
                              va="center", fontsize=8, color="white" if color == GREYS[0] else INK,
                              bbox=None if color != GREYS[1] else {"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none"})
        bottom += values
    for x, total in zip(years, bottom):
        axis.annotate(f"{fmt_int(total)} mô hình", (x, total), xytext=(0, 3), textcoords="offset points", ha="center", fontsize=8)
    axis.set_ylim(0, float(bottom.max()) * 1.2 if len(bottom) else 1)
    axis.set_ylabel("Số mô hình")
    axis.set_xlabel("Năm xây dựng")
    axis.yaxis.set_major_formatter(FuncFormatter(lambda value, _: fmt_int(value)))
    if narrow:
        axis.legend(frameon=False, ncols=2, loc="lower center", bbox_to_anchor=(0.5, 1.0), fontsize=8.5)
    else:
        axis.legend(frameon=False, ncols=4, loc="upper center", bbox_to_anchor=(0.5, 1.12), fontsize=8.5)
    unit = "Đơn vị tính: mô hình"
    _footer(figure, unit, source)
    title = "Mô hình kinh tế theo năm xây dựng và tình trạng hoạt động"
    alt = "Biểu đồ cột chồng: " + "; ".join(
        f"năm {row.year_built}: {fmt_int(row.built)} mô hình ("
        + ", ".join(f"{_in_sentence(label)} {fmt_int(getattr(row, status))}" for status, label in COHORT_STATUSES if getattr(row, status))
        + ")" for row in cohorts.itertuples()) + "."
    again = None if narrow else partial(model_cohorts, cohorts, source=source, narrow=True)
    return Chart(figure, title, alt, unit, source, again)


# --- the exploration notebooks' charts (seaborn; never in the signed report) --------------------------


@_themed_chart
def rates_heatmap(indicators: pd.DataFrame, *, indicator: str, label: str, unit_names: dict[str, str],
                  city_code: str = AREA_CODE, better: str = "higher", source: str) -> Chart:
    """Units × years of one rate, every cell printed (98,8): the area first, then the units from the
    weakest to the strongest in the last year (by `better`). Greys only: darker is a higher rate,
    and the printed value carries the information on a black-and-white page."""
    import seaborn as sns

    subset = indicators[indicators["indicator"] == indicator]
    wide = subset.pivot_table(index="unit_code", columns="year", values="value", aggfunc="first", dropna=False)
    wide = wide.dropna(axis=1, how="all")  # a year without the indicator (the baseline of a campaign rate)
    years = [int(y) for y in sorted(wide.columns)]
    units = wide.drop(index=city_code, errors="ignore")
    if years:
        units = units.sort_values(years[-1], ascending=better != "lower", na_position="first")
    order = ([city_code] if city_code in wide.index else []) + list(units.index)
    wide = wide.reindex(index=order, columns=years).astype(float)
    labels = np.array([["–" if pd.isna(v) else fmt_number(v, 1) for v in row] for row in wide.to_numpy()], dtype=object)
    figure, (axis,) = _new(0.24 * len(order) + 1.4)
    sns.heatmap(wide, ax=axis, cmap="Greys", annot=labels, fmt="", linewidths=0.6, linecolor="white",
                annot_kws={"fontsize": 8}, cbar_kws={"label": "Tỉ lệ (%)", "format": FuncFormatter(
                    lambda value, _: fmt_number(value, 0 if float(value).is_integer() else 1)), "shrink": 0.6})
    axis.set_xticks(np.arange(len(years)) + 0.5, [str(y) for y in years])
    axis.set_yticks(np.arange(len(order)) + 0.5, [unit_names.get(code, code) for code in order], rotation=0,
                    fontsize=8.5)
    if order and order[0] == city_code:
        axis.get_yticklabels()[0].set_fontweight("bold")
        axis.axhline(1, color=INK, linewidth=1.2)
    axis.set_xlabel("Năm")
    axis.set_ylabel("")
    axis.tick_params(length=0)
    unit = "Đơn vị tính: % số hộ ĐBDTTS của đơn vị"
    title = f"{label} theo xã, phường và năm"
    _footer(figure, unit, source)
    last = wide[years[-1]].drop(index=city_code, errors="ignore").dropna() if years else pd.Series(dtype=float)
    weakest = (f"; năm {years[-1]} thấp nhất {unit_names.get(last.idxmin(), last.idxmin())} "
               f"({fmt_percent(last.min())}), cao nhất {unit_names.get(last.idxmax(), last.idxmax())} "
               f"({fmt_percent(last.max())})") if len(last) else ""
    alt = (f"Bản đồ nhiệt: {_in_sentence(label)} của {len(units)} xã, phường và toàn thành phố, các năm "
           f"{', '.join(map(str, years))}; ô càng đậm tỉ lệ càng cao{weakest}.")
    return Chart(figure, title, alt, unit, source)


def _model_sizes_draw(sns, frame: pd.DataFrame, names: list[str], axis) -> None:
    if names:
        sns.boxplot(data=frame, x="households", y="sector", order=names, ax=axis, color=GREYS[3], linecolor=INK,
                    linewidth=0.8, width=0.6, fliersize=0, orient="h")
        sns.stripplot(data=frame, x="households", y="sector", order=names, ax=axis, color=INK, size=2.5, jitter=0.18,
                      alpha=0.7, orient="h")


@_themed_chart
def model_sizes(models: pd.DataFrame, *, sector_names: dict[str, str], source: str) -> Chart:
    """How many households each model gathers, by sector: a box (quartiles, median) and every model
    as a dot, sectors in the reference order; a sector with no model is left out."""
    import seaborn as sns

    known = models.dropna(subset=["households"])
    order = [code for code in sector_names if (known["sector"] == code).any()]
    frame = pd.DataFrame({"sector": known["sector"].map(sector_names), "households": known["households"].astype(float)})
    names = [sector_names[code] for code in order]
    figure, (axis,) = _new(0.5 * len(names) + 1.3)
    with warnings.catch_warnings():  # seaborn 0.13 passes matplotlib 3.11 a deprecated argument (vert)
        warnings.simplefilter("ignore", matplotlib.MatplotlibDeprecationWarning)
        _model_sizes_draw(sns, frame, names, axis)
    axis.set_yticks(range(len(names)), [_wrap(name, 22) for name in names], fontsize=8.5)
    axis.set_xlabel("Số hộ tham gia một mô hình")
    axis.set_ylabel("")
    axis.xaxis.set_major_formatter(FuncFormatter(lambda value, _: fmt_int(value)))
    unit = "Đơn vị tính: hộ"
    title = "Số hộ tham gia mỗi mô hình, theo lĩnh vực"
    _footer(figure, unit, source)
    medians = frame.groupby("sector")["households"].median()
    alt = ("Biểu đồ hộp: số hộ tham gia mỗi mô hình theo lĩnh vực; " + "; ".join(
        f"{_in_sentence(name)}: {fmt_int((frame['sector'] == name).sum())} mô hình, trung vị "
        f"{fmt_number(medians[name], 0 if float(medians[name]).is_integer() else 1)} hộ" for name in names) + ".")
    return Chart(figure, title, alt, unit, source)


def _png(chart: Chart, dpi: int) -> tuple[bytes, int, int]:
    """The chart as a PNG without its unit and source line (the report prints them as text under
    the figure), and its size in CSS px. Kept on the chart, so a batch draws it once."""
    if dpi not in chart._print_png:
        if chart.figure._supxlabel is not None:
            chart.figure._supxlabel.set_visible(False)
        chart._print_png[dpi] = chart.png(dpi=dpi)
    width, height = chart.figure.get_size_inches()
    return chart._print_png[dpi], int(width * 96), int(height * 96)


def to_figure_block(chart: Chart, number: int, *, dpi: int = 200) -> document.Figure:
    """Render once, as a PNG fit for print (200 dpi at the A4 text width), and, when the chart has
    one, its narrow variant for phones (200 dpi at 3,6 in: sharp on a 2–3× phone screen). The
    figures live outside pyplot: nothing to close. (PNGs rather than SVG: text drawn as SVG paths
    made the PDF take twice as long to lay out; see bench/RESULTS.md.)"""
    png, width_px, height_px = _png(chart, dpi)
    narrow_png, narrow_width, narrow_height = _png(chart.narrow(), dpi) if chart.narrow else (b"", 0, 0)
    return document.Figure(number=number, title=chart.title, alt=chart.alt, png=png, unit=chart.unit,
                           source=chart.source, width_px=width_px, height_px=height_px, png_narrow=narrow_png,
                           narrow_width_px=narrow_width, narrow_height_px=narrow_height)
