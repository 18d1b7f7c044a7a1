"""An xlsx workbook read in one pass per sheet: values, merged ranges, percent and legacy cells,
formulas without a stored value, with the sheet's bounds checked as it is read.

Each sheet's XML (SpreadsheetML, analysis.read.ooxml) is streamed a row at a time with lxml,
namespace-aware, and what has been read is released: a cell far from the table (XFD1048576)
is refused before anything is allocated for it, and a register of 500.000 models is read once,
not once for its values and once more for what they look like (python-calamine, which read the
values, remains the engine of .xls files). A cell's value is the one Excel
stored: a shared or inline string, a number, a boolean, a formula's cached result, an error
code as its text ("#DIV/0!"); a formula with no stored value is noted, never computed.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from lxml import etree

from analysis.read import ooxml
from analysis.read.sheet import MAX_SHEET_CELLS, MAX_SHEET_COLUMNS, FileProblem, Sheet, column_letter, convert_legacy

MERGE, INLINE = ooxml._tags("mergeCell"), ooxml._tags("is")
BROKEN = "tệp bị hỏng hoặc không phải bảng tính Excel"


def read_xlsx(name: str, data: bytes) -> Iterator[Sheet]:
    """The workbook's sheets, read one at a time; FileProblem for a package that cannot be read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        book = ooxml.workbook_part(archive)
        styles = ooxml.read_styles(archive, book)
        strings = ooxml.shared_strings(archive, book, styles)
        sheets = ooxml.sheet_list(archive)
    except (zipfile.BadZipFile, KeyError, ValueError, etree.LxmlError):
        raise FileProblem("E-FILE", reason=BROKEN) from None
    if not sheets:
        raise FileProblem("E-FILE", reason=BROKEN)
    names = set(archive.namelist())
    return (_sheet(archive, part, styles, strings, name, title, hidden) if part in names
            else Sheet(name, title, [], hidden=hidden) for title, part, hidden in sheets)


class _Grid:
    """The rows of a sheet as they are read, with its bounds enforced as cells arrive."""

    def __init__(self, title: str):
        self.title = title
        self.rows: list[list] = []
        self.width = 0

    def row(self, number: int, cells: list) -> None:
        """A whole row, as read (the common case: its cells in their row, in order)."""
        width = max(self.width, len(cells))
        if width > MAX_SHEET_COLUMNS or number * width > MAX_SHEET_CELLS:
            self.refuse(number, width)
        if len(self.rows) >= number:
            for column, value in enumerate(cells, start=1):
                if value != "":
                    self.put(number, column, value)
            return
        self.rows.extend([] for _ in range(number - 1 - len(self.rows)))
        self.rows.append(cells)
        self.width = width

    def put(self, row: int, column: int, value) -> None:
        """One cell, wherever its reference places it."""
        if column > MAX_SHEET_COLUMNS or row * max(self.width, column) > MAX_SHEET_CELLS:
            self.refuse(row, max(self.width, column))
        while len(self.rows) < row:
            self.rows.append([])
        cells = self.rows[row - 1]
        if len(cells) < column:
            cells.extend([""] * (column - len(cells)))
        cells[column - 1] = value
        self.width = max(self.width, column)

    def refuse(self, height: int, width: int) -> None:
        raise FileProblem("E-FILE", reason=f"trang tính “{self.title}” có vùng dữ liệu bất thường "
                                           f"({height:,} dòng × {width:,} cột, đến ô {column_letter(width)}{height}); "
                                           "xóa các ô thừa ở xa bảng rồi lưu lại")


