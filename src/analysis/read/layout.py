"""Sheets -> tables: where a form's header is, what each column holds, what each row is.

The header is found by matching known headers (data/reference/header_aliases.yaml), not by
position: 1 to 3 header rows with merged cells in both directions (a merged cell's text is the
text of the range's top-left cell), a field named by a group title over generic sub-headers
("Số hộ" | "Tỉ lệ (%)"), and a row of column numbers under it. Rows below are units, totals,
group subtotals ("Cộng khối phường"), group headings ("I. KHỐI PHƯỜNG") or notes, whichever
column holds the words. A table without a unit column (a file per unit) takes its unit from the
title rows or the file name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from analysis.read.files import Sheet
from analysis.reference import load_header_aliases
from analysis.vocabulary import AREA_IN_TEXT, FORM02_REQUIRED, PART_FIELDS, WHOLE_FIELD

HEADER_SCAN_ROWS = 40
MAX_HEADER_ROWS = 3
_DATE_LINE = re.compile(r"ngày\s*\d{1,2}\s*tháng\s*\d{1,2}\s*năm\s*\d{4}", re.I)
_NUMBER_TEXT = re.compile(r"^[\s\u00a0]*-?[\d.,\s\u00a0]*\d[\d.,\s\u00a0]*%?[\s\u00a0]*$|^[\s]*[-–—xX]?[\s]*$")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_YEAR = re.compile(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)")
_COLUMN_NUMBER = re.compile(r"^\(?\s*(\d{1,2}|[A-Z])\s*\)?(\s*=.*)?$")
# "I. KHỐI PHƯỜNG", "II. Khối xã", "2) Các xã" (a lone "X." is the prefix of a commune, not ten)
_GROUP_HEADING = re.compile(r"^(I{1,3}|IV|VI{0,3}|IX|XI{1,3}|\d{1,2})\s*[.)]\s*\S")


def normalize_header(text) -> str:
    """Case, Unicode form, spacing, line breaks and bracketed notes do not matter."""
    text = unicodedata.normalize("NFC", str(text)).lower()
    text = _BRACKETS.sub(" ", text)
    text = text.replace("tỷ", "tỉ").replace("–", "-")
    return " ".join(text.split()).strip(" :*.")


def _starts_with(text: str, words: tuple[str, ...]) -> bool:
    return any(text == w or text.startswith((w + " ", w + ":", w + ",", w + "(")) for w in words)


class Aliases:
    """Header, totals, subtotal and notes words of header_aliases.yaml, normalised once."""

    def __init__(self, raw: dict):
        self.fields = {form: {normalize_header(alias): name for name, aliases in raw[key].items() for alias in aliases}
                       for form, key in (("01", "form01"), ("02", "form02"))}
        self.canonical = {form: {name: aliases[0] for name, aliases in raw[key].items()}
                          for form, key in (("01", "form01"), ("02", "form02"))}
        self.ignored = {normalize_header(a) for a in raw["ignored"]}
        self.percent = {normalize_header(a) for a in raw["percent"]}
        self.count = {normalize_header(a) for a in raw["count"]}
        area_total = f"toàn {normalize_header(AREA_IN_TEXT)}"
        self.totals = tuple(dict.fromkeys((*(normalize_header(a) for a in raw["totals"]), area_total)))
        self.subtotals = tuple(normalize_header(a) for a in raw.get("subtotals", ()))
        self.groups = tuple(normalize_header(a) for a in raw.get("groups", ()))
        self.footer = tuple(normalize_header(a) for a in raw["footer"])

    def field(self, form: str, text) -> str | None:
        return self.fields[form].get(normalize_header(text)) if isinstance(text, str) and text.strip() else None

    def is_percent(self, text) -> bool:
        key = normalize_header(text)
        return key in self.percent or key.startswith(("tỉ lệ", "%"))

    def is_count(self, text) -> bool:
        return normalize_header(text) in self.count

    def is_total(self, text: str) -> bool:
        key = normalize_header(text)
        return _starts_with(key, self.totals) and not self.is_subtotal(text)

    def is_subtotal(self, text: str) -> bool:
        return _starts_with(normalize_header(text), self.subtotals)

    def is_group(self, text: str) -> bool:
        key = normalize_header(text)
        return bool(_GROUP_HEADING.match(str(text).strip())) or any(g in key.split() for g in self.groups)

    def is_footer(self, text: str) -> bool:
        """Notes and signatures: "Ghi chú: …", "Người lập biểu", "T/M BAN CHỈ ĐẠO", "<địa danh>, ngày 20 tháng 12 năm 2022"."""
        return _starts_with(normalize_header(text), self.footer) or bool(_DATE_LINE.search(str(text)))


@lru_cache(maxsize=1)
def default_aliases() -> Aliases:
    return Aliases(load_header_aliases())


def is_column_number(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return float(value).is_integer() and 1 <= value <= 99
    return isinstance(value, str) and bool(_COLUMN_NUMBER.match(value.strip()))


def _label(value: str) -> str:
    """The label of a column-number cell ("(3)" -> "3", "B" -> "B"); the cell is one (is_column_number)."""
    match = _COLUMN_NUMBER.match(value.strip())
    if match is None:
        raise ValueError(f"not a column number: {value!r}")
    return match.group(1)


def _ordinal(value) -> int:
    if isinstance(value, (int, float)):
        return int(value)
    text = _label(value)
    return int(text) if text.isdigit() else ord(text) - 64


def is_column_number_row(values: list) -> bool:
    """"(1) (2) (3)…", "1 2 3…", "A B C…", "A B (1) (2)…" (even "(3)=(4)+(5)")."""
    present = [v for v in values if v not in ("", None)]
    if len(present) < 2 or not all(is_column_number(v) for v in present):
        return False
    # Letters for the text columns and numbers for the others ("A", "B", "(1)", "(2)"…): each run a
    # set of consecutive labels, none twice (a row of counts repeats values or skips numbers).
    kinds = [isinstance(v, str) and not _label(v).isdigit() for v in present]
    for letters in (True, False):
        ordinals = sorted(_ordinal(v) for v, k in zip(present, kinds) if k == letters)
        if ordinals and ordinals != list(range(ordinals[0], ordinals[0] + len(ordinals))):
            return False
    return True


@dataclass
class Table:
    """Where a form's table sits in a sheet and what its columns hold."""

    sheet: Sheet
    form: str                               # "01" or "02"
    header_top: int                         # 1-based
    header_bottom: int                      # the last header row (column numbers included)
    columns: dict[str, int]                 # field -> column (1-based)
    percent_columns: dict[str, int]         # field -> column of its reported percent
    headers: dict[int, str]                 # column -> its header text, as typed (for messages)
    titles: list[tuple[int, int, str]] = field(default_factory=list)  # text cells above the header

    @property
    def headers_found(self) -> list[str]:
        return list(dict.fromkeys(self.headers.values()))


