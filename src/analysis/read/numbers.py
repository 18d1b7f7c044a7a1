"""Numbers typed by hand into forms: "12.291", "12,291", "1 234", " 551 ", "98,8%", "-".

Rules of the data contract: empty and "-" mean missing (not zero). In a count, "." or ","
followed by exactly three digits is a thousands separator; anything that leaves a fraction
("1,3") is an error, never a guess. In a percent, "," is the decimal mark and "." is
accepted as one too.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MISSING_MARKS = {"", "-", "–", "—", "x", "X"}
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_THOUSANDS = re.compile(r"^-?\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")
_INTEGER = re.compile(r"^-?\d+$")
_DECIMAL = re.compile(r"^-?\d+[.,]\d+$")
_PERCENT = re.compile(r"^-?\d+(?:[.,](\d+))?$")


@dataclass(frozen=True)
class Parsed:
    """A parsed cell: `value` (None when missing or wrong) and `error` (a rule code or None)."""

    value: float | int | None
    error: str | None = None
    decimals: int = 0


MISSING = Parsed(None)


def _is_blank(raw) -> bool:
    return raw is None or (isinstance(raw, float) and math.isnan(raw)) or (isinstance(raw, str) and raw.strip() in MISSING_MARKS)


def _settled(raw) -> Parsed | None:
    """The answer for a blank cell, a boolean or a non-finite number; None for anything else."""
    if _is_blank(raw):
        return MISSING
    if isinstance(raw, bool) or (isinstance(raw, float) and not math.isfinite(raw)):
        return Parsed(None, "E-NOT-NUMBER")
    return None


def parse_count(raw) -> Parsed:
    """A count of households or models: a whole number, or an error code."""
    settled = _settled(raw)
    if settled is not None:
        return settled
    if isinstance(raw, (int, float)):
        if abs(raw - round(raw)) > 1e-9:
            return Parsed(None, "E-FRACTION")
        return Parsed(int(round(raw)))
    text = _SPACES.sub("", str(raw))
    if _INTEGER.match(text):
        return Parsed(int(text))
    if _THOUSANDS.match(text):
        return Parsed(int(re.sub(r"[.,]", "", text)))
    if _DECIMAL.match(text):
        return Parsed(None, "E-FRACTION")
    return Parsed(None, "E-NOT-NUMBER")


def parse_percent(raw) -> Parsed:
    """A reported percent ("98,8", "98.8%", 98.8) and the number of digits typed after the mark."""
    settled = _settled(raw)
    if settled is not None:
        return settled
    if isinstance(raw, (int, float)):
        text = repr(round(float(raw), 6))
        digits = text.split(".", 1)[1].rstrip("0") if "." in text else ""
        return Parsed(float(raw), decimals=len(digits))
    text = _SPACES.sub("", str(raw)).rstrip("%")
    match = _PERCENT.match(text)
    if not match:
        return Parsed(None, "E-NOT-NUMBER")
    return Parsed(float(text.replace(",", ".")), decimals=len(match.group(1) or ""))


def parse_year(raw) -> Parsed:
    """A year typed in a cell: 2022, "2022", "Năm 2022"."""
    if _is_blank(raw):
        return MISSING
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and math.isfinite(raw) and raw == int(raw):
        return Parsed(int(raw))
    match = re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", str(raw))
    return Parsed(int(match.group(0))) if match else Parsed(None, "E-NOT-NUMBER")
