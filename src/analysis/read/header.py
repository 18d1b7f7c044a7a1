"""Sheets -> tables: where a form's header is and what each column holds.

The header is found by matching known headers (data/reference/header_aliases.yaml), not by
position: 1 to 4 header rows with merged cells in both directions (a merged cell's text is the
text of the range's top-left cell), a field named by a group title over generic sub-headers
("Số hộ" | "Tỉ lệ (%)"), years across columns ("Năm 2021 | Năm 2022" under or over the fields),
and a row of column numbers under it. Every column gets a role for the ledger: a field's value,
a reported percent, an STT number, or a column whose figures nobody reads (no header, a header
the forms do not have, a second column for the same field, a field without its year).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.read.aliases import (
    Aliases,
    default_aliases,
    is_column_number,
    is_column_number_row,
    normalize_header,
    year_label,
)
from analysis.read.sheet import Sheet, column_letter
from analysis.read.ledger import Column
from analysis.vocabulary import FORM02_REQUIRED, PART_FIELDS, WHOLE_FIELD

HEADER_SCAN_ROWS = 40
MAX_HEADER_ROWS = 4
TEXT_FIELDS = {"01": ("unit", "year"), "02": ("model_name", "unit", "sector", "status", "notes")}


@dataclass
class Slot:
    """The columns of one year (years across columns), or of the table (year None)."""

    year: int | None
    counts: dict[str, int] = field(default_factory=dict)     # field -> column
    percents: dict[str, int] = field(default_factory=dict)   # field -> column of its reported percent


@dataclass
class Table:
    """Where a form's table sits in a sheet and what its columns hold."""

    sheet: Sheet
    form: str                               # "01" or "02"
    header_top: int                         # 1-based
    header_bottom: int                      # the last header row (column numbers included)
    columns: dict[str, int]                 # field -> column (the first slot's, and the text fields)
    percent_columns: dict[str, int]         # field -> column of its reported percent (the first slot's)
    headers: dict[int, str]                 # column -> its header text, as typed (for messages)
    titles: list[tuple[int, int, str]] = field(default_factory=list)  # text cells above the header
    slots: list[Slot] = field(default_factory=list)
    roles: dict[int, Column] = field(default_factory=dict)
    number_rows: set[int] = field(default_factory=set)     # header rows of column numbers
    year_texts: dict[int, tuple[int, int, str]] = field(default_factory=dict)  # year -> its header cell

    @property
    def headers_found(self) -> list[str]:
        return list(dict.fromkeys(self.headers.values()))

    @property
    def years_across(self) -> bool:
        return any(slot.year is not None for slot in self.slots)

    @property
    def fields(self) -> set[str]:
        return set(self.columns) | {f for slot in self.slots for f in slot.counts}


def _filled(sheet: Sheet, last_row: int, merges: list | None = None) -> list[list]:
    """The first rows with every merged cell holding its range's top-left value."""
    rows = [list(r) for r in sheet.rows[:last_row]]
    for r1, c1, r2, c2 in sheet.merges if merges is None else merges:
        if r1 > last_row:
            continue
        value = sheet.cell(r1, c1)
        for r in range(r1, min(r2, last_row) + 1):
            while len(rows) < r:  # a merge reaching below the last row that holds a value
                rows.append([])
            row = rows[r - 1]
            if len(row) < c2:
                row.extend([""] * (c2 - len(row)))
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    row[c - 1] = value if value is not None else ""
    return rows


def _texts(values: list) -> list[tuple[int, str]]:
    return [(c, v) for c, v in enumerate(values, start=1) if isinstance(v, str) and v.strip()]


def _best_row(filled: list[list], aliases: Aliases) -> tuple[int, str] | None:
    best: tuple[int, str, int] | None = None
    for r, values in enumerate(filled, start=1):
        texts = [t for _, t in _texts(values)]
        for form in ("02", "01"):
            matched = {aliases.field(form, t) for t in texts} - {None}
            if form == "02" and not matched & {"model_name", "status"}:
                continue
            if form == "01" and not matched & {WHOLE_FIELD, *PART_FIELDS, "poor"}:
                continue
            if len(matched) >= 2 and (best is None or len(matched) > best[2]):
                best = (r, form, len(matched))
    return None if best is None else best[:2]


