"""Economic models (form 02): cohorts by year built, retention, replication, status shares,
by sector and by unit, and survival by years since built (Kaplan–Meier).

Statuses are disjoint: maintained (Đang duy trì), replicated (Đã nhân rộng), stopped (Ngừng
hoạt động), new (Mới xây dựng, built in the review year). "Still running" = maintained +
replicated. Retention and replication are judged on the cohorts built before the review year
(the new ones are too young). Every rate carries its definition and denominator in Vietnamese.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.vocabulary import RUNNING_STATUSES, STATUSES, status_label


def _counts(models: pd.DataFrame, by: str | list[str]) -> pd.DataFrame:
    table = pd.crosstab([models[c] for c in ([by] if isinstance(by, str) else by)], models["status"])
    table = table.reindex(columns=list(STATUSES), fill_value=0)
    table.columns.name = None
    return table.assign(built=table.sum(axis=1))


def _rates(table: pd.DataFrame) -> pd.DataFrame:
    running = table["maintained"] + table["replicated"]
    judged = table["built"] - table["new"]
    with np.errstate(divide="ignore", invalid="ignore"):
        return table.assign(
            running=running,
            judged=judged,
            retention_rate=np.where(judged > 0, running / judged.where(judged > 0) * 100, np.nan),
            replication_rate=np.where(judged > 0, table["replicated"] / judged.where(judged > 0) * 100, np.nan),
        )


def cohort_table(models: pd.DataFrame, *, report_year: int) -> pd.DataFrame:
    """One row per year built: built, maintained, replicated, stopped, new, running, and the
    retention and replication rates of the cohort (missing for the review year's cohort)."""
    table = _rates(_counts(models, "year_built")).reset_index()
    young = table["year_built"] >= report_year
    table.loc[young, ["retention_rate", "replication_rate"]] = np.nan
    return table


def retention_summary(models: pd.DataFrame, *, report_year: int) -> pd.DataFrame:
    """The headline rates with their numerators, denominators and definitions (Vietnamese)."""
    old = models[models["year_built"] < report_year]
    running = int(old["status"].isin(RUNNING_STATUSES).sum())
    replicated = int((old["status"] == "replicated").sum())
    cohorts = f"{int(old['year_built'].min())}–{int(old['year_built'].max())}" if len(old) else "trước năm báo cáo"
    total = len(models)
    rows = [
        ("retention_rate", running, len(old),
         "Tỉ lệ mô hình còn hoạt động",
         "số mô hình đang duy trì hoặc đã nhân rộng / số mô hình xây dựng trước năm báo cáo",
         f"{len(old)} mô hình xây dựng năm {cohorts}"),
        ("replication_rate", replicated, len(old),
         "Tỉ lệ mô hình được nhân rộng",
         "số mô hình đã nhân rộng / số mô hình xây dựng trước năm báo cáo",
         f"{len(old)} mô hình xây dựng năm {cohorts}"),
    ]
    for status in STATUSES:
        rows.append((f"share_{status}", int((models["status"] == status).sum()), total,
                     f"Tỉ trọng mô hình {status_label(status).lower()}",
                     f"số mô hình {status_label(status).lower()} / tổng số mô hình",
                     f"{total} mô hình"))
    frame = pd.DataFrame(rows, columns=["measure", "numerator", "denominator", "label", "definition", "denominator_text"])
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(frame["denominator"] > 0, frame["numerator"] / frame["denominator"].where(frame["denominator"] > 0) * 100, np.nan)
    return frame.assign(value=value)


def status_shares(models: pd.DataFrame) -> pd.DataFrame:
    counts = models["status"].value_counts().reindex(list(STATUSES), fill_value=0)
    total = int(counts.sum())
    return pd.DataFrame({
        "status": counts.index,
        "label": [status_label(s) for s in counts.index],
        "count": counts.to_numpy(),
        "share": counts.to_numpy() / total * 100 if total else np.nan,
    })


def by_group(models: pd.DataFrame, column: str) -> pd.DataFrame:
    """Status counts and the retention and replication rates (cohorts before the review year),
    by `column` (sector or unit_code)."""
    return _rates(_counts(models, column)).reset_index()


def survival_table(models: pd.DataFrame, *, report_year: int) -> pd.DataFrame:
    """Kaplan–Meier estimate of the share of models still running t years after being built.

    A stopped model has its event at year_stopped − year_built; a running or new one is
    censored at report_year − year_built (it was last seen running in the review year)."""
    stopped = models["status"] == "stopped"
    duration = np.where(stopped, models["year_stopped"].astype("Float64").fillna(report_year).to_numpy(float)
                        - models["year_built"].to_numpy(float), report_year - models["year_built"].to_numpy(float))
    event = stopped.to_numpy()
    rows, survival = [], 1.0
    for t in range(0, int(duration.max()) + 1 if len(duration) else 0):
        at_risk = int((duration >= t).sum())
        events = int(((duration == t) & event).sum())
        censored = int(((duration == t) & ~event).sum())
        if at_risk:
            survival *= 1 - events / at_risk
        rows.append({"years_since_built": t, "at_risk": at_risk, "stopped": events, "censored": censored,
                     "survival": survival * 100})
    return pd.DataFrame(rows, columns=["years_since_built", "at_risk", "stopped", "censored", "survival"])
