"""The maps of units: which wards and communes are in force on a day, and how old units went to new ones.

data/reference/crosswalk.csv maps each old unit to its new unit, with the resolution and the
effective date (in the bundled reference: the merger of 1/7/2025). Codes are reused (a new unit
may carry the code of one of its members), so a unit is its code *and* its validity period
(data/reference/units.csv, `load_unit_history`).

Which map a year's figures are on (`reference_date`, `map_for_year`): a form's figures for year
Y are as of 31/12/Y, so they belong to the units in force on that day: every year up to 2024
(and the mid-2023 review) on the 21 old units, 2025 on the 6 new ones. A figure as of another
day (a mid-2025 review as of 15/6/2025, still on the old map) passes `as_of`.

Where a unit named in a form belongs (`place_unit`): the check stage asks it of every row, the
compute stage (analysis.compute.crosswalk) sums old units onto new ones; both stand on this
module, which sits below the stages with the other reference data.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.errors import UsageError
from analysis.formatting import fmt_short_date
from analysis.reference import UNIT_TYPE_LABEL, in_force, load_unit_history
from analysis.safe_files import MAX_TEXT_BYTES, read_text_file

CROSSWALK_COLUMNS = ("old_code", "old_name", "new_code", "new_name", "whole_unit", "effective", "resolution", "clause")
YES = {"có", "co", "yes", "x", "1"}
NO = {"không", "khong", "no", "0"}


# --- loading and validation ---------------------------------------------------------------------

def load_crosswalk(path: Path | None = None, *, history: pd.DataFrame | None = None) -> pd.DataFrame:
    """The validated crosswalk: old_code, old_name, new_code, new_name, whole_unit (bool),
    effective (Timestamp), resolution, clause, line (the CSV line, header = 1).

    Raises UsageError (exit 2) listing every problem with the file, line and value.
    """
    path = Path(path or config.CROSSWALK_FILE)
    text = read_text_file(path, what="bảng chuyển đổi đơn vị", max_bytes=MAX_TEXT_BYTES, within=config.ROOT)
    raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    return validate_crosswalk(raw, load_unit_history() if history is None else history, source=str(path))


def validate_crosswalk(raw: pd.DataFrame, history: pd.DataFrame, *, source: str = "crosswalk.csv") -> pd.DataFrame:
    """Check a crosswalk read as text against the unit history; return it parsed.

    Every old unit (a unit whose validity ends the day before an effective date) is mapped
    exactly once (several rows only for a unit split between new units, all with whole_unit
    "không"); every code is known and valid on the right side of the date (the old one until the
    day before, the new one from that day); names, when given, are the units' names; every new
    unit receives at least one old unit.
    """
    missing = [c for c in CROSSWALK_COLUMNS if c not in raw.columns and c not in ("old_name", "new_name", "clause")]
    if missing:
        raise UsageError(f"{source}: thiếu cột {', '.join(missing)}; các cột có trong tệp: {', '.join(raw.columns)}.")
    raw = raw.assign(**{c: "" for c in ("old_name", "new_name", "clause") if c not in raw.columns})
    problems: list[str] = []
    rows = []
    for i, row in enumerate(raw.itertuples(index=False)):
        line = i + 2
        where = f"{source}, dòng {line}"
        old_code, new_code = row.old_code.strip(), row.new_code.strip()
        try:
            effective = pd.Timestamp(date.fromisoformat(row.effective.strip()))
        except ValueError:
            problems.append(f"{where}, cột effective: «{row.effective}» không phải là ngày dạng NNNN-TT-NN "
                            f"(ví dụ 2025-07-01).")
            continue
        whole = row.whole_unit.strip().lower()
        if whole not in YES | NO:
            problems.append(f"{where}, cột whole_unit: «{row.whole_unit}» phải là «có» (nhập toàn bộ đơn vị) "
                            f"hoặc «không» (chỉ một phần).")
        day_before = effective - timedelta(days=1)
        old = _unit_on(history, old_code, day_before)
        if old is None:
            problems.append(_unknown(where, "old_code", old_code, history,
                                     f"không phải là đơn vị còn hiệu lực ngày {fmt_short_date(day_before.date())}"))
        elif pd.isna(old.valid_to) or old.valid_to != day_before:
            problems.append(f"{where}, cột effective: đơn vị {old.full_name} ({old_code}) có hiệu lực đến "
                            f"{_day_text(old.valid_to)} (units.csv, valid_to), nhưng ngày chuyển sang đơn vị mới "
                            f"ghi là {fmt_short_date(effective.date())}: valid_to phải là {day_before.date()}.")
        new = _unit_on(history, new_code, effective.date())
        if new is None:
            problems.append(_unknown(where, "new_code", new_code, history,
                                     f"không phải là đơn vị có hiệu lực ngày {fmt_short_date(effective.date())}"))
        elif new.valid_from != effective:
            problems.append(f"{where}, cột effective: đơn vị mới {new.full_name} ({new_code}) có hiệu lực từ ngày "
                            f"{_day_text(new.valid_from)}, không phải từ ngày {fmt_short_date(effective.date())}.")
        for column, unit, name in (("old_name", old, row.old_name), ("new_name", new, row.new_name)):
            if unit is not None and name.strip() and _nfc(name) not in {_nfc(unit["name"]), _nfc(unit.full_name)}:
                problems.append(f"{where}, cột {column}: «{name}» không phải là tên của mã {unit.code} "
                                f"({unit.full_name}); sửa tên hoặc mã.")
        rows.append({"old_code": old_code, "old_name": row.old_name.strip(), "new_code": new_code,
                     "new_name": row.new_name.strip(), "whole_unit": whole in YES, "effective": effective,
                     "resolution": row.resolution.strip(), "clause": row.clause.strip(), "line": line})
    crosswalk = pd.DataFrame(rows, columns=[*CROSSWALK_COLUMNS, "line"])
    if not problems:  # coverage only once every row is right, so that one typo gives one message
        problems += _coverage_problems(crosswalk, history, source)
    if problems:
        raise UsageError(f"Bảng chuyển đổi đơn vị {source} có {len(problems)} lỗi:\n" + "\n".join(problems))
    return crosswalk.astype({"whole_unit": bool}).reset_index(drop=True)


def _coverage_problems(crosswalk: pd.DataFrame, history: pd.DataFrame, source: str) -> list[str]:
    """Each old unit mapped once, none left out, each new unit fed (history in units.csv order)."""
    problems = []
    for effective, group in crosswalk.groupby("effective"):
        day_before = effective - timedelta(days=1)
        for code, rows in group.groupby("old_code", sort=False):
            if len(rows) > 1 and rows["whole_unit"].any():
                lines = ", ".join(str(n) for n in rows["line"])
                targets = ", ".join(rows["new_code"])
                problems.append(f"{source}, các dòng {lines}: đơn vị cũ {code} được chuyển {len(rows)} lần "
                                f"(sang {targets}); mỗi đơn vị cũ chỉ được chuyển một lần, trừ khi bị chia "
                                f"(khi đó ghi whole_unit = «không» ở mọi dòng của nó).")
        ended = history[history["valid_to"] == day_before]
        for unit in ended.itertuples():
            if unit.code not in set(group["old_code"]):
                problems.append(f"{source}: thiếu đơn vị cũ {unit.full_name} ({unit.code}), hết hiệu lực ngày "
                                f"{fmt_short_date(day_before.date())} (units.csv, dòng {unit.Index + 2}): thêm một "
                                f"dòng cho biết đơn vị mới của nó.")
        started = history[history["valid_from"] == effective]
        for unit in started.itertuples():
            if unit.code not in set(group["new_code"]):
                problems.append(f"{source}: đơn vị mới {unit.full_name} ({unit.code}), có hiệu lực từ ngày "
                                f"{fmt_short_date(effective.date())} (units.csv, dòng {unit.Index + 2}), không nhận "
                                f"đơn vị cũ nào.")
    return problems


def _unit_on(history: pd.DataFrame, code: str, day) -> pd.Series | None:
    rows = history[(history["code"] == code) & in_force(history, day)]
    return None if rows.empty else rows.iloc[0]


def _unknown(where: str, column: str, code: str, history: pd.DataFrame, reason: str) -> str:
    if code not in set(history["code"]):
        return f"{where}, cột {column}: mã «{code}» không có trong danh sách đơn vị (units.csv)."
    return f"{where}, cột {column}: mã {code} {reason}."


def _day_text(day) -> str:
    return "không giới hạn" if pd.isna(day) else fmt_short_date(day.date())


def _nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


# --- maps ------------------------------------------------------------------------------------------

def reference_date(year: int, *, as_of: date | None = None) -> date:
    """The day a year's figures describe: 31/12 of the year unless `as_of` says otherwise."""
    return as_of if as_of is not None else date(int(year), 12, 31)


