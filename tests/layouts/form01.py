"""Form 01 as offices type it: a table of one year or of several (a "Năm" column, or years across)."""

from __future__ import annotations

import datetime as dt
import random

from analysis.vocabulary import BASELINE_FIELDS
from analysis.vocabulary import COUNT_FIELDS as FORM01_FIELDS
from analysis.vocabulary import PART_FIELDS as HOUSEHOLD_PARTS
from layouts.data import UNITS, TidyData
from layouts.layout import Layout
from layouts.sheets import (
    Block,
    Leaf,
    Sheet,
    Typist,
    add_titles,
    column_number_row,
    levels,
    lone,
    percent_of,
    title_block,
    write_header,
)

# Title lines in the order they are used: the first `title_lines` of the pool are typed.
CITY_TITLES = ["ỦY BAN NHÂN DÂN THÀNH PHỐ KON TUM",
               "BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN CUỘC VẬN ĐỘNG “LÀM THAY ĐỔI NẾP NGHĨ, CÁCH LÀM CỦA ĐBDTTS”",
               "BAN CHỈ ĐẠO CUỘC VẬN ĐỘNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
               "(Kèm theo Báo cáo sơ kết của Ban Chỉ đạo)"]
UNIT_TITLES = ["BIỂU KẾT QUẢ THỰC HIỆN CUỘC VẬN ĐỘNG", *CITY_TITLES[3:]]
EXTRA_HEADER, UNKNOWN_HEADER = "Địa bàn (thôn, làng)", "Dự kiến năm sau"


def as_of_day(layout: Layout, data: TidyData, year: int) -> dt.date | None:
    """The day the layout says the year's figures stop at (only the last year's, when it says one)."""
    if layout.as_of is None or year != data.period[1]:
        return None
    return dt.date(year, 6, 30) if layout.as_of == "months" else dt.date(year, 6, 15)


def as_of_words(layout: Layout, day: dt.date) -> str:
    """How a title says it: "(số liệu đến ngày 15/6/2023)", "6 tháng đầu năm 2023"."""
    if layout.as_of == "months":
        return f"6 tháng đầu năm {day.year}"
    return f"số liệu đến ngày {day.day}/{day.month}/{day.year}"


def form01_blocks(layout: Layout, typist: Typist, *, unit_column: bool, year_column: bool,
                  campaign: bool) -> list[Block]:
    """The header of a form 01 table, as blocks in column order (a percent stays after its count)."""
    depth = layout.header_rows
    head: list[Block] = [lone(Leaf("stt", header="STT"))] if layout.stt else []
    body: list[list[Block]] = []   # runs of blocks that move together when the columns are shuffled
    if unit_column:
        body.append([lone(Leaf("unit", header=typist.header("form01", "unit")))])
    if year_column:
        body.append([lone(Leaf("year", header=typist.header("form01", "year")))])
    body.append([lone(Leaf("count", "households", typist.header("form01", "households")))])
    if campaign:
        fields: list[list[Block]] = []
        for name in HOUSEHOLD_PARTS:
            title = typist.header("form01", name)
            if name in layout.percents:
                count, percent = Leaf("count", name, "Số hộ"), Leaf("percent", name, "Tỉ lệ (%)")
                if depth == 1:
                    fields.append([lone(Leaf("count", name, title)), lone(percent)])
                else:
                    fields.append([Block(title, [lone(count), lone(percent)])])
            else:
                fields.append([lone(Leaf("count", name, title))])
        nested = any(b.children for run in fields for b in run)
        if layout.group_titles and (depth == 3 or depth == 2 and not nested):
            body.append([Block("Kết quả thực hiện Cuộc vận động", [b for run in fields for b in run])])
        else:
            body += fields
    poverty = [lone(Leaf("count", name, typist.header("form01", name))) for name in ("poor", "near_poor")]
    if layout.group_titles and depth >= 2:
        body.append([Block("Hộ nghèo, cận nghèo", poverty)])
    else:
        body += [[block] for block in poverty]
    body += _extra_blocks(layout, "01")
    if layout.shuffle:
        random.Random(layout.shuffle).shuffle(body)
    tail = [lone(Leaf("notes", header="Ghi chú"))] if layout.notes_column else []
    return head + [block for run in body for block in run] + tail


def _extra_blocks(layout: Layout, form: str) -> list[list[Block]]:
    extra = [[lone(Leaf("extra", header=EXTRA_HEADER))]] if layout.extra_column else []
    if layout.unknown_numbers == form:
        extra.append([lone(Leaf("unknown", header=UNKNOWN_HEADER if form == "01" else "Kinh phí hỗ trợ (triệu đồng)"))])
    return extra


