import pandas as pd
import pytest

from analysis.report.chart_theme import to_figure_block
from analysis.report.charts import model_cohorts, rates_by_year, unit_rates


def indicators():
    rows = [("608", 2021, "r", 50.7), ("608", 2023, "r", 98.8), ("A", 2023, "r", 97.5), ("B", 2023, "r", 99.25)]
    frame = pd.DataFrame(rows, columns=["unit_code", "year", "indicator", "value"])
    return frame.assign(numerator=1.0, denominator=1.0)


def test_rates_chart_is_rendered_once_as_png_with_alt_text():
    chart = rates_by_year(indicators(), {"r": "Thay đổi nếp nghĩ"}, years=(2021, 2023), source="Nguồn: Biểu 01")
    block = to_figure_block(chart, 1)
    assert block.caption.startswith("Hình 1. Tỉ lệ hộ ĐBDTTS")
    assert block.png[:8] == b"\x89PNG\r\n\x1a\n"
    assert "năm 2021: thay đổi nếp nghĩ 50,7%" in block.alt and "98,8%" in block.alt
    assert block.unit.startswith("Đơn vị tính") and block.source == "Nguồn: Biểu 01"
    # An opaque white background (mail apps in dark mode): no transparent pixel, white corners.
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(block.png))
    assert image.convert("RGBA").getextrema()[3] == (255, 255)
    assert image.convert("RGB").getpixel((1, 1)) == (255, 255, 255)
    assert image.size == (1260, 660)  # 6,3 x 3,3 inches (the A4 text width) at 200 dpi


def test_unit_chart_names_the_lowest_and_highest_and_the_city():
    chart = unit_rates(indicators(), indicator="r", label="Tỉ lệ", year=2023, unit_names={"A": "Xã A", "B": "Xã B"},
                       source="Nguồn: Biểu 01")
    block = to_figure_block(chart, 2)
    assert "thấp nhất Xã A (97,5%), cao nhất Xã B (99,3%)" in block.alt  # 99,25 rounds half up
    assert "toàn thành phố 98,8%" in block.alt


def test_cohort_chart_alt_text_lists_every_status():
    cohorts = pd.DataFrame({"year_built": [2021, 2023], "maintained": [3, 0], "replicated": [1, 0], "stopped": [1, 0],
                            "new": [0, 2], "built": [5, 2]})
    block = to_figure_block(model_cohorts(cohorts, source="Nguồn: Biểu 02"), 3)
    assert "năm 2021: 5 mô hình (đang duy trì 3, đã nhân rộng 1, ngừng hoạt động 1)" in block.alt
    assert "năm 2023: 2 mô hình (mới xây dựng 2)" in block.alt


def _smallest_text_pt(figure) -> float:
    from matplotlib.text import Text

    return min(t.get_fontsize() for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip())


def test_each_chart_has_a_narrow_variant_readable_on_a_phone():
    from io import BytesIO

    import matplotlib.pyplot as plt
    from PIL import Image

    cohorts = pd.DataFrame({"year_built": [2021, 2023], "maintained": [3, 0], "replicated": [1, 0], "stopped": [1, 0],
                            "new": [0, 2], "built": [5, 2]})
    charts = [rates_by_year(indicators(), {"r": "Thay đổi nếp nghĩ"}, years=(2021, 2023), source="Nguồn: Biểu 01"),
              unit_rates(indicators(), indicator="r", label="Tỉ lệ", year=2023, unit_names={"A": "Xã A"}, source="N"),
              model_cohorts(cohorts, source="Nguồn: Biểu 02")]
    for chart in charts:
        narrow = chart.narrow()
        assert narrow.title == chart.title and narrow.alt == chart.alt and narrow.narrow is None
        width, _ = narrow.figure.get_size_inches()
        # Shown 340 CSS px wide on a 360 px phone, its smallest text must stay at least 9 px high.
        assert width == 3.6 and _smallest_text_pt(narrow.figure) / 72 * 340 / width >= 9
        plt.close(narrow.figure)
        block = to_figure_block(chart, 1)
        image = Image.open(BytesIO(block.png_narrow))
        assert image.size[0] == 720 and block.narrow_width_px == 345  # 3,6 in at 200 dpi; 96 CSS px per inch
        assert Image.open(BytesIO(block.png)).size[0] == 1260  # the print chart is unchanged


