"""Type a tidy data set the way ward and commune offices type their forms: a corpus generator.

A `TidyData` is what the reader must give back: form 01 counts per unit and year (None is a
missing value) and the form 02 models. A `Layout` says how an office typed it: title rows,
one to three header rows with merges, shuffled columns, header aliases, percent columns,
column-number rows, totals and group subtotals, notes and signatures, numbers typed as text,
unit names spelled every accepted way, a file or a sheet per year, a file per unit, hidden
rows, columns and sheets, xlsx or csv. `write_dataset(folder, data, layout, period)` writes
the files; `tidy_data()` and `layouts()` are the hypothesis strategies.

Every value written is derived from the tidy data (totals are the sums of the units, percents
the half-up rounding of the recomputed rate), so whatever the reader returns can be compared
with the tidy data alone. The layout itself never changes a value.

No .xls: the only writers on PyPI (xlwt, and pyexcel-xls which wraps it) have been
unmaintained since 2017, so .xls reading stays covered by the committed fixture in
tests/fixtures/forms/.
"""

from __future__ import annotations

import csv
import io
import math
import random
import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from analysis.reference import ascii_slug, load_header_aliases, load_statuses, load_units
from analysis.vocabulary import BASELINE_FIELDS, SECTORS, STATUSES
from analysis.vocabulary import COUNT_FIELDS as FORM01_FIELDS
from analysis.vocabulary import PART_FIELDS as HOUSEHOLD_PARTS

UNITS = load_units().set_index("code")
UNIT_CODES = tuple(UNITS.index)
ALIASES = load_header_aliases()
STATUS_ALIASES = {code: [item["label"], *item["aliases"]] for code, item in load_statuses()["statuses"].items()}
SECTOR_ALIASES = {code: [item["label"], *item["aliases"]] for code, item in load_statuses()["sectors"].items()}
PERIODS = ((2021, 2023), (2022, 2023), (2021, 2022), (2022, 2024))

# --- the tidy data set -------------------------------------------------------------------------


@dataclass(frozen=True)
class Model:
    name: str
    unit_code: str
    sector: str          # code: crops, livestock, trades, tourism, other
    year_built: int
    households: int
    status: str          # code: maintained, replicated, stopped, new
    year_stopped: int | None = None
    notes: str | None = None

    def key(self) -> tuple:
        return (self.name, self.unit_code, self.sector, self.year_built, self.households, self.status,
                self.year_stopped, self.notes)


@dataclass(frozen=True)
class TidyData:
    period: tuple[int, int]
    units: tuple[str, ...]                                   # GSO codes, sorted
    form01: dict[tuple[str, int], dict[str, int | None]]     # (code, year) -> every field of FORM01_FIELDS
    models: tuple[Model, ...]

    @property
    def years(self) -> list[int]:
        return list(range(self.period[0] - 1, self.period[1] + 1))

    @property
    def baseline_year(self) -> int:
        return self.period[0] - 1


ACTIVITIES = {
    "crops": ["trồng cà phê xen canh cây ăn quả", "trồng mì cao sản", "trồng lúa nước hai vụ", "trồng mắc ca"],
    "livestock": ["nuôi bò sinh sản", "nuôi heo rừng lai", "nuôi gà thả vườn", "nuôi cá nước ngọt"],
    "trades": ["dệt thổ cẩm", "đan lát mây tre", "chế biến cà phê bột"],
    "tourism": ["du lịch cộng đồng gắn với nhà rông", "du lịch trải nghiệm làng nghề"],
    "other": ["tổ hợp tác thu mua nông sản", "quỹ xoay vòng giống cây trồng"],
}
NOTES = ["Được các hộ khác học tập, làm theo", "Có hỗ trợ vốn vay ưu đãi", "Liên kết tiêu thụ với HTX"]


@st.composite
def _counts(draw, households: int, baseline: bool) -> dict[str, int | None]:
    def maybe(upper: int) -> int | None:
        value = draw(st.integers(0, upper))
        return None if draw(st.integers(0, 9)) == 9 else value  # about one value in ten is missing

    row: dict[str, int | None] = {"households": households}
    for name in HOUSEHOLD_PARTS:
        row[name] = None if baseline else maybe(households)
    row["poor"] = maybe(households)
    row["near_poor"] = maybe(households - (row["poor"] or 0))
    return row