def map_in_force(day: date, *, history: pd.DataFrame | None = None) -> pd.DataFrame:
    """The units in force on `day` (all history columns: code … slug, valid_from, valid_to)."""
    history = load_unit_history() if history is None else history
    return history[in_force(history, day)].reset_index(drop=True)


def map_for_year(year: int, *, history: pd.DataFrame | None = None, as_of: date | None = None) -> pd.DataFrame:
    """The units a form for `year` must use: those in force on 31/12 of the year (or `as_of`)."""
    return map_in_force(reference_date(year, as_of=as_of), history=history)


def _key(unit) -> tuple[str, str]:
    """A unit's identity: its code and the first day it is valid ("" = open)."""
    return unit["code"], _iso(unit["valid_from"])


def _iso(day) -> str:
    return "" if pd.isna(day) else pd.Timestamp(day).date().isoformat()


def _period(history: pd.DataFrame) -> pd.Series:
    """One label per map: "valid_from/valid_to" of each unit."""
    return history["valid_from"].map(_iso) + "/" + history["valid_to"].map(_iso)


def _full_name(history: pd.DataFrame, key: tuple[str, str]) -> str:
    rows = history[(history["code"] == key[0]) & (history["valid_from"].map(_iso) == key[1])]
    return rows.iloc[0]["full_name"]


