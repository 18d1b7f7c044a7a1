"""Vietnamese number and date formatting: the one place every table, chart and sentence uses.

Numbers use Babel's "vi" locale (thousands ".", decimal ","), with explicit patterns, and are
rounded half up first, as Excel does (6,25 -> 6,3), not half to even as Python and Babel do.
A missing value (None, NaN, pd.NA) prints "không có số liệu", never "nan".
"""

from __future__ import annotations

import functools

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

LOCALE = "vi"
MISSING = "không có số liệu"
MISSING_CELL = "–"


def is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except TypeError:  # pd.NA refuses a truth value
        return True


def round_half_up(value, decimals: int = 0) -> float | None:
    """Round as Excel does: 6.25 -> 6.3, 2.5 -> 3, -2.5 -> -3. None for a missing value."""
    if is_missing(value):
        return None
    quantum = Decimal(1).scaleb(-decimals)
    # 15 significant digits drop the binary noise of a quotient (1089 / 2000 × 100 is
    # 54.449999999999996 in floating point): a rate exactly on a half rounds up, as on paper.
    return float(Decimal(format(float(value), ".15g")).quantize(quantum, rounding=ROUND_HALF_UP))


def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def fmt_number(value, decimals: int = 1) -> str:
    """1234567.89 -> "1.234.567,9"."""
    rounded = round_half_up(value, decimals)
    if rounded is None:
        return MISSING
    return _laid_out(repr(rounded), decimals)  # by its text: -0.0 == 0.0, but Babel shows them apart


@functools.lru_cache(maxsize=8192)
def _laid_out(rounded: str, decimals: int) -> str:
    """A value already rounded half up (its repr), laid out by Babel (the same few values come back
    in every table and on every chart axis: each is laid out once)."""
    return format_decimal(Decimal(rounded), format=_pattern(decimals), locale=LOCALE, decimal_quantization=True)


def fmt_int(value) -> str:
    """12291 -> "12.291"."""
    return fmt_number(value, 0)


def fmt_percent(value, decimals: int = 1) -> str:
    """A rate already in percent units: 98.81 -> "98,8%"."""
    text = fmt_number(value, decimals)
    return text if text == MISSING else f"{text}%"


def fmt_signed(value, decimals: int = 1) -> str:
    """A difference with its sign: "+0,4", "−0,1" (a minus sign), "0,0" (never "-0,0")."""
    rounded = round_half_up(value, decimals)
    if rounded is None:
        return MISSING
    text = fmt_number(abs(rounded), decimals)
    sign = "+" if rounded > 0 else ("−" if rounded < 0 else "")
    return sign + text


def fmt_points(value, decimals: int = 1, *, sign: bool = True) -> str:
    """A difference of two rates: 48.104 -> "+48,1 điểm phần trăm"."""
    if is_missing(value):
        return MISSING
    text = fmt_signed(value, decimals) if sign else fmt_number(value, decimals)
    return f"{text} điểm phần trăm"


def fmt_relative(value, decimals: int = 1) -> str:
    """A relative change in percent: 94.87 -> "+94,9%"."""
    if is_missing(value):
        return MISSING
    return fmt_signed(value, decimals) + "%"


def fmt_date(day: dt.date) -> str:
    """The official form: "ngày 23 tháng 6 năm 2023"; "ngày 05 tháng 02 năm 2023" (leading zero
    for days below 10 and for months 1 and 2, Nghị định 30/2020/NĐ-CP)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def fmt_place_date(place: str, day: dt.date) -> str:
    return f"{place}, {fmt_date(day)}"


def fmt_short_date(day: dt.date) -> str:
    """15/6/2023, as dates are written in running text and notes."""
    return f"{day.day}/{day.month}/{day.year}"


def fmt_cell(value, kind: str, decimals: int = 0) -> str:
    """A table cell as a reader sees it; a missing value is "–" (the table notes what it means)."""
    if kind == "text":
        return "" if value is None else str(value)
    if is_missing(value):
        return MISSING_CELL
    if kind == "count":
        return fmt_int(value)
    if kind == "points":
        return fmt_signed(value, decimals)
    return fmt_number(value, decimals)


def printed_difference(now, then, decimals: int = 1) -> float | None:
    """The difference a reader gets by subtracting the two printed values: both are rounded
    (half up) first, then subtracted; None when either is missing. 98,8 − 50,7 = 48,1."""
    a, b = round_half_up(now, decimals), round_half_up(then, decimals)
    if a is None or b is None:
        return None
    return round_half_up(a - b, decimals)


def fmt_change(difference, decimals: int = 1, unit: str = "điểm phần trăm") -> str:
    """The one wording of a change: "tăng 0,2 điểm phần trăm", "giảm 4,3 điểm phần trăm",
    "không đổi". The sign decides the verb; the number printed is never negative."""
    rounded = round_half_up(difference, decimals)
    if rounded is None:
        return MISSING
    if rounded == 0:
        return "không đổi"
    verb = "tăng" if rounded > 0 else "giảm"
    return f"{verb} {fmt_number(abs(rounded), decimals)} {unit}".rstrip()


def fmt_rate(value, decimals: int = 1) -> str:
    """A rate in running text: an exact whole number reads "100%"; otherwise one decimal,
    "98,8%", "99,0%" (98,975… rounded is not a whole rate)."""
    if is_missing(value):
        return MISSING
    return fmt_percent(value, 0 if float(value) == int(float(value)) else decimals)
