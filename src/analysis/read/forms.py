"""Read the forms as offices fill them: xlsx, xls and csv files into tables of raw cells.

A file becomes one `Grid` per sheet (cell values as stored; formulas as Excel's stored
value). In each grid the header row is found by matching known headers (title rows, blank
rows and a two-row header with merged cells are fine), headers are mapped to fields through
data/reference/header_aliases.yaml, and the rows between the header and the notes are
returned with their location. Nothing is parsed or judged here: that is validation's job.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from analysis.reference import load_header_aliases

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".csv"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEADER_SCAN_ROWS = 40
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)")
_COLUMN_NUMBER = re.compile(r"^\(?[0-9]{1,2}\)?$|^\(?[A-Z]\)?$")


class FileProblem(Exception):
    """A whole file cannot be read: `code` is the rule code (E-FILE, E-ENCRYPTED, E-EMPTY)."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass
class Grid:
    file: str
    sheet: str
    rows: list[list]
    is_csv: bool = False
    formulas_without_value: set[tuple[int, int]] = field(default_factory=set)  # (row, col), 1-based

    def cell(self, row: int, col: int):
        """1-based access; None outside the grid or for an empty cell."""
        if 1 <= row <= len(self.rows) and 1 <= col <= len(self.rows[row - 1]):
            value = self.rows[row - 1][col - 1]
            return None if value == "" else value
        return None

    def address(self, row: int, col: int | None) -> str:
        return "" if self.is_csv or col is None else f"{get_column_letter(col)}{row}"


def normalize_header(text) -> str:
    """Case, Unicode form, spacing, line breaks and bracketed notes do not matter."""
    text = unicodedata.normalize("NFC", str(text)).lower()
    text = _BRACKETS.sub(" ", text)
    text = text.replace("tỷ", "tỉ").replace("–", "-")
    return " ".join(text.split()).strip(" :*.")


# --- files ----------------------------------------------------------------------------------------


def is_ignored(path: Path) -> bool:
    """Office lock and temporary files, hidden files."""
    return path.name.startswith(("~$", ".~lock", "."))


def read_grids(path: Path) -> list[Grid]:
    """Every sheet of a spreadsheet file as a Grid; raises FileProblem for a file we cannot read."""
    suffix = path.suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES:
        raise FileProblem("E-FILE", f"không phải tệp xlsx, xls hoặc csv (phần mở rộng “{path.suffix}”)")
    data = path.read_bytes()
    if not data.strip():
        raise FileProblem("E-EMPTY", "tệp rỗng, không có dữ liệu")
    if suffix == ".csv":
        return [_read_csv(path.name, data)]
    if suffix in (".xlsx", ".xlsm") and data.startswith(OLE_MAGIC):
        raise FileProblem("E-ENCRYPTED", "tệp được đặt mật khẩu (mã hóa), không đọc được")
    return _read_workbook(path, data)


def _read_workbook(path: Path, data: bytes) -> list[Grid]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # calamine raises several types; all mean "cannot read"
        text = str(error).lower()
        if "password" in text or "encrypt" in text:
            raise FileProblem("E-ENCRYPTED", "tệp được đặt mật khẩu (mã hóa), không đọc được") from None
        raise FileProblem("E-FILE", "tệp bị hỏng hoặc không phải bảng tính Excel") from None
    missing = _formulas_without_value(data) if path.suffix.lower() != ".xls" else {}
    grids = []
    for name in workbook.sheet_names:
        try:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception:
            raise FileProblem("E-FILE", f"không đọc được trang tính “{name}”") from None
        grids.append(Grid(path.name, name, [list(r) for r in rows], False, missing.get(name, set())))
    if not any(any(v not in ("", None) for v in row) for grid in grids for row in grid.rows):
        raise FileProblem("E-EMPTY", "bảng tính không có dữ liệu")
    return grids


_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')