@st.composite
def _model(draw, codes: list[str], period: tuple[int, int], number: int) -> Model:
    sector = draw(st.sampled_from(SECTORS))
    built = draw(st.integers(*period))
    statuses = list(STATUSES) if built == period[1] else ["maintained", "replicated", "stopped"]
    status = draw(st.sampled_from(statuses))
    activity = draw(st.sampled_from(ACTIVITIES[sector]))
    return Model(
        name=f"Mô hình {activity} tại thôn {number}",
        unit_code=draw(st.sampled_from(codes)),
        sector=sector,
        year_built=built,
        households=draw(st.integers(1, 60)),
        status=status,
        year_stopped=draw(st.integers(built, period[1])) if status == "stopped" else None,
        notes=draw(st.none() | st.sampled_from(NOTES)),
    )


@st.composite
def tidy_data(draw, period: tuple[int, int] | None = None, max_units: int = 5, max_models: int = 6) -> TidyData:
    """1-5 units from units.csv, every unit every year, parts <= whole, households moving < 15 % a year."""
    period = period or draw(st.sampled_from(PERIODS))
    codes = sorted(draw(st.lists(st.sampled_from(UNIT_CODES), min_size=1, max_size=max_units, unique=True)))
    form01: dict[tuple[str, int], dict[str, int | None]] = {}
    for code in codes:
        households = draw(st.integers(30, 4000))
        for year in range(period[0] - 1, period[1] + 1):
            if year >= period[0]:
                households = draw(st.integers(math.ceil(households * 0.88), math.floor(households * 1.12)))
            form01[(code, year)] = draw(_counts(households, baseline=year < period[0]))
    count = draw(st.integers(1, max_models))
    models = tuple(draw(_model(codes, period, number)) for number in range(1, count + 1))
    return TidyData(period, tuple(codes), form01, models)


# --- the layout ----------------------------------------------------------------------------------

NUMBER_STYLES = ("int", "text", "dot", "comma", "space", "nbsp", "padded")
MISSING_STYLES = ("empty", "dash")
UNIT_STYLES = ("official", "full", "short_prefix", "upper", "lower", "nfd", "alias", "dak", "hoa", "spaces")
PERCENT_STYLES = ("number", "text", "text_dot", "text_sign", "fraction")
TOTAL_WORDS = ("Tổng cộng", "Tổng", "Cộng", "Toàn thành phố")
COLUMN_NUMBERS = ("paren", "digits", "digit_text", "letters", "letters_then_digits", "formula")


@dataclass(frozen=True)
class Layout:
    """How one office typed the data set. The default is the plain form every reader reads."""

    file_format: str = "xlsx"            # xlsx | csv
    encoding: str = "utf-8"              # csv: utf-8 | utf-8-sig | cp1258
    delimiter: str = ","                 # csv: , | ;
    split: str = "file_per_year"         # file_per_year | sheet_per_year | one_table | file_per_unit
    year_in: str = "file_name"           # single-year tables: file_name | sheet_name | title | column
    unit_in: str = "title_agency"        # file per unit: title_agency | title_label | file_compact | file_spaced | title_and_file
    unit_rows: str = "year_column"       # file per unit: year_column (one file, a row per year) | one_year (a file per year)
    title_lines: int = 0                 # 0-6 title rows above the header
    blank_rows: bool = False             # a blank row under the titles and one among the units
    header_rows: int = 1                 # 1, 2 or 3
    group_titles: bool = False           # "Kết quả thực hiện Cuộc vận động" / "Hộ nghèo, cận nghèo" over their fields
    shuffle: int = 0                     # 0: the form's column order; else a seed for a shuffled order
    alias_seed: int = 0                  # 0: canonical headers; else a seed for header aliases
    stt: bool = True
    notes_column: bool = False
    percents: frozenset = frozenset()    # campaign fields with a "Tỉ lệ (%)" column
    percent_styles: tuple = ("number",)
    column_numbers: str | None = None
    totals: str | None = None            # the word of the totals row
    totals_in: str = "unit"              # unit | stt | notes: the column holding that word
    groups: bool = False                 # "I. KHỐI PHƯỜNG" / "II. KHỐI XÃ" and their subtotals
    group_heading_split: bool = False    # "I" in the STT column, "KHỐI PHƯỜNG" in the unit column
    footer: str | None = None            # notes | dated: notes and signatures below the table
    number_styles: tuple = ("int",)
    missing_styles: tuple = ("empty",)
    unit_styles: tuple = ("official",)
    hidden_rows: bool = False
    hidden_columns: bool = False
    hidden_sheet: str | None = None      # lists | draft
    form02_with_form01: bool = False
    form02_total_line: str | None = None  # name | first: "Tổng cộng: N mô hình" in the name or the first column
    form02_title_lines: int = 0
    seed: int = 0                        # per-cell choices among the styles above

    def planted_sheets(self) -> list[str]:
        """Sheets the reader must skip with a warning naming them."""
        return [HIDDEN_SHEET_NAMES[self.hidden_sheet]] if self.hidden_sheet else []


