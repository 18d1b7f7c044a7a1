"""Files -> sheets: every cell as stored, with what the layout step needs to know about it.

A folder is one data set. Only regular files inside it are read (a link that leaves the folder,
a FIFO or a device is refused by name, never opened); office lock and hidden files are skipped.
A workbook is checked before any engine parses it: its size on disk and uncompressed, and each
sheet's used range. A `Sheet` carries, besides the values: merged ranges, the cells with an
Excel percent format (0.988 shown as 98,8%), formula cells without a stored value, hidden
state, and how many cells were converted from a legacy Vietnamese encoding (TCVN3, VNI) to
Unicode. Nothing is parsed or judged here.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from analysis.read import legacy

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Bounds well above any real form (a form of 10.000 units x 5 years is a few MB).
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_SHEET_CELLS = 5_000_000
MAX_SHEET_COLUMNS = 500


class FileProblem(Exception):
    """A whole file (or sheet) cannot be read: `code` is the rule code, `values` fill its message."""

    def __init__(self, code: str, **values):
        super().__init__(code)
        self.code = code
        self.values = values


@dataclass
class Sheet:
    file: str
    name: str
    rows: list[list]
    is_csv: bool = False
    hidden: bool = False
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 1-based r1, c1, r2, c2
    percent_cells: dict[tuple[int, int], int] = field(default_factory=dict)  # (row, col) -> decimals shown
    formulas_without_value: set[tuple[int, int]] = field(default_factory=set)
    legacy: str = ""  # the legacy encoding converted in this sheet ("TCVN3", "VNI"), if any

    def cell(self, row: int, col: int):
        """1-based access; None outside the grid or for an empty cell."""
        if 1 <= row <= len(self.rows) and 1 <= col <= len(self.rows[row - 1]):
            value = self.rows[row - 1][col - 1]
            return None if value == "" else value
        return None


def column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def address(sheet: Sheet, row: int, col: int | None) -> str:
    """"E9" in a workbook; "" in a CSV (its messages give the row and the column's header)."""
    return "" if sheet.is_csv or col is None else f"{column_letter(col)}{row}"


# --- the folder -----------------------------------------------------------------------------------


def is_ignored(path: Path) -> bool:
    """Office lock and temporary files, hidden files."""
    return path.name.startswith(("~$", ".~lock", "."))


def safe_name(name: str) -> str:
    """A file name as it can be printed, whatever its bytes (undecodable bytes shown as \\xNN)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def list_folder(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The files to read, and the entries refused with a reason code (a link leaving the folder,
    something that is not a regular file)."""
    root = folder.resolve()
    files, refused = [], []
    for path in sorted(folder.iterdir()):
        if is_ignored(path):
            continue
        try:
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                target = path.resolve()
                if root not in target.parents:
                    refused.append((path, "link"))
                    continue
                mode = os.stat(path).st_mode
        except OSError:
            refused.append((path, "unreadable"))
            continue
        if stat.S_ISDIR(mode):
            continue
        if not stat.S_ISREG(mode):
            refused.append((path, "special"))
            continue
        files.append(path)
    return files, refused


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- one file -------------------------------------------------------------------------------------


def read_sheets(path: Path) -> tuple[bytes, list[Sheet]]:
    """The file's bytes and its sheets; raises FileProblem for a file that cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES:
        raise FileProblem("E-FILE", reason=f"không phải tệp xlsx, xls hoặc csv (phần mở rộng “{path.suffix}”)")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileProblem("E-FILE", reason=f"tệp nặng {size // 2**20} MB, quá giới hạn {MAX_FILE_BYTES // 2**20} MB "
                                           "của một biểu")
    with open(path, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if not data.strip():
        raise FileProblem("E-EMPTY")
    name = safe_name(path.name)
    if suffix == ".csv":
        return data, [_read_csv(name, data)]
    if suffix in (".xlsx", ".xlsm") and data.startswith(OLE_MAGIC):
        raise FileProblem("E-ENCRYPTED")
    if suffix in (".xlsx", ".xlsm"):
        _check_zip(data)
    return data, _read_workbook(name, data, is_xls=suffix == ".xls")


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileProblem("E-FILE", reason="tệp bị hỏng hoặc không phải bảng tính Excel") from None
    if total > MAX_UNCOMPRESSED_BYTES:
        raise FileProblem("E-FILE", reason=f"tệp giải nén ra {total // 2**20} MB, quá giới hạn "
                                           f"{MAX_UNCOMPRESSED_BYTES // 2**20} MB của một biểu (tệp bất thường)")


def _read_workbook(name: str, data: bytes, *, is_xls: bool) -> list[Sheet]:
    from python_calamine import CalamineWorkbook  # noqa: PLC0415 (lazy: hashing a form needs no reader)

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = workbook.sheets_metadata
    except Exception as error:  # noqa: BLE001 (calamine raises several types; all mean "cannot read")
        text = str(error).lower()
        if "password" in text or "encrypt" in text:
            raise FileProblem("E-ENCRYPTED") from None
        raise FileProblem("E-FILE", reason="tệp bị hỏng hoặc không phải bảng tính Excel") from None
    styles = _xls_styles(data) if is_xls else _xlsx_styles(data)
    extents = {} if is_xls else _xlsx_extents(data)  # before the engine allocates a sheet's range
    sheets = []
    for meta in metadata:
        hidden = not str(meta.visible).endswith(".Visible")  # Hidden, VeryHidden
        height, width = extents.get(meta.name, (0, 0))
        if width <= MAX_SHEET_COLUMNS and height * width <= MAX_SHEET_CELLS:
            try:
                source = workbook.get_sheet_by_name(meta.name)
                height, width = source.total_height, source.total_width
            except Exception:  # noqa: BLE001 (any failure of the engine on an untrusted sheet: cannot read)
                raise FileProblem("E-FILE", reason=f"không đọc được trang tính “{meta.name}”") from None
        if width > MAX_SHEET_COLUMNS or height * width > MAX_SHEET_CELLS:
            raise FileProblem("E-FILE", reason=f"trang tính “{meta.name}” có vùng dữ liệu bất thường "
                                               f"({height:,} dòng × {width:,} cột, đến ô "
                                               f"{column_letter(width)}{height}); xóa các ô thừa ở xa bảng rồi lưu lại")
        try:
            rows = [list(r) for r in source.to_python(skip_empty_area=False)]
            merges = [(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in (source.merged_cell_ranges or [])]
        except Exception:  # noqa: BLE001 (any failure of the engine on an untrusted sheet: cannot read)
            raise FileProblem("E-FILE", reason=f"không đọc được trang tính “{meta.name}”") from None
        meta_sheet = styles.get(meta.name, _SheetStyles())
        sheet = Sheet(name, meta.name, rows, hidden=hidden, merges=merges, percent_cells=meta_sheet.percent,
                      formulas_without_value=meta_sheet.formulas)
        _convert_legacy(sheet, meta_sheet.legacy)
        sheets.append(sheet)
    if not any(any(v not in ("", None) for v in row) for sheet in sheets for row in sheet.rows):
        raise FileProblem("E-EMPTY")
    return sheets


def _convert_legacy(sheet: Sheet, cells: dict[tuple[int, int], legacy.Legacy]) -> None:
    """Text typed with a TCVN3 or VNI font becomes Unicode (NFC)."""
    converted = set()
    for (row, col), encoding in cells.items():
        value = sheet.cell(row, col)
        if isinstance(value, str) and value.strip():
            sheet.rows[row - 1][col - 1] = legacy.to_unicode(value, encoding)
            converted.add(encoding.name)
    sheet.legacy = ", ".join(sorted(converted))


# --- xlsx styles: percent formats, legacy fonts, formulas without a value -------------------------


@dataclass
class _SheetStyles:
    percent: dict[tuple[int, int], int] = field(default_factory=dict)
    legacy: dict[tuple[int, int], legacy.Legacy] = field(default_factory=dict)
    formulas: set[tuple[int, int]] = field(default_factory=set)


_ATTR = re.compile(rb'(\w+)="([^"]*)"')
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_XF = re.compile(rb"<xf\b([^>]*?)(?:/>|>)")
_FONT = re.compile(rb"<font\b.*?</font>|<font\s*/>", re.S)
_FONT_NAME = re.compile(rb'<(?:name|rFont)\b[^>]*\bval="([^"]*)"')
_NUMFMT = re.compile(rb'<numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"')
_SI = re.compile(rb"<si>(.*?)</si>", re.S)
_BUILTIN_PERCENT = {9: 0, 10: 2}


def percent_decimals(code: str) -> int | None:
    """Digits an Excel number format shows if it is a percent format ("0.0%" -> 1), else None."""
    plain = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    if "%" not in plain:
        return None
    match = re.search(r"[0#]\.([0#]+)", plain)
    return len(match.group(1)) if match else 0


def _attrs(raw: bytes) -> dict[bytes, bytes]:
    return dict(_ATTR.findall(raw))


def _xml_unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&amp;", "&"))


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters.decode():
        index = index * 26 + ord(letter) - 64
    return index


def _xlsx_styles(data: bytes) -> dict[str, _SheetStyles]:
    """Per sheet: cells shown as percent, cells in a legacy-encoded font, formulas with no value."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = _sheet_members(archive)
    except (zipfile.BadZipFile, KeyError):
        return {}
    names = set(archive.namelist())
    percent_styles: dict[int, int] = {}
    legacy_styles: dict[int, legacy.Legacy] = {}
    if "xl/styles.xml" in names:
        styles = archive.read("xl/styles.xml")
        formats = {int(i): _xml_unescape(c.decode("utf-8")) for i, c in _NUMFMT.findall(styles)}
        fonts_xml = styles.split(b"<fonts", 1)[1].split(b"</fonts>", 1)[0] if b"<fonts" in styles else b""
        fonts: list[legacy.Legacy | None] = []
        for font in _FONT.findall(fonts_xml):
            font_name = _FONT_NAME.search(font)
            fonts.append(legacy.encoding_of_font(font_name.group(1).decode("utf-8")) if font_name else None)
        xfs_xml = styles.split(b"<cellXfs", 1)[1].split(b"</cellXfs>", 1)[0] if b"<cellXfs" in styles else b""
        for index, raw in enumerate(_XF.findall(xfs_xml)):
            attrs = _attrs(raw)
            number_format = int(attrs.get(b"numFmtId", b"0"))
            decimals = _BUILTIN_PERCENT.get(number_format)
            if decimals is None and number_format in formats:
                decimals = percent_decimals(formats[number_format])
            if decimals is not None:
                percent_styles[index] = decimals
            font = int(attrs.get(b"fontId", b"0"))
            if font < len(fonts) and (face := fonts[font]) is not None:
                legacy_styles[index] = face
    legacy_strings: dict[int, legacy.Legacy] = {}
    if "xl/sharedStrings.xml" in names:
        strings = archive.read("xl/sharedStrings.xml")
        if b"rFont" in strings:
            for index, item in enumerate(_SI.findall(strings)):
                for font in _FONT_NAME.findall(item):
                    encoding = legacy.encoding_of_font(font.decode("utf-8"))
                    if encoding is not None:
                        legacy_strings[index] = encoding
                        break
    found: dict[str, _SheetStyles] = {}
    for name, member in members.items():
        if member not in names:
            continue
        xml = archive.read(member)
        result = _SheetStyles()
        if percent_styles or legacy_styles or legacy_strings or b"<f" in xml:
            for cell in _CELL.finditer(xml):
                attrs = _attrs(cell.group(1))
                ref = re.match(rb"([A-Z]+)(\d+)", attrs.get(b"r", b""))
                if not ref:
                    continue
                where = (int(ref.group(2)), _column_index(ref.group(1)))
                style = int(attrs.get(b"s", b"0"))
                inner = cell.group(2) or b""
                if style in percent_styles:
                    result.percent[where] = percent_styles[style]
                if style in legacy_styles:
                    result.legacy[where] = legacy_styles[style]
                elif attrs.get(b"t") == b"s" and legacy_strings:
                    value = re.search(rb"<v>(\d+)</v>", inner)
                    if value and int(value.group(1)) in legacy_strings:
                        result.legacy[where] = legacy_strings[int(value.group(1))]
                if b"<f" in inner and not re.search(rb"<v>[^<]+</v>", inner):
                    result.formulas.add(where)
        found[name] = result
    return found


_ROW_OR_CELL = re.compile(rb'<(?:c|row)\b[^>]*?\br="([A-Z]*)(\d+)"')


def _sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML member in the archive."""
    workbook = archive.read("xl/workbook.xml")
    rels = archive.read("xl/_rels/workbook.xml.rels")
    targets = {m.group(1): m.group(2) for m in re.finditer(rb'Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)}
    targets.update({m.group(2): m.group(1) for m in re.finditer(rb'Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
    members = {}
    for match in re.finditer(rb"<sheet\b([^>]*?)/?>", workbook):
        attrs = _attrs(match.group(1))
        target = targets.get(attrs.get(b"id", b""), b"").decode()
        members[_xml_unescape(attrs.get(b"name", b"").decode("utf-8"))] = \
            target.lstrip("/") if target.startswith("/") else "xl/" + target
    return members


def _xlsx_extents(data: bytes) -> dict[str, tuple[int, int]]:
    """Per sheet, the last row and column that hold a cell, read from the XML (a value at XFD1048576
    would make the engine allocate the whole range)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = _sheet_members(archive)
    except (zipfile.BadZipFile, KeyError):
        return {}
    extents = {}
    for name, member in members.items():
        try:
            xml = archive.read(member)
        except KeyError:
            continue
        rows = cols = 0
        for letters, row in _ROW_OR_CELL.findall(xml):
            rows = max(rows, int(row))
            if letters:
                cols = max(cols, _column_index(letters))
        extents[name] = (rows, cols)
    return extents


def _xls_styles(data: bytes) -> dict[str, _SheetStyles]:
    """The same for an Excel 97-2003 workbook, through xlrd's formatting records."""
    import xlrd  # noqa: PLC0415 (lazy: only an .xls workbook needs it)

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except Exception:  # noqa: BLE001 (formats are optional: a file calamine reads but xlrd cannot keeps its values)
        return {}
    fonts = [legacy.encoding_of_font(font.name) for font in book.font_list]
    percent_xf: dict[int, int] = {}
    legacy_xf: dict[int, legacy.Legacy] = {}
    for index, xf in enumerate(book.xf_list):
        number_format = book.format_map.get(xf.format_key)
        decimals = percent_decimals(number_format.format_str) if number_format else None
        if decimals is not None:
            percent_xf[index] = decimals
        if xf.font_index < len(fonts) and fonts[xf.font_index] is not None:
            legacy_xf[index] = fonts[xf.font_index]
    found: dict[str, _SheetStyles] = {}
    if not (percent_xf or legacy_xf):
        return found
    for sheet in book.sheets():
        result = _SheetStyles()
        for r in range(sheet.nrows):
            for c in range(sheet.ncols):
                xf = sheet.cell_xf_index(r, c)
                if xf in percent_xf:
                    result.percent[(r + 1, c + 1)] = percent_xf[xf]
                if xf in legacy_xf:
                    result.legacy[(r + 1, c + 1)] = legacy_xf[xf]
        found[sheet.name] = result
    return found


# --- csv ------------------------------------------------------------------------------------------


def _read_csv(name: str, data: bytes) -> Sheet:
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1258 decodes almost any byte string
        raise FileProblem("E-FILE", reason="không nhận ra bảng mã của tệp CSV (cần UTF-8 hoặc Windows-1258)")
    if "\x00" in text:
        raise FileProblem("E-FILE", reason="tệp không phải văn bản CSV")
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # Windows, old Mac and mixed line endings
    legacy_encoding = legacy.guess(text)
    if legacy_encoding is not None:
        text = legacy.to_unicode(text, legacy_encoding)
    text = unicodedata.normalize("NFC", text)
    lines = [line for line in text.split("\n") if line.strip()][:40]
    delimiter = ";" if sum(line.count(";") for line in lines) > sum(line.count(",") for line in lines) / 2 else ","
    rows = [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    return Sheet(name, "", rows, is_csv=True, legacy="" if legacy_encoding is None else legacy_encoding.name)