def _present(values: list) -> list:
    return [v for v in values if v not in ("", None)]


def _is_year_row(values: list, aliases: Aliases) -> bool:
    """A header row of years ("Năm 2021 | Năm 2022 | …"), maybe beside STT and the unit's header."""
    present = _present(values)
    years = [v for v in present if year_label(v) is not None]
    return len(years) >= 2 and all(
        year_label(v) is not None or (isinstance(v, str) and (aliases.is_ignored(v) or aliases.field("01", v)
                                                            in TEXT_FIELDS["01"])) for v in present)


def _is_group_row(sheet: Sheet, r: int, merges: list, main: int) -> bool:
    """A row of group titles over the header ("Thông tin mô hình" | "Tình hình hoạt động"): texts
    only, two or more of them spanning several columns (a merge; in a CSV, blank cells after the text
    with sub-headers under them, down to the header's main row); a title merged across the whole
    table is one text, not a group row."""
    values = sheet.rows[r - 1] if r <= len(sheet.rows) else []
    cells = [c for c, v in enumerate(values, start=1) if v not in ("", None)]
    if len(cells) < 2 or any(not isinstance(values[c - 1], str) or year_label(values[c - 1]) is not None
                             for c in cells):
        return False
    if not sheet.is_csv:
        starts = {(m[0], m[1]): m for m in merges}
        return sum((r, c) in starts and starts[(r, c)][3] > c for c in cells) >= 2
    below = range(r + 1, main + 1)
    spans = 0
    for c in cells:
        end = c
        while end + 1 <= len(values) and values[end] in ("", None):
            end += 1
        if not any(sheet.cell(b, k) is not None for b in below for k in range(c, end + 1)):
            return False  # nothing under it: not a group title
        spans += end > c and any(sheet.cell(b, k) is not None for b in below for k in range(c + 1, end + 1))
    return spans >= 2


def _is_subheader_row(values: list, form: str, aliases: Aliases) -> bool:
    """A row under the header's main row that still belongs to it."""
    present = _present(values)
    if not present:
        return False
    if is_column_number_row(values) or _is_year_row(values, aliases):
        return True
    return all(isinstance(v, str) and (aliases.is_percent(v) or aliases.is_count(v) or aliases.field(form, v)
                                       or aliases.is_ignored(v) or year_label(v) is not None) for v in present)


def _is_header_row(values: list, form: str, aliases: Aliases) -> bool:
    """A row above a header's main row that belongs to it (CSV, where merges are lost): two or more
    texts, one of them a known header word, and no figures."""
    texts = [t for _, t in _texts(values)]
    if len(texts) < 2 or any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values if v is not None):
        return False
    return any(aliases.field(form, t) or aliases.is_ignored(t) or aliases.is_count(t) for t in texts)


