"""Back-test: the bundled sample data reproduce the published city figures.

Expected values are written by hand from ../shared/design/published-figures.md. The article
(tests/fixtures/published_figures.csv, dated 24/6/2023) is test ground truth only: the report
itself, dated 23/6/2023, may not check itself against what was written about it the day after.
"""

import datetime as dt
from pathlib import Path

import pytest

from analysis.errors import UsageError

from analysis.dataset import load_dataset
from analysis.formatting import fmt_int, fmt_percent, fmt_points, round_half_up
from analysis.compute.indicators import compute_indicators, count_of, load_definitions, value_of
from analysis.compute.reconcile import load_published, reconcile
from analysis.compute.retention import retention_summary, status_shares
from analysis.compute.trends import compute_changes, compute_poverty_falls


ARTICLE = Path(__file__).parents[1] / "fixtures" / "published_figures.csv"


@pytest.fixture(scope="module")
def computed():
    dataset = load_dataset()
    indicators = compute_indicators(dataset.form01, load_definitions())
    return dataset, indicators


def test_household_counts_2023(computed):
    _, indicators = computed
    assert fmt_int(count_of(indicators, "households", 2023)) == "12.291"
    assert fmt_int(count_of(indicators, "informed_rate", 2023)) == "12.291"
    assert fmt_int(count_of(indicators, "changed_mindset_rate", 2023)) == "12.145"
    assert fmt_int(count_of(indicators, "applied_science_rate", 2023)) == "12.165"
    assert fmt_int(count_of(indicators, "improved_life_rate", 2023)) == "12.102"
    assert fmt_int(count_of(indicators, "coop_rate", 2023)) == "551"


def test_rates_2023_and_2021(computed):
    _, indicators = computed
    assert fmt_percent(value_of(indicators, "informed_rate", 2023)) == "100,0%"
    assert fmt_percent(value_of(indicators, "changed_mindset_rate", 2023)) == "98,8%"
    assert fmt_percent(value_of(indicators, "applied_science_rate", 2023)) == "99,0%"
    assert fmt_percent(value_of(indicators, "improved_life_rate", 2023)) == "98,5%"
    assert fmt_percent(value_of(indicators, "changed_mindset_rate", 2021)) == "50,7%"
    assert fmt_percent(value_of(indicators, "applied_science_rate", 2021)) == "34,2%"
    assert fmt_percent(value_of(indicators, "improved_life_rate", 2021)) == "24,5%"


def test_changes_since_2021_in_points(computed):
    _, indicators = computed
    changes = compute_changes(indicators, indicator_ids=["changed_mindset_rate", "applied_science_rate",
                                                         "improved_life_rate"], base_year=2021)
    city = changes.query("unit_code == '608' and year == 2023").set_index("indicator")["change_points"]
    assert fmt_points(city["changed_mindset_rate"]) == "+48,1 điểm phần trăm"
    assert fmt_points(city["applied_science_rate"]) == "+64,8 điểm phần trăm"
    assert fmt_points(city["improved_life_rate"]) == "+74,0 điểm phần trăm"


def test_poverty_falls_beat_the_target(computed):
    dataset, indicators = computed
    assert dataset.mid_years == (2023,)  # the 2023 form says "số liệu đến ngày 15/6/2023"
    falls = compute_poverty_falls(indicators, mid_years=dataset.mid_years).query("unit_code == '608'").set_index("year")
    assert round_half_up(falls.loc[2021, "fall"], 1) == 4.3
    assert round_half_up(falls.loc[2022, "fall"], 1) == 3.3
    assert bool(falls.loc[2021, "meets_target"]) and bool(falls.loc[2022, "meets_target"])
    assert not falls.loc[2023, "judged"]


def test_models(computed):
    dataset, _ = computed
    shares = status_shares(dataset.models).set_index("status")
    assert len(dataset.models) == 240
    assert shares["count"].to_dict() == {"maintained": 145, "replicated": 34, "stopped": 0, "new": 61}
    assert [fmt_percent(shares.loc[s, "share"]) for s in ("maintained", "replicated", "new")] == ["60,4%", "14,2%", "25,4%"]
    summary = retention_summary(dataset.models, report_year=2023).set_index("measure")
    assert summary.loc["retention_rate", ["numerator", "denominator"]].tolist() == [179, 179]
    assert fmt_percent(summary.loc["retention_rate", "value"]) == "100,0%"
    assert fmt_percent(summary.loc["replication_rate", "value"]) == "19,0%"


def test_reconciliation_finds_only_the_truncated_98_9(computed):
    dataset, indicators = computed
    result = reconcile(load_published(ARTICLE), indicators, dataset.models, base_year=2021)
    differing = result[result["status"] != "match"]
    assert len(result) == 18
    assert differing[["id", "status", "published_text", "recomputed_text"]].values.tolist() == [
        ["applied_science_rate", "rounding", "98,9%", "99,0%"]]
    assert "12.165 / 12.291" in differing.iloc[0]["arithmetic"]


def test_printed_differences_reproduce_every_published_difference(computed):
    from analysis.formatting import printed_difference
    from analysis.compute.computed import printed_falls

    _, indicators = computed
    changes = [printed_difference(value_of(indicators, k, 2023), value_of(indicators, k, 2021))
               for k in ("changed_mindset_rate", "applied_science_rate", "improved_life_rate")]
    assert changes == [48.1, 64.8, 74.0]
    falls = printed_falls(indicators, mid_years=(2023,), target=1.0).query("unit_code == '608'").set_index("year")
    assert falls.loc[2021, "fall"] == 4.3 and falls.loc[2022, "fall"] == 3.3


def test_an_article_dated_after_the_report_is_refused():
    with pytest.raises(UsageError, match="ngày 24/6/2023 sau ngày của báo cáo \\(23/6/2023\\)"):
        load_published(ARTICLE, report_date=dt.date(2023, 6, 23))
    assert len(load_published(ARTICLE, report_date=dt.date(2023, 7, 1))) == 18
