"""The units of a map as people look them up: code and name, and where each unit of the map
before went (old → new, from crosswalk.csv); where one code is on a map, or went. Codes are
reused across maps (23284 is Phường Duy Tân until 30/6/2025, Phường Đăk Cấm from 1/7/2025), so
a name is always the name on the map asked about. `python -m analysis units` prints these lines;
the notebooks list the units of their period's map with `names_on`.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from analysis.formatting import fmt_short_date
from analysis.maps import load_crosswalk, map_for_year, map_in_force
from analysis.reference import load_unit_history
from analysis.vocabulary import AREA_CODE, AREA_NAME


def names_on(day: date) -> dict[str, str]:
    """Code -> full name of the units in force on `day`, the area first."""
    units = map_in_force(day)
    return {AREA_CODE: AREA_NAME, **dict(zip(units["code"], units["full_name"]))}


def _until(day) -> str:
    return "" if pd.isna(day) else f"đến {fmt_short_date(pd.Timestamp(day).date())}"


def _since(day) -> str:
    return "" if pd.isna(day) else f"từ {fmt_short_date(pd.Timestamp(day).date())}"


def _validity(unit) -> str:
    parts = [p for p in (_since(unit["valid_from"]), _until(unit["valid_to"])) if p]
    return f" ({', '.join(parts)})" if parts else ""


def _same_day(a, b) -> bool:
    return (pd.isna(a) and pd.isna(b)) or (not pd.isna(a) and not pd.isna(b) and pd.Timestamp(a) == pd.Timestamp(b))


def map_lines(year: int) -> list[str]:
    """The units a form for `year` uses: "  23293  Phường Kon Tum  ← 23281 Phường Quang Trung, …"
    (the units of the map before that went into it, when the map changed)."""
    units = map_for_year(year)
    day = pd.Timestamp(units["valid_from"].dropna().max()).date() if units["valid_from"].notna().any() else None
    crosswalk = load_crosswalk()
    history = load_unit_history()
    lines = [f"Bản đồ đơn vị của biểu năm {year}{_validity(units.iloc[0]) if len(units) else ''}: "
             f"{len(units)} đơn vị của {AREA_NAME} (mã {AREA_CODE})"]
    width = max((len(name) for name in units["full_name"]), default=0)
    for unit in units.itertuples(index=False):
        line = f"  {unit.code}  {unit.full_name.ljust(width)}"
        if day is not None:
            came = crosswalk[(crosswalk["new_code"] == unit.code) & (crosswalk["effective"].dt.date == day)]
            before = map_in_force(day - timedelta(days=1), history=history).set_index("code")["full_name"]
            olds = [f"{code} {before.get(code, name)}" for code, name in zip(came["old_code"], came["old_name"])]
            if olds:
                line += "  ← " + ", ".join(olds)
        lines.append(line.rstrip())
    return lines


def code_lines(code: str, year: int) -> list[str] | None:
    """What `code` is on the map of `year`'s forms, and what it was or became on other maps; None
    when no map ever had it."""
    history = load_unit_history()
    rows = history[history["code"] == code]
    if code == AREA_CODE:
        return [f"{AREA_CODE}: {AREA_NAME} (toàn địa bàn)"]
    if rows.empty:
        return None
    on_map = map_for_year(year, history=history)
    lines = []
    here = on_map[on_map["code"] == code]
    if len(here):
        lines.append(f"{code}: {here.iloc[0]['full_name']}{_validity(here.iloc[0])}, trên bản đồ của biểu năm {year}.")
    else:
        lines.append(f"{code} không có trên bản đồ của biểu năm {year}.")
    crosswalk = load_crosswalk(history=history)
    for unit in rows.itertuples(index=False):
        if len(here) and _same_day(unit.valid_from, here.iloc[0]["valid_from"]):
            continue
        went = crosswalk[(crosswalk["old_code"] == code) & (crosswalk["old_name"] == unit.name)]
        text = f"  {code} là {unit.full_name}{_validity(unit._asdict())}"
        if len(went):
            new_day = pd.Timestamp(went.iloc[0]["effective"]).date()
            news = map_in_force(new_day, history=history).set_index("code")["full_name"]
            targets = ", ".join(f"{new} {news.get(new, name)}" for new, name in zip(went["new_code"], went["new_name"]))
            whole = "nhập vào" if went["whole_unit"].all() else "chia vào"
            text += f"; {_since(went.iloc[0]['effective'])} {whole} {targets} (Nghị quyết {went.iloc[0]['resolution']})"
        lines.append(text + ".")
    return lines


def not_on_map(code: str, units: pd.DataFrame) -> str:
    """Why `code` is no unit of the map `units` (code, full_name), and which codes are: the unit it
    was and the unit(s) of this map it went into, when it went into one; every unit of the map,
    named."""
    history = load_unit_history()
    went = load_crosswalk(history=history)
    went = went[(went["old_code"] == code) & went["new_code"].isin(set(units["code"]))]
    names = dict(zip(units["code"], units["full_name"]))
    listed = "; ".join(f"{c} ({name})" for c, name in names.items())
    if len(went):
        day = pd.Timestamp(went.iloc[0]["effective"]).date()
        old = map_in_force(day - timedelta(days=1), history=history).set_index("code")["full_name"]
        into = ", ".join(f"{new} ({names[new]})" for new in went["new_code"])
        return (f"mã {code} là {old.get(code, went.iloc[0]['old_name'])} đến {fmt_short_date(day - timedelta(days=1))}, "
                f"nay thuộc {into}. Các đơn vị của bản đồ này: {listed}")
    return f"các đơn vị của bản đồ này: {listed}"