def _csv_merges(sheet: Sheet, main: int, form: str, aliases: Aliases) -> list[tuple[int, int, int, int]]:
    """The merges a CSV export lost, rebuilt from its blanks: a header text over blank cells below
    it spans down, a group title followed by blank cells over sub-headers spans right."""
    top, probe = main, main - 1
    while probe >= 1 and main - probe < MAX_HEADER_ROWS:
        values = sheet.rows[probe - 1]
        if not _present(values):
            probe -= 1  # a blank row inside the header
            continue
        if not (_is_header_row(values, form, aliases) or _is_year_row(values, aliases)
                or _is_group_row(sheet, probe, [], main)):
            break
        top, probe = probe, probe - 1
    bottom, probe = main, main
    while probe < len(sheet.rows) and probe - top < MAX_HEADER_ROWS:
        values = sheet.rows[probe]
        if not _present(values):
            probe += 1  # a blank row inside the header
            continue
        if not _is_subheader_row(values, form, aliases) or is_column_number_row(values):
            break
        bottom = probe = probe + 1
    rows = [r for r in range(top, bottom + 1) if _present(sheet.rows[r - 1])]
    if len(rows) < 2:
        return []
    width = max(len(sheet.rows[r - 1]) for r in rows)
    merges = []
    for r in rows[:-1]:
        c = 1
        while c <= width:
            if sheet.cell(r, c) is None:
                c += 1
                continue
            end = c
            under = [b for b in rows if b > r]
            while end + 1 <= width and sheet.cell(r, end + 1) is None and \
                    any(sheet.cell(b, end + 1) is not None for b in under):
                end += 1
            down = r
            if end == c:
                while down + 1 <= bottom and sheet.cell(down + 1, c) is None:
                    down += 1
            if end > c or down > r:
                merges.append((r, c, down, end))
            c = end + 1
    return merges


def _header_block(sheet: Sheet, main: int, form: str, merges: list, aliases: Aliases) -> tuple[int, int, set[int]]:
    """The header's first and last rows around its main row, and its rows of column numbers."""
    top = bottom = main
    changed = True
    while changed:  # a merge that crosses the block's edge belongs to the header
        changed = False
        for r1, _, r2, _ in merges:
            if r1 < top <= r2 and main - r1 < MAX_HEADER_ROWS:
                top, changed = r1, True
            if r1 <= bottom < r2 and r2 - main < MAX_HEADER_ROWS:
                bottom, changed = r2, True
    while top > 1 and bottom - top + 1 < MAX_HEADER_ROWS and (_is_year_row(sheet.rows[top - 2], aliases)
                                                                or _is_group_row(sheet, top - 1, merges, main)):
        top -= 1  # years, or group titles, over the fields
    while bottom < len(sheet.rows) and bottom - top + 1 < MAX_HEADER_ROWS and \
            _is_subheader_row(sheet.rows[bottom], form, aliases) and not is_column_number_row(sheet.rows[bottom]):
        bottom += 1
    numbers = set()
    if bottom < len(sheet.rows) and is_column_number_row(sheet.rows[bottom]):
        bottom += 1
        numbers.add(bottom)
    return top, bottom, numbers


def find_table(sheet: Sheet, aliases: Aliases | None = None) -> Table | None:
    """The form table of a sheet, or None when the sheet holds neither form."""
    aliases = aliases or default_aliases()
    scan = min(len(sheet.rows), HEADER_SCAN_ROWS)
    found = _best_row(_filled(sheet, scan), aliases)
    if found is None:
        return None
    main, form = found
    merges = sheet.merges
    near = range(main - 1, main + MAX_HEADER_ROWS)   # the rows a header's merges start in (titles above excluded)
    if sheet.is_csv or not any(r1 in near or (r2 > r1 and r2 >= main) for r1, _, r2, _ in merges):
        # a CSV, or a workbook whose header is not merged ("Center Across Selection"): its merges from its blanks
        merges = _csv_merges(sheet, main, form, aliases)
        found = _best_row(_filled(sheet, scan, merges), aliases)
        main, form = found or (main, form)
    top, bottom, numbers = _header_block(sheet, main, form, merges, aliases)
    filled = _filled(sheet, bottom, merges)
    table = Table(sheet, form, top, bottom, {}, {}, {}, number_rows=numbers)
    _columns(table, filled, aliases)
    table.titles = [(r, c, " ".join(v.split())) for r in range(1, top) for c, v in _texts(sheet.rows[r - 1])]
    return table


