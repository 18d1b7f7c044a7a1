"""Everything computed from one data set for its reports, once: `Computed` (a batch of reports
shares it, the notebooks load it, the incremental record digests what a unit's report reads from it).

`compute_all` does the arithmetic once per data set and map of units; `compute_for` on the map
that the report's parameters give. How far each year's figures go is what the forms say
(Dataset.as_of): a year whose figures stop before 31/12 is a mid-year year. Form 01 of years on
an older map is summed onto the reports' map through the crosswalk (counts summed; every rate is
then computed from the summed counts, never averaged). `printed_falls`: the yearly change of the
poor + near-poor rate as a reader of the report sees it (the difference of two printed rates).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from collections.abc import Iterable
from typing import Protocol

import numpy as np
import pandas as pd

from analysis.compute.crosswalk import assign_new_units, reaggregate
from analysis.compute.indicators import compute_indicators, load_definitions
from analysis.compute.trends import compute_changes
from analysis.dataset import Dataset
from analysis.formatting import (
    printed_difference,
    round_half_up,
)
from analysis.maps import load_crosswalk, map_for_year, reference_date
from analysis.reference import load_units
from analysis.vocabulary import AREA_CODE, Area, area_on

CITY = AREA_CODE
CAMPAIGN = ("informed_rate", "changed_mindset_rate", "applied_science_rate", "improved_life_rate")
DECIMALS = 1  # rates and changes are printed with one decimal


class OnMap(Protocol):
    """What compute_for reads of the report's parameters (analysis.report.params.ReportParams)."""

    @property
    def map_day(self) -> dt.date: ...


@dataclass
class Computed:
    """Everything computed from one data set, shared by every report of a batch, on one map of
    units: `map_day` (None: the map the data set's last year is on). Form 01 of years on an
    older map is summed onto that map's units through the crosswalk (counts summed; every rate
    is then computed from the summed counts, never averaged); a model keeps its unit of origin
    (origin_unit_code) and is counted under the unit it is in on that map.
    How far each year's figures go is what the forms say (Dataset.as_of): a year whose figures
    stop before 31/12 is a mid-year year (`mid_years`), starred and never judged against the
    yearly target, nor the change that follows it."""

    dataset: Dataset
    map_day: dt.date | None = None

    @property
    def mid_years(self) -> tuple[int, ...]:
        return self.dataset.mid_years

    @property
    def last_year_complete(self) -> bool:
        """The figures of the period's last year are as of its 31 December (its fall is judged)."""
        return self.period[1] not in self.mid_years

    def as_of(self, year: int) -> dt.date:
        """The day a year's figures are as of (31/12 unless its forms say earlier)."""
        return self.dataset.as_of_date(year)

    @property
    def models_as_of(self) -> dt.date:
        """The day the register's statuses are as of."""
        return self.dataset.models_as_of()

    @property
    def period(self) -> tuple[int, int]:
        return self.dataset.period

    @cached_property
    def day(self) -> dt.date:
        """The day whose units the reports are on."""
        return self.map_day or reference_date(self.period[1])

    @cached_property
    def area(self) -> Area:
        return area_on(self.day)

    @cached_property
    def regrouped(self) -> bool:
        """Some year's forms are on another map than the reports: their figures are summed."""
        keys = set(zip(self.units["code"], self.units["name"]))
        return any(set(zip(map_for_year(year)["code"], map_for_year(year)["name"])) != keys
                   for year in sorted(set(self.dataset.form01["year"])) or [self.period[1]])

    @cached_property
    def form01(self) -> pd.DataFrame:
        """Form 01 on the reports' map (the data set's rows as they are when nothing is regrouped)."""
        if not self.regrouped:
            return self.dataset.form01
        return reaggregate(self.dataset.form01, load_crosswalk(), on=self.day)

    @cached_property
    def models(self) -> pd.DataFrame:
        """Form 02 on the reports' map: unit_code is the unit a model is in now, origin_unit_code where it was built."""
        models = self.dataset.models
        if not self.regrouped or models.empty:
            return models.assign(origin_unit_code=models["unit_code"])
        return assign_new_units(models, load_crosswalk(), on=self.day)

    @cached_property
    def owners(self) -> dict[tuple[str, int], str]:
        """(code as typed, year) -> the unit of the reports' map its rows are summed into, when the
        forms of some years are on an older map (Computed.form01 `members`); else empty (and for a
        data set with errors, shown as it is read)."""
        if not self.regrouped or len(self.dataset.errors):
            return {}
        return {(member, int(year)): code for code, year, members in zip(self.form01["unit_code"], self.form01["year"],
                                                                          self.form01["members"])
                for member in str(members).split("; ") if member}

    def rows_of(self, frame: pd.DataFrame, unit_code: str, *, year: str = "year",
                with_no_unit: bool = False) -> pd.DataFrame:
        """The rows of `frame` (as read: form rows, models by `year` = "year_built", findings) that
        feed `unit_code` on the reports' map: all of them for the area; a unit's own, and on a
        regrouped map those of the units summed into it that year (codes are reused across maps).
        `with_no_unit`: also the rows about no unit (a finding on a whole file)."""
        if unit_code == CITY:
            return frame
        keep = self.feeds(frame, year=year) == unit_code
        if with_no_unit:
            keep |= frame["unit_code"] == ""
        return frame[keep]

    def feeds(self, frame: pd.DataFrame, *, year: str = "year") -> pd.Series:
        """The unit of the reports' map each row of `frame` feeds (rows_of for every unit at once):
        its own code, or on a regrouped map the unit its code was summed into that year."""
        owners = self.owners
        return pd.Series([code if pd.isna(when) else owners.get((code, int(when)), code)
                          for code, when in zip(frame["unit_code"], frame[year])], index=frame.index, dtype=object)

    @cached_property
    def definitions(self):
        return load_definitions()

    @cached_property
    def indicators(self) -> pd.DataFrame:
        return compute_indicators(self.form01, self.definitions)

    @cached_property
    def changes(self) -> pd.DataFrame:
        return compute_changes(self.indicators, indicator_ids=[*CAMPAIGN, "coop_rate"], base_year=self.period[0])

    @cached_property
    def target(self) -> float:
        return float(self.definitions["poor_near_poor_rate"].target["value"])

    @cached_property
    def falls(self) -> pd.DataFrame:
        return printed_falls(self.indicators, mid_years=self.mid_years, target=self.target)

    @cached_property
    def units(self) -> pd.DataFrame:
        return load_units(on=self.day)

    @cached_property
    def unit_names(self) -> dict[str, str]:
        return {CITY: self.area.name, **dict(zip(self.units["code"], self.units["full_name"]))}

    @cached_property
    def names_in_text(self) -> dict[str, str]:
        """How running text names each unit: "phường Duy Tân", "xã Ia Chim" (type in lower case)."""
        return {CITY: self.area.in_text, **{code: f"{kind.lower()} {name}" for code, kind, name
                                            in zip(self.units["code"], self.units["type"], self.units["name"])}}


