"""Numbers as typed -> numbers: counts (whole numbers of households or models) and reported percents.

A column is parsed once per distinct value typed in it; every value that is wrong is a located
finding (file › sheet › cell) and the value stays missing, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from analysis.check.common import shown
from analysis.check.findings import Findings
from analysis.check.rules import Rules
from analysis.formatting import fmt_int
from analysis.read.numbers import Parsed, parse_count, parse_percent


def parse_counts(raw: list, limit: int) -> tuple[list, list]:
    """(values, error codes) of a column of counts: a value is None when missing or wrong."""
    cache: dict = {}
    values: list[int | None] = []
    codes: list[str | None] = []
    for value in raw:
        kind = type(value)
        if kind is str and value.isascii() and value.isdigit() and len(value) < 9:
            value, kind = int(value), int  # "1234" in a CSV
        if value is None or (kind is int and 0 <= value <= limit) or \
                (kind is float and 0 <= value <= limit and value.is_integer()):
            values.append(None if value is None else int(value))  # the common cases, without a look-up
            codes.append(None)
            continue
        key = (kind, value)
        found = cache.get(key)
        if found is None:
            parsed = parse_count(value)
            code = parsed.error
            if code is None and parsed.value is not None:
                code = "E-TOO-LARGE" if abs(parsed.value) > limit else ("E-NEGATIVE" if parsed.value < 0 else None)
            found = cache[key] = (None if code or parsed.value is None else int(parsed.value), code)
        values.append(found[0])
        codes.append(found[1])
    return values, codes


def report_counts(frame: pd.DataFrame, field: str, raw: list, codes: list, findings: Findings, rules: Rules, *,
                  label: str, column: str, cell: Callable[[int], str]) -> set[int]:
    """One finding per wrong count of `field` (`raw` as typed, one per row of `frame`; `cell(position)`
    names its cell); the positions flagged."""
    limit = rules.setting("E-TOO-LARGE", "max")
    flagged = {i for i, code in enumerate(codes) if code}
    if not flagged:
        return flagged
    meta = {c: frame[c].tolist() for c in ("file", "sheet", "row", "unit_code", "unit_name", "year") if c in frame}
    for i in sorted(flagged):
        year = meta["year"][i] if "year" in meta else None
        findings.add(codes[i], file=meta["file"][i], sheet=meta["sheet"][i], cell=cell(i), row=int(meta["row"][i]),
                     column=column, unit_code=meta.get("unit_code", [""] * len(raw))[i] or "",
                     unit_name=meta.get("unit_name", [""] * len(raw))[i] or "", field=field,
                     year=None if year is None or pd.isna(year) else int(year),
                     text={"label": label, "shown": shown(raw[i]), "max": fmt_int(limit)},
                     values={"value": raw[i] if not isinstance(raw[i], float) else float(raw[i])})
    return flagged


def parse_percents(raw: list, formats: list) -> tuple[list, list]:
    """Reported percents: (values in percent units, digits shown); a fraction stored under an Excel
    percent format (0.988) reads 98,8 with the format's digits. Unreadable percents are left out
    (they are reported figures, checked only when readable)."""
    cache: dict = {}
    values, digits = [], []
    for value, shown_digits in zip(raw, formats):
        if shown_digits is not None and shown_digits >= 0 and isinstance(value, (int, float)) \
                and not isinstance(value, bool):
            values.append(float(value) * 100)
            digits.append(int(shown_digits))
            continue
        key = (type(value), value)
        parsed: Parsed | None = cache.get(key)
        if parsed is None:
            parsed = cache[key] = parse_percent(value)
        values.append(parsed.value)  # type: ignore[arg-type]  # None for a missing or wrong rate
        digits.append(parsed.decimals if parsed.value is not None else 0)
    return values, digits
