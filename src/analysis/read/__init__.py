"""Read: a folder of forms -> one tidy long frame per form, every value with its file › sheet › cell.

`read_folder` parses nothing and judges nothing: a value is kept as typed (`raw`), with where it
is and what the layout says it is. What could not be read at all (a file, a sheet, a header) is
returned as problems: rule codes with their location and values; check/ turns them into
findings with the messages of the rules file.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as _default
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.errors import UsageError
from analysis.read.files import (
    FileProblem,
    Sheet,
    address,
    list_folder,
    read_sheets,
    safe_name,
    sha256_bytes,
    sha256_file,
)
if TYPE_CHECKING:
    import pandas as pd

from analysis.read.layout import Aliases, Table, default_aliases, find_table, required_fields, table_rows, year_in

# The long frames. `kind`: unit | total | subtotal for form 01 (a subtotal's `group` names its
# members: the unit rows of the same group), model | total for form 02. `measure`: count or
# percent (a reported "Tỉ lệ (%)"); `percent_format`: the digits of an Excel percent format
# when the cell stores a fraction (0.988 shown as 98,8%), else -1.
FORM01_COLUMNS = ["file", "sheet", "row", "kind", "group", "label", "unit_text", "unit_cell", "unit_from", "year_raw",
                  "year_cell", "year_from", "field", "measure", "raw", "cell", "column", "percent_format", "is_csv"]
FORM02_COLUMNS = ["file", "sheet", "row", "kind", "label", "unit_text", "unit_cell", "unit_from", "field", "raw",
                  "cell", "column", "is_csv"]


@dataclass
class Problem:
    """Something read could not get past: a rule code, where, and the values its message needs."""

    code: str
    file: str
    sheet: str = ""
    cell: str = ""
    row: int | None = None
    field: str = ""
    values: dict = _default(default_factory=dict)


@dataclass
class Reading:
    form01: pd.DataFrame
    models: pd.DataFrame
    sources: pd.DataFrame               # file, sha256, bytes
    problems: list[Problem]
    tables: pd.DataFrame                # file, sheet, form, header_row, fields (the fields it has columns for)


def input_files(data_dir: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise UsageError(f"không tìm thấy thư mục số liệu “{safe_name(str(data_dir))}”")
    files, refused = list_folder(data_dir)
    if not files and not refused:
        raise UsageError(f"thư mục “{safe_name(str(data_dir))}” không có tệp biểu mẫu nào (.xlsx, .xls, .csv)")
    return files, refused


class _Collector:
    def __init__(self, aliases: Aliases, units_in_names):
        self.aliases = aliases
        self.find_unit = units_in_names  # text -> a unit name found in it, or None
        self.form01: list[tuple] = []
        self.models: list[tuple] = []
        self.problems: list[Problem] = []
        self.tables: list[Table] = []

    def sheet(self, path_name: str, sheet: Sheet) -> bool:
        table = find_table(sheet, self.aliases)
        if table is None:
            return False
        self.tables.append(table)
        if sheet.legacy:
            self.problems.append(Problem("W-LEGACY", sheet.file, sheet.name, values={"encoding": sheet.legacy}))
        file_unit = self.find_unit(Path(path_name).stem, prefix_required=False)
        title_unit = next(((r, c, u) for r, c, text in table.titles if (u := self.find_unit(text))), None)
        has_unit_column = "unit" in table.columns
        missing = [f for f in required_fields(table.form, has_unit_elsewhere=bool(file_unit or title_unit))
                   if f not in table.columns]
        if missing:
            self.problems.append(Problem("E-COLUMN", sheet.file, sheet.name, row=table.header_top, field=",".join(missing),
                                         values={"form": table.form, "missing": missing, "found": table.headers_found}))
            return True
        unit_from, unit_text, unit_cell = "column", None, ""
        if not has_unit_column:
            if file_unit and title_unit and file_unit != title_unit[2]:
                self.problems.append(Problem("E-UNIT-CONFLICT", sheet.file, sheet.name,
                                             cell=address(sheet, title_unit[0], title_unit[1]), row=title_unit[0],
                                             values={"in_title": title_unit[2], "in_file": file_unit}))
                return True
            if title_unit:
                unit_from, unit_text, unit_cell = "title", title_unit[2], address(sheet, title_unit[0], title_unit[1])
            else:
                unit_from, unit_text = "file", file_unit
        rows = table_rows(table, self.aliases)
        if table.form == "02":
            self._models(table, rows, unit_from, unit_text, unit_cell)
        else:
            self._form01(path_name, table, rows, unit_from, unit_text, unit_cell)
        return True

    def _year(self, path_name: str, table: Table) -> tuple[object, str, str]:
        sheet = table.sheet
        if "year" in table.columns:
            return None, "", "column"
        if (year := year_in(sheet.name)) is not None:
            return year, "", "sheet"
        if (year := year_in(Path(path_name).stem)) is not None:
            return year, "", "file"
        for r, c, text in table.titles:
            if (year := year_in(text)) is not None:
                return year, address(sheet, r, c) or f"dòng {r}", "title"
        return None, "", ""

    def _form01(self, path_name, table: Table, rows, unit_from, unit_text, unit_cell) -> None:
        sheet = table.sheet
        year, year_cell, year_from = self._year(path_name, table)
        if not year_from:
            self.problems.append(Problem("E-YEAR-UNKNOWN", sheet.file, sheet.name, values={"scope": "table"}))
            return
        unit_col = table.columns.get("unit")
        year_col = table.columns.get("year")
        fields = [(f, c, "count") for f, c in table.columns.items() if f not in ("unit", "year")]
        fields += [(f, c, "percent") for f, c in table.percent_columns.items()]
        for row in rows:
            unit = unit_text if unit_col is None else sheet.cell(row.row, unit_col)
            ucell = unit_cell if unit_col is None else address(sheet, row.row, unit_col)
            y_raw = sheet.cell(row.row, year_col) if year_col else year
            y_cell = address(sheet, row.row, year_col) if year_col else year_cell
            base = (sheet.file, sheet.name, row.row, row.kind, row.group, row.label, unit, ucell,
                    unit_from if row.kind == "unit" else "", y_raw, y_cell, year_from)
            for name, col, measure in fields:
                raw = sheet.cell(row.row, col)
                decimals = sheet.percent_cells.get((row.row, col), -1) if measure == "percent" else -1
                self.form01.append((*base, name, measure, raw, address(sheet, row.row, col), col, decimals, sheet.is_csv))
            for r, c in sorted(sheet.formulas_without_value):
                if r == row.row and c in {col for _, col, _ in fields}:
                    self.problems.append(Problem("E-FORMULA", sheet.file, sheet.name, cell=address(sheet, r, c), row=r))

    def _models(self, table: Table, rows, unit_from, unit_text, unit_cell) -> None:
        sheet = table.sheet
        unit_col = table.columns.get("unit")
        for row in rows:
            unit = unit_text if unit_col is None else sheet.cell(row.row, unit_col)
            ucell = unit_cell if unit_col is None else address(sheet, row.row, unit_col)
            base = (sheet.file, sheet.name, row.row, "model" if row.kind == "unit" else "total", row.label, unit, ucell,
                    unit_from)
            for name, col in table.columns.items():
                if name == "unit":
                    continue
                self.models.append((*base, name, sheet.cell(row.row, col), address(sheet, row.row, col), col,
                                    sheet.is_csv))
            for r, c in sorted(sheet.formulas_without_value):
                if r == row.row and c in table.columns.values():
                    self.problems.append(Problem("E-FORMULA", sheet.file, sheet.name, cell=address(sheet, r, c), row=r))


def read_folder(data_dir: Path, *, units_in_names=lambda text, prefix_required=True: None, aliases: Aliases | None = None) -> Reading:
    """Every form in `data_dir` as long frames; `units_in_names(text)` finds a unit named in a title
    or file name (for a file per unit)."""
    files, refused = input_files(data_dir)
    collector = _Collector(aliases or default_aliases(), units_in_names)
    for path, reason in refused:
        collector.problems.append(Problem("E-FILE", safe_name(path.name), values={"reason": {
            "link": "là liên kết trỏ ra ngoài thư mục số liệu; chép chính tệp biểu vào thư mục",
            "special": "không phải tệp thông thường",
            "unreadable": "không đọc được (không có quyền hoặc liên kết hỏng)"}[reason]}))
    sources = []
    for path in files:
        name = safe_name(path.name)
        try:
            data, sheets = read_sheets(path)
        except FileProblem as problem:
            collector.problems.append(Problem(problem.code, name, values=problem.values))
            sources.append((name, sha256_file(path), path.stat().st_size))
            continue
        except OSError as error:
            collector.problems.append(Problem("E-FILE", name, values={"reason": f"không đọc được ({error.strerror})"}))
            continue
        sources.append((name, sha256_bytes(data), len(data)))
        found, skipped = 0, []
        for sheet in sheets:
            if sheet.hidden:
                if any(v not in ("", None) for row in sheet.rows for v in row):
                    collector.problems.append(Problem("W-SHEET-HIDDEN", name, sheet.name))
                continue
            if collector.sheet(path.name, sheet):
                found += 1
            elif any(v not in ("", None) for row in sheet.rows for v in row):
                skipped.append(sheet)
        if not found:
            first = next((s for s in sheets if not s.hidden and any(v not in ("", None) for r in s.rows for v in r)),
                         sheets[0])
            texts = [str(v).strip() for r in first.rows[:12] for v in r if isinstance(v, str) and v.strip()][:8]
            collector.problems.append(Problem("E-COLUMN", name, values={"form": "", "missing": [], "found": texts}))
        else:
            for sheet in skipped:
                collector.problems.append(Problem("W-SHEET", name, sheet.name))
    import pandas as pd  # noqa: PLC0415 (lazy: the up-to-date check of `report` imports input_files)

    return Reading(
        form01=pd.DataFrame.from_records(collector.form01, columns=FORM01_COLUMNS),
        models=pd.DataFrame.from_records(collector.models, columns=FORM02_COLUMNS),
        sources=pd.DataFrame.from_records(sources, columns=["file", "sha256", "bytes"]),
        problems=collector.problems,
        tables=pd.DataFrame.from_records(
            [(t.sheet.file, t.sheet.name, t.form, t.header_top, tuple(t.columns), tuple(t.headers_found))
             for t in collector.tables], columns=["file", "sheet", "form", "header_row", "fields", "headers"]),
    )