HIDDEN_SHEET_NAMES = {"lists": "DanhMuc", "draft": "Nháp cũ"}


def consistent(layout: Layout) -> Layout:
    """Turn a combination no office could type into the nearest one it could."""
    changes: dict = {}
    if layout.file_format == "csv":
        changes.update(hidden_rows=False, hidden_columns=False, hidden_sheet=None, form02_with_form01=False,
                       percent_styles=tuple(s for s in layout.percent_styles if s != "fraction") or ("text",))
        if layout.split == "sheet_per_year":
            changes["split"] = "file_per_year"
    layout = replace(layout, **changes)
    split, year_in = layout.split, layout.year_in
    if split == "one_table":
        year_in = "column"
    elif split == "file_per_unit":
        year_in = "column" if layout.unit_rows == "year_column" else (
            year_in if year_in in ("title", "file_name") else "title")
    elif split == "file_per_year" and year_in == "sheet_name":
        year_in = "file_name"
    elif split == "sheet_per_year" and year_in == "file_name":
        year_in = "sheet_name"
    single_year_units = split in ("file_per_year", "sheet_per_year")
    totals, totals_in = layout.totals, layout.totals_in
    if not single_year_units:
        totals = None
    if totals_in == "stt" and not layout.stt or totals_in == "notes" and not layout.notes_column:
        totals_in = "unit"
    return replace(
        layout, year_in=year_in, totals=totals, totals_in=totals_in,
        groups=layout.groups and single_year_units,
        group_heading_split=layout.group_heading_split and layout.stt,
        form02_with_form01=layout.form02_with_form01 and split != "file_per_unit",
        title_lines=max(layout.title_lines, 1 if year_in == "title" else 0),
    )


def layouts() -> st.SearchStrategy[Layout]:
    """Any combination of the variations; each shrinks towards the plain form."""
    def styles(values: tuple) -> st.SearchStrategy[tuple]:
        return st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True).map(tuple)

    return st.builds(
        Layout,
        file_format=st.sampled_from(("xlsx", "csv")),
        encoding=st.sampled_from(("utf-8", "utf-8-sig", "cp1258")),
        delimiter=st.sampled_from((",", ";")),
        split=st.sampled_from(("file_per_year", "sheet_per_year", "one_table", "file_per_unit")),
        year_in=st.sampled_from(("file_name", "sheet_name", "title", "column")),
        unit_in=st.sampled_from(("title_agency", "title_label", "file_compact", "file_spaced", "title_and_file")),
        unit_rows=st.sampled_from(("year_column", "one_year")),
        title_lines=st.integers(0, 6),
        blank_rows=st.booleans(),
        header_rows=st.integers(1, 3),
        group_titles=st.booleans(),
        shuffle=st.integers(0, 1000),
        alias_seed=st.integers(0, 1000),
        stt=st.booleans().map(lambda b: not b),
        notes_column=st.booleans(),
        percents=st.frozensets(st.sampled_from(HOUSEHOLD_PARTS)),
        percent_styles=styles(PERCENT_STYLES),
        column_numbers=st.none() | st.sampled_from(COLUMN_NUMBERS),
        totals=st.none() | st.sampled_from(TOTAL_WORDS),
        totals_in=st.sampled_from(("unit", "stt", "notes")),
        groups=st.booleans(),
        group_heading_split=st.booleans(),
        footer=st.none() | st.sampled_from(("notes", "dated")),
        number_styles=styles(NUMBER_STYLES),
        missing_styles=styles(MISSING_STYLES),
        unit_styles=styles(UNIT_STYLES),
        hidden_rows=st.booleans(),
        hidden_columns=st.booleans(),
        hidden_sheet=st.none() | st.sampled_from(("lists", "draft")),
        form02_with_form01=st.booleans(),
        form02_total_line=st.none() | st.sampled_from(("name", "first")),
        form02_title_lines=st.integers(0, 4),
        seed=st.integers(0, 2**16),
    ).map(consistent)


# --- typing values ------------------------------------------------------------------------------


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def percent_of(part: int | None, whole: int | None) -> Decimal | None:
    """The rate an office types: half-up to one decimal."""
    if part is None or not whole:
        return None
    return round_half_up(Decimal(part) * 100 / Decimal(whole), 1)


def type_count(value: int | None, style: str, missing: str):
    if value is None:
        return None if missing == "empty" else "-"
    digits = str(value)
    grouped = f"{value:,}"
    return {
        "int": value,
        "text": digits,
        "dot": grouped.replace(",", "."),
        "comma": grouped,
        "space": grouped.replace(",", " "),
        "nbsp": grouped.replace(",", "\u00a0"),
        "padded": f" {digits} ",
    }[style]


