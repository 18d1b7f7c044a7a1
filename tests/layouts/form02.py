"""Form 02 (the register of models) as offices type it: every variation of form 01's, and its own."""

from __future__ import annotations

import datetime as dt
import random

from openpyxl.utils import get_column_letter

from analysis.reference import load_statuses
from analysis.vocabulary import SECTORS
from layouts.data import SECTOR_ALIASES, STATUS_ALIASES, Model, TidyData
from layouts.form01 import _extra_blocks, as_of_day
from layouts.layout import Layout
from layouts.sheets import Block, Leaf, Sheet, Typist, add_titles, column_number_row, lone, title_block, write_header

FIELDS = ["model_name", "unit", "sector", "year_built", "households", "status", "year_stopped"]
ROMAN = ("I", "II", "III", "IV", "V", "VI")
SECTOR_LABELS = {code: item["label"] for code, item in load_statuses()["sectors"].items()}


def _alias(options: list[str], rng: random.Random) -> str:
    text = rng.choice(options)
    return rng.choice([text, text.lower(), text.upper()])


def _titles(data: TidyData, layout: Layout, day: dt.date | None, unit_title: list[str]) -> list[list]:
    if day is None:
        period = f"Từ năm {data.period[0]} đến năm {data.period[1]}"
    elif layout.as_of == "months":
        period = f"Từ năm {data.period[0]} đến hết 6 tháng đầu năm {day.year}"
    else:
        period = f"Từ năm {data.period[0]} đến ngày {day.day}/{day.month}/{day.year}"
    pool = ["ỦY BAN NHÂN DÂN THÀNH PHỐ KON TUM", "DANH SÁCH MÔ HÌNH KINH TẾ XÂY DỰNG THEO CUỘC VẬN ĐỘNG", period]
    required = unit_title + ([period] if day else [])
    return title_block(layout, required=required, pool=pool, lines=max(layout.form02_title_lines, len(required)))


def _blocks(layout: Layout, typist: Typist, names: list[str]) -> list[Block]:
    leaves = {name: lone(Leaf(name, name, typist.header("form02", name))) for name in names}
    head = [lone(Leaf("stt", header="STT"))] if layout.stt else []
    tail = [leaves.pop("notes")] if "notes" in leaves else []
    tail += [block for run in _extra_blocks(layout, "02") for block in run]
    if layout.form02_header_rows == 1 or layout.shuffle:
        return head + [leaves[n] for n in names if n in leaves] + tail
    def group(title: str, names: tuple[str, ...]) -> Block | None:
        children = [leaves[n] for n in names if n in leaves]
        return Block(title, children) if children else None

    if layout.form02_header_rows == 2:
        groups = [group("Thông tin mô hình", ("model_name", "unit", "sector", "year_built")),
                  group("Tình hình hoạt động", ("households", "status", "year_stopped"))]
    else:  # two levels of groups, each level more than one group (a title merged across the table is not one)
        groups = [Block("Thông tin mô hình", [g for g in (group("Tên, địa bàn", ("model_name", "unit")),
                                                           group("Lĩnh vực, năm", ("sector", "year_built"))) if g]),
                  Block("Tình hình hoạt động", [g for g in (group("Quy mô", ("households",)),
                                                             group("Hiện trạng", ("status", "year_stopped"))) if g])]
    return head + [g for g in groups if g] + tail


def _order(models: tuple[Model, ...], layout: Layout) -> list[list[Model]]:
    """The models as typed: grouped by sector, sorted by unit (for merged cells), or as drawn."""
    ordered = list(models)
    if layout.form02_merged:
        ordered.sort(key=lambda m: (m.unit_code, m.sector))
    if not layout.form02_groups:
        return [ordered]
    return [[m for m in ordered if m.sector == sector] for sector in SECTORS
            if any(m.sector == sector for m in ordered)]


