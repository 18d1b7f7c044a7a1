"""Old units onto new ones: the figures of a reorganised area summed onto the units of one map.

The maps themselves (the unit history, the crosswalk, which map a year is on) are analysis.maps.

Reaggregation (`reaggregate`) sums counts, never rates: the rates of a new unit are recomputed
later from the summed numerators and denominators (compute.indicators). Partial data: a count
of a new unit is missing when the count is missing in any of its members, and every count is
missing when a member sent no row for the year (`complete` is then False and `members_missing`
names it). A partial sum would be silently too small and would mix units in a rate (numerator
from some members, denominator from others); the reader says which member is missing instead.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from analysis.errors import UsageError
from analysis.formatting import fmt_short_date
from analysis.maps import _key, _successors, map_for_year, map_in_force, reference_date
from analysis.reference import load_unit_history
from analysis.vocabulary import COUNT_FIELDS as FORM01_FIELDS


def _target_of(key: tuple, target_keys: set, successors: dict, *, day: date) -> tuple:
    """Follow the crosswalk from a unit until a unit of the target map (several reorganisations)."""
    seen = [key]
    while key not in target_keys:
        nexts = successors.get(key)
        if not nexts:
            raise UsageError(f"Đơn vị mã {key[0]} không có trong bảng chuyển đổi (crosswalk.csv) và không thuộc "
                             f"danh sách đơn vị ngày {fmt_short_date(day)}.")
        if len(nexts) > 1:
            raise UsageError(f"Đơn vị mã {key[0]} bị chia cho nhiều đơn vị mới ({', '.join(k[0] for k in nexts)}): "
                             f"không thể cộng số liệu của nó vào một đơn vị mới.")
        key = nexts[0]
        if key in seen:
            raise UsageError(f"Bảng chuyển đổi có vòng lặp qua mã {key[0]}.")
        seen.append(key)
    return key


def _default_target_day(crosswalk: pd.DataFrame) -> date:
    return crosswalk["effective"].max().date()


def _unit_rows_on(frame: pd.DataFrame, history: pd.DataFrame, year_column: str, as_of: date | None,
                  what: str) -> list[tuple]:
    """The history key of each row's unit, on the map of its year."""
    keys = []
    maps: dict[int, dict[str, tuple]] = {}
    for i, (code, year) in enumerate(zip(frame["unit_code"], frame[year_column])):
        year = int(year)
        if year not in maps:
            units = map_for_year(year, history=history, as_of=as_of)
            maps[year] = {u["code"]: _key(u) for _, u in units.iterrows()}
        if code not in maps[year]:
            day = reference_date(year, as_of=as_of)
            raise UsageError(f"{_where(frame, i, what)}: mã đơn vị {code} (năm {year}) không thuộc danh sách "
                             f"đơn vị ngày {fmt_short_date(day)}.")
        keys.append(maps[year][code])
    return keys


def _where(frame: pd.DataFrame, i: int, what: str) -> str:
    """"Bieu01_2025.xlsx › Biểu 01 › dòng 12" when the frame keeps its sources, else the form's name."""
    if {"source_file", "source_sheet", "source_row"} <= set(frame.columns):
        row = frame.iloc[i]
        return f"{row['source_file']} › {row['source_sheet']} › dòng {int(row['source_row'])}"
    return what


# --- form 01 -----------------------------------------------------------------------------------------

def reaggregate(form01: pd.DataFrame, crosswalk: pd.DataFrame, *, history: pd.DataFrame | None = None,
                on: date | None = None, as_of: date | None = None) -> pd.DataFrame:
    """Form 01 of any years, summed onto the units in force on `on` (default: the newest map).

    Each row's unit is read on the map of its year (`map_for_year`), so a reused code names the
    old unit in a year before the change and the new one after it. Returns unit_code, unit_name (the new unit's full name),
    year, the count fields (Int64), members (the codes summed, "; "-separated), members_missing
    (members with no row that year) and complete. Counts only: rates are recomputed from the
    sums. A count is missing if missing in any member; every count is missing when a member is
    missing (see the module docstring). source_* columns are not carried: the rows summed are
    the input rows of `members` for that year.
    """
    history = load_unit_history() if history is None else history
    target_day = on or _default_target_day(crosswalk)
    target = map_in_force(target_day, history=history)
    target_keys = {_key(u) for _, u in target.iterrows()}
    names = {_key(u): u["full_name"] for _, u in target.iterrows()}
    successors = _successors(crosswalk, history)
    fields = [f for f in FORM01_FIELDS if f in form01.columns]

    keys = _unit_rows_on(form01, history, "year", as_of, "Biểu 01")
    rows = form01.assign(_target=[_target_of(k, target_keys, successors, day=target_day) for k in keys],
                         _member=[k[0] for k in keys])

    out = []
    for (target_key, year), group in rows.groupby(["_target", "year"], sort=True):
        expected = sorted(k[0] for k in _members(target_key, int(year), history, successors, target_keys, as_of))
        reported = sorted(group["_member"])
        missing = [code for code in expected if code not in reported]
        sums = {}
        for f in fields:
            values = group[f].astype("Int64")
            sums[f] = pd.NA if (missing or values.isna().any()) else int(values.sum())
        out.append({"unit_code": target_key[0], "unit_name": names[target_key], "year": int(year), **sums,
                    "members": "; ".join(expected), "members_missing": "; ".join(missing), "complete": not missing})
    result = pd.DataFrame(out, columns=["unit_code", "unit_name", "year", *fields, "members", "members_missing",
                                        "complete"])
    return result.astype({f: "Int64" for f in fields} | {"year": "int64", "complete": bool})


def _members(target_key: tuple, year: int, history: pd.DataFrame, successors: dict, target_keys: set,
             as_of: date | None) -> list[tuple]:
    """The units of the year's map that end up in `target_key`."""
    units = map_for_year(year, history=history, as_of=as_of)
    day = reference_date(year, as_of=as_of)
    return [_key(u) for _, u in units.iterrows()
            if _target_of(_key(u), target_keys, successors, day=day) == target_key]


# --- form 02 -----------------------------------------------------------------------------------------

def assign_new_units(models: pd.DataFrame, crosswalk: pd.DataFrame, *, history: pd.DataFrame | None = None,
                     on: date | None = None, year_column: str = "year_built") -> pd.DataFrame:
    """Models on the units in force on `on` (default: the newest map), keeping where they were built.

    A model's unit is read on the map of its year built (built up to 2024: an old unit; in
    2025: a new one). Adds origin_unit_code and origin_unit_name (the unit as registered) and
    sets unit_code and unit_name to the unit it belongs to on the target map.
    """
    history = load_unit_history() if history is None else history
    target_day = on or _default_target_day(crosswalk)
    target = map_in_force(target_day, history=history)
    target_keys = {_key(u) for _, u in target.iterrows()}
    names = {_key(u): u["full_name"] for _, u in target.iterrows()}
    successors = _successors(crosswalk, history)
    keys = _unit_rows_on(models, history, year_column, None, "Biểu 02")
    targets = [_target_of(k, target_keys, successors, day=target_day) for k in keys]
    origin_name = models["unit_name"] if "unit_name" in models else pd.Series([""] * len(models), index=models.index)
    return models.assign(
        origin_unit_code=models["unit_code"].to_numpy(),
        origin_unit_name=origin_name.to_numpy(),
        unit_code=[t[0] for t in targets],
        unit_name=[names[t] for t in targets],
    )
