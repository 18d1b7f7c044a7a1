"""Findings: one record per problem, with its rule code, severity, location and message.

The message is the rules file's text for the code, after where the problem is ("Bieu01_2022.xlsx
› Biểu 01 › ô E9: …") and followed by what to do. The values involved are kept as JSON beside it.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

from analysis import schemas
from analysis.check.rules import Rules


def location(file: str, sheet: str = "", cell: str = "", row: int | None = None, column: str = "") -> str:
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
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value if isinstance(value, (int, float, str, bool)) else str(value)


class Findings:
    """Collects findings as plain records; `frame()` gives the FINDINGS frame, errors first."""

    def __init__(self, rules: Rules):
        self.rules = rules
        self.records: list[dict] = []

    def add(self, code: str, *, file: str, sheet: str = "", cell: str = "", row: int | None = None, column: str = "",
            unit_code: str = "", unit_name: str = "", year: int | None = None, field: str = "",
            text: dict | None = None, values: dict | None = None, message: tuple[str, str] | None = None) -> None:
        """`text` fills the rules file's message for `code` (or `message` gives it ready: what, todo);
        `values` are kept as JSON for machines."""
        what, todo = message if message is not None else self.rules.text(code, text or {})
        where = location(file, sheet, cell, row, column)
        what = what.rstrip()
        if what and what[-1] not in ".?!…:":
            what += "."
        self.records.append({
            "code": code, "severity": self.rules.severity(code), "file": file, "sheet": sheet, "cell": cell,
            "row": row, "unit_code": unit_code, "unit_name": unit_name, "year": year, "field": field,
            "values": json.dumps({k: _json_value(v) for k, v in (values or {}).items()}, ensure_ascii=False),
            "message": f"{where}: {what} {todo.strip()}".strip(),
        })

    def frame(self) -> pd.DataFrame:
        columns = list(schemas.FINDINGS.columns)
        frame = pd.DataFrame.from_records(self.records, columns=columns).astype({"row": "Int64", "year": "Int64"})
        for column in columns:
            if column not in ("row", "year"):
                frame[column] = frame[column].fillna("").astype(str)
        order = frame["severity"].map({"error": 0, "warning": 1})
        frame = (frame.assign(_order=order, _row=frame["row"].fillna(0))
                 .sort_values(["_order", "file", "sheet", "_row"], kind="stable")
                 .drop(columns=["_order", "_row"]).reset_index(drop=True))
        return schemas.FINDINGS.validate(frame)
