"""Trends of the indicators: changes in điểm phần trăm and in relative %, kept apart; the yearly
fall of the poor + near-poor rate against its target; rankings; units behind.

A difference of two rates is in percentage points ("điểm phần trăm"); a relative change is
(new / old − 1) × 100 in percent. Both are computed from unrounded values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.vocabulary import AREA_CODE


def _wide(indicators: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """unit_code x year table of one indicator's values."""
    subset = indicators[indicators["indicator"] == indicator]
    return subset.pivot_table(index="unit_code", columns="year", values="value", aggfunc="first", dropna=False)


def compute_changes(indicators: pd.DataFrame, *, indicator_ids: list[str], base_year: int) -> pd.DataFrame:
    """Per unit, indicator and year: the value, its change against `base_year` and against the
    year before, each as `*_points` (difference, điểm phần trăm) and `*_relative` (%)."""
    frames = []
    for indicator in indicator_ids:
        wide = _wide(indicators, indicator)
        years = sorted(wide.columns)
        for year in years:
            value = wide[year]
            base = wide[base_year] if base_year in wide.columns else pd.Series(np.nan, index=wide.index)
            previous = wide[year - 1] if year - 1 in wide.columns else pd.Series(np.nan, index=wide.index)
            with np.errstate(divide="ignore", invalid="ignore"):
                frames.append(pd.DataFrame({
                    "unit_code": wide.index,
                    "indicator": indicator,
                    "year": year,
                    "value": value.to_numpy(float),
                    "base_year": base_year,
                    "base_value": base.to_numpy(float),
                    "change_points": (value - base).to_numpy(float),
                    "change_relative": np.where(base > 0, (value / base - 1) * 100, np.nan),
                    "previous_value": previous.to_numpy(float),
                    "yoy_points": (value - previous).to_numpy(float),
                    "yoy_relative": np.where(previous > 0, (value / previous - 1) * 100, np.nan),
                }))
    columns = ["unit_code", "indicator", "year", "value", "base_year", "base_value", "change_points",
               "change_relative", "previous_value", "yoy_points", "yoy_relative"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def compute_poverty_falls(indicators: pd.DataFrame, *, mid_years=(), target: float = 1.0,
                          indicator: str = "poor_near_poor_rate") -> pd.DataFrame:
    """The yearly fall of the poor + near-poor rate (previous − current, in points) per unit and
    city. Only a change between two full years is judged against the target (a fall of more than
    `target` points): one a mid-year figure enters (`mid_years`, what the forms say) is shown with
    `judged` False and `meets_target` missing."""
    wide = _wide(indicators, indicator)
    rows = []
    for year in sorted(wide.columns):
        if year - 1 not in wide.columns:
            continue
        fall = wide[year - 1] - wide[year]
        judged = year not in mid_years and year - 1 not in mid_years
        for unit_code in wide.index:
            value = fall[unit_code]
            meets = pd.NA if (not judged or pd.isna(value)) else bool(value > target)
            rows.append({
                "unit_code": unit_code, "year": year, "rate": wide.at[unit_code, year],
                "previous_rate": wide.at[unit_code, year - 1], "fall": value, "judged": judged,
                "target": target, "meets_target": meets,
                "shortfall": (target - value) if judged and not pd.isna(value) and value <= target else np.nan,
            })
    frame = pd.DataFrame(rows, columns=["unit_code", "year", "rate", "previous_rate", "fall", "judged", "target",
                                        "meets_target", "shortfall"])
    return frame.astype({"meets_target": "boolean"})


def rank_units(indicators: pd.DataFrame, *, indicator: str, year: int, city_code: str = AREA_CODE,
               ascending: bool = False) -> pd.DataFrame:
    """Units (not the city) ordered by one indicator in one year, with their rank (1 = best)
    and their gap to the city value in points. Units with no value come last, unranked."""
    subset = indicators[(indicators["indicator"] == indicator) & (indicators["year"] == year)]
    city = subset.loc[subset["unit_code"] == city_code, "value"]
    city_value = float(city.iloc[0]) if len(city) and not pd.isna(city.iloc[0]) else np.nan
    units = subset[subset["unit_code"] != city_code].sort_values("value", ascending=ascending, na_position="last")
    ranks = units["value"].rank(ascending=ascending, method="min")
    return units.assign(rank=ranks.astype("Int64"), gap_to_city=units["value"] - city_value).reset_index(drop=True)


def units_behind(falls: pd.DataFrame, *, city_code: str = AREA_CODE) -> pd.DataFrame:
    """Units whose poor + near-poor rate fell by no more than the target in a judged year."""
    behind = falls[(falls["unit_code"] != city_code) & falls["judged"] & (falls["meets_target"] == False)]  # noqa: E712
    return behind.sort_values(["year", "shortfall"], ascending=[True, False]).reset_index(drop=True)
