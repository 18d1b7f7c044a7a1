"""The charts: the report's (matplotlib) and the exploration notebooks' (seaborn), in one theme
(analysis.report.chart_theme). Chart functions take tidy frames and return a `Chart`; they never
save files, and each has a unit, a source line and alt text; the report's have a narrow variant
for phones and take a `style` (PRINT, or `projector(width, height)` for a slide of the deck).
"""

from __future__ import annotations

import math
import warnings
from functools import partial

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from analysis.formatting import fmt_change, fmt_int, fmt_number, fmt_percent
from analysis.report.chart_theme import (
    GREYS,
    INK,
    PRINT,
    PROJECTOR_ROWS,
    Chart,
    ChartStyle,
    _bar_labels,
    _footer,
    _in_sentence,
    _new,
    _number,
    _percent_axis,
    _themed_chart,
    _wrap,
)
from analysis.vocabulary import AREA_CODE, STATUSES, Area, area_on, measure_line, status_label


@_themed_chart
def rates_by_year(indicators: pd.DataFrame, labels: dict[str, str], *, years: tuple[int, int],
                  city_code: str = AREA_CODE, source: str, narrow: bool = False, style: ChartStyle = PRINT) -> Chart:
    """Grouped bars: each campaign rate of the city in the first year and the review year (horizontal
    bars in the narrow variant, so the labels keep their size)."""
    city = indicators[(indicators["unit_code"] == city_code) & indicators["indicator"].isin(labels)]
    figure, (axis,) = _new(0.62 * len(labels) + 1.0 if narrow else 3.3, narrow=narrow, style=style)
    positions = np.arange(len(labels))
    width = 0.38
    alt_parts = []
    for i, year in enumerate(years):
        cells = [city.loc[(city["indicator"] == k) & (city["year"] == year), "value"].squeeze() for k in labels]
        # A missing value is a gap (no bar, "–"), never a bar at 0.
        values = [_number(cell) for cell in cells]
        fill, hatch = style.years[i]
        look = {"label": f"Năm {year}", "color": fill, "edgecolor": INK, "hatch": hatch, "linewidth": style.pt(0.6)}
        if narrow:  # the first year on top of each pair
            bars = axis.barh(positions + (i - 0.5) * width, values, width, **look)
        else:
            bars = axis.bar(positions + (i - 0.5) * width, values, width, **look)
        _bar_labels(axis, bars, ["" if np.isnan(v) else fmt_number(v, 1) for v in values], horizontal=narrow,
                    style=style)
        for bar, value in zip(bars, values):
            if np.isnan(value):
                where = (0, bar.get_y() + bar.get_height() / 2) if narrow else (bar.get_x() + bar.get_width() / 2, 0)
                axis.annotate("–", where, xytext=(style.pt(2), 0) if narrow else (0, style.pt(2)),
                              textcoords="offset points", ha="left" if narrow else "center",
                              va="center" if narrow else "bottom", fontsize=style.pt(8))
        alt_parts.append(f"năm {year}: " + "; ".join(f"{_in_sentence(label)} {fmt_percent(v)}" for label, v in zip(labels.values(), values)))
    if narrow:
        axis.set_yticks(positions, [_wrap(label, 14) for label in labels.values()], fontsize=style.pt(9))
        axis.invert_yaxis()
        axis.set_xlim(0, 118)
        axis.set_xticks([0, 25, 50, 75, 100])
        axis.set_xlabel("Tỉ lệ (%)")
        _percent_axis(axis.xaxis)
    else:
        axis.set_xticks(positions, [_wrap(label) for label in labels.values()], fontsize=style.pt(9))
        axis.set_ylim(0, 110)
        axis.set_ylabel("Tỉ lệ (%)")
        _percent_axis(axis.yaxis)
    axis.legend(frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2)
    unit, title = measure_line("percent_of_households"), f"Tỉ lệ hộ ĐBDTTS theo các nội dung Cuộc vận động, năm {years[0]} và năm {years[1]}"
    _footer(figure, unit, source, style)
    alt = (f"Biểu đồ cột so sánh tỉ lệ hộ ĐBDTTS theo các nội dung Cuộc vận động giữa năm {years[0]} và năm "
           f"{years[1]}. " + "; ".join(alt_parts) + ".")
    again = None if narrow else partial(rates_by_year, indicators, labels, years=years, city_code=city_code,
                                        source=source, narrow=True)
    return Chart(figure, title, alt, unit, source, again)