class _Register:
    def __init__(self, sheet: Sheet, leaves: list[Leaf], layout: Layout, typist: Typist, with_unit: bool):
        self.sheet, self.leaves, self.layout, self.typist = sheet, leaves, layout, typist
        self.kinds = [leaf.kind for leaf in leaves]
        self.with_unit = with_unit
        self.number = 0
        self.run_start: dict[int, int] = {}  # column -> the first row of the run of one value (merged cells)

    def model(self, model: Model, previous: Model | None) -> int:
        """A model's row; with merged cells, a unit (and its sector) typed once over the rows that share it."""
        typist, layout = self.typist, self.layout
        self.number += 1
        same_unit = layout.form02_merged and previous is not None and previous.unit_code == model.unit_code
        same_sector = same_unit and previous.sector == model.sector
        values = {
            "stt": self.number, "model_name": model.name,
            "unit": None if same_unit else typist.unit(model.unit_code),
            "sector": None if same_sector else _alias(SECTOR_ALIASES[model.sector], typist.rng),
            "year_built": typist.year(model.year_built), "households": typist.count(model.households),
            "status": _alias(STATUS_ALIASES[model.status], typist.rng),
            "year_stopped": typist.year(model.year_stopped) if model.year_stopped else (
                None if typist.rng.choice(layout.missing_styles) == "empty" else "-"),
            "notes": model.notes, "extra": f"Thôn {typist.rng.randint(1, 9)}", "unknown": model.households * 5,
        }
        roles = ["ignored" if k in ("stt", "extra") else "unread" if k == "unknown" else "data" for k in self.kinds]
        r = self.sheet.add([values[k] for k in self.kinds], roles)
        for name, same in (("unit", same_unit), ("sector", same_sector)):
            if name not in self.kinds:
                continue
            c = self.kinds.index(name) + 1
            if not same:
                self.run_start[c] = r
                continue
            start = self.run_start[c]
            self.sheet.merges = [m for m in self.sheet.merges if m != (start, c, r - 1, c)]
            self.sheet.merges.append((start, c, r, c))
        return r

    def closing(self, words: str, count: int, households: int, rows: list[int], *, style: str, role: str) -> None:
        """A totals or subtotal row, as `style` says (see layouts.layout.REGISTER_TOTALS)."""
        row: list = [None] * len(self.kinds)
        name = self.kinds.index("model_name")
        first = 0
        if style in ("name", "first"):
            row[name if style == "name" else first] = f"{words}: {count} mô hình"
        elif style == "colon":
            row[name] = f"{words}: {count}"
        else:
            where = self.kinds.index("unit") if style == "unit" and "unit" in self.kinds else first
            if where == name:
                where = next(i for i, k in enumerate(self.kinds) if i != name)
            row[where], row[name] = words, f"{count} mô hình"
        if style in ("spread", "colon", "unit") and "households" in self.kinds:
            column = self.kinds.index("households")
            if row[column] is None:
                row[column] = households
                if style == "spread" and rows and self.layout.file_format == "xlsx":
                    letter = get_column_letter(column + 1)
                    self.sheet.formulas[(len(self.sheet.rows) + 1, column + 1)] = \
                        f"SUM({letter}{rows[0]}:{letter}{rows[-1]})"
        self.sheet.add(row, role)


def form02_sheet(name: str, data: TidyData, layout: Layout, typist: Typist, *, models: tuple[Model, ...] | None = None,
                 unit_title: list[str] = (), with_unit: bool = True) -> Sheet:
    """A register of `models` (all by default); `with_unit`: a unit column (not in a unit's own register)."""
    models = data.models if models is None else models
    sheet = Sheet(name)
    day = as_of_day(layout, data, data.period[1])
    add_titles(sheet, _titles(data, layout, day, list(unit_title)))
    names = [f for f in FIELDS if f != "unit" or with_unit]
    if not (any(m.year_stopped is not None for m in data.models) or layout.seed % 2):
        names.remove("year_stopped")
    if layout.shuffle:
        random.Random(layout.shuffle + 1).shuffle(names)
    if any(m.notes for m in data.models) or layout.notes_column:
        names.append("notes")
    leaves = write_header(sheet, _blocks(layout, typist, names), layout.form02_header_rows,
                          merged=layout.file_format == "xlsx")
    if layout.column_numbers:
        sheet.add(column_number_row(layout.column_numbers, leaves, typist.rng), "column_number")
    register = _Register(sheet, leaves, layout, typist, with_unit)
    rows: list[int] = []
    groups = _order(models, layout)
    for g, group in enumerate(groups):
        if layout.form02_groups:
            heading: list = [None] * len(leaves)
            heading[register.kinds.index("model_name")] = f"{ROMAN[g]}. {SECTOR_LABELS[group[0].sector].upper()}"
            sheet.add(heading, "group")
        these = [register.model(m, group[i - 1] if i else None) for i, m in enumerate(group)]
        rows += these
        if layout.form02_groups:
            register.closing(f"Cộng {SECTOR_LABELS[group[0].sector].lower()}", len(group),
                             sum(m.households for m in group), these, style="colon", role="subtotal")
    if layout.form02_total_line:
        register.closing("Tổng cộng" if layout.form02_total_line != "colon" else "Cộng", len(models),
                         sum(m.households for m in models), rows, style=layout.form02_total_line, role="total")
    _notes(sheet, layout, data, day)
    return sheet


def _notes(sheet: Sheet, layout: Layout, data: TidyData, day: dt.date | None) -> None:
    if not (layout.footer or layout.form02_notes):
        return
    sheet.add([])
    until = f"{day.day}/{day.month}/{day.year}" if day else f"31/12/{data.period[1]}"
    if layout.footer:
        sheet.add([f"Ghi chú: tình trạng mô hình tính đến ngày {until}."], "note")
    if layout.form02_notes:
        sheet.add(["Ghi chú:", "Các mô hình ngừng hoạt động vẫn được theo dõi,", "hỗ trợ khôi phục khi có điều kiện."],
                  "note")
    sheet.add(["Người lập biểu"], "note")