def _formulas_without_value(data: bytes) -> dict[str, set[tuple[int, int]]]:
    """Formula cells with no stored value (a file written by a program, never saved by Excel)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except (zipfile.BadZipFile, KeyError):
        return {}
    targets = {m.group(1): m.group(2) for m in re.finditer(rb'Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)}
    targets.update({m.group(2): m.group(1) for m in re.finditer(rb'Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
    found: dict[str, set[tuple[int, int]]] = {}
    for match in re.finditer(rb'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]+)"', workbook):
        name = _xml_unescape(match.group(1).decode("utf-8"))
        target = targets.get(match.group(2), b"").decode()
        member = target.lstrip("/") if target.startswith("/") else "xl/" + target
        try:
            xml = archive.read(member)
        except KeyError:
            continue
        if b"<f" not in xml:
            continue
        cells = set()
        for cell in _CELL.finditer(xml):
            inner = cell.group(2) or b""
            if b"<f" in inner and not re.search(rb"<v>[^<]+</v>", inner):
                ref = _REF.search(cell.group(1))
                if ref:
                    cells.add((int(ref.group(2)), _column_index(ref.group(1).decode())))
        if cells:
            found[name] = cells
    return found


def _xml_unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


def _read_csv(name: str, data: bytes) -> Grid:
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1258 decodes almost any byte string
        raise FileProblem("E-FILE", "không nhận ra bảng mã của tệp CSV (cần UTF-8 hoặc Windows-1258)")
    text = unicodedata.normalize("NFC", text)
    if "\x00" in text:
        raise FileProblem("E-FILE", "tệp không phải văn bản CSV")
    lines = [line for line in text.splitlines() if line.strip()][:HEADER_SCAN_ROWS]
    delimiter = ";" if sum(line.count(";") for line in lines) > sum(line.count(",") for line in lines) / 2 else ","
    rows = [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return Grid(name, "", rows, True)


# --- tables ---------------------------------------------------------------------------------------


@dataclass
class Layout:
    """Where a form's table sits in a grid."""

    form: str                          # "01" or "02"
    header_row: int                    # 1-based; the last header row is header_row + header_height - 1
    header_height: int
    columns: dict[str, int]            # field -> column (1-based)
    percent_columns: dict[str, int]    # field -> column of its reported percent
    headers_found: list[str]           # the header texts, for messages
    title_year: int | None             # a year in the title rows above the header
    title_year_cell: str = ""


class Aliases:
    """Header, totals and footer aliases, normalised once."""

    def __init__(self, raw: dict | None = None):
        raw = raw or load_header_aliases()
        self.fields = {
            form: {normalize_header(alias): name for name, aliases in raw[key].items() for alias in aliases}
            for form, key in (("01", "form01"), ("02", "form02"))
        }
        self.canonical = {
            form: {name: aliases[0] for name, aliases in raw[key].items()}
            for form, key in (("01", "form01"), ("02", "form02"))
        }
        self.ignored = {normalize_header(a) for a in raw["ignored"]}
        self.percent = {normalize_header(a) for a in raw["percent"]}
        self.count = {normalize_header(a) for a in raw["count"]}
        self.totals = {normalize_header(a) for a in raw["totals"]}
        self.footer = tuple(normalize_header(a) for a in raw["footer"])

    def field(self, form: str, text) -> str | None:
        return self.fields[form].get(normalize_header(text)) if text not in (None, "") else None

    def is_percent(self, text) -> bool:
        key = normalize_header(text)
        return key in self.percent or key.startswith(("tỉ lệ", "%"))


REQUIRED = {
    "01": ("unit", "households", "poor", "near_poor"),
    "02": ("model_name", "unit", "sector", "year_built", "households", "status"),
}
FORM01_CAMPAIGN = ("informed", "changed_mindset", "applied_science", "improved_life", "coop_members")