def _dot_column(axis, part: pd.DataFrame, *, rows: int, limits: tuple[float, float], sizes: tuple[float, float, float],
                unit_names: dict[str, str], city_value: float | None, target: float | None, style: ChartStyle) -> None:
    """One column of unit_rates' dot plot: a stem and a dot per unit, its value, the area's line and
    the target's; `limits` (start, highest value) of the rate axis; `sizes` (values, names, a row) in pt."""
    start, high = limits
    small, names_pt, row_pt = sizes
    positions = np.arange(len(part)) + (rows - len(part))  # a shorter column keeps its rows at the top
    axis.hlines(positions, start, part["value"], color=style.stem, linewidth=style.pt(0.8))
    axis.plot(part["value"], positions, "o", color=style.line, markersize=min(style.pt(4.5), 0.6 * row_pt))
    for y, value in zip(positions, part["value"]):
        axis.annotate(fmt_number(value, 1), (value, y), xytext=(style.pt(5), 0), textcoords="offset points",
                      va="center", fontsize=small,
                      bbox={"boxstyle": "square,pad=0.05", "fc": "white", "ec": "none"})  # legible across the city line
    axis.set_yticks(positions, [unit_names.get(code, code) for code in part["unit_code"]])
    if city_value is not None:
        axis.axvline(city_value, color=INK, linestyle="--", linewidth=style.pt(1))
    if target is not None:
        axis.axvline(target, color=style.accent, linestyle=":", linewidth=style.pt(1.2))
    axis.set_xlim(start, high + (high - start) * 0.12 + 0.3)
    axis.set_ylim(-0.8, rows - 0.2 + 0.8)
    axis.tick_params(axis="y", labelsize=names_pt)
    _percent_axis(axis.xaxis)
    axis.set_xlabel("Tỉ lệ (%)")


