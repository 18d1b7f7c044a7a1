"""SpreadsheetML (xlsx) read with a namespace-aware XML parser: what the value engine does not say.

The values come from python-calamine; this module reads, from the package's XML parts, what a
form's reader needs besides: each sheet's XML part, its extent (the last row and column holding
a cell, before the engine allocates the sheet's range), the cells shown as a percent (0.988 under
"0.0%"), the cells typed in a legacy Vietnamese font (TCVN3, VNI), and the formula cells without
a stored value. Elements are matched by namespace and local name, whatever prefix a writer
chose (`<c>` or `<x:c>`), in transitional and strict OOXML alike, with lxml; a sheet, the one
large part, is streamed a row at a time and what has been read is released. The parser resolves
no entity, loads no DTD and opens no network resource: a form is untrusted input.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import methodcaller
from typing import IO

from lxml import etree

from analysis.read import legacy
from analysis.read.legacy import Legacy
from analysis.read.sheet import SheetScan, percent_decimals

# SpreadsheetML and relationship namespaces: transitional (ECMA-376) and strict (ISO 29500).
MAIN = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main")
RELATIONSHIPS = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                 "http://purl.oclc.org/ooxml/officeDocument/relationships")
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
                   "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument")
BUILTIN_PERCENT = {9: 0, 10: 2}  # numFmtId 9 "0%", 10 "0.00%"


def _tags(name: str) -> tuple[str, ...]:
    return tuple(f"{{{ns}}}{name}" for ns in MAIN)


ROW, CELL, FORMULA, VALUE = _tags("row"), _tags("c"), _tags("f"), _tags("v")
TEXT, RUN = _tags("t"), _tags("r")




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


def sheet_list(archive: zipfile.ZipFile) -> list[tuple[str, str, bool]]:
    """The sheets in the workbook's order: (name, XML part, hidden)."""
    book = workbook_part(archive)
    relations = _relationships(archive, book)
    found = []
    for sheets in _children(_parse(archive, book), "sheets"):
        for sheet in _children(sheets, "sheet"):
            rid = next((sheet.get(f"{{{ns}}}id") for ns in RELATIONSHIPS if sheet.get(f"{{{ns}}}id")), "")
            if rid in relations:
                found.append((sheet.get("name", ""), relations[rid][1], sheet.get("state", "visible") != "visible"))
    return found


# --- styles: which cell formats are percents, which fonts are legacy -------------------------------


@dataclass
class Styles:
    percent: dict[int, int] = field(default_factory=dict)             # cell format index -> decimals
    legacy: dict[int, Legacy] = field(default_factory=dict)    # cell format index -> encoding
    legacy_strings: dict[int, Legacy] = field(default_factory=dict)  # shared string -> encoding

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
                encoding = fonts[font] if font < len(fonts) else None
                if encoding is not None:
                    styles.legacy[index] = encoding
    return styles


def _font_encoding(font) -> legacy.Legacy | None:
    name = _child(font, "name")
    return legacy.encoding_of_font(name.get("val")) if name is not None else None


def shared_strings(archive: zipfile.ZipFile, book: str, styles: Styles | None = None) -> list[str]:
    """The workbook's shared strings, by index (rich text runs joined, phonetic runs left out);
    the ones set in a legacy font (a run's rFont) noted in `styles.legacy_strings`."""
    parts = {kind.rsplit("/", 1)[-1]: target for kind, target in _relationships(archive, book).values()}
    if parts.get("sharedStrings") not in set(archive.namelist()):
        return []
    texts: list[str] = []
    with archive.open(parts["sharedStrings"]) as stream:
        for _, item in iterate(stream, _tags("si")):
            if styles is not None:
                for run_font in item.iter(*_tags("rFont")):
                    encoding = legacy.encoding_of_font(run_font.get("val"))
                    if encoding is not None:
                        styles.legacy_strings[len(texts)] = encoding
                        break
            texts.append(text_of(item))
            release(item)
    return texts


def text_of(element) -> str:
    """The text of a string item (<si>, <is>): its <t>, or its runs' <t>, without phonetic runs (<rPh>)."""
    parts = []
    for child in element:
        if child.tag in TEXT:
            parts.append(child.text or "")
        elif child.tag in RUN:
            parts += [t.text or "" for t in child if t.tag in TEXT]
    return "".join(parts)


# --- reading a sheet: what the value engine does not say --------------------------------------------


def iterate(stream: IO[bytes], tags: tuple[str, ...]):
    """Elements of these tags as each ends, from a part streamed with lxml (no entity, no DTD, no network)."""
    return etree.iterparse(stream, events=("end",), tag=tags, resolve_entities=False, no_network=True,
                           load_dtd=False, huge_tree=False)


def release(element) -> None:
    """Free what has been read: the element's content and the siblings before it."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        del parent[0]


_DIGITS = "0123456789"
LETTERS = methodcaller("rstrip", _DIGITS)  # "AB12" -> "AB"


class Columns(dict):
    """Column letters -> index, remembered (a sheet uses the same few letters on every row)."""

    def __missing__(self, letters: str) -> int:
        self[letters] = index = column_index(letters) if letters.isalpha() and letters.isascii() else 0
        return index


def styled(scan: SheetScan, cell, where: tuple[int, int], styles: Styles) -> None:
    """Note a cell shown as a percent, or typed in a legacy font (by its format or its shared string's runs)."""
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