def test_a_missing_rate_is_a_gap_and_a_rise_in_poverty_goes_below_zero():
    import matplotlib.pyplot as plt
    import numpy as np

    from analysis.report.charts import poverty_trend
    from analysis.compute.computed import printed_falls

    rows = [("X", 2021, "r", 40.0), ("X", 2023, "r", None)]
    frame = pd.DataFrame(rows, columns=["unit_code", "year", "indicator", "value"]).assign(numerator=1.0, denominator=1.0)
    chart = rates_by_year(frame, {"r": "Thay đổi nếp nghĩ"}, years=(2021, 2023), city_code="X", source="Nguồn")
    heights = [bar.get_height() for bar in chart.figure.axes[0].patches]
    assert heights[0] == 40.0 and np.isnan(heights[1])  # no bar at 0 for the missing year
    assert "năm 2023: thay đổi nếp nghĩ không có số liệu" in chart.alt
    plt.close(chart.figure)

    # 7,1% -> 7,3%: the rate rose, the "fall" is −0,2 and its bar goes below zero.
    poverty = pd.DataFrame([("X", 2020, "poor_near_poor_rate", 7.14), ("X", 2021, "poor_near_poor_rate", 7.26)],
                           columns=["unit_code", "year", "indicator", "value"])
    falls = printed_falls(poverty, target=1.0)
    assert falls["fall"].tolist() == [-0.2]
    chart = poverty_trend(poverty, falls, target=1.0, city_code="X", source="Nguồn")
    right = chart.figure.axes[1]
    assert right.patches[0].get_height() == -0.2 and right.get_ylim()[0] < -0.2
    assert "năm 2021 tăng 0,2 điểm phần trăm" in chart.alt
    plt.close(chart.figure)


def test_a_chart_shows_itself_in_a_notebook_as_png_with_its_alt_text():
    chart = rates_by_year(indicators(), {"r": "Thay đổi nếp nghĩ"}, years=(2021, 2023), source="Nguồn: Biểu 01")
    data, metadata = chart._repr_mimebundle_()
    assert data["image/png"][:8] == b"\x89PNG\r\n\x1a\n"
    assert data["text/plain"].startswith("Tỉ lệ hộ ĐBDTTS theo các nội dung Cuộc vận động, năm 2021 và năm 2023\n")
    assert "98,8%" in data["text/plain"]
    assert metadata["image/png"]["width"] == 604  # 6,3 inches at 96 px per inch, rounded down


def test_making_and_showing_a_chart_leaves_global_matplotlib_state_alone():
    import matplotlib

    was_interactive = matplotlib.is_interactive()
    matplotlib.interactive(True)  # as the inline backend of a kernel leaves it
    family, spines = list(matplotlib.rcParams["font.family"]), matplotlib.rcParams["axes.spines.top"]
    try:
        chart = unit_rates(indicators(), indicator="r", label="Tỉ lệ", year=2023, unit_names={}, source="Nguồn")
        chart._repr_png_()
        to_figure_block(chart, 1)
        assert matplotlib.is_interactive()
        assert list(matplotlib.rcParams["font.family"]) == family
        assert matplotlib.rcParams["axes.spines.top"] == spines
    finally:
        matplotlib.interactive(was_interactive)


