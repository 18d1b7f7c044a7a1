"""How an office typed a data set: every variation the reader must accept, and the strategy over them."""

from __future__ import annotations

from dataclasses import dataclass, replace

from hypothesis import strategies as st

from analysis.vocabulary import PART_FIELDS as HOUSEHOLD_PARTS

NUMBER_STYLES = ("int", "text", "dot", "comma", "space", "nbsp", "thin", "padded")
MISSING_STYLES = ("empty", "dash")
UNIT_STYLES = ("official", "full", "short_prefix", "upper", "lower", "nfd", "alias", "dak", "hoa", "spaces")
PERCENT_STYLES = ("number", "text", "text_dot", "text_sign", "fraction")
TOTAL_WORDS = ("Tổng cộng", "Tổng", "Cộng", "Toàn thành phố")
COLUMN_NUMBERS = ("paren", "digits", "digit_text", "letters", "letters_then_digits", "formula")
SPLITS = ("file_per_year", "sheet_per_year", "one_table", "file_per_unit", "years_across")
# Closing lines of a register: the count in the name column or the first one; "Tổng cộng | 211 mô hình |
# =SUM(…)" over three columns; "Cộng: 211" with the households typed; the words in the unit column.
REGISTER_TOTALS = ("name", "first", "spread", "colon", "unit")
# Where the last year's as-of day is written: the title ("(số liệu đến ngày 15/6/2023)"), the title in
# months ("6 tháng đầu năm 2023"), the sheet name, the file name, the year's header (years across).
AS_OF_PLACES = ("title", "months", "sheet", "file", "header")
HIDDEN_SHEET_NAMES = {"lists": "DanhMuc", "draft": "Nháp cũ"}


@dataclass(frozen=True)
class Layout:
    """How one office typed the data set. The default is the plain form every reader reads."""

    file_format: str = "xlsx"            # xlsx | csv
    encoding: str = "utf-8"              # csv: utf-8 | utf-8-sig | cp1258
    delimiter: str = ","                 # csv: , | ;
    split: str = "file_per_year"         # one of SPLITS
    year_in: str = "file_name"           # single-year tables: file_name | sheet_name | title | column
    # file per unit: title_agency | title_label | file_compact | file_spaced | title_and_file
    unit_in: str = "title_agency"
    unit_rows: str = "year_column"       # file per unit: year_column (a row per year) | one_year (a file per year)
    years_at: str = "under"              # years across: under (a field over its years) | over (a year over its fields)
    title_lines: int = 0                 # 0-6 title rows above the header
    blank_rows: bool = False             # a blank row under the titles and one among the units
    header_rows: int = 1                 # 1, 2 or 3
    group_titles: bool = False           # "Kết quả thực hiện Cuộc vận động" / "Hộ nghèo, cận nghèo" over their fields
    shuffle: int = 0                     # 0: the form's column order; else a seed for a shuffled order
    alias_seed: int = 0                  # 0: canonical headers; else a seed for header aliases
    stt: bool = True
    notes_column: bool = False
    extra_column: bool = False           # a column of text the forms do not have ("Địa bàn (thôn)"): ignored
    unknown_numbers: str | None = None   # "01" | "02": a column of figures under a header no form has (an error)
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
    as_of: str | None = None             # one of AS_OF_PLACES: the last year's figures stop on 15/6 (30/6)
    form02_with_form01: bool = False
    form02_total_line: str | None = None  # one of REGISTER_TOTALS
    form02_title_lines: int = 0
    form02_header_rows: int = 1          # 1-3, with group titles over the fields when not shuffled
    form02_groups: bool = False          # models grouped by sector: "I. TRỒNG TRỌT" … "Cộng trồng trọt: 5 mô hình"
    form02_merged: bool = False          # models sorted by unit, the unit and sector typed once and merged down
    form02_notes: bool = False           # a note typed across several cells below the register
    form02_per_unit: bool = False        # file per unit: each unit sends its own register (no unit column)
    seed: int = 0                        # per-cell choices among the styles above

    def planted_sheets(self) -> list[str]:
        """Sheets the reader must skip with a warning naming them."""
        return [HIDDEN_SHEET_NAMES[self.hidden_sheet]] if self.hidden_sheet else []


