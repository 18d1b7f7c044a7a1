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
from collections.abc import Iterator
from pathlib import Path

from analysis.read import legacy
from analysis.read.sheet import (MAX_SHEET_CELLS, MAX_SHEET_COLUMNS, FileProblem, Sheet, SheetScan,
                                 column_letter, convert_legacy, percent_decimals)
from analysis.read.xlsx import read_xlsx

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Bounds well above any real form (a form of 10.000 units x 5 years is a few MB).
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024

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
    """The SHA-256 of a regular file; OSError for anything else (a FIFO is not waited on, a device
    such as /dev/zero is not read forever)."""
    digest = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(f"not a regular file: {safe_name(str(path))}")
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- one file -------------------------------------------------------------------------------------


def read_sheets(path: Path) -> tuple[bytes, Iterator[Sheet]]:
    """The file's bytes and its sheets, read one at a time; raises FileProblem for a file that
    cannot be read (before the first sheet for the file as a whole, or while reading a sheet)."""
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
        return data, iter([_read_csv(name, data)])
    if suffix in (".xlsx", ".xlsm") and data.startswith(OLE_MAGIC):
        raise FileProblem("E-ENCRYPTED")
    if suffix in (".xlsx", ".xlsm"):
        _check_zip(data)
        return data, read_xlsx(name, data)
    return data, _read_xls(name, data)


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileProblem("E-FILE", reason="tệp bị hỏng hoặc không phải bảng tính Excel") from None
    if total > MAX_UNCOMPRESSED_BYTES:
        raise FileProblem("E-FILE", reason=f"tệp giải nén ra {total // 2**20} MB, quá giới hạn "
                                           f"{MAX_UNCOMPRESSED_BYTES // 2**20} MB của một biểu (tệp bất thường)")


def _read_xls(name: str, data: bytes) -> Iterator[Sheet]:
    """An Excel 97-2003 workbook, through python-calamine (values) and xlrd (formats, fonts): the
    sheets one at a time. The format bounds a sheet (65.536 rows, 256 columns)."""
    from python_calamine import CalamineWorkbook  # noqa: PLC0415 (lazy: hashing a form needs no reader)

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = workbook.sheets_metadata
    except Exception as error:  # noqa: BLE001 (calamine raises several types; all mean "cannot read")
        text = str(error).lower()
        if "password" in text or "encrypt" in text:
            raise FileProblem("E-ENCRYPTED") from None
        raise FileProblem("E-FILE", reason="tệp bị hỏng hoặc không phải bảng tính Excel") from None
    return _sheets(workbook, metadata, _xls_scans(data), name)


def _sheets(workbook, metadata, scans: dict[str, SheetScan], name: str) -> Iterator[Sheet]:
    for meta in metadata:
        hidden = not str(meta.visible).endswith(".Visible")  # Hidden, VeryHidden
        try:
            source = workbook.get_sheet_by_name(meta.name)
            _check_extent(meta.name, SheetScan(height=source.total_height, width=source.total_width))
            rows = _rows(source)
            merges = [(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in (source.merged_cell_ranges or [])]
            del source  # the engine's copy of the sheet, before the rows are read
        except FileProblem:
            raise
        except Exception:  # noqa: BLE001 (any failure of the engine on an untrusted sheet: cannot read)
            raise FileProblem("E-FILE", reason=f"không đọc được trang tính “{meta.name}”") from None
        scan = scans.get(meta.name, SheetScan())
        sheet = Sheet(name, meta.name, rows, hidden=hidden, merges=merges, percent_cells=scan.percent,
                      formulas_without_value=scan.formulas)
        convert_legacy(sheet, scan.legacy)
        yield sheet


def _rows(source) -> list[list]:
    """The sheet's rows from A1, read one at a time (the engine's rows start at the first column
    that holds a value: the columns before it are put back)."""
    start, end = source.start, source.end
    if start is None or end is None:
        return []
    lead = [""] * start[1]
    rows = interned(lead + row for row in source.iter_rows()) if lead else interned(source.iter_rows())
    if len(rows) == end[0] - start[0] + 1 and start[0]:  # an engine that starts the rows at the first one too
        rows = [[] for _ in range(start[0])] + rows
    return rows


def _check_extent(name: str, scan: SheetScan) -> None:
    height, width = scan.height, scan.width
    if width > MAX_SHEET_COLUMNS or height * width > MAX_SHEET_CELLS:
        raise FileProblem("E-FILE", reason=f"trang tính “{name}” có vùng dữ liệu bất thường "
                                           f"({height:,} dòng × {width:,} cột, đến ô "
                                           f"{column_letter(width)}{height}); xóa các ô thừa ở xa bảng rồi lưu lại")


def _xls_scans(data: bytes) -> dict[str, SheetScan]:
    """The same for an Excel 97-2003 workbook, through xlrd's formatting records (its extent is
    bounded by the format itself: 65.536 rows, 256 columns)."""
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
    found: dict[str, SheetScan] = {}
    if not (percent_xf or legacy_xf):
        return found
    for sheet in book.sheets():
        result = SheetScan()
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
    for codec in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(codec)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1258 decodes almost any byte string
        raise FileProblem("E-FILE", reason="không nhận ra bảng mã của tệp CSV (cần UTF-8 hoặc Windows-1258)")
    if "\x00" in text:
        raise FileProblem("E-FILE", reason="tệp không phải văn bản CSV")
    encoding = legacy.guess(text)
    if encoding is not None:
        text = legacy.to_unicode(text, encoding)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    lines = [line for line in text[:1 << 16].splitlines() if line.strip()][:40]
    delimiter = ";" if sum(line.count(";") for line in lines) > sum(line.count(",") for line in lines) / 2 else ","
    # Windows, old Mac and mixed line endings: the csv module ends a record at any of them.
    pieces = (match.group(0) for match in _LINE.finditer(text) if match.group(0))
    return Sheet(name, "", interned(_csv_rows(csv.reader(pieces, delimiter=delimiter))), is_csv=True,
                 legacy="" if encoding is None else encoding.name)


def _csv_rows(reader) -> Iterator[list[str]]:
    """The rows of a CSV reader; a field over the csv module's limit (an unbalanced quote runs a field
    to the end of the file) or another fault of structure is an E-FILE naming the line it starts on."""
    start = 1
    try:
        for row in reader:
            yield row
            start = reader.line_num + 1
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            from analysis.formatting import fmt_int  # noqa: PLC0415 (lazy: hashing a form needs no babel)

            limit = fmt_int(csv.field_size_limit())
            raise FileProblem("E-FILE", reason=f"ô bắt đầu ở dòng {start} dài quá {limit} ký tự (thường do một "
                                               "dấu nháy kép \" không có dấu đóng): sửa dòng đó") from None
        raise FileProblem("E-FILE", reason=f"tệp CSV sai cấu trúc ở dòng {start}") from None


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def interned(rows) -> list[list]:
    """The rows, each value that a column repeats (a unit, a sector, a year) one object, not one a
    cell: a register of 500.000 models keeps one "Đang duy trì". A column that repeats little (a
    model's name) is left as it is, after its first 2.000 rows show it."""
    caches: list[dict | None] = []
    out: list[list] = []
    for row in rows:
        if len(caches) < len(row):
            caches += [{} for _ in range(len(row) - len(caches))]
        out.append([value if cache is None else cache.setdefault(value, value) for cache, value in zip(caches, row)])
        if len(out) == 2000:
            caches = [None if cache is None or len(cache) > 1000 else cache for cache in caches]
    return out
