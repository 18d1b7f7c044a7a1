"""The day a form's figures are "as of", as offices write it in titles, sheet names and file names.

"NĂM 2023 (số liệu đến ngày 15/6/2023)", "Từ năm 2021 đến ngày 15/6/2023", "tính đến 30/6/2023",
"đến hết tháng 6 năm 2023", "6 tháng đầu năm 2023", "Bieu01_2023_den_15-6-2023.xlsx". Only a day
introduced by "đến" (or a count of months "đầu năm") is an as-of day: "Kon Tum, ngày 20 tháng 12
năm 2022" is the day a form was signed, not the day its figures stop at.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from analysis.read.units import fold_text

_UNTIL = r"\b(?:den|toi)\s+(?:het\s+)?"
_PATTERNS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(_UNTIL + r"(?:ngay\s+)?(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+((?:19|20)\d{2})\b"), "dmy"),
    (re.compile(_UNTIL + r"(?:ngay\s+)?(\d{1,2})\s+(\d{1,2})\s+((?:19|20)\d{2})\b"), "dmy"),
    (re.compile(_UNTIL + r"thang\s+(\d{1,2})\s+(?:nam\s+)?((?:19|20)\d{2})\b"), "my"),
    (re.compile(r"\b(\d{1,2})\s+thang\s+dau\s+nam\s+((?:19|20)\d{2})\b"), "my"),
    (re.compile(r"\b(?:den\s+het|ca)\s+nam\s+((?:19|20)\d{2})\b"), "y"),
)


def as_of_in(text) -> dt.date | None:
    """The as-of day a text states, or None (an impossible day such as 31/2 states none)."""
    if not isinstance(text, str) or not text.strip():
        return None
    folded = fold_text(text.replace("_", " "))
    for pattern, shape in _PATTERNS:
        match = pattern.search(folded)
        if not match:
            continue
        numbers = [int(g) for g in match.groups()]
        try:
            if shape == "dmy":
                return dt.date(numbers[2], numbers[1], numbers[0])
            if shape == "my":
                month, year = numbers
                return dt.date(year, month, calendar.monthrange(year, month)[1])
            return dt.date(numbers[0], 12, 31)
        except (ValueError, calendar.IllegalMonthError):
            continue
    return None


def year_end(year: int) -> dt.date:
    return dt.date(int(year), 12, 31)