def _successors(crosswalk: pd.DataFrame, history: pd.DataFrame) -> dict[tuple, list[tuple]]:
    """(code, valid_from) of an old unit -> the (code, valid_from) of the units it went to."""
    result: dict[tuple, list[tuple]] = {}
    for row in crosswalk.itertuples(index=False):
        old = _unit_on(history, row.old_code, (row.effective - timedelta(days=1)).date())
        new = _unit_on(history, row.new_code, row.effective.date())
        result.setdefault(_key(old), []).append(_key(new))
    return result


# --- a unit named in a form ------------------------------------------------------------------------

@dataclass(frozen=True)
class Placement:
    """Where a unit named in a form row for a year belongs.

    ok: the name is a unit of the year's map (unit_code, unit_name). Otherwise unit_code and
    unit_name are the unit named (on another map), `should_be` the unit(s) of the year's map
    to write instead, and `message` says so in Vietnamese. `note` warns when an accepted name
    is also the name of a unit of another map that went elsewhere (xã Đắk Blà / phường Đăk Bla).
    Nothing found anywhere: ok False, unit_code None (the reader's unknown-unit error).
    """

    ok: bool
    unit_code: str | None
    unit_name: str | None
    should_be: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (code, full name)
    message: str | None = None
    note: str | None = None


def _exact_match(units: pd.DataFrame, name: str) -> str | None:
    """Default matcher: NFC, case and spaces ignored, over name, full name and aliases; the type
    prefix ("Phường"/"Xã") must agree when typed."""
    wanted = _nfc(name).lower()
    for _, unit in units.iterrows():
        spellings = {unit["name"], *unit["aliases"]}
        typed = {_nfc(s).lower() for s in spellings}
        typed |= {_nfc(f"{UNIT_TYPE_LABEL[unit['type']]} {s}").lower() for s in spellings}
        if wanted in typed:
            return unit["code"]
    return None


