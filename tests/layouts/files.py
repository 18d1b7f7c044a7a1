"""A typed data set as the files an office sends: workbooks (xlsx) or CSV files, one sheet each.

No .xls: the only writers on PyPI (xlwt, and pyexcel-xls which wraps it) have been unmaintained
since 2017, so .xls reading stays covered by the committed fixture in tests/fixtures/forms/.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from pathlib import Path

from lxml import etree
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from analysis.reference import ascii_slug
from analysis.vocabulary import BASELINE_FIELDS, SECTORS, STATUSES
from analysis.vocabulary import COUNT_FIELDS as FORM01_FIELDS
from layouts.data import SECTOR_ALIASES, STATUS_ALIASES, UNIT_CODES, UNITS, TidyData
from layouts.form01 import as_of_day, as_of_words, form01_sheet, years_across_sheet
from layouts.form02 import form02_sheet
from layouts.layout import HIDDEN_SHEET_NAMES, Layout
from layouts.sheets import Book, Sheet, Typist, compact_name, percent_of

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


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
    sheet.add(["STT", "Đơn vị", "Năm", "Tổng số hộ ĐBDTTS"])
    for i, code in enumerate(data.units, start=1):
        sheet.add([i, UNITS.loc[code, "full_name"], year, data.form01[(code, year)]["households"] + 7])
    return sheet


def _unit_names(layout: Layout, typist: Typist, code: str) -> tuple[list[str], bool, str]:
    """A file per unit: the unit's title lines, whether the file name names it, and its name in ASCII."""
    full = UNITS.loc[code, "full_name"]
    in_title = layout.unit_in in ("title_agency", "title_label", "title_and_file")
    titles = []
    if in_title:
        titles.append(f"ĐẢNG ỦY {full.upper()}" if layout.unit_in != "title_label" else f"Đơn vị: {typist.unit(code)}")
    in_file = layout.unit_in in ("file_compact", "file_spaced", "title_and_file")
    return titles, in_file, " ".join(p.capitalize() for p in ascii_slug(full).split("-"))


def _stem(layout: Layout, form: str, code: str, in_file: bool, ascii_full: str, tail: str = "") -> str:
    if in_file and layout.unit_in == "file_spaced":
        return f"Bieu{form} - {ascii_full}" + (f" - {tail}" if tail else "")
    if in_file:
        return f"Bieu{form}_{compact_name(code)}" + (f"_{tail}" if tail else "")
    return f"Bieu{form}_donvi_{UNIT_CODES.index(code)}" + (f"_{tail}" if tail else "")


def _as_of_suffix(layout: Layout, data: TidyData, year: int, place: str) -> str:
    day = as_of_day(layout, data, year)
    return f"_den_{day.day}-{day.month}-{day.year}" if day and layout.as_of == place else ""


def _as_of_title(layout: Layout, data: TidyData, year: int, *, single: bool) -> list[str]:
    day = as_of_day(layout, data, year) if layout.as_of in ("title", "months") else None
    if day is None:
        return []
    return [f"NĂM {year} ({as_of_words(layout, day)})" if single else
            f"GIAI ĐOẠN {data.period[0]} - {data.period[1]} (năm {year}: {as_of_words(layout, day)})"]


def books(data: TidyData, layout: Layout) -> list[Book]:
    """The workbooks (or CSV files, one sheet each) an office would send."""
    typist = Typist(layout)
    out: list[Book] = []
    last = data.period[1]

    def single_year_sheet(name: str, year: int, *, unit: str | None = None, extra_titles: list[str] = ()) -> Sheet:
        titles = list(extra_titles) + ([f"NĂM {year}"] if layout.year_in == "title" else [])
        as_of = _as_of_title(layout, data, year, single=True)
        titles = [t for t in titles if not (as_of and t == f"NĂM {year}")] + as_of
        return form01_sheet(name, data, layout, typist, records=[(c, year) for c in ([unit] if unit else data.units)],
                            unit_column=unit is None, year_column=layout.year_in == "column", titles=titles,
                            campaign=year > data.baseline_year)

    if layout.split == "file_per_year":
        for i, year in enumerate(data.years):
            stem = f"Bieu01_{year}" if layout.year_in == "file_name" else f"Bieu01_phan_{chr(97 + i)}"
            out.append(Book(stem + _as_of_suffix(layout, data, year, "file"), [single_year_sheet("Biểu 01", year)]))
    elif layout.split == "sheet_per_year":
        sheets = []
        for i, year in enumerate(data.years):
            names = [f"Năm {year}", str(year), f"Biểu 01 ({year})"]
            name = names[i % 3] if layout.year_in == "sheet_name" else f"Sheet{i + 1}"
            day = as_of_day(layout, data, year)
            if day and layout.as_of == "sheet":
                name = f"Năm {year} (đến {day.day}-{day.month}-{day.year})"
            sheets.append(single_year_sheet(name, year))
        out.append(Book("TongHop_Bieu01", sheets))
    elif layout.split == "one_table":
        order = [(c, y) for y in data.years for c in data.units]
        if layout.seed % 2:
            order = [(c, y) for c in data.units for y in data.years]
        sheet = form01_sheet("Biểu 01", data, layout, typist, records=order, unit_column=True, year_column=True,
                             titles=_as_of_title(layout, data, last, single=False), campaign=True)
        out.append(Book("Bieu01_TongHop", [sheet]))
    elif layout.split == "years_across":
        out.append(Book("Bieu01_TongHop", [years_across_sheet("Biểu 01", data, layout, typist)]))
    elif layout.split == "file_per_unit":
        out += _per_unit_books(data, layout, typist, single_year_sheet)
    else:
        raise ValueError(layout.split)
    if layout.form02_per_unit:
        out += _per_unit_registers(data, layout, typist)
    elif layout.form02_with_form01:
        out[-1].sheets.append(form02_sheet("Biểu 02", data, layout, typist))
    else:
        out.append(Book("Bieu02_MoHinh", [form02_sheet("Biểu 02", data, layout, typist)]))
    if layout.hidden_sheet:
        out[0].sheets.append(hidden_sheet(layout.hidden_sheet, data))
    return out


