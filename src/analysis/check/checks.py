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

__all__ = ["KEY", "percents_agree"]
