"""Check: the records of read/ -> typed frames and findings, one function per rule.

The rules live in modules by kind: problems.py (what the reader could not get past), resolve.py
(units and years of the rows), counts.py (numbers as typed), form01.py (the unit rows:
missing households, duplicates, comparisons), totals.py (totals and subtotal rows, reported
percents), coverage.py (units missing in a year, outliers, what a report needs, as-of days) and
models.py (form 02). Every function takes frames (and the rules, the period, the unit matcher)
and adds findings; none reads a file: each value arrives with its file › sheet › cell.
Messages, severities and thresholds come from the rules file (analysis.check.rules).
"""

from __future__ import annotations

from analysis.check.common import KEY
from analysis.check.totals import percents_agree

# What each built-in check's message may use (the rules file is checked against this).
PLACEHOLDERS: dict[str, set[str]] = {
    "E-FILE": {"reason"}, "E-ENCRYPTED": set(), "E-EMPTY": set(), "E-COLUMN": {"what", "found"},
    "E-UNIT": {"what"}, "E-UNIT-CONFLICT": {"in_title", "in_file"},
    "E-DUPLICATE": {"unit", "year", "first_at", "differences"},
    "E-NEGATIVE": {"label", "shown"}, "E-NOT-NUMBER": {"label", "shown"}, "E-FRACTION": {"label", "shown"},
    "E-TOO-LARGE": {"label", "shown", "max"}, "E-MISSING": {"unit", "year", "label"},
    "E-STATUS": {"what"}, "E-STATUS-YEAR": {"what", "todo"}, "E-YEAR-PERIOD": {"what", "todo"},
    "E-YEAR-UNKNOWN": {"what", "todo"}, "E-FORMULA": {"cells", "count"},
    "E-UNREAD": {"cells", "count", "why"}, "E-NO-FORM": {"what", "todo"},
    "W-TOTALS": {"what", "label", "reported", "members", "computed", "difference"},
    "W-SUBTOTAL": {"group", "year", "label", "reported", "members", "computed", "difference"},
    "W-PERCENT": {"unit", "year", "label", "reported", "part", "whole", "recomputed"},
    "W-DUPLICATE": {"unit", "year", "first_at"}, "W-MISSING-UNIT": {"year", "unit"},
    "W-OUTLIER": {"unit", "year", "current", "previous_year", "previous", "change", "threshold"},
    "W-SHEET": set(), "W-SHEET-HIDDEN": set(), "W-LEGACY": {"encoding"},
    "W-AS-OF": {"year", "first", "first_at", "second", "second_at"},
}
__all__ = ["KEY", "PLACEHOLDERS", "percents_agree"]
