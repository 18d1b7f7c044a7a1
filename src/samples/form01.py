"""Form 01, one workbook per year: households and the campaign's fields per unit, typed the way
ward and commune offices type them (two-row header with merged cells, a typed totals row, notes
below, some numbers as text); for the bundled set, the imperfections planted in three_years.yaml."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from analysis.vocabulary import form01_fields
from samples.settings import YearForm, three_years
from samples.split import field_roles, round_half_up
from samples.units import UnitMap
from samples.workbook import BOLD, BOX, CENTER, PLAIN, save_deterministic, title_rows

FORM01_FILE = "Bieu01_{year}.xlsx"
SHEET01 = "Biểu 01"
FIRST_DATA_ROW = 9  # rows 1-6 titles, 7-8 the two-row header
RATE = "Tỉ lệ (%)"
HEADING = "BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN CUỘC VẬN ĐỘNG “LÀM THAY ĐỔI NẾP NGHĨ, CÁCH LÀM CỦA ĐBDTTS”"
BASELINE_HEADING = "BIỂU TỔNG HỢP SỐ HỘ ĐBDTTS, HỘ NGHÈO, HỘ CẬN NGHÈO (NĂM GỐC)"

Column = tuple[str, str | None]  # (field, sub-header); sub-header None = a single header merged down


@dataclasses.dataclass(frozen=True)
class Typing:
    """How an office typed one year's form: the planted imperfections and typing habits of
    three_years.yaml whose year is this one (none for the forms of the five-year set's later years)."""

    year: int
    planted: dict = dataclasses.field(default_factory=dict)
    habits: dict = dataclasses.field(default_factory=dict)

    def _rule(self, table: dict, name: str) -> dict:
        rule = table.get(name) or {}
        return rule if rule.get("year") == self.year else {}

    def duplicated(self, code: str) -> bool:
        return self._rule(self.planted, "duplicate").get("unit") == code

    def swapped(self, field: str, code: str) -> bool:
        rule = self._rule(self.planted, "percent_swapped")
        return rule.get("field") == field and rule.get("unit") == code

    def percent_as_text(self, index: int) -> bool:
        rule = self._rule(self.habits, "percents_as_text")
        return bool(rule) and index % rule["every"] in rule["rows"]

    def count_as_text(self, index: int, count: int) -> bool:
        rule = self._rule(self.habits, "counts_as_text")
        return bool(rule) and index % rule["every"] in rule["rows"] and count >= rule["from"]

    def total_percent(self, field: str, value: float) -> float:
        rule = self._rule(self.habits, "truncated_total_percent")
        return float(rule["value"]) if rule.get("field") == field else value

    def total_count(self, field: str, value: int) -> int | str:
        rule = self._rule(self.planted, "totals_off")
        value += int(rule["by"]) if rule.get("field") == field else 0
        return f" {value} " if self._rule(self.habits, "total_as_spaced_text").get("field") == field else value


def bundled_typing(year: int) -> Typing:
    settings = three_years()
    return Typing(year, settings.planted, settings.typing)


def form01_columns(year: int) -> list[Column]:
    """The columns after STT and Đơn vị: the baseline year's baseline fields, otherwise every
    field, the rated ones (forms.yaml) as a pair "Số hộ" / "Tỉ lệ (%)"."""
    if year == min(three_years().years):
        return [(f.id, None) for f in form01_fields() if f.baseline]
    rated = field_roles()[0]
    columns: list[Column] = []
    for f in form01_fields():
        columns += [(f.id, "Số hộ"), (f.id, RATE)] if f.id in rated else [(f.id, None)]
    return columns


def _percent(count: int, households: int) -> float:
    return round_half_up(count / households * 100, 1)


def _swap_integer_digits(value: float) -> float:
    whole, _, fraction = f"{value:.1f}".partition(".")
    return float(f"{whole[::-1]}.{fraction}")


def _typed(value, *, as_text: bool):
    """A count as an office types it: sometimes as text with a thousands dot."""
    if not as_text:
        return int(value)
    return f"{int(value):,}".replace(",", ".")


def _header(ws, columns: list[Column]) -> None:
    """The two-row header: single headers merged down, rated fields merged across their pair."""
    headers = {f.id: f.header for f in form01_fields()}
    whole = {f.id for f in form01_fields() if f.role == "whole"}
    last_col = 2 + len(columns)
    for col, title in ((1, "STT"), (2, "Đơn vị")):
        ws.cell(7, col, title)
        ws.merge_cells(start_row=7, start_column=col, end_row=8, end_column=col)
    col = 3
    while col <= last_col:
        field, sub = columns[col - 3]
        ws.cell(7, col, headers[field] + ("\n(hộ)" if sub is None and field not in whole else ""))
        if sub is None:
            ws.merge_cells(start_row=7, start_column=col, end_row=8, end_column=col)
            col += 1
        else:
            ws.cell(8, col, "Số hộ")
            ws.cell(8, col + 1, RATE)
            ws.merge_cells(start_row=7, start_column=col, end_row=7, end_column=col + 1)
            col += 2
    for r in (7, 8):
        for c in range(1, last_col + 1):
            ws.cell(r, c).font = BOLD
            ws.cell(r, c).alignment = CENTER
            ws.cell(r, c).border = BOX


def _unit_rows(columns: list[Column], row_values: dict[str, np.ndarray], codes: tuple[str, ...],
               typing: Typing) -> list[tuple[int, str, list]]:
    """(STT, unit code, cells) per row of the table, as the office typed them."""
    rows: list[tuple[int, str, list]] = []
    for i, code in enumerate(codes):
        cells: list = []
        households = int(row_values["households"][i])
        for field, sub in columns:
            count = int(row_values[field][i])
            if sub == RATE:
                percent = _percent(count, households)
                if typing.swapped(field, code):
                    percent = _swap_integer_digits(percent)
                cells.append(f"{percent:.1f}".replace(".", ",") if typing.percent_as_text(i) else percent)
            else:
                cells.append(_typed(count, as_text=typing.count_as_text(i, count)))
        rows.append((i + 1, code, cells))
        if typing.duplicated(code):
            rows.append((i + 1, code, list(cells)))  # typed twice, same STT and values
    return rows


def _totals_row(ws, r: int, columns: list[Column], totals: dict[str, int], typing: Typing) -> None:
    """The totals row: typed numbers (an office's total, not a formula)."""
    ws.cell(r, 2, "Tổng cộng").font = BOLD
    for c, (field, sub) in enumerate(columns, start=3):
        if sub == RATE:
            ws.cell(r, c, typing.total_percent(field, _percent(totals[field], totals["households"])))
        else:
            ws.cell(r, c, typing.total_count(field, totals[field]))
        ws.cell(r, c).font = BOLD


def _footer(ws, totals_row: int, last_col: int) -> None:
    for row in ws.iter_rows(min_row=FIRST_DATA_ROW, max_row=totals_row, max_col=last_col):
        for cell in row:
            cell.border = BOX
            if cell.font != BOLD:
                cell.font = PLAIN
    ws.cell(totals_row + 2, 1, "Ghi chú: số liệu do các xã, phường báo cáo; tỉ lệ tính trên tổng số hộ ĐBDTTS.")
    ws.cell(totals_row + 3, 1, "Người lập biểu")
    ws.cell(totals_row + 3, last_col - 2, "TRƯỞNG BAN CHỈ ĐẠO")
    ws.column_dimensions["B"].width = 22
    for c in range(3, last_col + 1):
        ws.column_dimensions[get_column_letter(c)].width = 13
    ws.row_dimensions[7].height = 75


def write_form01(form: YearForm, row_values: dict[str, np.ndarray], units: UnitMap, out_dir: Path, *,
                 agency: tuple[str, str], typing: Typing | None = None) -> Path:
    """One form 01 workbook for `form` (its year, day, totals and title) on `units`."""
    typing = Typing(form.year) if typing is None else typing
    columns = form01_columns(form.year)
    last_col = 2 + len(columns)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET01
    heading = BASELINE_HEADING if form.year == min(three_years().years) else HEADING
    title_rows(ws, last_col, [heading, form.period_line], agency)
    _header(ws, columns)
    r = FIRST_DATA_ROW
    spellings = units.spellings
    for number, code, cells in _unit_rows(columns, row_values, units.codes, typing):
        ws.cell(r, 1, number)
        ws.cell(r, 2, spellings[code])
        for c, value in enumerate(cells, start=3):
            ws.cell(r, c, value)
        r += 1
    _totals_row(ws, r, columns, form.totals, typing)
    _footer(ws, r, last_col)
    path = out_dir / FORM01_FILE.format(year=form.year)
    settings = three_years()
    save_deterministic(wb, path, creator=settings.creator, document_time=settings.document_time)
    return path
