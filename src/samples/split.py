"""The per-unit figures of a sample set: city totals split over the units in whole numbers.

Each unit's size (samples/data/units.csv) changes by a random factor every year; the households,
then the households a rated field did not reach, the other parts and the poverty fields are split
in proportion (draws.yaml), so every column sums exactly to the city total of the year, and no part
(nor the poverty fields together) exceeds a unit's households.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from analysis.vocabulary import form01_fields
from samples.settings import forms, unit_draws
from samples.units import UnitMap

Values = dict[int, dict[str, np.ndarray]]  # {year: {field: one count per unit}}


def round_half_up(value: float, decimals: int) -> float:
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split `total` into whole numbers proportional to `weights` (largest remainder)."""
    shares = weights / weights.sum() * total
    whole = np.floor(shares).astype(int)
    order = np.argsort(-(shares - whole), kind="stable")
    whole[order[: total - whole.sum()]] += 1
    return whole


def allocate_within(total: int, weights: np.ndarray, caps: np.ndarray) -> np.ndarray:
    """`allocate`, no unit over its cap (`total` <= the caps' sum): what a unit's share exceeds
    its cap by goes to the units below theirs, in proportion to their room."""
    whole = np.minimum(allocate(total, weights), caps)
    excess = total - int(whole.sum())
    if excess:
        whole += allocate(excess, (caps - whole).astype(float))  # never over a cap: a share <= the room
    return whole


def field_roles() -> tuple[list[str], list[str], list[str]]:
    """(rated fields, other parts, poverty fields) of form 01, in data/reference/fields.yaml's order."""
    rated = list(forms()["form01"]["rated"])
    parts = [f.id for f in form01_fields() if f.role == "part" and f.id not in rated]
    poverty = [f.id for f in form01_fields() if f.role == "poverty"]
    return rated, parts, poverty


def _year_values(rng: np.random.Generator, totals: dict[str, int], units: UnitMap,
                 weights: np.ndarray) -> dict[str, np.ndarray]:
    """One year's counts per unit; `weights` are the units' sizes this year."""
    shape = unit_draws()
    rated, parts, poverty = field_roles()
    count = len(units.codes)
    households = allocate(totals["households"], weights)
    row = {"households": households}
    for field in rated:
        if field in totals:
            # Allocate the households NOT reached, so that no part exceeds the whole.
            spread = households * rng.uniform(*shape.reach_spread, count)
            row[field] = households - allocate_within(totals["households"] - totals[field], spread, households)
    for field in parts:
        if field in totals:
            row[field] = allocate_within(totals[field], households * units.by_type(shape.part_weight), households)
    poverty_weight = households * units.by_type(shape.poverty_weight) * rng.uniform(*shape.poverty_spread, count)
    room = households  # the poverty fields together never exceed a unit's households
    for field in poverty:
        row[field] = allocate_within(totals[field], poverty_weight, room)
        room = room - row[field]
    return row


def draw_values(rng: np.random.Generator, city_totals: dict[int, dict[str, int]], units: UnitMap,
                weights: np.ndarray | None = None) -> tuple[Values, np.ndarray]:
    """Counts per unit of `units` for the years of `city_totals`, each column summing to its city
    total, and the units' sizes after the last year (to continue from). Without `weights`, the
    sizes start from samples/data/units.csv."""
    if weights is None:
        weights = np.array([unit.weight for unit in units.samples], dtype=float)
    values: Values = {}
    for year, totals in city_totals.items():
        weights = weights * rng.uniform(*unit_draws().yearly_change, len(units.codes))
        values[year] = _year_values(rng, totals, units, weights)
    for year, row in values.items():
        for field, column in row.items():
            if column.sum() != city_totals[year][field]:
                raise ValueError(f"the {field} of {year} sum to {column.sum()}, not {city_totals[year][field]}")
    return values, weights