def years_across_blocks(layout: Layout, typist: Typist, data: TidyData, day: dt.date | None) -> list[Block]:
    """Each field over its years (`under`) or each year over its fields (`over`); a field with a
    percent has "Số hộ" | "Tỉ lệ (%)" under each year."""
    head: list[Block] = [lone(Leaf("stt", header="STT"))] if layout.stt else []
    head.append(lone(Leaf("unit", header=typist.header("form01", "unit"))))

    def year_title(year: int):
        label = typist.rng.choice([f"Năm {year}", year, str(year)])
        return f"Năm {year} ({as_of_words(layout, day)})" if day and year == day.year else label

    def cells(name: str, year: int, title) -> Block:
        if name in layout.percents:
            return Block(title, [lone(Leaf("count", name, "Số hộ", year)),
                                 lone(Leaf("percent", name, "Tỉ lệ (%)", year))])
        return lone(Leaf("count", name, title, year))

    def years_of(name: str) -> list[int]:
        return data.years if name in BASELINE_FIELDS else data.years[1:]

    if layout.years_at == "under":
        body = [Block(typist.header("form01", name), [cells(name, y, year_title(y)) for y in years_of(name)])
                for name in FORM01_FIELDS]
    else:
        body = [Block(year_title(y), [cells(name, y, typist.header("form01", name)) for name in FORM01_FIELDS
                                      if y in years_of(name)]) for y in data.years]
    extra = [block for run in _extra_blocks(layout, "01") for block in run]
    return head + body + extra


def _titles(data: TidyData, layout: Layout, years: list[int], unit_column: bool, titles: list[str]) -> list[list]:
    pool = CITY_TITLES if unit_column else UNIT_TITLES
    if len(years) > 1 and unit_column:   # the period in the title of a table with a Năm column
        pool = [pool[0], pool[1], f"GIAI ĐOẠN {data.period[0]} - {data.period[1]}", *pool[2:]]
    elif len(years) == 1:                # offices name the year even where the sheet or file name has it
        pool = [pool[0], pool[1], f"NĂM {years[0]}", *pool[2:]]
    return title_block(layout, required=titles, pool=pool)


class _Rows:
    """Typing the rows of one form 01 table under its leaves."""

    def __init__(self, sheet: Sheet, leaves: list[Leaf], typist: Typist, data: TidyData):
        self.sheet, self.leaves, self.typist, self.data = sheet, leaves, typist, data
        self.width = len(leaves)

    def row(self, stt, code: str | None, year: int | None, label: str | None = None, label_in: str = "unit",
            role: str = "data", keys: list | None = None, show_unit: bool = True) -> int:
        """A unit's row (its values of `year`, or of each leaf's year), or a totals row summing `keys`."""
        cells, roles = [], []
        for leaf in self.leaves:
            when = leaf.year or year
            values = self.sums(keys, when) if keys is not None else self.data.form01.get((code, when), {})
            value, kind = self._cell(leaf, stt, code, when, values, label, label_in, show_unit)
            cells.append(value)
            roles.append("unread" if leaf.kind == "unknown" else (role if role != "data" else kind))
        return self.sheet.add(cells, roles)

    def _cell(self, leaf: Leaf, stt, code, year, values: dict, label, label_in, show_unit: bool) -> tuple:
        typist = self.typist
        if leaf.kind == "stt":
            return (label if label_in == "stt" and label else stt), "ignored"
        if leaf.kind == "unit":
            typed = typist.unit(code) if code and show_unit else None
            return (label if label_in == "unit" and label else typed), "data"
        if leaf.kind == "year":
            return typist.year(year), "data"
        if leaf.kind == "count":
            return typist.count(values.get(leaf.name)), "data"
        if leaf.kind == "percent":
            value, fraction = typist.percent(percent_of(values.get(leaf.name), values.get("households")))
            if fraction and value is not None and not isinstance(value, str):
                self.sheet.percent_cells.add((len(self.sheet.rows) + 1, self.leaves.index(leaf) + 1))
            return value, "percent"
        if leaf.kind == "notes":
            return (label if label_in == "notes" and label else None), "ignored"
        if leaf.kind == "extra":
            return (f"Thôn {typist.rng.randint(1, 9)}" if code else None), "ignored"
        if leaf.kind == "unknown":
            return (values.get("households") or 0) + 7, "unread"
        raise ValueError(leaf.kind)

    def sums(self, keys: list[str], year: int | None) -> dict:
        out = {}
        for name in FORM01_FIELDS:
            present = [self.data.form01[(k, year)][name] for k in keys
                       if (k, year) in self.data.form01 and self.data.form01[(k, year)][name] is not None]
            out[name] = sum(present) if present else None
        return out


def _footer(sheet: Sheet, layout: Layout, width: int, year: int, day: dt.date | None) -> None:
    if not layout.footer:
        return
    sheet.add([])
    until = f"{day.day}/{day.month}/{day.year}" if day else f"31/12/{year}"
    if layout.footer == "dated":
        sheet.add([None] * (width - 1) + [f"Kon Tum, ngày 20 tháng 12 năm {year}"], "note")
        sheet.add(["Người lập biểu"] + [None] * (width - 2) + ["TM. BAN CHỈ ĐẠO"], "note")
    else:
        sheet.add([f"Ghi chú: số liệu tính đến ngày {until}; tỉ lệ tính trên tổng số hộ ĐBDTTS."], "note")
        sheet.add(["Người lập biểu", None, None, "TRƯỞNG BAN CHỈ ĐẠO"][: max(width, 1)], "note")