def find_layout(grid: Grid, aliases: Aliases) -> Layout | None:
    """The best header row for form 01 or 02, or None when the grid holds neither."""
    best: tuple[int, str, int] | None = None
    for r in range(1, min(len(grid.rows), HEADER_SCAN_ROWS) + 1):
        texts = [v for v in grid.rows[r - 1] if isinstance(v, str) and v.strip()]
        for form in ("02", "01"):
            matched = {aliases.field(form, t) for t in texts} - {None}
            if form == "02" and not matched & {"model_name", "status"}:
                continue
            if form == "01" and not matched & {"households", "poor", *FORM01_CAMPAIGN}:
                continue
            score = len(matched)
            if score >= 2 and (best is None or score > best[2]):
                best = (r, form, score)
    if best is None:
        return None
    r, form, _ = best
    header = grid.rows[r - 1]
    below = grid.rows[r] if r < len(grid.rows) else []
    two_rows = any(
        isinstance(v, str) and (aliases.is_percent(v) or normalize_header(v) in aliases.count) for v in below
    )
    columns: dict[str, int] = {}
    percents: dict[str, int] = {}
    found: list[str] = []
    parent_field = None
    for c in range(1, max(len(header), len(below)) + 1):
        top = header[c - 1] if c <= len(header) else ""
        sub = below[c - 1] if two_rows and c <= len(below) else ""
        if isinstance(top, str) and top.strip():
            found.append(" ".join(top.split()))
            parent_field = aliases.field(form, top)
            if parent_field is None and aliases.is_percent(top) and columns:
                # A single-row "Tỉ lệ (%)" column right after a count column.
                last = max(columns, key=columns.get)
                percents.setdefault(last, c)
                continue
        elif not (isinstance(sub, str) and sub.strip()):
            parent_field = None
            continue
        if parent_field is None:
            continue
        if isinstance(sub, str) and sub.strip() and aliases.is_percent(sub):
            percents.setdefault(parent_field, c)
        else:
            columns.setdefault(parent_field, c)
    title_year, title_cell = None, ""
    for tr in range(1, r):
        for tc, value in enumerate(grid.rows[tr - 1], start=1):
            match = _YEAR.search(str(value)) if isinstance(value, str) else None
            if match:
                title_year, title_cell = int(match.group(0)), grid.address(tr, tc) or f"dòng {tr}"
                break
        if title_year:
            break
    return Layout(form, r, 2 if two_rows else 1, columns, percents, found, title_year, title_cell)


@dataclass
class Row:
    row: int
    values: dict[str, object]     # field -> raw cell value
    percents: dict[str, object]   # field -> raw reported percent
    is_total: bool


def table_rows(grid: Grid, layout: Layout, aliases: Aliases) -> list[Row]:
    """Unit rows and totals rows under the header, up to the notes; blank rows skipped."""
    out: list[Row] = []
    unit_col = layout.columns.get("unit")
    first = layout.header_row + layout.header_height
    percent_items = list(layout.percent_columns.items())
    column_items = list(layout.columns.items())
    for r in range(first, len(grid.rows) + 1):
        raw = grid.rows[r - 1]
        texts = [v for v in raw if isinstance(v, str) and v.strip()]
        if not texts and all(v in ("", None) for v in raw):
            continue
        first_text = normalize_header(texts[0]) if texts else ""
        if first_text.startswith(aliases.footer):
            break
        unit_value = grid.cell(r, unit_col) if unit_col else None
        label = normalize_header(unit_value) if isinstance(unit_value, str) else ""
        if isinstance(unit_value, str) and _COLUMN_NUMBER.match(unit_value.strip()):
            continue  # a row of column numbers "(1) (2) (3)" under the header
        is_total = label in aliases.totals or label.startswith(("tổng cộng", "toàn thành phố", "cộng:"))
        if not is_total and unit_value is None and texts and normalize_header(texts[0]) in aliases.totals:
            is_total = True
        values = {name: grid.cell(r, c) for name, c in column_items}
        if not is_total and all(v is None for k, v in values.items() if k != "unit"):
            if unit_value is None:
                continue
        out.append(Row(r, values, {name: grid.cell(r, c) for name, c in percent_items}, is_total))
    return out


def year_from_name(text: str) -> int | None:
    match = _YEAR.search(text)
    return int(match.group(0)) if match else None