@_themed_chart
def unit_rates(indicators: pd.DataFrame, *, indicator: str, label: str, year: int, unit_names: dict[str, str],
               city_code: str = AREA_CODE, target: float | None = None, source: str, narrow: bool = False,
               area: Area | None = None, style: ChartStyle = PRINT) -> Chart:
    """Horizontal bars of one rate per unit in one year, sorted, with the city rate as a
    reference line (and the target, when there is one). `area` names the whole and its units
    (default: area.yaml's base names)."""
    area = area or area_on()
    subset = indicators[(indicators["indicator"] == indicator) & (indicators["year"] == year)]
    city_value = subset.loc[subset["unit_code"] == city_code, "value"]
    city_value = float(city_value.iloc[0]) if len(city_value) and not pd.isna(city_value.iloc[0]) else None
    units = subset[subset["unit_code"] != city_code].dropna(subset=["value"]).sort_values("value")
    names = [unit_names.get(code, code) for code in units["unit_code"]]
    height = 0.24 * len(units) + 1.3
    # On a slide, many units go in two columns (the higher half first) so that their names stay large.
    columns = 2 if style.size_in and len(units) > PROJECTOR_ROWS else 1
    rows = math.ceil(len(units) / columns) if len(units) else 0
    figure, axes = _new(height, ncols=columns, narrow=narrow, style=style)
    # Rows as high as the figure allows: text never taller than its row.
    row_pt = (style.size_in[1] if style.size_in else height) * 72 / (rows + 1.6)
    small, names_pt = min(style.pt(8), 0.75 * row_pt), min(style.pt(8.5), 0.75 * row_pt)
    # A dot plot, not bars: the axis need not start at zero, so close values stay readable.
    low = float(min(units["value"].min(), city_value if city_value is not None else 100, target or 100)) if len(units) else 0.0
    start = max(0.0, np.floor(low) - 1.0)
    high = float(units["value"].max()) if len(units) else 100.0
    parts = [units.iloc[len(units) - rows:], units.iloc[:len(units) - rows]] if columns == 2 else [units]
    for axis, part in zip(axes, parts):
        _dot_column(axis, part, rows=rows, limits=(start, high), sizes=(small, names_pt, row_pt), unit_names=unit_names,
                    city_value=city_value, target=target, style=style)
    axis = axes[0]
    if city_value is not None:
        axis.annotate(f"{area.whole[:1].upper()}{area.whole[1:]}: {fmt_percent(city_value)}", (city_value, rows - 0.4),
                      xytext=(style.pt(-4), style.pt(4)), textcoords="offset points", ha="right", fontsize=small)
    if target is not None:
        axis.annotate(f"Mục tiêu: {fmt_percent(target)}", (target, -0.6), xytext=(style.pt(3), 0), textcoords="offset points",
                      fontsize=small)
    unit = measure_line("percent_of_unit_households")
    title = f"{label} theo {area.units_word}, năm {year}"
    _footer(figure, unit, source, style)
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
                  city_code: str = AREA_CODE, source: str, narrow: bool = False, mid_years=(),
                  style: ChartStyle = PRINT) -> Chart:
    """Left: the poor + near-poor rate by year, mid-year figures (`mid_years`) starred. Right: the
    yearly fall in points against the target; a change a mid-year figure enters is shown hatched
    and not judged. (The narrow variant puts the two panels one above the other.)"""
    rates = indicators[(indicators["indicator"] == "poor_near_poor_rate") & (indicators["unit_code"] == city_code)]
    rates = rates.sort_values("year")  # a missing year stays a gap in the line
    city_falls = falls[falls["unit_code"] == city_code].dropna(subset=["fall"]).sort_values("year")
    figure, (left, right) = _new(5.4, nrows=2, narrow=True) if narrow else _new(3.0, ncols=2, style=style)
    left.plot(rates["year"], rates["value"], color=style.line, marker="o", linewidth=style.pt(1.5))
    for year, value in zip(rates["year"], rates["value"]):
        if pd.isna(value):
            continue
        left.annotate(fmt_number(value, 1), (year, value), xytext=(0, style.pt(6)), textcoords="offset points",
                      ha="center", fontsize=style.pt(8))
    left.set_xticks(rates["year"], [f"{y}*" if y in mid_years else str(y) for y in rates["year"]])
    top = rates["value"].max()
    left.set_ylim(0, float(top) * 1.25 if not pd.isna(top) and top > 0 else 1)
    left.set_ylabel("Tỉ lệ (%)")
    left.set_title("Tỉ lệ hộ nghèo và cận nghèo", fontsize=style.pt(10))
    _percent_axis(left.yaxis)
    colors = [style.bar if judged else GREYS[3] for judged in city_falls["judged"]]
    bars = right.bar(city_falls["year"].astype(str), city_falls["fall"], color=colors, edgecolor=INK,
                     linewidth=style.pt(0.6), hatch=None)
    for bar, judged in zip(bars, city_falls["judged"]):
        if not judged:
            bar.set_hatch("///")
    _bar_labels(right, bars, [fmt_number(v, 1) for v in city_falls["fall"]], style=style)
    # The target is named in a legend above the bars, never over one of them.
    right.axhline(target, color=style.accent, linestyle="--", linewidth=style.pt(1),
                  label=f"Mục tiêu: giảm trên {fmt_number(target, 0)} điểm/năm")
    right.legend(loc="upper right", fontsize=style.pt(8), frameon=False, handlelength=2.2)
    # A rise is a negative fall: the axis goes below zero when it must.
    low = float(city_falls["fall"].min()) if len(city_falls) else 0.0
    high = float(city_falls["fall"].max()) if len(city_falls) else 1.0
    right.set_ylim(min(0.0, low * 1.3 - 0.2), max(high * 1.3, target * 2))
    right.axhline(0, color=INK, linewidth=style.pt(0.6))
    right.set_ylabel("Điểm phần trăm")
    right.set_title("Mức giảm so với năm trước", fontsize=style.pt(10))
    _percent_axis(right.yaxis, 0)
    shown = set(rates["year"])
    notes = [f"(*) Năm {y}: số liệu giữa năm; mức thay đổi năm {y} và năm {y + 1} chưa đánh giá theo mục tiêu năm"
             if y + 1 in shown else f"(*) Năm {y}: số liệu giữa năm, chưa đánh giá theo mục tiêu năm"
             for y in mid_years if y in shown]
    unit = measure_line("percent", "points") + "".join(f". {note}" for note in notes)
    _footer(figure, unit, source, style)
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
def model_cohorts(cohorts: pd.DataFrame, *, source: str, narrow: bool = False, style: ChartStyle = PRINT) -> Chart:
    """Stacked bars per year built: maintained, replicated, stopped, new."""
    figure, (axis,) = _new(3.4 if narrow else 3.0, narrow=narrow, style=style)
    years = cohorts["year_built"].astype(str)
    bottom = np.zeros(len(cohorts))
    for (status, label), color, hatch, ink, boxed in zip(COHORT_STATUSES, style.fills, style.hatches, style.label_on,
                                                         style.label_box):
        values = cohorts[status].to_numpy(float)
        bars = axis.bar(years, values, bottom=bottom, label=label, color=color, edgecolor=INK, hatch=hatch,
                        linewidth=style.pt(0.6))
        for bar, value, base in zip(bars, values, bottom):
            if value >= 4:
                axis.annotate(fmt_int(value), (bar.get_x() + bar.get_width() / 2, base + value / 2), ha="center",
                              va="center", fontsize=style.pt(8), color=ink,
                              bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none"} if boxed else None)
        bottom += values
    for x, total in zip(years, bottom):
        axis.annotate(f"{fmt_int(total)} mô hình", (x, total), xytext=(0, style.pt(3)), textcoords="offset points",
                      ha="center", fontsize=style.pt(8))
    axis.set_ylim(0, float(bottom.max()) * 1.2 if len(bottom) else 1)
    axis.set_ylabel("Số mô hình")
    axis.set_xlabel("Năm xây dựng")
    axis.yaxis.set_major_formatter(FuncFormatter(lambda value, _: fmt_int(value)))
    if narrow:
        axis.legend(frameon=False, ncols=2, loc="lower center", bbox_to_anchor=(0.5, 1.0), fontsize=8.5)
    elif style.size_in:  # a slide: above the axes, never over the top tick (the layout makes room)
        axis.legend(frameon=False, ncols=4, loc="lower center", bbox_to_anchor=(0.5, 1.0), fontsize=style.pt(8.5))
    else:
        axis.legend(frameon=False, ncols=4, loc="upper center", bbox_to_anchor=(0.5, 1.12), fontsize=style.pt(8.5))
    unit = measure_line("models")
    _footer(figure, unit, source, style)
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
                  city_code: str = AREA_CODE, better: str = "higher", source: str, area: Area | None = None) -> Chart:
    """Units × years of one rate, every cell printed (98,8): the area first, then the units from the
    weakest to the strongest in the last year (by `better`). Greys only: darker is a higher rate,
    and the printed value carries the information on a black-and-white page."""
    import seaborn as sns  # noqa: PLC0415 (lazy: the notebooks' charts only, the report never loads it)

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
    # No tick labels from seaborn (set below): it would test its own for overlaps, and on a figure
    # without an Agg canvas each label's test makes and keeps a renderer of the whole figure.
    percent = FuncFormatter(lambda value, _: fmt_number(value, 0 if float(value).is_integer() else 1))
    sns.heatmap(wide, ax=axis, cmap="Greys", annot=labels, fmt="", linewidths=0.6, linecolor="white",
                xticklabels=False, yticklabels=False, annot_kws={"fontsize": 8},
                cbar_kws={"label": "Tỉ lệ (%)", "format": percent, "shrink": 0.6})
    axis.set_xticks(np.arange(len(years)) + 0.5, [str(y) for y in years])
    axis.set_yticks(np.arange(len(order)) + 0.5, [unit_names.get(code, code) for code in order], rotation=0,
                    fontsize=8.5, va="center")
    if order and order[0] == city_code:
        axis.get_yticklabels()[0].set_fontweight("bold")
        axis.axhline(1, color=INK, linewidth=1.2)
    axis.set_xlabel("Năm")
    axis.set_ylabel("")
    axis.tick_params(length=0)
    unit = measure_line("percent_of_unit_households")
    area = area or area_on()
    title = f"{label} theo {area.units_word} và năm"
    _footer(figure, unit, source)
    last = wide[years[-1]].drop(index=city_code, errors="ignore").dropna() if years else pd.Series(dtype=float)
    weakest = (f"; năm {years[-1]} thấp nhất {unit_names.get(last.idxmin(), last.idxmin())} "
               f"({fmt_percent(last.min())}), cao nhất {unit_names.get(last.idxmax(), last.idxmax())} "
               f"({fmt_percent(last.max())})") if len(last) else ""
    alt = (f"Bản đồ nhiệt: {_in_sentence(label)} của {len(units)} {area.units_word} và {area.whole}, các năm "
           f"{', '.join(map(str, years))}; ô càng đậm tỉ lệ càng cao{weakest}.")
    return Chart(figure, title, alt, unit, source)