def _per_unit_books(data: TidyData, layout: Layout, typist: Typist, single_year_sheet) -> list[Book]:
    out = []
    last = data.period[1]
    for code in data.units:
        titles, in_file, ascii_full = _unit_names(layout, typist, code)
        if layout.unit_rows == "year_column":
            sheet = form01_sheet("Biểu 01", data, layout, typist, records=[(code, y) for y in data.years],
                                 unit_column=False, year_column=True,
                                 titles=titles + _as_of_title(layout, data, last, single=False), campaign=True)
            out.append(Book(_stem(layout, "01", code, in_file, ascii_full), [sheet]))
            continue
        for year in data.years:
            sheet = single_year_sheet("Biểu 01", year, unit=code, extra_titles=titles)
            tail = f"{year}" if layout.year_in == "file_name" else ""
            stem = _stem(layout, "01", code, in_file, ascii_full, tail)
            if layout.year_in != "file_name":
                stem += f"_ky{data.years.index(year) + 1}"
            out.append(Book(stem + _as_of_suffix(layout, data, year, "file"), [sheet]))
    return out


def _per_unit_registers(data: TidyData, layout: Layout, typist: Typist) -> list[Book]:
    out = []
    for code in data.units:
        titles, in_file, ascii_full = _unit_names(layout, typist, code)
        models = tuple(m for m in data.models if m.unit_code == code)
        sheet = form02_sheet("Biểu 02", data, layout, typist, models=models, unit_title=titles, with_unit=False)
        out.append(Book(_stem(layout, "02", code, in_file, ascii_full, "MoHinh"), [sheet]))
    return out


def write_dataset(folder: Path, data: TidyData, layout: Layout, period: tuple[int, int] | None = None) -> list[Path]:
    """Write the data set as `layout` types it into `folder`; return the files written."""
    if period is not None and tuple(period) != data.period:
        raise ValueError(f"the data set is for {data.period}, not {period}")
    return write_books(Path(folder), books(data, layout), layout)


def write_books(folder: Path, written: list[Book], layout: Layout) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for book in written:
        if layout.file_format == "xlsx":
            paths.append(write_xlsx(folder / f"{book.stem}.xlsx", book.sheets))
        else:
            for sheet in book.sheets:
                paths.append(write_csv(folder / f"{book.stem}.csv", sheet, layout))
    return paths


def write_xlsx(path: Path, sheets: list[Sheet]) -> Path:
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
    if any(sheet.formulas for sheet in sheets):
        _add_formulas(path, sheets)
    return path


def _add_formulas(path: Path, sheets: list[Sheet]) -> None:
    """Cells typed as a formula with the value Excel stored ("=SUM(E9:E20)" showing 123): openpyxl
    writes a formula without its value, so the formula is put beside the written value."""
    source = zipfile.ZipFile(path)
    parts = {f"xl/worksheets/sheet{i}.xml": sheet for i, sheet in enumerate(sheets, start=1) if sheet.formulas}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename in parts:
                root = etree.fromstring(data)
                for (r, c), formula in parts[info.filename].formulas.items():
                    cell = root.find(f".//{{{MAIN}}}c[@r='{get_column_letter(c)}{r}']")
                    formula_element = etree.Element(f"{{{MAIN}}}f")
                    formula_element.text = formula
                    cell.insert(0, formula_element)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(info, data)
    source.close()
    path.write_bytes(buffer.getvalue())


def to_cp1258(text: str) -> bytes:
    """Windows-1258 keeps tone marks as combining characters after a precomposed base letter."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def write_csv(path: Path, sheet: Sheet, layout: Layout) -> Path:
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
        if year == data.baseline_year and layout.split == "years_across":
            continue  # years across: the baseline year has no campaign columns
        for name in layout.percents:
            value = percent_of(values[name], values["households"])
            if value is not None:
                out.add((code, year, name, float(value)))
    return out


def typed_totals(data: TidyData, layout: Layout) -> set[tuple[int, str, float]]:
    """(year, field, value) of every totals-row cell the layout types (not the group subtotals)."""
    if not layout.totals or layout.split not in ("file_per_year", "sheet_per_year", "years_across"):
        return set()
    out = set()
    for year in data.years:
        names = FORM01_FIELDS if year > data.baseline_year else BASELINE_FIELDS
        for name in names:
            present = [data.form01[(c, year)][name] for c in data.units if data.form01[(c, year)][name] is not None]
            if present:
                out.add((year, name, float(sum(present))))
    return out


def expected_as_of(data: TidyData, layout: Layout) -> dict[int, dt.date]:
    """The day each year's figures are as of, as the files say it (31 December unless stated)."""
    return {year: as_of_day(layout, data, year) or dt.date(year, 12, 31) for year in data.years}
