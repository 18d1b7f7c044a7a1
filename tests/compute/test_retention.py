import pandas as pd
import pytest

from analysis.compute.retention import by_group, cohort_table, retention_summary, status_shares, survival_table


def models(rows):
    return pd.DataFrame(rows, columns=["unit_code", "sector", "year_built", "status", "year_stopped"]).astype(
        {"year_stopped": "Int64"})


REGISTER = models([
    ("A", "crops", 2021, "maintained", None),
    ("A", "crops", 2021, "replicated", None),
    ("B", "livestock", 2021, "stopped", 2022),
    ("B", "livestock", 2022, "maintained", None),
    ("B", "crops", 2023, "new", None),
])


def test_cohort_table_and_retention_of_judged_cohorts():
    table = cohort_table(REGISTER, report_year=2023).set_index("year_built")
    assert table.loc[2021, ["built", "maintained", "replicated", "stopped", "running"]].tolist() == [3, 1, 1, 1, 2]
    assert table.loc[2021, "retention_rate"] == pytest.approx(200 / 3)
    assert pd.isna(table.loc[2023, "retention_rate"])  # too young to judge
    summary = retention_summary(REGISTER, report_year=2023).set_index("measure")
    assert summary.loc["retention_rate", ["numerator", "denominator"]].tolist() == [3, 4]  # 2 + 1 of the 4 old
    assert summary.loc["replication_rate", "value"] == pytest.approx(25.0)
    assert "2021–2022" in summary.loc["retention_rate", "denominator_text"]
    assert summary.loc["share_new", "value"] == pytest.approx(20.0)


def test_status_shares_and_groups():
    shares = status_shares(REGISTER).set_index("status")
    assert shares["count"].tolist() == [2, 1, 1, 1] and shares["share"].sum() == pytest.approx(100.0)
    sectors = by_group(REGISTER, "sector").set_index("sector")
    assert sectors.loc["livestock", "retention_rate"] == pytest.approx(50.0)


def test_kaplan_meier_counts_stops_and_censors_running_models():
    table = survival_table(REGISTER, report_year=2023).set_index("years_since_built")
    # Durations: 2, 2, 1 (stopped), 1, 0 (censored except the stopped one).
    assert table.loc[0, "at_risk"] == 5 and table.loc[0, "survival"] == pytest.approx(100.0)
    assert table.loc[1, ["at_risk", "stopped", "censored"]].tolist() == [4, 1, 1]
    assert table.loc[1, "survival"] == pytest.approx(75.0)
    assert table.loc[2, "survival"] == pytest.approx(75.0)


def test_empty_register_gives_no_rate_not_an_error():
    empty = models([])
    summary = retention_summary(empty, report_year=2023)
    assert summary["value"].isna().all()