def _filled(sheet: Sheet, last_row: int, merges: list | None = None) -> list[list]:
    """The first rows with every merged cell holding its range's top-left value."""
    rows = [list(r) for r in sheet.rows[:last_row]]
    for r1, c1, r2, c2 in sheet.merges if merges is None else merges:
        if r1 > last_row:
            continue
        value = sheet.cell(r1, c1)
        for r in range(r1, min(r2, last_row) + 1):
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


def _is_subheader_row(values: list, form: str, aliases: Aliases) -> bool:
    """A row under the header's main row that still belongs to the header."""
    present = [v for v in values if v not in ("", None)]
    if not present:
        return False
    if is_column_number_row(values):
        return True
    return all(isinstance(v, str) and (aliases.is_percent(v) or aliases.is_count(v) or aliases.field(form, v)
                                       or normalize_header(v) in aliases.ignored) for v in present)


def _is_header_row(values: list, form: str, aliases: Aliases) -> bool:
    """A row above a header's main row that belongs to it (CSV, where merges are lost): two or more
    texts, one of them a known header word, and no figures."""
    texts = [t for _, t in _texts(values)]
    if len(texts) < 2 or any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values if v is not None):
        return False
    return any(aliases.field(form, t) or normalize_header(t) in aliases.ignored or aliases.is_count(t) for t in texts)


