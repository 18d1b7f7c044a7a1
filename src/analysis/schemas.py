"""The frames passed between stages, as pandera schemas: the contracts at the edges.

Every clean row keeps where it came from (`source_file`, `source_sheet`, `source_row`, the
1-based row number in the sheet or CSV file), so a figure can be traced back to its cell.
Counts are nullable integers: a missing value stays missing (pd.NA), never zero.
"""

from __future__ import annotations

from typing import Any

import pandera.pandas as pa

from analysis.vocabulary import COUNT_FIELDS, SECTORS, STATUSES

SEVERITIES = ("error", "warning")

_source = {
    "source_file": pa.Column(str),
    "source_sheet": pa.Column(str),
    "source_row": pa.Column("int64", pa.Check.ge(1)),
}
_count: dict[str, Any] = dict(nullable=True, checks=pa.Check.ge(0))

# One row per unit and year.
FORM01 = pa.DataFrameSchema(
    {
        "unit_code": pa.Column(str),
        "unit_name": pa.Column(str),
        "year": pa.Column("int64"),
        **{name: pa.Column("Int64", **_count) for name in COUNT_FIELDS},
        **_source,
    },
    unique=["unit_code", "year"],
    strict=True,
    ordered=False,
    name="biểu 01 (sạch)",
)

# One row per economic model.
MODELS = pa.DataFrameSchema(
    {
        "model_name": pa.Column(str),
        "unit_code": pa.Column(str),
        "unit_name": pa.Column(str),
        "sector": pa.Column(str, pa.Check.isin(SECTORS)),
        "year_built": pa.Column("int64"),
        "households": pa.Column("Int64", **_count),
        "status": pa.Column(str, pa.Check.isin(STATUSES)),
        "year_stopped": pa.Column("Int64", nullable=True),
        "notes": pa.Column(str, nullable=True),
        **_source,
    },
    strict=True,
    ordered=False,
    name="biểu 02 (sạch)",
)

# Values a form's totals row reports, kept to check against the sum of the units.
REPORTED_TOTALS = pa.DataFrameSchema(
    {
        "year": pa.Column("int64"),
        "field": pa.Column(str),
        "value": pa.Column(float, nullable=True),
        "source_file": pa.Column(str),
        "source_sheet": pa.Column(str),
        "cell": pa.Column(str),
    },
    strict=True,
    ordered=False,
    name="dòng tổng cộng",
)

# Percents typed in a form ("Tỉ lệ (%)"), kept for reconciliation, never used as data.
# `field` is the count field the percent is of; `unit_code` is empty for a totals row;
# `decimals` is the number of digits typed after the decimal mark.
REPORTED_PERCENTS = pa.DataFrameSchema(
    {
        "unit_code": pa.Column(str),
        "year": pa.Column("int64"),
        "field": pa.Column(str),
        "value": pa.Column(float),
        "decimals": pa.Column("int64"),
        "source_file": pa.Column(str),
        "source_sheet": pa.Column(str),
        "cell": pa.Column(str),
    },
    strict=True,
    ordered=False,
    name="tỉ lệ đã ghi",
)

# One finding of validation. `cell` is an address like "E9" (or "" when the finding is about a
# whole file); `row` the sheet or CSV row; `values` a JSON object of the values involved.
FINDINGS = pa.DataFrameSchema(
    {
        "code": pa.Column(str),
        "severity": pa.Column(str, pa.Check.isin(SEVERITIES)),
        "file": pa.Column(str),
        "sheet": pa.Column(str),
        "cell": pa.Column(str),
        "row": pa.Column("Int64", nullable=True),
        "unit_code": pa.Column(str),
        "unit_name": pa.Column(str),
        "year": pa.Column("Int64", nullable=True),
        "field": pa.Column(str),
        "values": pa.Column(str),
        "message": pa.Column(str),
    },
    strict=True,
    ordered=False,
    name="kết quả kiểm tra",
)

# Tidy indicator values: one row per unit, year and indicator (the area too, under its own code).
INDICATORS = pa.DataFrameSchema(
    {
        "unit_code": pa.Column(str),
        "year": pa.Column("int64"),
        "indicator": pa.Column(str),
        "numerator": pa.Column(float, nullable=True),
        "denominator": pa.Column(float, nullable=True),
        "value": pa.Column(float, nullable=True),
    },
    strict=False,
    ordered=False,
    name="chỉ tiêu",
)
