"""The two sample sets, written as workbooks: the bundled one (three_years.yaml, data/raw) and
the five-year one across the reorganisation of the units (five_years.yaml)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from analysis.errors import UsageError
from samples.form01 import bundled_typing, write_form01
from samples.register import Model, built_models, bundled_models, spelling, write_form02
from samples.settings import Register, five_years, forms, three_years
from samples.split import Values, draw_values
from samples.units import UnitMap, summed_onto, units_of_year


def periods() -> tuple[tuple[int, int], ...]:
    """The periods there is a sample set for: the bundled one first (the default)."""
    return three_years().period, five_years().period


def check_sample_period(period: tuple[int, int]) -> None:
    """A UsageError unless there is a sample set for `period`."""
    if tuple(period) not in periods():
        known = " và ".join(f"{start}–{end}" for start, end in periods())
        raise UsageError(f"Bộ số liệu mẫu chỉ có cho giai đoạn {known}, không có cho {period[0]}–{period[1]}.")


def _bundled_draws(rng: np.random.Generator) -> tuple[Values, np.ndarray, UnitMap]:
    """The bundled set's counts per unit (drawn from `rng`), the units' sizes after its last
    year, and the units they are drawn on (those of its first year)."""
    settings = three_years()
    units = units_of_year(min(settings.years))
    values, weights = draw_values(rng, {year: form.totals for year, form in settings.years.items()}, units)
    return values, weights, units


def _agency(units: UnitMap, bundled: UnitMap) -> tuple[str, str]:
    """Who a form comes from: the bundled set's agency on its map, the new map's agency on another."""
    return three_years().agency if units.codes == bundled.codes else five_years().new_map_agency


def _bundled_forms(values: Values, drawn_on: UnitMap, out_dir: Path, years) -> list[Path]:
    settings = three_years()
    paths = []
    for year in sorted(years):
        units = units_of_year(year)
        paths.append(write_form01(settings.years[year], summed_onto(values[year], units, drawn_on), units, out_dir,
                                  agency=_agency(units, drawn_on), typing=bundled_typing(year)))
    return paths


def write_three_years(out_dir: Path) -> list[Path]:
    """Form 01 for each year of three_years.yaml, then its register."""
    settings = three_years()
    rng = np.random.default_rng(settings.seed)
    values, _, units = _bundled_draws(rng)
    paths = _bundled_forms(values, units, out_dir, settings.years)
    register = settings.register
    paths.append(write_form02(bundled_models(rng), out_dir, first_year=min(register.built), until=register.until,
                              agency=settings.agency))
    return paths


def _five_year_statuses(rng: np.random.Generator, rows: list[Model], register: Register) -> list[Model]:
    """Statuses on the register's day: the last year's models new; the bundled register's replicated
    ones stay so and more are drawn; some stopped (with the year); the others maintained."""
    words = forms()["statuses"]
    last = max(register.built)
    replicated = {i for i, row in enumerate(rows) if row[5] in words["replicated"]}
    judged = [i for i, row in enumerate(rows) if row[3] < last and i not in replicated]
    more = rng.choice(judged, size=register.replicated - len(replicated) + register.stopped, replace=False).tolist()
    replicated |= set(more[: register.replicated - len(replicated)])
    stopped = set(more) - replicated
    result = []
    for i, row in enumerate(rows):
        name, unit, sector, year, households = row[:5]
        year_stopped = None
        if year == last:
            status = spelling(rng, "new")
        elif i in stopped:
            status = spelling(rng, "stopped")
            year_stopped = int(rng.integers(max(year, register.stopped_from or year), last + 1))
        elif i in replicated:
            status = row[5] if row[5] in words["replicated"] else spelling(rng, "replicated")
        else:
            status = spelling(rng, "maintained")
        note = forms()["replicated_note"] if i in replicated else ""
        result.append([name, unit, sector, year, households, status, year_stopped, note])
    return result


def five_year_models() -> list[Model]:
    """The register to the end of the five-year period: the bundled register's models (the same
    draws), then the models of five_years.yaml's later years, each in the unit it was built in."""
    first = np.random.default_rng(three_years().seed)
    _, _, drawn_on = _bundled_draws(first)  # the same draws as the bundled set, so its models are the same
    rows = [row[:6] for row in bundled_models(first)]  # name, unit, sector, year, households, status
    register = five_years().register
    rng = np.random.default_rng(register.seed)
    rows += [model + [None] for model in built_models(rng, register.built, drawn_on)]
    return _five_year_statuses(rng, rows, register)


def write_five_years(out_dir: Path) -> list[Path]:
    """The bundled forms of five_years.yaml's `bundled_years`, each later year drawn on from where
    the bundled set left every unit's size (summed onto the new units on the new map), the register."""
    settings = five_years()
    values, weights, drawn_on = _bundled_draws(np.random.default_rng(three_years().seed))
    paths = _bundled_forms(values, drawn_on, out_dir, settings.bundled_years)
    for seed, years in settings.draws:
        drawn, _ = draw_values(np.random.default_rng(seed), {y: form.totals for y, form in years.items()},
                               drawn_on, weights)
        for year, form in years.items():
            units = units_of_year(year)
            paths.append(write_form01(form, summed_onto(drawn[year], units, drawn_on), units, out_dir,
                                      agency=_agency(units, drawn_on)))
    register = settings.register
    paths.append(write_form02(five_year_models(), out_dir, first_year=min(three_years().register.built),
                              until=register.until, agency=_agency(units_of_year(max(register.built)), drawn_on)))
    return paths