def _path(filled: list[list], table: Table, c: int) -> tuple[list[str], int | None, tuple[int, int, str] | None]:
    """A column's header texts from top to bottom (a year label taken out), and its year."""
    path: list[str] = []
    year, year_cell = None, None
    for r in range(table.header_top, table.header_bottom + 1):
        if r in table.number_rows:
            continue
        value = filled[r - 1][c - 1] if c <= len(filled[r - 1]) else ""
        if value in ("", None) or is_column_number(value) and not isinstance(value, str):
            continue
        if year_label(value) is not None:
            year, year_cell = year_label(value), (r, c, str(value))
            continue
        if not isinstance(value, str):
            continue
        text = " ".join(value.split())
        if not path or normalize_header(path[-1]) != normalize_header(text):
            path.append(text)
    return path, year, year_cell


def _columns(table: Table, filled: list[list], aliases: Aliases) -> None:
    """Each column's field, percent or role; the slots of the years across columns."""
    form = table.form
    width = max((len(r) for r in filled[table.header_top - 1:table.header_bottom]), default=0)
    slots: dict[int | None, Slot] = {}
    last_count: dict[int | None, str] = {}
    for c in range(1, width + 1):
        path, year, year_cell = _path(filled, table, c)
        if year_cell is not None and year is not None:
            table.year_texts.setdefault(year, year_cell)
        shown = " › ".join(path + ([year_cell[2].strip()] if year_cell else []))
        if not path:
            table.roles[c] = Column("unread", "không có tiêu đề cột" if year is None else
                                    f"cột “{shown}” không ghi là chỉ tiêu nào")
            if shown:
                table.headers[c] = shown
            continue
        table.headers[c] = shown
        name, percent = _field_of(path, form, aliases)
        if name is None and aliases.is_percent(path[-1]) and last_count.get(year):
            name, percent = last_count[year], True  # a lone "Tỉ lệ (%)" column after a count column
        table.roles[c] = _place(table, slots, c, name, percent, year, path, aliases)
        if name is not None and not percent:
            last_count[year] = name
    table.slots = [slots[y] for y in sorted(slots, key=lambda y: (y is not None, y or 0))]
    first = table.slots[0] if table.slots else Slot(None)
    table.columns = {**{f: c for f, c in table.columns.items()}, **first.counts}
    table.percent_columns = dict(first.percents)


def _field_of(path: list[str], form: str, aliases: Aliases) -> tuple[str | None, bool]:
    hits = [i for i, text in enumerate(path) if aliases.field(form, text)]
    if not hits:
        return aliases.field(form, " ".join(path)), False
    index = hits[-1]
    return aliases.field(form, path[index]), any(aliases.is_percent(text) for text in path[index + 1:])


def _place(table: Table, slots: dict, c: int, name: str | None, percent: bool, year: int | None, path: list[str],
           aliases: Aliases) -> Column:
    """Record a column under its field and return its role in the data rows."""
    if name is None:
        if len(path) == 1 and aliases.is_ignored(path[0]):
            return Column("ignored", "số thứ tự")
        return Column("unread", f"cột “{' › '.join(path)}” không thuộc cột nào đã biết")
    if name in TEXT_FIELDS[table.form] or (table.form == "02" and name in ("year_built", "year_stopped", "households")
                                           and year is None):
        if name in table.columns:
            return Column("unread", f"trùng cột “{table.headers[table.columns[name]]}” (cột "
                                    f"{column_letter(table.columns[name])})")
        table.columns[name] = c
        return Column("data")
    if table.form == "02":
        return Column("unread", "cột ghi năm trong Biểu 02 không dùng được")
    slot = slots.setdefault(year, Slot(year))
    place = slot.percents if percent else slot.counts
    if name in place:
        return Column("unread", f"trùng cột “{table.headers[place[name]]}” (cột {column_letter(place[name])})")
    place[name] = c
    return Column("percent" if percent else "data")


def required_fields(form: str, *, has_unit_elsewhere: bool) -> tuple[str, ...]:
    if form == "02":
        return tuple(f for f in FORM02_REQUIRED if f != "unit" or not has_unit_elsewhere)
    required = (WHOLE_FIELD, "poor", "near_poor")
    return required if has_unit_elsewhere else ("unit", *required)