def type_percent(value: Decimal | None, style: str, missing: str):
    """A percent cell; "fraction" is returned as the float Excel stores under a "0.0%" format."""
    if value is None:
        return None if missing == "empty" else "-"
    text = f"{value:.1f}"
    return {
        "number": float(value),
        "text": text.replace(".", ","),
        "text_dot": text,
        "text_sign": text.replace(".", ",") + "%",
        "fraction": float(value / 100),
    }[style]


def spell_unit(code: str, style: str, rng: random.Random) -> str:
    """A unit name as an office types it; every spelling resolves through data/reference/units.csv."""
    unit = UNITS.loc[code]
    name, full = unit["name"], unit["full_name"]
    prefix = "Phường" if unit["type"] == "phường" else "Xã"
    short = "P." if unit["type"] == "phường" else "X."
    if style == "official":
        return name
    if style == "full":
        return full
    if style == "short_prefix":
        return f"{short}{rng.choice(['', ' '])}{name}"
    if style == "upper":
        return full.upper()
    if style == "lower":
        return full.lower()
    if style == "nfd":
        return unicodedata.normalize("NFD", full)
    if style == "alias":
        return rng.choice(list(unit["aliases"]) or [name])
    if style == "dak":
        swapped = re.sub("Đắk|Đăk", lambda m: rng.choice(["Đăk", "Dak"] if m.group(0) == "Đắk" else ["Đắk", "Dak"]), name)
        return f"{prefix} {swapped}"
    if style == "hoa":
        return f"{prefix} {name.replace('Hòa', 'Hoà')}"
    if style == "spaces":
        return f"  {prefix}  {'  '.join(name.split())} "
    raise ValueError(style)


def compact_name(code: str) -> str:
    """"Ia Chim" -> "IaChim": a unit in a file name, as offices write it."""
    return "".join(part.capitalize() for part in ascii_slug(UNITS.loc[code, "name"]).split("-"))


def header_text(form: str, name: str, rng: random.Random | None) -> str:
    options = ALIASES[form][name]
    return options[0] if rng is None else rng.choice(options)


# --- sheets ---------------------------------------------------------------------------------------


@dataclass
class Sheet:
    name: str
    rows: list[list] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)   # (row1, col1, row2, col2), 1-based
    percent_cells: set[tuple[int, int]] = field(default_factory=set)        # cells under a "0.0%" format
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    hidden: bool = False

    def add(self, values: list) -> int:
        self.rows.append(list(values))
        return len(self.rows)


@dataclass
class Book:
    stem: str            # file name without suffix
    sheets: list[Sheet]


@dataclass
class Leaf:
    kind: str            # stt | unit | year | count | percent | notes
    name: str = ""       # the field, for count and percent
    header: str = ""


@dataclass
class Block:
    """A header cell and what it spans: a leaf, a field over "Số hộ" | "Tỉ lệ (%)", or a group title."""
    title: str
    children: list        # Leaf or Block; empty for a lone leaf
    leaf: Leaf | None = None

    def leaves(self) -> list[Leaf]:
        return [self.leaf] if self.leaf else [x for c in self.children for x in c.leaves()]


def lone(leaf: Leaf) -> Block:
    return Block(leaf.header, [], leaf)


