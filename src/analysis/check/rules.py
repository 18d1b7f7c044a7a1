"""Validation findings: the rules file, the findings collector and the checks on clean frames.

Every finding has a stable rule code, a severity from data/reference/validation_rules.yaml,
where it is (file › sheet › cell, or row of a CSV), the values involved in Vietnamese number
format, and what to do, in Vietnamese.
"""

from __future__ import annotations

import json
import math
import operator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config, schemas
from analysis.formatting import fmt_int, fmt_number
from analysis.reference import load_yaml
from analysis.vocabulary import COUNT_FIELDS, FORM02_FIELDS, field_label

OPERATORS = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt, "==": operator.eq, "!=": operator.ne}
OPERATOR_TEXT = {"<=": "lớn hơn", "<": "không nhỏ hơn", ">=": "nhỏ hơn", ">": "không lớn hơn", "==": "khác", "!=": "bằng"}
SEVERITY_TEXT = {"error": "Lỗi", "warning": "Cảnh báo"}

FIELD_LABELS = {f: field_label(f) for f in (*COUNT_FIELDS, "unit", "year")} | {f: field_label(f, "02") for f in FORM02_FIELDS if f != "households"}




@dataclass(frozen=True)
class Rules:
    comparisons: tuple[dict, ...]
    checks: dict[str, dict]

    def severity(self, code: str) -> str:
        return self.checks.get(code, {}).get("severity", "error")

    def setting(self, code: str, key: str, default):
        return self.checks.get(code, {}).get(key, default)


def load_rules(path: Path | None = None) -> Rules:
    raw = load_yaml(Path(path or config.VALIDATION_RULES_FILE))
    comparisons = tuple(raw.get("comparisons", ()))
    for rule in comparisons:
        if rule["operator"] not in OPERATORS:
            raise ValueError(f"validation_rules.yaml: phép so sánh không hợp lệ “{rule['operator']}”")
    return Rules(comparisons, dict(raw.get("checks", {})))


def location(file: str, sheet: str, cell: str = "", row: int | None = None, column: str = "") -> str:
    """"Bieu01_2022.xlsx › Biểu 01 › ô E9", or "data.csv › dòng 12, cột “Hộ nghèo”"."""
    parts = [file]
    if sheet:
        parts.append(sheet)
    if cell:
        parts.append(f"ô {cell}")
    elif row is not None:
        parts.append(f"dòng {row}" + (f", cột “{column}”" if column else ""))
    return " › ".join(parts)


def _json_value(value):
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    return value if isinstance(value, (int, float, str, bool)) else str(value)


class Findings:
    """Collects findings as plain records; `frame()` gives the FINDINGS frame, errors first."""

    def __init__(self, rules: Rules):
        self.rules = rules
        self.records: list[dict] = []

    def add(self, code: str, where: str, what: str, todo: str, *, file: str, sheet: str = "", cell: str = "",
            row: int | None = None, unit_code: str = "", unit_name: str = "", year: int | None = None,
            field: str = "", values: dict | None = None) -> None:
        self.records.append({
            "code": code,
            "severity": self.rules.severity(code),
            "file": file,
            "sheet": sheet,
            "cell": cell,
            "row": row,
            "unit_code": unit_code,
            "unit_name": unit_name,
            "year": year,
            "field": field,
            "values": json.dumps({k: _json_value(v) for k, v in (values or {}).items()}, ensure_ascii=False),
            "message": f"{where}: {what}. {todo}".strip(),
        })

    def frame(self) -> pd.DataFrame:
        columns = list(schemas.FINDINGS.columns)
        frame = pd.DataFrame.from_records(self.records, columns=columns)
        frame = frame.astype({"row": "Int64", "year": "Int64"})
        for column in columns:
            if column not in ("row", "year"):
                frame[column] = frame[column].fillna("").astype(str)
        order = frame["severity"].map({"error": 0, "warning": 1})
        frame = (
            frame.assign(_order=order, _row=frame["row"].fillna(0))
            .sort_values(["_order", "file", "sheet", "_row"], kind="stable")
            .drop(columns=["_order", "_row"])
            .reset_index(drop=True)
        )
        return schemas.FINDINGS.validate(frame)


# --- checks on the clean form 01 frame -------------------------------------------------------------


def _sum_fields(frame: pd.DataFrame, expression: str, missing: str) -> pd.Series:
    parts = [frame[p.strip()].astype("Float64") for p in expression.split("+")]
    stacked = pd.concat(parts, axis=1)
    total = stacked.fillna(0).sum(axis=1)
    if missing == "skip_if_any_missing":
        return total.where(stacked.notna().all(axis=1))
    if missing == "skip_if_all_missing":
        return total.where(stacked.notna().any(axis=1))
    return total


def check_comparisons(form01: pd.DataFrame, rules: Rules, findings: Findings, address) -> None:
    """The comparison rules of the rules file, on every unit row, vectorised per rule."""
    for rule in rules.comparisons:
        fields = [p.strip() for p in f"{rule['left']}+{rule['right']}".split("+")]
        if not set(fields) <= set(form01.columns):
            continue
        left = _sum_fields(form01, rule["left"], rule.get("missing", "skip_if_any_missing"))
        right = _sum_fields(form01, rule["right"], rule.get("missing", "skip_if_any_missing"))
        known = left.notna() & right.notna()
        ok = pd.Series(OPERATORS[rule["operator"]](left[known].to_numpy(float), right[known].to_numpy(float)),
                       index=left[known].index)
        first_field = rule["left"].split("+")[0].strip()
        for index in ok.index[~ok.to_numpy()]:
            row = form01.loc[index]
            cell = address(row, first_field)
            findings.add(
                rule["code"],
                location(row["source_file"], row["source_sheet"], cell, int(row["source_row"]), first_field),
                f"{row['unit_name']}, năm {row['year']}: {field_label(rule['left'])} ({fmt_int(left[index])}) "
                f"{OPERATOR_TEXT[rule['operator']]} {field_label(rule['right'])} ({fmt_int(right[index])})",
                "Kiểm tra lại hai số liệu này với đơn vị và sửa trong biểu gốc.",
                file=row["source_file"], sheet=row["source_sheet"], cell=cell, row=int(row["source_row"]),
                unit_code=row["unit_code"], unit_name=row["unit_name"], year=int(row["year"]),
                field=rule["left"], values={"left": left[index], "right": right[index]},
            )


def percents_agree(reported, recomputed, decimals) -> np.ndarray:
    """Whether each reported percent is the half-up rounding or the truncation of the
    recomputed value to the digits the office typed (vectorised; a tiny epsilon absorbs the
    binary representation of values such as 6,25)."""
    scale = np.power(10.0, np.asarray(decimals, dtype=float))
    exact = np.asarray(recomputed, dtype=float) * scale
    typed = np.round(np.asarray(reported, dtype=float) * scale)
    return (typed == np.floor(exact + 0.5 + 1e-9)) | (typed == np.floor(exact + 1e-9))


def fmt_value(value, decimals: int = 0) -> str:
    return fmt_int(value) if decimals == 0 else fmt_number(value, decimals)
