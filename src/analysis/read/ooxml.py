"""SpreadsheetML (xlsx) read with a namespace-aware XML parser: what the value engine does not say.

The values come from python-calamine; this module reads, from the package's XML parts, what a
form's reader needs besides: each sheet's XML part, its extent (the last row and column holding
a cell, before the engine allocates the sheet's range), the cells shown as a percent (0.988 under
"0.0%"), the cells typed in a legacy Vietnamese font (TCVN3, VNI), and the formula cells without
a stored value. Elements are matched by namespace and local name, whatever prefix a writer
chose (`<c>` or `<x:c>`), in transitional and strict OOXML alike. The parser resolves no entity,
loads no DTD and opens no network resource: a form is untrusted input.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from lxml import etree

from analysis.read import legacy

# SpreadsheetML and relationship namespaces: transitional (ECMA-376) and strict (ISO 29500).
MAIN = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main")
RELATIONSHIPS = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                 "http://purl.oclc.org/ooxml/officeDocument/relationships")
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
                   "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument")
BUILTIN_PERCENT = {9: 0, 10: 2}  # numFmtId 9 "0%", 10 "0.00%"
_REFERENCE = re.compile(r"^\$?([A-Za-z]{1,3})?\$?(\d+)?$")


def _tags(name: str) -> tuple[str, ...]:
    return tuple(f"{{{ns}}}{name}" for ns in MAIN)


ROW, CELL, FORMULA, VALUE = _tags("row"), _tags("c"), _tags("f"), _tags("v")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _local(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name: str) -> Iterator:
    return (child for child in element if _local(child) == name)


def _child(element, name: str):
    return next(_children(element, name), None)


def _parse(archive: zipfile.ZipFile, member: str):
    return etree.fromstring(archive.read(member), _parser())


def column_index(letters: str) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index


def percent_decimals(code: str) -> int | None:
    """Digits an Excel number format shows if it is a percent format ("0.0%" -> 1), else None."""
    plain = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    if "%" not in plain:
        return None
    match = re.search(r"[0#]\.([0#]+)", plain)
    return len(match.group(1)) if match else 0


# --- the package: which XML part is which sheet ----------------------------------------------------


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Id -> (type, target part) of a part's relationships (targets resolved against the part)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in archive.namelist():
        return {}
    found = {}
    for relation in _parse(archive, rels):
        if relation.tag != f"{{{PACKAGE_RELATIONSHIPS}}}Relationship":
            continue
        target = relation.get("Target", "")
        if relation.get("TargetMode") == "External":
            continue
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found[relation.get("Id", "")] = (relation.get("Type", ""), resolved)
    return found


def workbook_part(archive: zipfile.ZipFile) -> str:
    for kind, target in _relationships(archive, "").values():
        if kind in OFFICE_DOCUMENT:
            return target
    return "xl/workbook.xml"


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part."""
    book = workbook_part(archive)
    relations = _relationships(archive, book)
    parts = {}
    for sheets in _children(_parse(archive, book), "sheets"):
        for sheet in _children(sheets, "sheet"):
            rid = next((sheet.get(f"{{{ns}}}id") for ns in RELATIONSHIPS if sheet.get(f"{{{ns}}}id")), "")
            if rid in relations:
                parts[sheet.get("name", "")] = relations[rid][1]
    return parts


# --- styles: which cell formats are percents, which fonts are legacy -------------------------------


@dataclass
class Styles:
    percent: dict[int, int] = field(default_factory=dict)             # cell format index -> decimals
    legacy: dict[int, legacy.Legacy] = field(default_factory=dict)    # cell format index -> encoding
    legacy_strings: dict[int, legacy.Legacy] = field(default_factory=dict)  # shared string -> encoding

    @property
    def per_cell(self) -> bool:
        return bool(self.percent or self.legacy or self.legacy_strings)


