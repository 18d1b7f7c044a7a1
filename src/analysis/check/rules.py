"""The rules file (data/reference/validation_rules.yaml): severities, thresholds, messages and the
comparison rules, validated when loaded.

A field, operator, severity, missing-value strategy or message placeholder the file does not
know is a configuration error (exit 2) that names the rule and what is allowed: a typo in the
rules must never silently switch a check off.
"""

from __future__ import annotations

import operator
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analysis import config
from analysis.errors import UsageError
from analysis.reference import load_yaml
from analysis.vocabulary import COUNT_FIELDS

OPERATORS = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt, "==": operator.eq, "!=": operator.ne}
# How a broken comparison reads: "left <= right" failed means "left lớn hơn right".
BROKEN = {"<=": "lớn hơn", "<": "không nhỏ hơn", ">=": "nhỏ hơn", ">": "không lớn hơn", "==": "khác", "!=": "bằng"}
SEVERITIES = ("error", "warning")
SEVERITY_TEXT = {"error": "Lỗi", "warning": "Cảnh báo"}
MISSING = ("skip_if_any_missing", "skip_if_all_missing", "never_skip")
COMPARISON_PLACEHOLDERS = {"unit", "year", "left_label", "left", "right_label", "right", "relation"}
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


@dataclass(frozen=True)
class Comparison:
    code: str
    left: tuple[str, ...]
    operator: str
    right: tuple[str, ...]
    severity: str
    missing: str
    message: str
    todo: str

    @property
    def left_text(self) -> str:
        return " + ".join(self.left)

    @property
    def right_text(self) -> str:
        return " + ".join(self.right)


@dataclass(frozen=True)
class Rules:
    comparisons: tuple[Comparison, ...]
    checks: dict[str, dict]

    def severity(self, code: str) -> str:
        if code in self.checks:
            return self.checks[code]["severity"]
        return next((c.severity for c in self.comparisons if c.code == code), "error")

    def setting(self, code: str, key: str):
        """A threshold of a built-in check, e.g. setting("W-OUTLIER", "threshold")."""
        try:
            return self.checks[code][key]
        except KeyError:
            raise UsageError(f"validation_rules.yaml: quy tắc {code} thiếu khóa “{key}”") from None

    def text(self, code: str, values: dict) -> tuple[str, str]:
        """The message and the what-to-do sentence of a built-in check, filled with `values`."""
        rule = self.checks[code]
        return rule["message"].format_map(values), rule.get("todo", "").format_map(values)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _fields(expression, where: str) -> tuple[str, ...]:
    parts = tuple(p.strip() for p in str(expression).split("+"))
    unknown = [p for p in parts if p not in COUNT_FIELDS]
    if unknown:
        raise UsageError(f"{where}: trường “{', '.join(unknown)}” không có trong Biểu 01; các trường có: "
                         + ", ".join(COUNT_FIELDS))
    return parts


def parse_rules(raw: dict, source: str = "validation_rules.yaml", *, known_checks: dict | None = None) -> Rules:
    if not isinstance(raw, dict):
        raise UsageError(f"{source}: tệp phải gồm hai mục “comparisons” và “checks”")
    checks = raw.get("checks") or {}
    if not isinstance(checks, dict):
        raise UsageError(f"{source}: mục “checks” phải là danh sách “mã: thiết lập”")
    for code, rule in checks.items():
        where = f"{source}, quy tắc {code}"
        if not isinstance(rule, dict):
            raise UsageError(f"{where}: phải có các khóa severity, message")
        if rule.get("severity") not in SEVERITIES:
            raise UsageError(f"{where}: severity = “{rule.get('severity')}” không hợp lệ; chọn error hoặc warning")
        if not isinstance(rule.get("message"), str) or not rule["message"].strip():
            raise UsageError(f"{where}: thiếu nội dung thông báo (message)")
        if known_checks is not None and code in known_checks:
            unknown = (_placeholders(rule["message"]) | _placeholders(rule.get("todo", ""))) - known_checks[code]
            if unknown:
                raise UsageError(f"{where}: thông báo dùng {{{', '.join(sorted(unknown))}}} không có; "
                                 f"có thể dùng: {', '.join('{' + p + '}' for p in sorted(known_checks[code])) or '(không)'}")
    if known_checks is not None:
        absent = sorted(set(known_checks) - set(checks))
        if absent:
            raise UsageError(f"{source}: thiếu thiết lập của các quy tắc {', '.join(absent)}")
    comparisons = []
    first_text: dict[str, tuple[str, str]] = {}
    for index, rule in enumerate(raw.get("comparisons") or [], start=1):
        where = f"{source}, quy tắc so sánh thứ {index}"
        if not isinstance(rule, dict):
            raise UsageError(f"{where}: phải có các khóa code, left, operator, right, severity")
        if rule.get("operator") not in OPERATORS:
            raise UsageError(f"{where}: phép so sánh “{rule.get('operator')}” không hợp lệ; chọn {', '.join(OPERATORS)}")
        if rule.get("severity") not in SEVERITIES:
            raise UsageError(f"{where}: severity = “{rule.get('severity')}” không hợp lệ; chọn error hoặc warning")
        missing = rule.get("missing", "skip_if_any_missing")
        if missing not in MISSING:
            raise UsageError(f"{where}: missing = “{missing}” không hợp lệ; chọn {', '.join(MISSING)}")
        code = str(rule.get("code") or "")
        if not code:
            raise UsageError(f"{where}: thiếu mã quy tắc (code)")
        message, todo = rule.get("message"), rule.get("todo")
        if message is None:
            if code not in first_text:
                raise UsageError(f"{where}: thiếu nội dung thông báo (message) cho mã {code}")
            message, todo = first_text[code][0], todo if todo is not None else first_text[code][1]
        first_text.setdefault(code, (message, todo or ""))
        unknown = (_placeholders(message) | _placeholders(todo or "")) - COMPARISON_PLACEHOLDERS
        if unknown:
            raise UsageError(f"{where}: thông báo dùng {{{', '.join(sorted(unknown))}}} không có; có thể dùng: "
                             + ", ".join("{" + p + "}" for p in sorted(COMPARISON_PLACEHOLDERS)))
        comparisons.append(Comparison(code, _fields(rule.get("left"), where), rule["operator"],
                                      _fields(rule.get("right"), where), rule["severity"], missing, message, todo or ""))
    return Rules(tuple(comparisons), dict(checks))


@lru_cache(maxsize=4)
def _load(path: Path) -> Rules:
    return parse_rules(load_yaml(path), path.name, known_checks=PLACEHOLDERS)


def load_rules(path: Path | None = None) -> Rules:
    return _load(Path(path or config.VALIDATION_RULES_FILE))