def place_unit(name: str, year: int, *, history: pd.DataFrame | None = None, crosswalk: pd.DataFrame | None = None,
               match: Callable[[pd.DataFrame, str], str | None] | None = None,
               as_of: date | None = None) -> Placement:
    """Is the unit named `name` in a form for `year` on that year's map? If not, which unit should it be?

    `match(units, name)` returns the code of the unit of `units` (a map) that `name` names, or
    None; the reader passes its own tolerant matcher (read.units.UnitMatcher), the default
    compares exact spellings. Rule: figures of year Y are as of 31/12/Y (`as_of` otherwise), so
    they use the units in force on that day.
    """
    history = load_unit_history() if history is None else history
    crosswalk = load_crosswalk(history=history) if crosswalk is None else crosswalk
    match = match or _exact_match
    day = reference_date(year, as_of=as_of)
    year_map = map_in_force(day, history=history)
    successors = _successors(crosswalk, history)
    others = []  # units of other maps that the name names
    year_period = set(_period(year_map))
    for period, units in history.groupby(_period(history), sort=True):
        if period in year_period:
            continue
        code = match(units.reset_index(drop=True), name)
        if code is not None:
            others.append(units[units["code"] == code].iloc[0])

    code = match(year_map, name)
    typed = _typed_type(name)
    if code is not None and typed and typed != year_map.loc[year_map["code"] == code, "type"].iloc[0]:
        # "Xã Đắk Blà" in 2025 folds to Phường Đăk Bla, but the prefix says it is the old commune.
        if any(other["type"] == typed for other in others):
            others = [other for other in others if other["type"] == typed]
            code = None
    if code is not None:
        unit = year_map[year_map["code"] == code].iloc[0]
        note = None
        year_keys = {_key(u) for _, u in year_map.iterrows()}
        for other in others:
            went = _forward(_key(other), year_keys, successors)
            if went is not None and went != _key(unit):
                note = (f"«{name}» được hiểu là {_lower_first(unit['full_name'])} ({unit['code']}); tên này cũng là của "
                        f"{_lower_first(other['full_name'])} cũ ({other['code']}), nay thuộc "
                        f"{_lower_first(_full_name(history, went))}: "
                        f"kiểm tra lại.")
        return Placement(True, unit["code"], unit["full_name"], note=note)

    if not others:
        return Placement(False, None, None)
    return _on_another_map(others[0], year, year_map, history, crosswalk, successors)


def _on_another_map(other, year: int, year_map: pd.DataFrame, history: pd.DataFrame, crosswalk: pd.DataFrame,
                    successors: dict) -> Placement:
    """A name of a unit of another map than the year's: the unit(s) of the year's map to write instead."""
    year_keys = {_key(u) for _, u in year_map.iterrows()}
    went = _forward(_key(other), year_keys, successors)
    if went is not None:  # an old unit named in a year of a newer map
        target = (went[0], _full_name(history, went))
        message = (f"{other['full_name']} ({other['code']}) không còn từ ngày "
                   f"{fmt_short_date((other['valid_to'] + timedelta(days=1)).date())} "
                   f"({_resolution_of(crosswalk, other)}): số liệu năm {year} ghi cho {_lower_first(target[1])} "
                   f"({target[0]}).")
        return Placement(False, other["code"], other["full_name"], (target,), message)
    # A newer unit named in a year of an older map: the units of that year it was formed from.
    sources = [u for _, u in year_map.iterrows() if _forward(_key(u), {_key(other)}, successors) == _key(other)]
    should_be = tuple((u["code"], u["full_name"]) for u in sources)
    listed = ", ".join(f"{_lower_first(n)} ({c})" for c, n in should_be)
    message = (f"{other['full_name']} ({other['code']}) chỉ có từ ngày {_day_text(other['valid_from'])}: số liệu "
               f"năm {year} ghi riêng cho từng đơn vị cũ: {listed}.")
    return Placement(False, other["code"], other["full_name"], should_be, message)


def _typed_type(name: str) -> str | None:
    """"phường" or "xã" when the name is typed with its prefix ("P.", "Phường", "X.", "Xã")."""
    text = _nfc(name).lower()
    if re.match(r"^(phường|p\.|p\s)", text):
        return "phường"
    if re.match(r"^(xã|x\.|x\s)", text):
        return "xã"
    return None


def _lower_first(full_name: str) -> str:
    """"Xã Đăk Rơ Wa" -> "xã Đăk Rơ Wa", as a unit is written inside a sentence."""
    return full_name[:1].lower() + full_name[1:]


def _forward(key: tuple, target_keys: set, successors: dict) -> tuple | None:
    """The unit of `target_keys` that `key` went to, or None if it never gets there."""
    seen = set()
    while key not in target_keys:
        nexts = successors.get(key)
        if not nexts or len(nexts) > 1 or key in seen:
            return None
        seen.add(key)
        key = nexts[0]
    return key


def _resolution_of(crosswalk: pd.DataFrame, unit) -> str:
    day = unit["valid_to"] + timedelta(days=1)
    rows = crosswalk[(crosswalk["old_code"] == unit["code"]) & (crosswalk["effective"] == day)]
    return f"Nghị quyết {rows.iloc[0]['resolution']}" if not rows.empty else "sắp xếp đơn vị hành chính"