def consistent(layout: Layout) -> Layout:
    """Turn a combination no office could type into the nearest one it could."""
    changes: dict = {}
    if layout.file_format == "csv":
        changes.update(hidden_rows=False, hidden_columns=False, hidden_sheet=None, form02_with_form01=False,
                       form02_merged=False,
                       percent_styles=tuple(s for s in layout.percent_styles if s != "fraction") or ("text",))
        if layout.split == "sheet_per_year":
            changes["split"] = "file_per_year"
        if layout.encoding == "cp1258":  # Windows-1258 has no thin space
            changes["number_styles"] = tuple(s for s in layout.number_styles if s != "thin") or ("int",)
    layout = replace(layout, **changes)
    split, year_in = layout.split, layout.year_in
    if split in ("one_table", "years_across"):
        year_in = "column" if split == "one_table" else "file_name"
    elif split == "file_per_unit":
        year_in = "column" if layout.unit_rows == "year_column" else (
            year_in if year_in in ("title", "file_name") else "title")
    elif split == "file_per_year" and year_in == "sheet_name":
        year_in = "file_name"
    elif split == "sheet_per_year" and year_in == "file_name":
        year_in = "sheet_name"
    single_year_units = split in ("file_per_year", "sheet_per_year")
    totals, totals_in = layout.totals, layout.totals_in
    if not (single_year_units or split == "years_across"):
        totals = None
    if totals_in == "stt" and not layout.stt or totals_in == "notes" and not layout.notes_column:
        totals_in = "unit"
    return replace(
        layout, year_in=year_in, totals=totals, totals_in=totals_in,
        groups=layout.groups and single_year_units,
        group_heading_split=layout.group_heading_split and layout.stt,
        form02_with_form01=layout.form02_with_form01 and split != "file_per_unit",
        form02_per_unit=layout.form02_per_unit and split == "file_per_unit",
        form02_total_line=_register_total(layout),
        as_of=_as_of(layout, split, year_in),
        header_rows=1 if split == "years_across" else layout.header_rows,
        group_titles=layout.group_titles and split != "years_across",
        title_lines=max(layout.title_lines, 1 if year_in == "title" else 0),
    )


def _register_total(layout: Layout) -> str | None:
    total = layout.form02_total_line
    if total == "unit" and layout.form02_per_unit and layout.split == "file_per_unit":
        return "name"  # a register per unit has no unit column to hold the words
    return total


def _as_of(layout: Layout, split: str, year_in: str) -> str | None:
    """Where the as-of day can be written for this split (a sheet name only with a sheet per year …)."""
    place = layout.as_of
    if place is None:
        return None
    if place == "header" and split != "years_across":
        return "title"
    if place == "sheet" and split != "sheet_per_year":
        return "title"
    if place == "file" and split not in ("file_per_year",) and not (split == "file_per_unit"
                                                                    and layout.unit_rows == "one_year"):
        return "title"
    return place


def layouts() -> st.SearchStrategy[Layout]:
    """Any combination of the variations; each shrinks towards the plain form."""
    def styles(values: tuple) -> st.SearchStrategy[tuple]:
        return st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True).map(tuple)

    return st.builds(
        Layout,
        file_format=st.sampled_from(("xlsx", "csv")),
        encoding=st.sampled_from(("utf-8", "utf-8-sig", "cp1258")),
        delimiter=st.sampled_from((",", ";")),
        split=st.sampled_from(SPLITS),
        year_in=st.sampled_from(("file_name", "sheet_name", "title", "column")),
        unit_in=st.sampled_from(("title_agency", "title_label", "file_compact", "file_spaced", "title_and_file")),
        unit_rows=st.sampled_from(("year_column", "one_year")),
        years_at=st.sampled_from(("under", "over")),
        title_lines=st.integers(0, 6),
        blank_rows=st.booleans(),
        header_rows=st.integers(1, 3),
        group_titles=st.booleans(),
        shuffle=st.integers(0, 1000),
        alias_seed=st.integers(0, 1000),
        stt=st.booleans().map(lambda b: not b),
        notes_column=st.booleans(),
        extra_column=st.booleans(),
        unknown_numbers=st.none() | st.none() | st.sampled_from(("01", "02")),
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
        as_of=st.none() | st.sampled_from(AS_OF_PLACES),
        form02_with_form01=st.booleans(),
        form02_total_line=st.none() | st.sampled_from(REGISTER_TOTALS),
        form02_title_lines=st.integers(0, 4),
        form02_header_rows=st.integers(1, 3),
        form02_groups=st.booleans(),
        form02_merged=st.booleans(),
        form02_notes=st.booleans(),
        form02_per_unit=st.booleans(),
        seed=st.integers(0, 2**16),
    ).map(consistent)