def read_styles(archive: zipfile.ZipFile, book: str) -> Styles:
    styles = Styles()
    parts = {kind.rsplit("/", 1)[-1]: target for kind, target in _relationships(archive, book).values()}
    names = set(archive.namelist())
    if parts.get("styles") in names:
        root = _parse(archive, parts["styles"])
        formats = {int(f.get("numFmtId", "-1")): f.get("formatCode", "")
                   for group in _children(root, "numFmts") for f in _children(group, "numFmt")}
        fonts = [_font_encoding(font) for group in _children(root, "fonts") for font in _children(group, "font")]
        for group in _children(root, "cellXfs"):
            for index, xf in enumerate(_children(group, "xf")):
                number_format = int(xf.get("numFmtId", "0"))
                decimals = BUILTIN_PERCENT.get(number_format)
                if decimals is None and number_format in formats:
                    decimals = percent_decimals(formats[number_format])
                if decimals is not None:
                    styles.percent[index] = decimals
                font = int(xf.get("fontId", "0"))
                if font < len(fonts) and fonts[font] is not None:
                    styles.legacy[index] = fonts[font]
    if parts.get("sharedStrings") in names:
        styles.legacy_strings = _legacy_strings(archive, parts["sharedStrings"])
    return styles


def _font_encoding(font) -> legacy.Legacy | None:
    name = _child(font, "name")
    return legacy.encoding_of_font(name.get("val")) if name is not None else None


def _legacy_strings(archive: zipfile.ZipFile, part: str) -> dict[int, legacy.Legacy]:
    """Shared strings whose rich-text runs are set in a legacy font (rFont), by index."""
    found: dict[int, legacy.Legacy] = {}
    with archive.open(part) as stream:
        for index, (_, item) in enumerate(_iterate(stream, _tags("si"))):
            for run_font in item.iter(*_tags("rFont")):
                encoding = legacy.encoding_of_font(run_font.get("val"))
                if encoding is not None:
                    found[index] = encoding
                    break
            _release(item)
    return found


# --- one sheet: extent, percent and legacy cells, formulas without a value ---------------------------


@dataclass
class SheetScan:
    height: int = 0
    width: int = 0
    percent: dict[tuple[int, int], int] = field(default_factory=dict)
    legacy: dict[tuple[int, int], legacy.Legacy] = field(default_factory=dict)
    formulas: set[tuple[int, int]] = field(default_factory=set)


def _iterate(stream: IO[bytes], tags: tuple[str, ...]):
    return etree.iterparse(stream, events=("end",), tag=tags, resolve_entities=False, no_network=True,
                           load_dtd=False, huge_tree=False)


def _release(element) -> None:
    """Free what has been read: the element's content and the siblings before it."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        del parent[0]


def _reference(text: str | None) -> tuple[int | None, int | None]:
    match = _REFERENCE.match(text or "")
    if not match:
        return None, None
    letters, digits = match.groups()
    return (int(digits) if digits else None), (column_index(letters) if letters else None)


def scan_sheet(archive: zipfile.ZipFile, part: str, styles: Styles) -> SheetScan:
    """Stream a sheet's XML once (rows and cells may omit their reference: their place follows the one before)."""
    scan = SheetScan()
    row_number = 0
    with archive.open(part) as stream:
        for _, row in _iterate(stream, ROW):
            given, _ = _reference(row.get("r"))
            row_number = given or row_number + 1
            column = 0
            for cell in row:
                if cell.tag not in CELL:
                    continue
                _, given_column = _reference(cell.get("r"))
                column = given_column or column + 1
                if styles.per_cell:
                    _styled(scan, cell, (row_number, column), styles)
                if any(child.tag in FORMULA for child in cell) and not _stored_value(cell):
                    scan.formulas.add((row_number, column))
            if column:
                scan.height, scan.width = max(scan.height, row_number), max(scan.width, column)
            _release(row)
    return scan


def _stored_value(cell) -> bool:
    value = next((child for child in cell if child.tag in VALUE), None)
    return value is not None and bool((value.text or "").strip())


def _styled(scan: SheetScan, cell, where: tuple[int, int], styles: Styles) -> None:
    style = int(cell.get("s") or 0)
    if style in styles.percent:
        scan.percent[where] = styles.percent[style]
    if style in styles.legacy:
        scan.legacy[where] = styles.legacy[style]
    elif cell.get("t") == "s" and styles.legacy_strings:
        value = next((child for child in cell if child.tag in VALUE), None)
        text = (value.text or "").strip() if value is not None else ""
        if text.isdigit() and int(text) in styles.legacy_strings:
            scan.legacy[where] = styles.legacy_strings[int(text)]


def scan_workbook(archive: zipfile.ZipFile) -> tuple[Styles, dict[str, str]]:
    """The workbook's styles and its sheets' parts; a broken package raises etree.XMLSyntaxError,
    KeyError or zipfile.BadZipFile (the caller says the file cannot be read)."""
    book = workbook_part(archive)
    return read_styles(archive, book), sheet_parts(archive)
