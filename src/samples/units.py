"""The units a sample form is typed for: the map of data/reference in force on 31/12 of its year
(analysis.maps), with each unit's relative size and spelling from samples/data/units.csv."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from analysis.maps import load_crosswalk, map_for_year
from samples.settings import SampleUnit, sample_unit


@dataclass(frozen=True)
class UnitMap:
    """The units of one map, in data/reference/units.csv's order."""

    codes: tuple[str, ...]
    full_names: tuple[str, ...]
    types: tuple[str, ...]  # phường / xã
    samples: tuple[SampleUnit, ...]

    @property
    def spellings(self) -> dict[str, str]:
        """{code: the unit's name as its office types it in form 01}."""
        return {code: unit.spelling for code, unit in zip(self.codes, self.samples)}

    def by_type(self, values: dict[str, float]) -> np.ndarray:
        """One value per unit, looked up by the unit's type."""
        return np.array([values[kind] for kind in self.types], dtype=float)


def _day(value) -> str:
    return "" if pd.isna(value) else pd.Timestamp(value).date().isoformat()


@cache
def _map(year: int) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(codes, full names, types, first days) of the units in force on 31/12 of `year`."""
    units = map_for_year(year)
    return (tuple(str(code) for code in units["code"]), tuple(units["full_name"]), tuple(units["type"]),
            tuple(_day(day) for day in units["valid_from"]))


def units_of_year(year: int) -> UnitMap:
    """The units a form 01 for `year` is typed for (those in force on 31/12 of the year), with
    their sizes and spellings in the sample (samples/data/units.csv)."""
    codes, full_names, types, days = _map(year)
    return UnitMap(codes, full_names, types, tuple(sample_unit(code, day) for code, day in zip(codes, days)))


def members(target: UnitMap, source: UnitMap) -> list[list[int]]:
    """For each unit of `target`, the indexes of the units of `source` it is made of: itself when
    the maps are the same, its members through data/reference/crosswalk.csv otherwise."""
    if target.codes == source.codes:
        return [[i] for i in range(len(source.codes))]
    crosswalk = load_crosswalk()
    onto = dict(zip(crosswalk["old_code"], crosswalk["new_code"]))
    return [[i for i, old in enumerate(source.codes) if onto[old] == new] for new in target.codes]


def sizes(target: UnitMap, source: UnitMap) -> list[int]:
    """Each unit's relative size: the sum of its members' sizes in `source` (samples/data/units.csv)."""
    return [sum(int(source.samples[i].weight or 0) for i in group) for group in members(target, source)]


def summed_onto(values: dict[str, np.ndarray], target: UnitMap, source: UnitMap) -> dict[str, np.ndarray]:
    """Counts per unit of `source` summed onto the units of `target`."""
    if target.codes == source.codes:
        return values
    groups = members(target, source)
    return {field: np.array([sum(int(column[i]) for i in group) for group in groups])
            for field, column in values.items()}
