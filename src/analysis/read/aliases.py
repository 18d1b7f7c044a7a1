"""The words of the forms: header aliases, totals, subtotals, group headings, notes, column numbers.

Everything here comes from data/reference/header_aliases.yaml (and the area's name), normalised
once: case, Unicode form, spacing, line breaks and bracketed notes do not matter. A text is
classified once and remembered, so that a sheet of 50.000 rows costs one look-up per row.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from analysis.reference import load_header_aliases
from analysis.vocabulary import AREA_IN_TEXT

_DATE_LINE = re.compile(r"ngày\s*\d{1,2}\s*tháng\s*\d{1,2}\s*năm\s*\d{4}", re.I)
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_COLUMN_NUMBER = re.compile(r"^\(?\s*(\d{1,2}|[A-Z]{1,2})\s*\)?(\s*=.*)?$")
_YEAR_LABEL = re.compile(r"^(?:số liệu\s+)?(?:năm\s*)?((?:19|20)\d{2})$")
# "I. KHỐI PHƯỜNG", "II. Khối xã", "2) Các xã" (a lone "X." is the prefix of a commune, not ten)
_GROUP_HEADING = re.compile(r"^(I{1,3}|IV|VI{0,3}|IX|XI{1,3}|\d{1,2})\s*[.)]\s*\S")
# A cell that holds a number typed as text ("12.291", " 551 ", "98,8%"), or a mark for a missing one ("-").
NUMBER_TEXT = re.compile(r"^[\s\u00a0\u2009\u202f]*-?[\d.,\s\u00a0\u2009\u202f]*\d[\d.,\s\u00a0\u2009\u202f]*%?"
                         r"[\s\u00a0\u2009\u202f]*$")
MISSING_TEXT = re.compile(r"^\s*[-–—xX]?\s*$")


def normalize_header(text) -> str:
    """Case, Unicode form, spacing, line breaks and bracketed notes do not matter."""
    text = unicodedata.normalize("NFC", str(text)).lower()
    text = _BRACKETS.sub(" ", text)
    text = text.replace("tỷ", "tỉ").replace("–", "-")
    return " ".join(text.split()).strip(" :*.")


def _starts_with(text: str, words: tuple[str, ...]) -> bool:
    return any(text == w or text.startswith((w + " ", w + ":", w + ",", w + "(")) for w in words)


def is_number(value) -> bool:
    """A figure: a number, or a number typed as text (not a mark for a missing value)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    return isinstance(value, str) and bool(NUMBER_TEXT.match(value))


def is_text(value) -> bool:
    """Words: a text that is neither a number nor a mark for a missing value."""
    return isinstance(value, str) and bool(value.strip()) and not NUMBER_TEXT.match(value) \
        and not MISSING_TEXT.match(value)


def year_label(text) -> int | None:
    """The year a header names ("Năm 2022", "2022", "Năm 2023 (đến 15/6/2023)"), or None."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return int(text) if float(text).is_integer() and 1900 < text < 2100 else None
    if not isinstance(text, str):
        return None
    match = _YEAR_LABEL.match(normalize_header(text))
    return int(match.group(1)) if match else None


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
        self._kinds: dict[str, str] = {}
        # the first words of every phrase above: a text starting otherwise is none of them (a model's name)
        self._first_words = {phrase.split()[0].strip(":,(") for phrase in (*self.totals, *self.subtotals, *self.footer)
                             if phrase.split()}

    def field(self, form: str, text) -> str | None:
        return self.fields[form].get(normalize_header(text)) if isinstance(text, str) and text.strip() else None

    def is_percent(self, text) -> bool:
        key = normalize_header(text)
        return key in self.percent or key.startswith(("tỉ lệ", "%"))

    def is_count(self, text) -> bool:
        return normalize_header(text) in self.count

    def is_ignored(self, text) -> bool:
        return normalize_header(text) in self.ignored

    def kind(self, text: str) -> str:
        """What a row's words make it: "subtotal", "total", "footer", "group" or "" (remembered)."""
        found = self._kinds.get(text)
        if found is None:
            found = self._kind(text)
            if len(self._kinds) < 200_000:
                self._kinds[text] = found
        return found

    def _plainly_none(self, text: str) -> bool:
        """A quick "none of them" for most texts (a unit's or a model's name), without normalising."""
        low = text.lower()
        if not low.isascii() and not unicodedata.is_normalized("NFC", low) or low.lstrip()[:1] in "([":
            return False
        words = low.split(maxsplit=1)
        return bool(words) and words[0].strip(":,.*") not in self._first_words and "ngày" not in low \
            and not any(g in low for g in self.groups) and not _GROUP_HEADING.match(text.strip())

    def _kind(self, text: str) -> str:
        if self._plainly_none(text):
            return ""
        key = normalize_header(text)
        if _starts_with(key, self.subtotals):
            return "subtotal"
        if _starts_with(key, self.totals):
            return "total"
        if _starts_with(key, self.footer) or _DATE_LINE.search(str(text)):
            return "footer"
        if _GROUP_HEADING.match(str(text).strip()) or any(g in key.split() for g in self.groups):
            return "group"
        return ""

    def is_total(self, text: str) -> bool:
        return self.kind(text) == "total"

    def is_subtotal(self, text: str) -> bool:
        return self.kind(text) == "subtotal"

    def is_group(self, text: str) -> bool:
        return self.kind(text) == "group"

    def is_footer(self, text: str) -> bool:
        """Notes and signatures: "Ghi chú: …", "Người lập biểu", "T/M BAN CHỈ ĐẠO", "<địa danh>, ngày 20
        tháng 12 năm 2022"."""
        return self.kind(text) == "footer"


@lru_cache(maxsize=1)
def default_aliases() -> Aliases:
    return Aliases(load_header_aliases())


def is_column_number(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return float(value).is_integer() and 1 <= value <= 99
    return isinstance(value, str) and bool(_COLUMN_NUMBER.match(value.strip()))


def _column_label(text: str) -> str:
    """"(3)" -> "3", "AB" -> "AB": the label of a cell already known to be a column number."""
    match = _COLUMN_NUMBER.match(text.strip())
    assert match is not None, text
    return match.group(1)


def _ordinal(value) -> int:
    if isinstance(value, (int, float)):
        return int(value)
    text = _column_label(value)
    if text.isdigit():
        return int(text)
    index = 0
    for letter in text:  # "A" 1 … "Z" 26, "AA" 27: the columns of a wide table
        index = index * 26 + ord(letter) - 64
    return index


def is_column_number_row(values: list) -> bool:
    """"(1) (2) (3)…", "1 2 3…", "A B C… Z AA AB…", "A B (1) (2)…" (even "(3)=(4)+(5)")."""
    present = []
    for v in values:
        if v in ("", None):
            continue
        if not is_column_number(v):
            return False  # most rows: a unit's name or a figure, found at once
        present.append(v)
    if len(present) < 2:
        return False
    # Letters for the text columns and numbers for the others ("A", "B", "(1)", "(2)"…): each run a
    # set of consecutive labels, none twice (a row of counts repeats values or skips numbers).
    kinds = [isinstance(v, str) and not _column_label(v).isdigit() for v in present]
    for letters in (True, False):
        ordinals = sorted(_ordinal(v) for v, k in zip(present, kinds) if k == letters)
        if ordinals and ordinals != list(range(ordinals[0], ordinals[0] + len(ordinals))):
            return False
    return True