class Typist:
    """Per-cell choices of one layout, from its seed."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self.rng = random.Random(layout.seed)
        self.alias_rng = random.Random(layout.alias_seed) if layout.alias_seed else None

    def count(self, value: int | None):
        return type_count(value, self.rng.choice(self.layout.number_styles), self.rng.choice(self.layout.missing_styles))

    def percent(self, value: Decimal | None):
        style = self.rng.choice(self.layout.percent_styles)
        return type_percent(value, style, self.rng.choice(self.layout.missing_styles)), style == "fraction"

    def unit(self, code: str) -> str:
        return spell_unit(code, self.rng.choice(self.layout.unit_styles), self.rng)

    def year(self, year: int):
        return self.rng.choice([year, str(year)]) if "text" in self.layout.number_styles else year

    def header(self, form: str, name: str) -> str:
        return header_text(form, name, self.alias_rng)


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
    if layout.shuffle:
        random.Random(layout.shuffle).shuffle(body)
    tail = [lone(Leaf("notes", header="Ghi chú"))] if layout.notes_column else []
    return head + [block for run in body for block in run] + tail


def write_header(sheet: Sheet, blocks: list[Block], depth: int, *, merged: bool) -> list[Leaf]:
    """Header rows (text in the top-left cell of each merge) and return the leaves in column order."""
    top = len(sheet.rows) + 1
    leaves = [leaf for block in blocks for leaf in block.leaves()]
    for _ in range(depth):
        sheet.add([None] * len(leaves))

    def place(block: Block, row: int, col: int) -> int:
        width = len(block.leaves())
        levels = _levels(block)
        bottom = top + depth - 1
        last_row = bottom - (levels - 1)      # a block with sub-levels keeps the rows under it for them
        sheet.rows[row - 1][col - 1] = block.title if block.leaf is None else block.leaf.header
        if merged and (last_row > row or width > 1):
            sheet.merges.append((row, col, last_row, col + width - 1))
        c = col
        for child in block.children:
            c = place(child, last_row + 1, c)
        return col + width

    col = 1
    for block in blocks:
        col = place(block, top, col)
    return leaves


def _levels(block: Block) -> int:
    return 1 if block.leaf else 1 + max(_levels(c) for c in block.children)


def column_number_row(style: str, leaves: list[Leaf], rng: random.Random) -> list:
    n = len(leaves)
    if style == "paren":
        return [f"({i})" for i in range(1, n + 1)]
    if style == "digits":
        return list(range(1, n + 1))
    if style == "digit_text":
        return [str(i) for i in range(1, n + 1)]
    if style == "letters":
        return [get_column_letter(i) for i in range(1, n + 1)]
    if style == "letters_then_digits":
        text = [i for i, leaf in enumerate(leaves) if leaf.kind in ("stt", "unit", "year")]
        numbers = iter(range(1, n + 1))
        return ["ABC"[text.index(i)] if i in text[:3] else f"({next(numbers)})" for i in range(n)]
    if style == "formula":
        row = [f"({i})" for i in range(1, n + 1)]
        if n >= 3:
            k = rng.randrange(0, n - 2)
            row[k] = f"({k + 1})=({k + 2})+({k + 3})"
        return row
    raise ValueError(style)


def title_block(layout: Layout, *, required: list[str], pool: list[str], lines: int | None = None) -> list[list]:
    """`lines` title rows (at least the required ones), then maybe a blank row."""
    count = max(layout.title_lines if lines is None else lines, len(required))
    rows = [[text] for text in (required + [p for p in pool if p not in required])[:count]]
    # Keep the required lines in the order offices put them: agency first, period last.
    rows.sort(key=lambda r: 1 if r[0].upper().startswith("NĂM") or r[0].startswith("GIAI ĐOẠN") else 0)
    if rows and layout.blank_rows:
        rows.append([])
    return rows


# Title lines in the order they are used: the first `title_lines` of the pool are typed.
CITY_TITLES = ["ỦY BAN NHÂN DÂN THÀNH PHỐ KON TUM",
               "BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN CUỘC VẬN ĐỘNG “LÀM THAY ĐỔI NẾP NGHĨ, CÁCH LÀM CỦA ĐBDTTS”",
               "BAN CHỈ ĐẠO CUỘC VẬN ĐỘNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
               "(Kèm theo Báo cáo sơ kết của Ban Chỉ đạo)"]
UNIT_TITLES = ["BIỂU KẾT QUẢ THỰC HIỆN CUỘC VẬN ĐỘNG", *CITY_TITLES[3:]]


def form01_sheet(name: str, data: TidyData, layout: Layout, typist: Typist, *, records: list[tuple[str, int]],
                 unit_column: bool, year_column: bool, titles: list[str], campaign: bool,
                 totals: bool = True) -> tuple[Sheet, int]:
    """One form 01 table; returns the sheet and the row of its first data row."""
    sheet = Sheet(name)
    pool = CITY_TITLES if unit_column else UNIT_TITLES
    years = sorted({year for _, year in records})
    if len(years) > 1 and unit_column:   # the period in the title of a table with a Năm column
        pool = [pool[0], pool[1], f"GIAI ĐOẠN {data.period[0]} - {data.period[1]}", *pool[2:]]
    elif len(years) == 1:                # offices name the year even where the sheet or file name has it
        pool = [pool[0], pool[1], f"NĂM {years[0]}", *pool[2:]]
    for row in title_block(layout, required=titles, pool=pool):
        sheet.add(row)
    blocks = form01_blocks(layout, typist, unit_column=unit_column, year_column=year_column, campaign=campaign)
    leaves = write_header(sheet, blocks, layout.header_rows, merged=layout.file_format == "xlsx")
    width = len(leaves)
    for r, row in enumerate(sheet.rows[: len(sheet.rows) - layout.header_rows], start=1):
        if row and layout.file_format == "xlsx":
            sheet.rows[r - 1] = row + [None] * (width - 1)
            sheet.merges.append((r, 1, r, width))
    if layout.column_numbers:
        sheet.add(column_number_row(layout.column_numbers, leaves, typist.rng))
    first_data = len(sheet.rows) + 1

    def data_row(stt, code: str | None, year: int | None, values: dict, label: str | None = None,
                 label_in: str = "unit") -> list:
        cells = []
        for leaf in leaves:
            if leaf.kind == "stt":
                cells.append(label if label_in == "stt" and label else stt)
            elif leaf.kind == "unit":
                cells.append(label if label_in == "unit" and label else (typist.unit(code) if code else None))
            elif leaf.kind == "year":
                cells.append(typist.year(year))
            elif leaf.kind == "count":
                cells.append(typist.count(values.get(leaf.name)))
            elif leaf.kind == "percent":
                value, fraction = typist.percent(percent_of(values.get(leaf.name), values.get("households")))
                if fraction and value is not None and not isinstance(value, str):
                    sheet.percent_cells.add((len(sheet.rows) + 1, len(cells) + 1))
                cells.append(value)
            elif leaf.kind == "notes":
                cells.append(label if label_in == "notes" and label else None)
        return cells

    def sums(keys: list[tuple[str, int]]) -> dict:
        out = {}
        for name in FORM01_FIELDS:
            present = [data.form01[k][name] for k in keys if data.form01[k][name] is not None]
            out[name] = sum(present) if present else None
        return out

    single_year = len({year for _, year in records}) == 1
    groups = [records]
    if layout.groups and unit_column and single_year:
        groups = [[r for r in records if UNITS.loc[r[0], "type"] == kind] for kind in ("phường", "xã")]
        groups = [g for g in groups if g]
    data_rows: list[int] = []
    stt = 0
    for g, group in enumerate(groups):
        if layout.groups and unit_column and single_year:
            kind = UNITS.loc[group[0][0], "type"]
            roman = ["I", "II"][g]
            heading = f"KHỐI {kind.upper()}"
            row = [None] * width
            if layout.group_heading_split:
                row[[leaf.kind for leaf in leaves].index("stt")] = roman
                row[[leaf.kind for leaf in leaves].index("unit")] = heading
            else:
                row[[leaf.kind for leaf in leaves].index("unit")] = f"{roman}. {heading}"
            sheet.add(row)
            stt = 0
        for i, (code, year) in enumerate(group):
            stt += 1
            data_rows.append(sheet.add(data_row(stt, code if unit_column else None, year, data.form01[(code, year)])))
            if layout.blank_rows and i == 0 and len(group) > 1:
                sheet.add([])
        if layout.groups and unit_column and single_year:
            kind = UNITS.loc[group[0][0], "type"]
            sheet.add(data_row(None, None, group[0][1], sums(group), label=f"Cộng khối {kind}", label_in="unit"))
    if totals and layout.totals and unit_column and single_year:
        sheet.add(data_row(None, None, records[0][1], sums(records), label=layout.totals, label_in=layout.totals_in))
    if layout.footer:
        year = records[-1][1]
        sheet.add([])
        if layout.footer == "dated":
            sheet.add([None] * (width - 1) + [f"Kon Tum, ngày 20 tháng 12 năm {year}"])
            sheet.add(["Người lập biểu"] + [None] * (width - 2) + ["TM. BAN CHỈ ĐẠO"])
        else:
            sheet.add([f"Ghi chú: số liệu tính đến ngày 31/12/{year}; tỉ lệ tính trên tổng số hộ ĐBDTTS."])
            sheet.add(["Người lập biểu", None, None, "TRƯỞNG BAN CHỈ ĐẠO"][: max(width, 1)])
    if layout.hidden_rows and data_rows:
        sheet.hidden_rows.add(typist.rng.choice(data_rows))
    if layout.hidden_columns:
        numeric = [c for c, leaf in enumerate(leaves, start=1) if leaf.kind in ("count", "percent")]
        sheet.hidden_columns.add(typist.rng.choice(numeric))
    return sheet, first_data


def form02_sheet(name: str, data: TidyData, layout: Layout, typist: Typist) -> Sheet:
    sheet = Sheet(name)
    titles = ["ỦY BAN NHÂN DÂN THÀNH PHỐ KON TUM", "DANH SÁCH MÔ HÌNH KINH TẾ XÂY DỰNG THEO CUỘC VẬN ĐỘNG",
              f"Từ năm {data.period[0]} đến năm {data.period[1]}"]
    for row in title_block(layout, required=[], pool=titles, lines=layout.form02_title_lines):
        sheet.add(row)
    names = ["model_name", "unit", "sector", "year_built", "households", "status"]
    if any(m.year_stopped is not None for m in data.models) or layout.seed % 2:
        names.append("year_stopped")
    if layout.shuffle:
        random.Random(layout.shuffle + 1).shuffle(names)
    if any(m.notes for m in data.models) or layout.notes_column:
        names.append("notes")
    columns = (["stt"] if layout.stt else []) + names
    sheet.add(["STT" if c == "stt" else typist.header("form02", c) for c in columns])
    if layout.column_numbers:
        sheet.add(column_number_row(layout.column_numbers, [Leaf("stt" if c == "stt" else "count") for c in columns],
                                    typist.rng))
    for number, model in enumerate(data.models, start=1):
        values = {
            "stt": number,
            "model_name": model.name,
            "unit": typist.unit(model.unit_code),
            "sector": _alias(SECTOR_ALIASES[model.sector], typist.rng),
            "year_built": typist.year(model.year_built),
            "households": typist.count(model.households),
            "status": _alias(STATUS_ALIASES[model.status], typist.rng),
            "year_stopped": typist.year(model.year_stopped) if model.year_stopped else (
                None if typist.rng.choice(layout.missing_styles) == "empty" else "-"),
            "notes": model.notes,
        }
        sheet.add([values[c] for c in columns])
    if layout.form02_total_line:
        row = [None] * len(columns)
        where = columns.index("model_name") if layout.form02_total_line == "name" else 0
        row[where] = f"Tổng cộng: {len(data.models)} mô hình"
        sheet.add(row)
    if layout.footer:
        sheet.add([])
        sheet.add([f"Ghi chú: tình trạng mô hình tính đến ngày 31/12/{data.period[1]}."])
        sheet.add(["Người lập biểu"])
    return sheet


def _alias(options: list[str], rng: random.Random) -> str:
    text = rng.choice(options)
    return rng.choice([text, text.lower(), text.upper()])


def hidden_sheet(kind: str, data: TidyData) -> Sheet:
    """A hidden sheet: drop-down lists, or an old draft of form 01 with other numbers."""
    sheet = Sheet(HIDDEN_SHEET_NAMES[kind], hidden=True)
    if kind == "lists":
        sheet.add(["Danh mục tình trạng", "Danh mục lĩnh vực"])
        for status, sector in zip(STATUSES + ("",), SECTORS):
            sheet.add([STATUS_ALIASES[status][0] if status else None, SECTOR_ALIASES[sector][0]])
        return sheet
    year = data.period[1]
    sheet.add(["BẢN NHÁP, CHƯA KIỂM TRA"])
    sheet.add(["STT", "Đơn vị", "Năm", *[ALIASES["form01"][f][0] for f in FORM01_FIELDS]])
    for i, code in enumerate(data.units, start=1):
        values = data.form01[(code, year)]
        sheet.add([i, UNITS.loc[code, "full_name"], year, values["households"] + 7,
                   *[None for _ in FORM01_FIELDS[1:]]])
    return sheet


# --- the data set as files ------------------------------------------------------------------------


def books(data: TidyData, layout: Layout) -> list[Book]:
    """The workbooks (or CSV files, one sheet each) an office would send."""
    typist = Typist(layout)
    baseline = data.baseline_year
    out: list[Book] = []
    year_title = "NĂM {}".format

    def single_year_sheet(name: str, year: int, *, unit: str | None = None, extra_titles: list[str] = ()) -> Sheet:
        titles = list(extra_titles) + ([year_title(year)] if layout.year_in == "title" else [])
        records = [(code, year) for code in ([unit] if unit else data.units)]
        sheet, _ = form01_sheet(name, data, layout, typist, records=records, unit_column=unit is None,
                                year_column=layout.year_in == "column", titles=titles, campaign=year > baseline)
        return sheet

    if layout.split == "file_per_year":
        for i, year in enumerate(data.years):
            stem = f"Bieu01_{year}" if layout.year_in == "file_name" else f"Bieu01_phan_{chr(97 + i)}"
            out.append(Book(stem, [single_year_sheet("Biểu 01", year)]))
    elif layout.split == "sheet_per_year":
        sheets = []
        for i, year in enumerate(data.years):
            name = [f"Năm {year}", str(year), f"Biểu 01 ({year})"][i % 3] if layout.year_in == "sheet_name" else f"Sheet{i + 1}"
            sheets.append(single_year_sheet(name, year))
        out.append(Book("TongHop_Bieu01", sheets))
    elif layout.split == "one_table":
        order = [(c, y) for y in data.years for c in data.units]
        if layout.seed % 2:
            order = [(c, y) for c in data.units for y in data.years]
        sheet, _ = form01_sheet("Biểu 01", data, layout, typist, records=order, unit_column=True, year_column=True,
                                titles=[], campaign=True)
        out.append(Book("Bieu01_TongHop", [sheet]))
    elif layout.split == "file_per_unit":
        for code in data.units:
            full = UNITS.loc[code, "full_name"]
            in_title = layout.unit_in in ("title_agency", "title_label", "title_and_file")
            in_file = layout.unit_in in ("file_compact", "file_spaced", "title_and_file")
            titles = []
            if in_title:
                titles.append(f"ĐẢNG ỦY {full.upper()}" if layout.unit_in != "title_label" else f"Đơn vị: {typist.unit(code)}")
            ascii_full = " ".join(p.capitalize() for p in ascii_slug(full).split("-"))

            def stem(year: int | None, in_file=in_file, ascii_full=ascii_full, code=code) -> str:
                tail = f"{year}" if year else ""
                if in_file and layout.unit_in == "file_spaced":
                    return f"Bieu01 - {ascii_full}" + (f" - {tail}" if tail else "")
                if in_file:
                    return f"Bieu01_{compact_name(code)}" + (f"_{tail}" if tail else "")
                return f"Bieu01_donvi_{UNIT_CODES.index(code)}" + (f"_{tail}" if tail else "")

            if layout.unit_rows == "year_column":
                records = [(code, y) for y in data.years]
                sheet, _ = form01_sheet("Biểu 01", data, layout, typist, records=records, unit_column=False,
                                        year_column=True, titles=titles, campaign=True)
                out.append(Book(stem(None), [sheet]))
            else:
                for year in data.years:
                    sheet = single_year_sheet("Biểu 01", year, unit=code, extra_titles=titles)
                    out.append(Book(stem(year if layout.year_in == "file_name" else None) + (
                        "" if layout.year_in == "file_name" else f"_ky{data.years.index(year) + 1}"), [sheet]))
    else:
        raise ValueError(layout.split)

    form02 = form02_sheet("Biểu 02", data, layout, typist)
    if layout.form02_with_form01:
        out[-1].sheets.append(form02)
    else:
        out.append(Book("Bieu02_MoHinh", [form02]))
    if layout.hidden_sheet:
        out[0].sheets.append(hidden_sheet(layout.hidden_sheet, data))
    return out


def write_dataset(folder: Path, data: TidyData, layout: Layout, period: tuple[int, int] | None = None) -> list[Path]:
    """Write the data set as `layout` types it into `folder`; return the files written."""
    if period is not None and tuple(period) != data.period:
        raise ValueError(f"the data set is for {data.period}, not {period}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for book in books(data, layout):
        if layout.file_format == "xlsx":
            paths.append(_write_xlsx(folder / f"{book.stem}.xlsx", book.sheets))
        else:
            for sheet in book.sheets:
                paths.append(_write_csv(folder / f"{book.stem}.csv", sheet, layout))
    return paths


def _write_xlsx(path: Path, sheets: list[Sheet]) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        ws = workbook.create_sheet(sheet.name)
        for r, row in enumerate(sheet.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(r, c, value)
        for r1, c1, r2, c2 in sheet.merges:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        for r, c in sheet.percent_cells:
            ws.cell(r, c).number_format = "0.0%"
        for r in sheet.hidden_rows:
            ws.row_dimensions[r].hidden = True
        for c in sheet.hidden_columns:
            ws.column_dimensions[get_column_letter(c)].hidden = True
        if sheet.hidden:
            ws.sheet_state = "hidden"
    workbook.save(path)
    return path


def to_cp1258(text: str) -> bytes:
    """Windows-1258 keeps tone marks as combining characters after a precomposed base letter."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def _write_csv(path: Path, sheet: Sheet, layout: Layout) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=layout.delimiter, lineterminator="\r\n")
    for row in sheet.rows:
        writer.writerow(["" if v is None else (repr(v) if isinstance(v, float) else str(v)) for v in row])
    text = buffer.getvalue()
    if layout.encoding == "cp1258":
        path.write_bytes(to_cp1258(text))
    else:
        path.write_bytes(text.encode(layout.encoding))
    return path


# --- what the files report besides the data ---------------------------------------------------------


def typed_percents(data: TidyData, layout: Layout) -> set[tuple[str, int, str, float]]:
    """(unit code, year, field, value) of every unit-row percent the layout types (none for a missing count)."""
    out = set()
    for (code, year), values in data.form01.items():
        for name in layout.percents:
            value = percent_of(values[name], values["households"])
            if value is not None:
                out.add((code, year, name, float(value)))
    return out


def typed_totals(data: TidyData, layout: Layout) -> set[tuple[int, str, float]]:
    """(year, field, value) of every totals-row cell the layout types (not the group subtotals)."""
    if not layout.totals or layout.split not in ("file_per_year", "sheet_per_year"):
        return set()
    out = set()
    for year in data.years:
        names = FORM01_FIELDS if year > data.baseline_year else BASELINE_FIELDS
        for name in names:
            present = [data.form01[(c, year)][name] for c in data.units if data.form01[(c, year)][name] is not None]
            if present:
                out.add((year, name, float(sum(present))))
    return out
