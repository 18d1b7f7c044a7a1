import numpy as np
import pandas as pd
import pytest

from analysis.compute.indicators import Definition, compute_indicators, load_definitions, value_of
from analysis.compute.trends import compute_changes, compute_poverty_falls, rank_units, units_behind

RATE = Definition("changed_mindset_rate", "Tỉ lệ", "Tỉ lệ", ("changed_mindset",), "households", 100.0, "%", 1)
POOR = Definition("poor_near_poor_rate", "Nghèo", "Nghèo", ("poor", "near_poor"), "households", 100.0, "%", 1,
                  {"kind": "yearly_fall", "value": 1.0})


def form01(rows):
    columns = ["unit_code", "year", "households", "changed_mindset", "poor", "near_poor"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"households": "Int64", "changed_mindset": "Int64", "poor": "Int64", "near_poor": "Int64"})


def test_city_rate_is_the_sum_of_numerators_over_the_sum_of_denominators():
    data = form01([("A", 2021, 100, 90, 10, 10), ("B", 2021, 900, 90, 10, 10)])
    result = compute_indicators(data, {"r": RATE}, city_code="608")
    # (90 + 90) / (100 + 900) = 18%, not the mean of 90% and 10% (50%).
    assert value_of(result, "changed_mindset_rate", 2021, "608") == pytest.approx(18.0)
    assert value_of(result, "changed_mindset_rate", 2021, "A") == pytest.approx(90.0)


def test_zero_and_missing_denominators_give_no_value_not_an_error():
    data = form01([("A", 2021, 0, 0, 0, 0), ("B", 2021, None, 5, 1, 1), ("C", 2021, 50, 25, 1, None)])
    result = compute_indicators(data, {"r": RATE, "p": POOR}, city_code="608")
    assert value_of(result, "changed_mindset_rate", 2021, "A") is None
    assert value_of(result, "changed_mindset_rate", 2021, "B") is None
    # The city counts only the units with both parts: C alone -> 25 / 50.
    assert value_of(result, "changed_mindset_rate", 2021, "608") == pytest.approx(50.0)
    assert value_of(result, "poor_near_poor_rate", 2021, "C") is None  # a missing part, not 1 / 50
    assert not np.isinf(result["value"].dropna()).any()


def test_definitions_come_from_the_reference_file():
    definitions = load_definitions()
    assert definitions["poor_near_poor_rate"].numerator == ("poor", "near_poor")
    assert definitions["poor_near_poor_rate"].target["value"] == 1.0
    assert definitions["changed_mindset_rate"].denominator == "households"


def test_changes_are_points_and_relative_percent_kept_apart():
    data = form01([("A", 2021, 100, 50, 0, 0), ("A", 2023, 100, 98, 0, 0)])
    changes = compute_changes(compute_indicators(data, {"r": RATE}, city_code="608"),
                              indicator_ids=["changed_mindset_rate"], base_year=2021)
    row = changes.query("unit_code == 'A' and year == 2023").iloc[0]
    assert row["change_points"] == pytest.approx(48.0)  # 98% - 50%
    assert row["change_relative"] == pytest.approx(96.0)  # 98 / 50 - 1


def test_poverty_falls_are_judged_for_full_years_only():
    data = form01([("A", 2020, 100, 0, 10, 10), ("A", 2021, 100, 0, 8, 8), ("A", 2022, 100, 0, 8, 7.0),
                   ("A", 2023, 100, 0, 5, 5)])
    indicators = compute_indicators(data, {"p": POOR}, city_code="608")
    falls = compute_poverty_falls(indicators, mid_years=(2023,))
    unit = falls[falls["unit_code"] == "A"].set_index("year")
    assert unit.loc[2021, "fall"] == pytest.approx(4.0) and bool(unit.loc[2021, "meets_target"])
    assert unit.loc[2022, "fall"] == pytest.approx(1.0) and not bool(unit.loc[2022, "meets_target"])  # not more than 1
    assert unit.loc[2022, "shortfall"] == pytest.approx(0.0)
    assert not unit.loc[2023, "judged"] and pd.isna(unit.loc[2023, "meets_target"])
    assert list(units_behind(falls)["year"]) == [2022]
    # a mid-year figure inside the period: neither its change nor the next one is judged
    inner = compute_poverty_falls(indicators, mid_years=(2022,)).query("unit_code == 'A'").set_index("year")
    assert [bool(inner.loc[y, "judged"]) for y in (2021, 2022, 2023)] == [True, False, False]


def test_ranking_orders_units_and_measures_the_gap_to_the_city():
    data = form01([("A", 2023, 100, 90, 0, 0), ("B", 2023, 100, 70, 0, 0), ("C", 2023, 0, 0, 0, 0)])
    ranked = rank_units(compute_indicators(data, {"r": RATE}, city_code="608"),
                        indicator="changed_mindset_rate", year=2023, city_code="608")
    assert list(ranked["unit_code"]) == ["A", "B", "C"]
    assert list(ranked["rank"].astype(object)) == [1, 2, pd.NA]
    assert ranked.loc[0, "gap_to_city"] == pytest.approx(10.0)  # 90% vs 160 / 200 = 80%


def test_the_lookup_answers_as_value_of_and_count_of():
    import pandas as pd

    from analysis.compute.indicators import Lookup, count_of, value_of

    frame = pd.DataFrame({"unit_code": ["608", "608", "A", "A"], "indicator": ["r", "r", "r", "r"],
                          "year": [2021, 2023, 2021, 2023], "numerator": [10.0, 12.0, float("nan"), 3.0],
                          "denominator": [20.0, 20.0, 5.0, 4.0], "value": [50.0, 60.0, float("nan"), 75.0]})
    lookup = Lookup(frame)
    assert lookup.value("r", 2023) == 60.0 and lookup.count("r", 2023, "A") == 3.0
    assert lookup.value("r", 2021, "A") is None and lookup.count("r", 2021, "A") is None  # a gap is None, not NaN
    assert lookup.value("r", 2022) is None and lookup.value("s", 2023) is None  # not there
    for unit in ("608", "A", "B"):
        for year in (2021, 2022, 2023):
            assert lookup.value("r", year, unit) == value_of(frame, "r", year, unit)
            assert lookup.count("r", year, unit) == count_of(frame, "r", year, unit)
