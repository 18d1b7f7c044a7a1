"""Every sentence true for every unit and every sign.

Walks every paragraph and every table of every report (the area and each of its units), on the
bundled data and on random unit data (rates rising, falling, flat or missing), and checks:
no "tăng"/"giảm" with a negative number; no "0,0 điểm phần trăm"; each change printed in a
sentence is the difference of two rates printed in the same paragraph; each change in a table
is the difference of the printed rates in its row; each unit's changes carry the verb and the
number a reader works out by hand from the unit's counts.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from analysis.dataset import load_dataset
from analysis.formatting import fmt_change, printed_difference
from analysis.report import chart_theme, charts
from analysis.compute.computed import compute_all
from analysis.report.content import build_report
from analysis.report.document import BulletList, Figure, Paragraph
from analysis.report.params import load_params

pytestmark = pytest.mark.slow  # builds reports from the bundled data: the full suite, not make test-fast

NUMBER = r"\d{1,3}(?:\.\d{3})*(?:,\d+)?"
CHANGE = re.compile(rf"(tăng|giảm) ([−-]?{NUMBER}) điểm phần trăm")
PERCENT = re.compile(rf"({NUMBER})%")


def number(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", ".").replace("−", "-"))


def rate(count, households) -> Decimal:
    """count / households × 100 in exact decimal arithmetic, rounded half up to one decimal."""
    return (Decimal(int(count)) * 100 / Decimal(int(households))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def words(now: Decimal, then: Decimal) -> str:
    """The wording worked out by hand: rounded rates, their difference, the verb from its sign."""
    difference = now - then
    if difference == 0:
        return "không đổi"
    return f"{'tăng' if difference > 0 else 'giảm'} {str(abs(difference)).replace('.', ',')} điểm phần trăm"


@pytest.fixture(autouse=True)
def no_charts(monkeypatch):
    """The text is what is tested here (tests/report/test_charts.py draws the charts, gaps and
    negative values included): no figure is drawn, which keeps 22 reports per example fast."""
    def chart(*_, **__):
        return chart_theme.Chart(None, "Hình", "", "Đơn vị tính: %", "Nguồn")

    for name in ("rates_by_year", "unit_rates", "poverty_trend", "model_cohorts"):
        monkeypatch.setattr(charts, name, chart)
    monkeypatch.setattr(chart_theme, "to_figure_block",
                        lambda c, number, **_: Figure(number, c.title, c.alt, b"", c.unit, c.source))


def paragraphs(report):
    for part in (*report.sections, *report.appendices):
        for block in part.blocks:
            if isinstance(block, Paragraph):
                yield block.text
            elif isinstance(block, BulletList):
                yield from (item.text for item in block.items)
    yield from (b.text for b in report.opening)


def check_report(report) -> None:
    for text in paragraphs(report):
        assert not re.search(r"(?<![\d.,])0,0 điểm phần trăm", text), text
        assert "nan" not in text.split() and "None" not in text, text
        assert not re.search(r"(^|[.!?] )\d", text), text  # no sentence starts with a numeral
        printed = [number(p) for p in PERCENT.findall(text)]
        for _verb, value in CHANGE.findall(text):
            assert not value.startswith(("−", "-")), text
            change = number(value)
            assert change != 0, text
            assert any(abs(a - b) == change for a in printed for b in printed), (value, text)
    for table in report.tables():
        labels = [c.label for c in table.columns]
        years = {int(m.group(1)): i for i, label in enumerate(labels) if (m := re.fullmatch(r"Năm (\d{4})\*?", label))}
        changes = {int(m.group(1)): i for i, label in enumerate(labels)
                   if (m := re.match(r"Năm (\d{4})\*? so với năm \d{4}", label))}
        for row in (*table.text, *((table.totals_text,) if table.totals_text else ())):
            for year, column in changes.items():
                now, then = row[years[year]], row[years[year - 1]]
                if "–" in (now, then):
                    assert row[column] == "–"
                    continue
                assert number(row[column]) == number(now) - number(then), (table.caption, row)


def test_one_function_words_every_change():
    assert fmt_change(printed_difference(7.26, 7.14)) == "tăng 0,2 điểm phần trăm"  # 7,3 − 7,1
    assert fmt_change(printed_difference(17.702, 22.002)) == "giảm 4,3 điểm phần trăm"
    assert fmt_change(printed_difference(5.41, 5.36)) == "không đổi"  # 5,4 and 5,4
    assert fmt_change(printed_difference(98.812, 50.708)) == "tăng 48,1 điểm phần trăm"
    assert fmt_change(printed_difference(98.975, 34.180)) == "tăng 64,8 điểm phần trăm"
    assert fmt_change(printed_difference(98.462, 24.480)) == "tăng 74,0 điểm phần trăm"
    assert printed_difference(None, 3.0) is None


@pytest.fixture(scope="module")
def bundled():
    return compute_all(load_dataset())


def test_all_reports_of_the_bundled_data(bundled):
    params = load_params()
    for code in ["608", *bundled.units["code"]]:
        check_report(build_report(bundled, params, code))


# -- random unit data -------------------------------------------------------------------------------

SHAPES = st.sampled_from(["rising", "falling", "flat", "missing"])


@st.composite
def unit_data(draw, codes: list[str]):
    """Per unit: households, and for each campaign field and the poverty counts a shape over the years."""
    data = {}
    for code in codes:
        households = draw(st.integers(20, 2000))
        shapes = {field: draw(SHAPES) for field in ("changed_mindset", "applied_science", "improved_life", "poor")}
        start = {field: draw(st.floats(0.05, 0.95)) for field in shapes}
        step = {field: draw(st.floats(0.0005, 0.2)) for field in shapes}
        data[code] = (households, shapes, start, step)
    return data


def apply(form01: pd.DataFrame, data: dict) -> pd.DataFrame:
    frame = form01.copy()
    years = sorted(frame["year"].unique())
    for code, (households, shapes, start, step) in data.items():
        for index, year in enumerate(years):
            rows = (frame["unit_code"] == code) & (frame["year"] == year)
            frame.loc[rows, "households"] = households
            for field, shape in shapes.items():
                if field != "poor" and year == years[0]:
                    continue  # the baseline year carries only households and poverty
                sign = {"rising": 1, "falling": -1, "flat": 0, "missing": 0}[shape]
                share = min(max(start[field] + sign * step[field] * index, 0.0), 1.0)
                value = pd.NA if shape == "missing" and index == len(years) - 2 else round(share * households)
                frame.loc[rows, field] = value
                if field == "poor":
                    frame.loc[rows, "near_poor"] = 0 if value is not pd.NA else pd.NA
            if frame.loc[rows, "informed"].notna().any():
                frame.loc[rows, "informed"] = households
    return frame


@settings(max_examples=4, deadline=None, phases=(Phase.explicit, Phase.generate), suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(data=st.data())
def test_every_unit_every_sign(bundled, data):
    codes = list(bundled.units["code"])
    drawn = data.draw(unit_data(codes))
    dataset = dataclasses.replace(bundled.dataset, form01=apply(bundled.dataset.form01, drawn))
    computed = compute_all(dataset)
    params = load_params()
    first, last = params.period
    check_report(build_report(computed, params, "608"))
    for code in codes:
        report = build_report(computed, params, code)
        check_report(report)
        text = " ".join(paragraphs(report))
        form = dataset.form01.set_index(["unit_code", "year"])
        households = drawn[code][0]
        for field, _what in (("changed_mindset", "thay đổi nếp nghĩ, cách làm"),
                            ("applied_science", "biết áp dụng khoa học - kỹ thuật"),
                            ("improved_life", "có đời sống được cải thiện")):
            now, then = form.at[(code, last), field], form.at[(code, first), field]
            if pd.isna(now) or pd.isna(then):
                continue
            expected = words(rate(now, households), rate(then, households))
            assert expected in text, (code, field, expected)
        for year in range(first, last):  # judged years of the poor + near-poor rate
            now, then = form.at[(code, year), "poor"], form.at[(code, year - 1), "poor"]
            if pd.isna(now) or pd.isna(then):
                continue
            a, b = rate(now, households), rate(then, households)
            expected = f"năm {year} " + (f"không đổi, ở mức {str(a).replace('.', ',')}%" if a == b else words(a, b))
            assert expected.lower() in text.lower(), (code, year, expected)