def _hide(sheet: Sheet, layout: Layout, typist: Typist, leaves: list[Leaf], data_rows: list[int]) -> None:
    if layout.hidden_rows and data_rows:
        sheet.hidden_rows.add(typist.rng.choice(data_rows))
    if layout.hidden_columns:
        numeric = [c for c, leaf in enumerate(leaves, start=1) if leaf.kind in ("count", "percent")]
        sheet.hidden_columns.add(typist.rng.choice(numeric))


def form01_sheet(name: str, data: TidyData, layout: Layout, typist: Typist, *, records: list[tuple[str, int]],
                 unit_column: bool, year_column: bool, titles: list[str], campaign: bool) -> Sheet:
    """One form 01 table of `records` (unit, year), a row each."""
    sheet = Sheet(name)
    years = sorted({year for _, year in records})
    blocks = form01_blocks(layout, typist, unit_column=unit_column, year_column=year_column, campaign=campaign)
    width = sum(len(b.leaves()) for b in blocks)
    add_titles(sheet, _titles(data, layout, years, unit_column, titles),
               merged_width=width if layout.file_format == "xlsx" else 0)
    leaves = write_header(sheet, blocks, layout.header_rows, merged=layout.file_format == "xlsx")
    if layout.column_numbers:
        sheet.add(column_number_row(layout.column_numbers, leaves, typist.rng), "column_number")
    rows = _Rows(sheet, leaves, typist, data)
    single_year = len(years) == 1
    groups = [records]
    grouped = layout.groups and unit_column and single_year
    if grouped:
        by_kind = ([r for r in records if UNITS.loc[r[0], "type"] == kind] for kind in ("phường", "xã"))
        groups = [g for g in by_kind if g]
    data_rows: list[int] = []
    kinds = [leaf.kind for leaf in leaves]
    for g, group in enumerate(groups):
        if grouped:
            kind = UNITS.loc[group[0][0], "type"]
            roman, heading, row = ["I", "II"][g], f"KHỐI {kind.upper()}", [None] * width
            if layout.group_heading_split:
                row[kinds.index("stt")], row[kinds.index("unit")] = roman, heading
            else:
                row[kinds.index("unit")] = f"{roman}. {heading}"
            sheet.add(row, "group")
        for i, (code, year) in enumerate(group):
            data_rows.append(rows.row(i + 1, code, year, show_unit=unit_column))
            if layout.blank_rows and i == 0 and len(group) > 1:
                sheet.add([])
        if grouped:
            rows.row(None, None, group[0][1], label=f"Cộng khối {UNITS.loc[group[0][0], 'type']}", role="subtotal",
                     keys=[c for c, _ in group])
    if layout.totals and unit_column and single_year:
        rows.row(None, None, records[0][1], label=layout.totals, label_in=layout.totals_in, role="total",
                 keys=[c for c, _ in records])
    _footer(sheet, layout, width, records[-1][1], as_of_day(layout, data, records[-1][1]))
    _hide(sheet, layout, typist, leaves, data_rows)
    return sheet


def years_across_sheet(name: str, data: TidyData, layout: Layout, typist: Typist) -> Sheet:
    """The whole data set in one table: a row per unit, a column per field and year."""
    sheet = Sheet(name)
    day = as_of_day(layout, data, data.period[1])
    blocks = years_across_blocks(layout, typist, data, day if layout.as_of == "header" else None)
    width = sum(len(b.leaves()) for b in blocks)
    titles = [f"GIAI ĐOẠN {data.period[0]} - {data.period[1]}"]
    if day and layout.as_of != "header":
        titles = [f"GIAI ĐOẠN {data.period[0]} - {data.period[1]} (năm {day.year}: {as_of_words(layout, day)})"]
    add_titles(sheet, title_block(layout, required=titles, pool=CITY_TITLES[:2]),
               merged_width=width if layout.file_format == "xlsx" else 0)
    leaves = write_header(sheet, blocks, max(levels(b) for b in blocks), merged=layout.file_format == "xlsx")
    if layout.column_numbers:
        sheet.add(column_number_row(layout.column_numbers, leaves, typist.rng), "column_number")
    rows = _Rows(sheet, leaves, typist, data)
    data_rows = [rows.row(i, code, None) for i, code in enumerate(data.units, start=1)]
    if layout.totals:
        rows.row(None, None, None, label=layout.totals, label_in="unit", role="total", keys=list(data.units))
    _footer(sheet, layout, width, data.period[1], day)
    _hide(sheet, layout, typist, leaves, data_rows)
    return sheet
