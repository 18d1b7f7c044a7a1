"""The imperfections planted in the bundled forms (three_years.yaml's `planted`), as the cells
`python -m analysis validate` must name: warnings, not errors, and nothing else."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from samples.form01 import FIRST_DATA_ROW, FORM01_FILE, RATE, SHEET01, form01_columns
from samples.settings import three_years
from samples.units import units_of_year


@dataclass(frozen=True)
class PlantedFinding:
    code: str
    file: str
    sheet: str
    cell: str


def _row(year: int, index: int) -> int:
    """The sheet row of the unit at `index` of the year's map (after a duplicated row above it)."""
    duplicate = three_years().planted.get("duplicate") or {}
    codes = units_of_year(year).codes
    typed_twice = duplicate.get("year") == year and codes.index(duplicate["unit"]) < index
    return FIRST_DATA_ROW + index + int(typed_twice)


def _column(year: int, field: str, sub: str | None) -> str:
    return get_column_letter(3 + form01_columns(year).index((field, sub)))


def planted_findings() -> tuple[PlantedFinding, ...]:
    """(code, file, sheet, cell) of each planted imperfection, in three_years.yaml's order."""
    found = []
    for name, rule in three_years().planted.items():
        year = int(rule["year"])
        codes = units_of_year(year).codes
        if name == "duplicate":
            code, cell = "W-DUPLICATE", f"B{FIRST_DATA_ROW + codes.index(rule['unit']) + 1}"  # the second copy
        elif name == "totals_off":
            code, cell = "W-TOTALS", f"{_column(year, rule['field'], None)}{_row(year, len(codes))}"
        elif name == "percent_swapped":
            code, cell = "W-PERCENT", f"{_column(year, rule['field'], RATE)}{_row(year, codes.index(rule['unit']))}"
        else:
            raise ValueError(f"three_years.yaml: unknown planted imperfection {name!r}")
        found.append(PlantedFinding(code, FORM01_FILE.format(year=year), SHEET01, cell))
    return tuple(found)