def _csv_merges(sheet: Sheet, main: int, form: str, aliases: Aliases) -> list[tuple[int, int, int, int]]:
    """The merges a CSV export lost, rebuilt from its blanks: a header text over blank cells below
    it spans down, a group title followed by blank cells over sub-headers spans right."""
    top, probe = main, main - 1
    while probe >= 1 and main - probe < MAX_HEADER_ROWS:
        values = sheet.rows[probe - 1]
        if all(v in ("", None) for v in values):
            probe -= 1  # a blank row inside the header
            continue
        if not _is_header_row(values, form, aliases):
            break
        top, probe = probe, probe - 1
    bottom, probe = main, main
    while probe < len(sheet.rows) and probe - top < MAX_HEADER_ROWS:
        values = sheet.rows[probe]
        if all(v in ("", None) for v in values):
            probe += 1  # a blank row inside the header
            continue
        if not _is_subheader_row(values, form, aliases) or is_column_number_row(values):
            break
        bottom = probe = probe + 1
    rows = [r for r in range(top, bottom + 1) if any(v not in ("", None) for v in sheet.rows[r - 1])]
    if len(rows) < 2:
        return []
    width = max(len(sheet.rows[r - 1]) for r in rows)
    merges = []
    for r, below in zip(rows, rows[1:]):
        c = 1
        while c <= width:
            if sheet.cell(r, c) is None:
                c += 1
                continue
            end = c
            while end + 1 <= width and sheet.cell(r, end + 1) is None and sheet.cell(below, end + 1) is not None:
                end += 1
            down = r
            if end == c:
                while down + 1 <= bottom and sheet.cell(down + 1, c) is None:
                    down += 1
            if end > c or down > r:
                merges.append((r, c, down, end))
            c = end + 1
    return merges


def find_table(sheet: Sheet, aliases: Aliases | None = None) -> Table | None:
    """The form table of a sheet, or None when the sheet holds neither form."""
    aliases = aliases or default_aliases()
    scan = min(len(sheet.rows), HEADER_SCAN_ROWS)
    found = _best_row(_filled(sheet, scan), aliases)
    if found is None:
        return None
    main, form = found
    merges = sheet.merges
    if sheet.is_csv:
        merges = _csv_merges(sheet, main, form, aliases)
        found = _best_row(_filled(sheet, scan, merges), aliases)
        main, form = found or (main, form)
    filled = _filled(sheet, scan + MAX_HEADER_ROWS + 1, merges)
    top = bottom = main
    changed = True
    while changed:  # a merge that crosses the block's edge belongs to the header
        changed = False
        for r1, _, r2, _ in merges:
            if r1 < top <= r2 and main - r1 < MAX_HEADER_ROWS:
                top, changed = r1, True
            if r1 <= bottom < r2 and r2 - main < MAX_HEADER_ROWS:
                bottom, changed = r2, True
    while bottom < len(sheet.rows) and bottom - top < MAX_HEADER_ROWS and \
            _is_subheader_row(sheet.rows[bottom], form, aliases):
        bottom += 1
    if bottom < len(sheet.rows) and is_column_number_row(sheet.rows[bottom]):
        bottom += 1
    width = max((len(r) for r in filled[top - 1:bottom]), default=0)
    columns: dict[str, int] = {}
    percents: dict[str, int] = {}
    headers: dict[int, str] = {}
    last_count: str | None = None
    for c in range(1, width + 1):
        path: list[str] = []
        for r in range(top, bottom + 1):
            value = filled[r - 1][c - 1] if c <= len(filled[r - 1]) else ""
            if isinstance(value, str) and value.strip() and not is_column_number(value):
                text = " ".join(value.split())
                if not path or normalize_header(path[-1]) != normalize_header(text):
                    path.append(text)
        if not path:
            continue
        headers[c] = " › ".join(path)
        hits = [(i, name) for i, text in enumerate(path) if (name := aliases.field(form, text))]
        if not hits:
            joined = aliases.field(form, " ".join(path))
            if joined:
                columns.setdefault(joined, c)
                last_count = joined
            elif aliases.is_percent(path[-1]) and last_count:
                percents.setdefault(last_count, c)  # a lone "Tỉ lệ (%)" column after a count column
            continue
        index, name = hits[-1]
        if any(aliases.is_percent(text) for text in path[index + 1:]):
            percents.setdefault(name, c)
        else:
            columns.setdefault(name, c)
            last_count = name
    titles = [(r, c, " ".join(v.split())) for r in range(1, top) for c, v in _texts(sheet.rows[r - 1])]
    return Table(sheet, form, top, bottom, columns, percents, headers, titles)


