"""Indicators from their definitions (data/reference/indicators.yaml), per unit, year and city.

value = factor × numerator / denominator, where a group's (the city's) numerator and
denominator are sums over its units: never an average of unit rates. A zero or missing
denominator gives a missing value (printed "không có số liệu"), never a division error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config, schemas
from analysis.errors import UsageError
from analysis.vocabulary import AREA_CODE
from analysis.reference import load_yaml


@dataclass(frozen=True)
class Definition:
    id: str
    label: str
    short_label: str
    numerator: tuple[str, ...]
    denominator: str | None
    factor: float
    unit: str
    decimals: int
    target: dict | None = None
    better: str = "higher"  # or "lower": which way is good (rankings)
    # the smallest gap (in the indicator's unit: points for a rate) that a report calls a strength or a
    # limit; a smaller one is "tương đương" (indicators.yaml `materiality`)
    materiality: float = 0.0

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None


def load_definitions(path: Path | None = None) -> dict[str, Definition]:
    raw = load_yaml(Path(path or config.INDICATORS_FILE))["indicators"]
    definitions = {}
    for item in raw:
        numerator = item["numerator"]
        definitions[item["id"]] = Definition(
            id=item["id"],
            label=item["label"],
            short_label=item.get("short_label", item["label"]),
            numerator=tuple(numerator if isinstance(numerator, list) else [numerator]),
            denominator=item.get("denominator"),
            factor=float(item.get("factor", 1)),
            unit=item.get("unit", ""),
            decimals=int(item.get("decimals", 0)),
            target=item.get("target"),
            better=_better(item),
            materiality=_materiality(item),
        )
    return definitions


def _materiality(item: dict) -> float:
    value = item.get("materiality", 0)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise UsageError(f"chỉ tiêu {item['id']}: materiality = “{value}” không hợp lệ; ghi một số không âm (mức chênh "
                         f"lệch tối thiểu, ví dụ 1 điểm phần trăm) trong {config.INDICATORS_FILE.name}")
    return float(value)


def _better(item: dict) -> str:
    better = str(item.get("better", "higher"))
    if better not in ("higher", "lower"):
        raise UsageError(f"chỉ tiêu {item['id']}: better = “{better}” không hợp lệ; ghi higher (càng cao càng tốt) "
                         f"hoặc lower (càng thấp càng tốt) trong {config.INDICATORS_FILE.name}")
    return better


def _numerator(frame: pd.DataFrame, fields: tuple[str, ...]) -> pd.Series:
    parts = frame[list(fields)].astype("Float64")
    return parts.sum(axis=1, skipna=False)


def _ratio(numerator: pd.Series, denominator: pd.Series | None, factor: float) -> pd.Series:
    if denominator is None:
        return numerator.astype(float) * factor
    num = numerator.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    den = denominator.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(den > 0, factor * num / den, np.nan)
    return pd.Series(value, index=numerator.index)


def compute_indicators(form01: pd.DataFrame, definitions: dict[str, Definition], *,
                       city_code: str = AREA_CODE) -> pd.DataFrame:
    """Tidy values: unit_code, year, indicator, numerator, denominator, value (units and city)."""
    pieces = []
    for definition in definitions.values():
        numerator = _numerator(form01, definition.numerator)
        denominator = form01[definition.denominator].astype("Float64") if definition.denominator else None
        units = pd.DataFrame({
            "unit_code": form01["unit_code"].to_numpy(),
            "year": form01["year"].to_numpy(),
            "indicator": definition.id,
            "numerator": numerator.astype(float).to_numpy(),
            "denominator": np.nan if denominator is None else denominator.astype(float).to_numpy(),
        })
        # The city: sums over the units where both parts are known.
        known = units["numerator"].notna() & (units["denominator"].notna() if denominator is not None else True)
        city = (
            units[known].groupby("year", as_index=False)[["numerator", "denominator"]].sum(min_count=1)
            .assign(unit_code=city_code, indicator=definition.id)
        )
        if denominator is None:
            city = city.assign(denominator=np.nan)
        both = pd.concat([units, city], ignore_index=True)
        both["value"] = _ratio(both["numerator"], None if denominator is None else both["denominator"], definition.factor)
        pieces.append(both)
    frame = pd.concat(pieces, ignore_index=True)[list(schemas.INDICATORS.columns)]
    frame = frame.astype({"unit_code": "str", "indicator": "str", "year": "int64"})
    return schemas.INDICATORS.validate(frame.sort_values(["indicator", "unit_code", "year"], kind="stable").reset_index(drop=True))


def _lookup(indicators: pd.DataFrame, indicator: str, year: int, unit_code: str, column: str) -> float | None:
    rows = indicators.loc[(indicators["indicator"] == indicator) & (indicators["year"] == year)
                          & (indicators["unit_code"] == unit_code), column]
    return None if rows.empty or pd.isna(rows.iloc[0]) else float(rows.iloc[0])


class Lookup:
    """value_of and count_of over one indicators frame that does not change, indexed once (a report
    asks for hundreds of cells: three column comparisons each were a tenth of its build time)."""

    def __init__(self, indicators: pd.DataFrame):
        self._cells: dict[tuple, tuple] = {}
        keys = zip(indicators["indicator"], indicators["year"].astype(int), indicators["unit_code"])
        for key, value, numerator in zip(keys, indicators["value"], indicators["numerator"]):
            self._cells.setdefault(key, (value, numerator))  # the first row, as _lookup takes

    def _get(self, indicator: str, year: int, unit_code: str, position: int) -> float | None:
        cell = self._cells.get((indicator, int(year), unit_code))
        return None if cell is None or pd.isna(cell[position]) else float(cell[position])

    def value(self, indicator: str, year: int, unit_code: str = AREA_CODE) -> float | None:
        return self._get(indicator, year, unit_code, 0)

    def count(self, indicator: str, year: int, unit_code: str = AREA_CODE) -> float | None:
        return self._get(indicator, year, unit_code, 1)


def value_of(indicators: pd.DataFrame, indicator: str, year: int, unit_code: str = AREA_CODE) -> float | None:
    """One value, or None when it is missing."""
    return _lookup(indicators, indicator, year, unit_code, "value")


def count_of(indicators: pd.DataFrame, indicator: str, year: int, unit_code: str = AREA_CODE) -> float | None:
    """The numerator behind a value (for a rate: the households counted)."""
    return _lookup(indicators, indicator, year, unit_code, "numerator")