def _model_sizes_draw(sns, frame: pd.DataFrame, names: list[str], axis) -> None:
    if names:
        sns.boxplot(data=frame, x="households", y="sector", order=names, ax=axis, color=GREYS[3], linecolor=INK,
                    linewidth=0.8, width=0.6, fliersize=0, orient="h")
        # seaborn jitters the dots with numpy's global generator: seeded here (and put back after), the
        # same models give the same picture on every run (analysis.publish.cutoff compares the outputs)
        state = np.random.get_state()
        np.random.seed(len(frame))
        try:
            sns.stripplot(data=frame, x="households", y="sector", order=names, ax=axis, color=INK, size=2.5,
                          jitter=0.18, alpha=0.7, orient="h")
        finally:
            np.random.set_state(state)


@_themed_chart
def model_sizes(models: pd.DataFrame, *, sector_names: dict[str, str], source: str) -> Chart:
    """How many households each model gathers, by sector: a box (quartiles, median) and every model
    as a dot, sectors in the reference order; a sector with no model is left out."""
    import seaborn as sns  # noqa: PLC0415 (lazy: the notebooks' charts only, the report never loads it)

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
    unit = measure_line("households")
    title = "Số hộ tham gia mỗi mô hình, theo lĩnh vực"
    _footer(figure, unit, source)
    medians = frame.groupby("sector")["households"].median()
    alt = ("Biểu đồ hộp: số hộ tham gia mỗi mô hình theo lĩnh vực; " + "; ".join(
        f"{_in_sentence(name)}: {fmt_int((frame['sector'] == name).sum())} mô hình, trung vị "
        f"{fmt_number(medians[name], 0 if float(medians[name]).is_integer() else 1)} hộ" for name in names) + ".")
    return Chart(figure, title, alt, unit, source)