def test_importing_the_charts_changes_no_rcparams():
    import subprocess
    import sys

    code = ("import matplotlib; before = dict(matplotlib.rcParams); import analysis.report.charts; "
            "after = dict(matplotlib.rcParams); print(sorted(k for k in before if before[k] != after[k]))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_remembered_charts_are_reused_only_while_their_inputs_are_the_same():
    from analysis.report import chart_theme

    labels = {"r": "Thay đổi nếp nghĩ"}
    assert chart_theme._MEMO is None  # off unless a long-running process turns it on
    chart_theme.remember_charts()
    try:
        first = rates_by_year(indicators(), labels, years=(2021, 2023), source="Nguồn: Biểu 01")
        again = rates_by_year(indicators(), labels, years=(2021, 2023), source="Nguồn: Biểu 01")
        changed = indicators().assign(value=lambda d: d["value"].where(d["unit_code"] != "608", 60.0))
        other = rates_by_year(changed, labels, years=(2021, 2023), source="Nguồn: Biểu 01")
        assert again is first
        assert other is not first and "60,0%" in other.alt
        assert to_figure_block(first, 1).png == to_figure_block(again, 5).png
    finally:
        chart_theme.remember_charts(False)


def test_a_chart_is_drawn_once_as_rgb_with_the_pixels_savefig_gives():
    """Chart.png draws the figure once (savefig lays a constrained figure out twice) and drops the
    alpha channel of an opaque figure: the pixels must be those of savefig, for both variants."""
    from io import BytesIO

    from PIL import Image

    from analysis.report.chart_theme import themed

    def savefig_pixels(chart):
        buffer = BytesIO()
        with themed():
            chart.figure.savefig(buffer, format="png", dpi=200)
        return Image.open(buffer).convert("RGB").tobytes()

    make = lambda **narrow: rates_by_year(indicators(), {"r": "Thay đổi nếp nghĩ"}, years=(2021, 2023),  # noqa: E731
                                          source="Nguồn: Biểu 01", **narrow)
    for variant in ({}, {"narrow": True}):
        image = Image.open(BytesIO(make(**variant).png(dpi=200)))
        assert image.mode == "RGB" and round(image.info["dpi"][0]) == 200
        assert image.tobytes() == savefig_pixels(make(**variant))  # two fresh figures: each laid out from scratch


def test_the_heatmap_lists_the_area_first_then_the_units_weakest_first_every_cell_printed():
    from analysis.report.charts import rates_heatmap

    rows = [("608", 2021, 50.7), ("608", 2023, 98.8), ("A", 2021, 40.0), ("A", 2023, 97.5), ("B", 2021, 60.0),
            ("B", 2023, 99.25), ("608", 2020, None), ("A", 2020, None), ("B", 2020, None)]
    frame = pd.DataFrame(rows, columns=["unit_code", "year", "value"]).assign(indicator="r")
    chart = rates_heatmap(frame, indicator="r", label="Tỉ lệ thay đổi", unit_names={"608": "Toàn thành phố", "A": "Xã A",
                                                                                   "B": "Xã B"}, source="Nguồn: Biểu 01")
    (axis, _colorbar) = chart.figure.axes
    assert [t.get_text() for t in axis.get_yticklabels()] == ["Toàn thành phố", "Xã A", "Xã B"]
    assert [t.get_text() for t in axis.get_xticklabels()] == ["2021", "2023"]  # 2020 has no value: no column
    assert sorted(t.get_text() for t in axis.texts) == ["40,0", "50,7", "60,0", "97,5", "98,8", "99,3"]
    assert "năm 2023 thấp nhất Xã A (97,5%), cao nhất Xã B (99,3%)" in chart.alt
    lower = rates_heatmap(frame, indicator="r", label="Tỉ lệ nghèo", better="lower", source="Nguồn: Biểu 01",
                          unit_names={"A": "Xã A", "B": "Xã B"})
    assert [t.get_text() for t in lower.figure.axes[0].get_yticklabels()] == ["608", "Xã B", "Xã A"]  # weakest: highest
    from matplotlib.colors import to_hex

    cells = axis.collections[0].get_facecolors()
    assert all(len({round(c, 6) for c in color[:3]}) == 1 for color in cells)  # greys only
    assert to_hex(cells[0]) != to_hex(cells[-1])


def test_a_heatmap_of_a_hundred_units_makes_no_renderer_before_it_is_drawn(monkeypatch):
    """seaborn tests its own tick labels for overlaps; on a figure without an Agg canvas each label's test
    made and kept a renderer of the whole figure (a province of 100 units: about 650 MB in notebook 02).
    Its labels are not used: the chart sets its own, so no renderer is made until the picture is drawn."""
    from matplotlib.backends import backend_agg

    from analysis.report.charts import rates_heatmap

    made = []
    original = backend_agg.RendererAgg.__init__

    def counting(self, *args, **kwargs):
        made.append(args)
        original(self, *args, **kwargs)

    monkeypatch.setattr(backend_agg.RendererAgg, "__init__", counting)
    codes = [f"U{i:03d}" for i in range(100)]
    rows = [(code, year, 60.0 - i / 2 + year - 2021) for i, code in enumerate(codes) for year in (2021, 2023)]
    frame = pd.DataFrame(rows, columns=["unit_code", "year", "value"]).assign(indicator="r")
    chart = rates_heatmap(frame, indicator="r", label="Tỉ lệ thay đổi", unit_names={c: f"Xã {c}" for c in codes},
                          source="Nguồn: Biểu 01")
    assert made == []
    labels = chart.figure.axes[0].get_yticklabels()
    assert [t.get_text() for t in labels][:2] == ["Xã U099", "Xã U098"]  # the weakest in 2023 first: 12,5 then 13,0
    assert {t.get_verticalalignment() for t in labels} == {"center"}  # centred on their rows, as seaborn put them
    chart.png(dpi=50)
    assert len(made) == 1


def test_the_model_sizes_chart_keeps_the_sectors_order_and_states_the_medians():
    from analysis.report.charts import model_sizes

    models = pd.DataFrame({"sector": ["b", "a", "a", "a", "b", "c"], "households": [10, 3, 5, 8, None, 7]})
    chart = model_sizes(models, sector_names={"a": "Trồng trọt", "b": "Chăn nuôi", "c": "Khác", "d": "Du lịch"},
                        source="Nguồn: Biểu 02")
    assert [t.get_text() for t in chart.figure.axes[0].get_yticklabels()] == ["Trồng trọt", "Chăn nuôi", "Khác"]
    assert chart.alt == ("Biểu đồ hộp: số hộ tham gia mỗi mô hình theo lĩnh vực; trồng trọt: 3 mô hình, trung vị 5 hộ; "
                         "chăn nuôi: 1 mô hình, trung vị 10 hộ; khác: 1 mô hình, trung vị 7 hộ.")
    assert chart.png()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_seaborn_charts_use_the_report_font_and_leave_matplotlib_state_alone():
    import matplotlib
    from matplotlib.text import Text

    from analysis.report.chart_theme import FONT_FAMILY
    from analysis.report.charts import model_sizes

    before = dict(matplotlib.rcParams)
    chart = model_sizes(pd.DataFrame({"sector": ["a"], "households": [4]}), sector_names={"a": "Trồng trọt"},
                        source="Nguồn: Biểu 02")
    chart.png()
    assert dict(matplotlib.rcParams) == before
    families = {t.get_fontfamily()[0] for t in chart.figure.findobj(Text) if t.get_text().strip()}
    assert families == {FONT_FAMILY}


def test_a_chart_draws_each_png_once():
    chart = rates_by_year(indicators(), {"r": "Thay đổi nếp nghĩ"}, years=(2021, 2023), source="Nguồn: Biểu 01")
    first = chart.png()
    assert chart.png() is first  # a remembered chart shown by 22 notebooks of a batch is drawn once
    block = to_figure_block(chart, 1)  # the print PNG (200 dpi, no footer) is drawn apart, never the notebook's
    assert block.png != first and to_figure_block(chart, 2).png is block.png


def test_rate_axis_labels_are_the_exact_values_of_their_ticks():
    # Rates 99,0-99,4 (the 2025 wards and communes): ticks used to fall on 98,25 / 98,75 and print "98,3" / "98,8".
    rows = [("608", 2025, "r", 99.2), ("A", 2025, "r", 99.04), ("B", 2025, "r", 99.36), ("C", 2025, "r", 99.1)]
    frame = pd.DataFrame(rows, columns=["unit_code", "year", "indicator", "value"]).assign(numerator=1.0,
                                                                                       denominator=1.0)
    chart = unit_rates(frame, indicator="r", label="Tỉ lệ", year=2025, unit_names={"A": "Xã A", "B": "Xã B", "C": "Xã C"},
                       source="N")
    axis = chart.figure.axes[0]
    chart.figure.canvas.draw()
    low, high = axis.get_xlim()
    ticks = [t for t in axis.get_xticks() if low <= t <= high]
    labels = [t.get_text() for t in axis.get_xticklabels() if t.get_text()]
    assert len(labels) >= 3
    for tick, text in zip(ticks, labels):
        assert float(text.replace(".", "").replace(",", ".")) == pytest.approx(tick, abs=1e-9), (tick, text)
    steps = {round(b - a, 9) for a, b in zip(ticks, ticks[1:])}
    assert len(steps) == 1 and next(iter(steps)) * 10 in (1, 2, 5, 10, 20, 50)


def test_a_chart_is_named_by_what_it_is_drawn_from():
    """chart_key: the same data in other objects gives the same key; one changed value, another
    type of the same value, or another argument gives another; an argument it cannot name gives none."""

    labels = {"r": "Thay đổi nếp nghĩ"}
    key = rates_by_year(indicators(), labels, years=(2021, 2023), source="Nguồn: Biểu 01").key
    assert key is not None
    assert rates_by_year(indicators(), dict(labels), years=(2021, 2023), source="Nguồn: Biểu 01").key == key
    changed = indicators()
    changed.loc[3, "value"] = 99.26
    as_float = indicators().astype({"year": "float64"})  # 2021.0: the same numbers, another type
    others = [rates_by_year(changed, labels, years=(2021, 2023), source="Nguồn: Biểu 01").key,
              rates_by_year(as_float, labels, years=(2021, 2023), source="Nguồn: Biểu 01").key,
              rates_by_year(indicators(), labels, years=(2022, 2023), source="Nguồn: Biểu 01").key,
              rates_by_year(indicators(), labels, years=(2021, 2023), source="Nguồn: Biểu 02").key,
              rates_by_year(indicators(), labels, years=(2021, 2023), source="Nguồn: Biểu 01", narrow=True).key]
    assert key not in others and len(set(others)) == len(others)

    from analysis.report.chart_key import chart_key

    class Opaque:  # an object whose repr would name its address: not a name for its content
        pass

    assert chart_key(rates_by_year, (indicators(), labels), {"years": Opaque()}) is None


def test_a_figure_built_with_drawing_deferred_is_drawn_later_with_the_same_pictures():
    from analysis.publish.cutoff import model_digest
    from analysis.report import chart_theme

    labels = {"r": "Thay đổi nếp nghĩ"}
    eager = to_figure_block(rates_by_year(indicators(), labels, years=(2021, 2023), source="Nguồn: Biểu 01"), 1)
    with chart_theme.drawing_deferred() as charts:
        deferred = to_figure_block(rates_by_year(indicators(), labels, years=(2021, 2023), source="Nguồn: Biểu 01"), 1)
    assert deferred.png == b"" and deferred.png_narrow == b"" and deferred.drawn_from == eager.drawn_from
    assert model_digest(deferred) == model_digest(eager)  # compared by what it is drawn from, not by pixels
    printed = chart_theme.draw_figure(deferred, charts, narrow=False)
    assert printed.png == eager.png and printed.png_narrow == b""
    assert (printed.width_px, printed.height_px) == (eager.width_px, eager.height_px)
    both = chart_theme.draw_figure(printed, charts, narrow=True)
    assert both == eager  # the print and the phone pictures, as drawn at once
    other = to_figure_block(rates_by_year(indicators(), labels, years=(2021, 2023), source="Nguồn: Biểu 02"), 1)
    assert model_digest(other) != model_digest(eager)


@pytest.mark.parametrize("one, other", [
    (pd.DataFrame({"v": [0.0, 1.0]}), pd.DataFrame({"v": [-0.0, 1.0]})),        # printed "0,0" and "-0,0"
    (pd.DataFrame({"v": [1, "a"]}), pd.DataFrame({"v": ["1", "a"]})),          # a number, a text
    (pd.DataFrame({"v": pd.Categorical(["a", "b"], categories=["a", "b"])}),
     pd.DataFrame({"v": pd.Categorical(["a", "b"], categories=["b", "a"])})),  # the categories' order
    (pd.DataFrame({"v": [1]}, index=[0]), pd.DataFrame({"v": [1]}, index=[0.0])),
    (pd.DataFrame({"v": [1]}, index=pd.MultiIndex.from_tuples([("a", 1)])),
     pd.DataFrame({"v": [1]}, index=pd.MultiIndex.from_tuples([("a", 2)]))),
    (pd.Series([1.0, 2.0], name="a"), pd.Series([1.0, 2.0], name="b")),
])
def test_frames_that_differ_in_what_a_chart_could_show_have_other_keys(one, other):
    from analysis.report.chart_key import chart_key

    assert chart_key(rates_by_year, (one,), {}) != chart_key(rates_by_year, (other,), {})
    assert chart_key(rates_by_year, (one,), {}) == chart_key(rates_by_year, (one.copy(),), {})