def _sheet(archive: zipfile.ZipFile, part: str, styles: ooxml.Styles, strings: list[str], name: str, title: str,
           hidden: bool) -> Sheet:
    grid, scan, merges = _Grid(title), ooxml.SheetScan(), []
    reader = _Cells(scan, styles, strings)
    row_number = 0
    try:
        with archive.open(part) as stream:
            for _, element in ooxml.iterate(stream, (*ooxml.ROW, *MERGE)):
                if element.tag in MERGE:
                    merges.append(_range(element.get("ref", ""), reader.columns))
                    continue
                given = element.get("r")
                row_number = int(given) if given and given.isdigit() else row_number + 1
                grid.row(row_number, reader.row(element, row_number, grid))
                ooxml.release(element)
    except (etree.LxmlError, ValueError, KeyError, IndexError, zipfile.BadZipFile):
        raise FileProblem("E-FILE", reason=f"không đọc được trang tính “{title}”") from None
    sheet = Sheet(name, title, grid.rows, hidden=hidden, merges=[m for m in merges if m],
                  percent_cells=scan.percent, formulas_without_value=scan.formulas)
    convert_legacy(sheet, scan.legacy)
    return sheet


class _Cells:
    """The cells of a row: their values, and what the sheet's scan notes of them."""

    def __init__(self, scan: ooxml.SheetScan, styles: ooxml.Styles, strings: list[str]):
        self.scan, self.styles, self.strings = scan, styles, strings
        self.per_cell = styles.per_cell
        self.columns = ooxml.Columns()
        self.numbers: dict[str, float] = {}
        self.texts: dict[str, str] = {}

    def text(self, value: str) -> str:
        """One object for a text the sheet repeats (a unit, a sector typed inline on every row); the
        first 100.000 distinct texts are remembered."""
        found = self.texts.get(value)
        if found is None:
            if len(self.texts) < 100_000:
                self.texts[value] = value
            return value
        return found

    def row(self, element, number: int, grid: _Grid) -> list:
        """The row's values in column order; a cell whose reference places it in another row is
        put there directly."""
        cells: list = []
        digits, column = str(number), 0
        for cell in element:
            if cell.tag not in ooxml.CELL:
                continue
            ref = cell.get("r")
            here = number
            if ref is None:
                column += 1
            else:
                letters = ooxml.LETTERS(ref)
                column = self.columns[letters]
                if ref[len(letters):] != digits:
                    here = int(ref[len(letters):]) if ref[len(letters):].isdigit() else number
            value = self.value(cell)
            if value is _FORMULA:
                self.scan.formulas.add((here, column))
                value = ""
            if self.per_cell:
                ooxml.styled(self.scan, cell, (here, column), self.styles)
            if value == "":
                if column > MAX_SHEET_COLUMNS:
                    grid.refuse(here, column)
            elif here != number:
                grid.put(here, column, value)
            elif column == len(cells) + 1:
                cells.append(value)
            else:
                if column > len(cells):
                    cells.extend([""] * (column - len(cells)))
                cells[column - 1] = value
        return cells

    def value(self, cell):
        """The value Excel stored ("" for none); _FORMULA for a formula without a stored value."""
        stored, formula = None, False
        for child in cell:
            tag = child.tag
            if tag in ooxml.VALUE:
                stored = child.text
            elif tag in INLINE:
                return self.text(ooxml.text_of(child))
            elif tag in ooxml.FORMULA:
                formula = True
        kind = cell.get("t")
        if stored is None or (kind != "str" and not stored.strip()):
            return _FORMULA if formula else ""
        if kind is None or kind == "n":
            number = self.numbers.get(stored)
            if number is None:
                number = self.numbers[stored] = float(stored)
            return number
        if kind == "s":
            return self.strings[int(stored)]
        if kind == "b":
            return stored.strip() == "1"
        return self.text(stored)  # str (a formula's text), e (an error such as #DIV/0!), d (a date as typed)


_FORMULA = object()  # a formula with no stored value


def _range(ref: str, columns: ooxml.Columns) -> tuple[int, int, int, int] | None:
    """"B2:D4" -> (2, 2, 4, 4); None for a reference that is not a range."""
    first, _, last = ref.partition(":")
    if not last:
        return None
    ends = []
    for part in (first, last):
        letters = ooxml.LETTERS(part)
        digits = part[len(letters):]
        if not digits.isdigit() or not letters:
            return None
        ends.append((int(digits), columns[letters.lstrip("$")]))
    (r1, c1), (r2, c2) = ends
    return r1, c1, r2, c2