def required_fields(form: str, *, has_unit_elsewhere: bool) -> tuple[str, ...]:
    if form == "02":
        return FORM02_REQUIRED
    required = (WHOLE_FIELD, "poor", "near_poor")
    return required if has_unit_elsewhere else ("unit", *required)


# --- rows -----------------------------------------------------------------------------------------


@dataclass
class Row:
    row: int
    kind: str            # unit | total | subtotal (a "unit" row of form 02 is a model)
    group: int           # index of the group heading above it (0: none)
    label: str           # the words that made it a total or subtotal, or the group's heading


def table_rows(table: Table, aliases: Aliases | None = None) -> list[Row]:
    """The rows under the header, up to the notes; blank rows, column numbers and headings skipped."""
    aliases = aliases or default_aliases()
    sheet = table.sheet
    label_field = "model_name" if table.form == "02" else "unit"
    label_col = table.columns.get(label_field)
    data_cols = [c for f, c in {**table.columns, **table.percent_columns}.items()
                 if f not in (label_field, "unit", "notes", "year")]
    out: list[Row] = []
    group, group_label = 0, ""
    for r in range(table.header_bottom + 1, len(sheet.rows) + 1):
        values = sheet.rows[r - 1]
        texts = _texts(values)
        if not texts and all(v in ("", None) for v in values):
            continue
        if is_column_number_row(values):
            continue
        label_value = sheet.cell(r, label_col) if label_col else None
        label = label_value.strip() if isinstance(label_value, str) else ""
        words_in_row = [t.strip() for _, t in texts if not _NUMBER_TEXT.match(t)]  # text that is not a number
        first_text = words_in_row[0] if words_in_row else ""
        numbers = [c for c in data_cols if (v := sheet.cell(r, c)) is not None
                   and (not isinstance(v, str) or _NUMBER_TEXT.match(v))]
        has_data = bool(numbers)
        words = label or first_text
        only_text = len(words_in_row) == 1
        if words and aliases.is_footer(words) and (not has_data or only_text):
            break  # notes and signatures below the table, whichever column holds them
        if table.form == "02":
            if only_text and (aliases.is_total(first_text) or aliases.is_subtotal(first_text)):
                out.append(Row(r, "total", group, first_text))
                continue
            if only_text and aliases.is_footer(first_text):
                break
            if not label and not has_data and not any(sheet.cell(r, c) for c in table.columns.values()):
                continue
            out.append(Row(r, "unit", group, ""))
            continue
        candidates = [label] if label else words_in_row
        if candidates and aliases.is_subtotal(candidates[0]):
            out.append(Row(r, "subtotal", group, candidates[0]))
            continue
        if candidates and aliases.is_total(candidates[0]):
            out.append(Row(r, "total", group, candidates[0]))
            continue
        if not has_data and words and aliases.is_group(words):
            group, group_label = group + 1, words
            continue
        if not has_data and not label and label_col is not None:
            continue  # text with no unit and no figures: a stray note inside the table
        out.append(Row(r, "unit", group, group_label))
    return out


def year_in(text: str) -> int | None:
    match = _YEAR.search(text)
    return int(match.group(0)) if match else None
