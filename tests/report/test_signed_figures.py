"""The signed text states only what its tables show: every report of both samples (the 2021-2023
sơ kết on the bundled forms, the 2021-2025 tổng kết on the sample of the new map), the area's and
each unit's, read sentence by sentence. Each percentage is a value printed in one of the report's
own tables; each "N điểm phần trăm" a change is worded with is the difference of two values printed
in them (or the target). No strength or limitation rests on a gap below the indicator's
materiality (indicators.yaml). Every report has parts I–V."""

import re
from itertools import combinations

import pytest

from analysis import config
from analysis.compute.computed import CITY, compute_for
from analysis.compute.indicators import load_definitions
from analysis.dataset import load_dataset
from analysis.report.content import build_report
from analysis.report.document import BulletList, Paragraph
from analysis.report.params import load_params
from samples import write_sample_data

pytestmark = pytest.mark.slow

NUMBER = r"(\d{1,3}(?:\.\d{3})*(?:,\d+)?)"
PERCENT = re.compile(NUMBER + r"%")
POINTS = re.compile(NUMBER + r" điểm phần trăm")


def number(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def sentences(report) -> list[str]:
    """Every sentence of the signed text: the opening, parts I–V, the key figures."""
    out = []

    def walk(blocks):
        for block in blocks:
            if isinstance(block, Paragraph):
                out.append(block.text)
            elif isinstance(block, BulletList):
                walk(block.items)

    walk(report.opening)
    for section in report.sections:
        walk(section.blocks)
    out += [f"{k.label}: {k.value} ({k.note})" for k in report.key_figures]
    return out


def printed(report) -> tuple[set[float], set[float]]:
    """The values of the report's tables: every rate or share cell, and every change in points."""
    rates, points = set(), set()
    for table in report.tables():
        for row in (*table.text, *((table.totals_text,) if table.totals_text else ())):
            for cell, column in zip(row, table.columns):
                if column.kind == "rate" and re.fullmatch(NUMBER, cell):
                    rates.add(number(cell))
                elif column.kind == "points" and re.fullmatch("[−-]?" + NUMBER, cell):
                    points.add(abs(number(cell.lstrip("−-"))))
    return rates, points


@pytest.fixture(scope="module", params=["2021-2023", "2021-2025"])
def reports(request, tmp_path_factory):
    params = load_params(period=request.param)
    data = config.RAW_DIR
    if request.param == "2021-2025":
        data = tmp_path_factory.mktemp("five") / "data"
        write_sample_data(data, period=(2021, 2025))
    computed = compute_for(load_dataset(data, params.period), params)
    return [build_report(computed, params, code) for code in [CITY, *computed.units["code"]]]


def test_every_report_has_parts_one_to_five(reports):
    for report in reports:
        assert [s.number for s in report.sections] == ["I", "II", "III", "IV", "V"], report.meta.unit_name
        assert all(s.blocks for s in report.sections), report.meta.unit_name


def test_every_percentage_is_printed_in_a_table_and_every_change_is_a_difference_of_printed_values(reports):
    target = load_definitions()["poor_near_poor_rate"].target["value"]
    for report in reports:
        rates, points = printed(report)
        differences = {round(abs(a - b), 1) for a, b in combinations(sorted(rates), 2)} | {0.0}
        for sentence in sentences(report):
            for value in PERCENT.findall(sentence):
                assert number(value) in rates, f"{report.meta.unit_name}: {value}% in “{sentence}”"
            for value in POINTS.findall(sentence):
                assert number(value) in points | differences | {target}, (
                    f"{report.meta.unit_name}: {value} điểm phần trăm in “{sentence}”")


def test_no_strength_or_limitation_rests_on_a_gap_below_the_materiality(reports):
    definitions = load_definitions()
    least = min(d.materiality for d in definitions.values() if d.is_rate)
    assert least > 0
    gap = re.compile(NUMBER + "% so với " + NUMBER + "%")
    for report in reports:
        assessment = next(s for s in report.sections if s.key == "assessment")
        for block in assessment.blocks:
            for item in block.items if isinstance(block, BulletList) else ():
                for a, b in gap.findall(item.text):
                    assert abs(number(a) - number(b)) >= least, f"{report.meta.unit_name}: “{item.text}”"