def compute_all(dataset: Dataset, *, map_day: dt.date | None = None) -> Computed:
    """Everything the reports need, computed now, so that a batch shares it (see Computed)."""
    computed = Computed(dataset, map_day)
    for name in ("day", "area", "units", "regrouped", "form01", "models", "owners", "definitions", "indicators",
                 "changes", "falls", "unit_names", "names_in_text"):
        getattr(computed, name)
    return computed


def compute_for(dataset: Dataset, params: OnMap) -> Computed:
    """compute_all on the parameters' map."""
    return compute_all(dataset, map_day=params.map_day)


def printed_falls(indicators: pd.DataFrame, *, mid_years: Iterable[int] = (), target: float,
                  indicator: str = "poor_near_poor_rate") -> pd.DataFrame:
    """The yearly change of the poor + near-poor rate per unit, as a reader of the report sees
    it: both rates rounded to the printed decimal, `change` their difference (negative = a
    fall), `fall` = −change. A change between two full years is judged (neither year in
    `mid_years`): the target is met when the printed fall is above `target`. Missing rates leave
    the change missing, never 0."""
    mid_years = frozenset(mid_years)
    subset = indicators[indicators["indicator"] == indicator]
    wide = subset.pivot_table(index="unit_code", columns="year", values="value", aggfunc="first", dropna=False)
    rows = []
    for year in sorted(wide.columns):
        if year - 1 not in wide.columns:
            continue
        for unit_code in wide.index:
            now, then = wide.at[unit_code, year], wide.at[unit_code, year - 1]
            change = printed_difference(now, then, DECIMALS)
            judged = year not in mid_years and year - 1 not in mid_years
            fall = None if change is None else round_half_up(-change, DECIMALS)
            meets = pd.NA if (not judged or fall is None) else bool(fall > target)
            rows.append({"unit_code": unit_code, "year": int(year), "rate": round_half_up(now, DECIMALS),
                         "previous_rate": round_half_up(then, DECIMALS),
                         "change": np.nan if change is None else change, "fall": np.nan if fall is None else fall,
                         "judged": judged, "target": target, "meets_target": meets})
    frame = pd.DataFrame(rows, columns=["unit_code", "year", "rate", "previous_rate", "change", "fall", "judged",
                                        "target", "meets_target"])
    return frame.astype({"meets_target": "boolean", "rate": float, "previous_rate": float})
