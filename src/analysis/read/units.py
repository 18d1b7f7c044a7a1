"""Match the unit names offices type to the reference list of wards and communes.

Tolerates NFC or NFD text, case, prefixes ("P.", "Phường", "X.", "Xã"), "Đắk"/"Đăk"/"Dak",
tone marks on a different vowel ("Hòa"/"Hoà"), extra spaces and the aliases in units.csv.
An unknown name gets the closest official name as a suggestion.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

_PREFIX = re.compile(r"^(thi tran|phuong|xa|tt|p|x)\s*\.?\s+|^(tt|p|x)\s*\.\s*")
_NOT_WORD = re.compile(r"[^a-z0-9 ]+")


def fold_text(text: str) -> str:
    """No diacritics, case or punctuation: "Đảng ủy xã Ia Chim" -> "dang uy xa ia chim"."""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace(".", ". ")
    return " ".join(_NOT_WORD.sub(" ", text).split())


def fold_key(name: str) -> str:
    """No diacritics, case, prefix or punctuation: "Xã Đăk Bla" -> "dak bla", "xã Hoà Bình" -> "hoa binh"."""
    text = unicodedata.normalize("NFD", str(name).replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace(".", ". ")
    text = _PREFIX.sub("", " ".join(text.split()))
    return " ".join(_NOT_WORD.sub(" ", text).split())


@dataclass(frozen=True)
class Match:
    code: str | None
    name: str | None  # the official full name ("Xã Đắk Blà")
    suggestion: str | None = None
    suggestion_code: str | None = None  # the closest unit's code, for an unknown name


class UnitMatcher:
    """Built once from the reference units (a frame with code, name, aliases, full_name)."""

    def __init__(self, units: pd.DataFrame):
        self._exact: dict[str, str] = {}
        self._names = dict(zip(units["code"].tolist(), units["full_name"].tolist()))
        self._spellings = [(code, spelling) for code, name, aliases in
                           zip(units["code"].tolist(), units["name"].tolist(), units["aliases"].tolist())
                           for spelling in (name, *aliases)]
        for code, spelling in self._spellings:
            self._exact[unicodedata.normalize("NFC", spelling).lower()] = code
        self._cache: dict[str, Match] = {}

    @cached_property
    def _folded(self) -> dict[str, str]:
        """Folded spellings (no diacritics, case or prefix) -> code, built on the first name that is
        not an exact spelling; a folded key shared by two units is ambiguous: only the exact spelling
        decides then."""
        folded: dict[str, set[str]] = {}
        for code, spelling in self._spellings:
            folded.setdefault(fold_key(spelling), set()).add(code)
        return {key: next(iter(codes)) for key, codes in folded.items() if len(codes) == 1}

    def match(self, raw: str) -> Match:
        if raw in self._cache:
            return self._cache[raw]
        result = self._match(raw)
        self._cache[raw] = result
        return result

    def _match(self, raw: str) -> Match:
        code = self._exact.get(_strip_prefix_exact(raw))
        if code:
            return Match(code, self._names[code])
        key = fold_key(raw)
        code = self._folded.get(key)
        if code:
            return Match(code, self._names[code])
        close = difflib.get_close_matches(key, list(self._folded), n=1, cutoff=0.6)
        if not close:
            return Match(None, None)
        code = self._folded[close[0]]
        return Match(None, None, self._names[code], code)

    def name_of(self, code: str) -> str:
        """The official full name of a unit of this list ("" for another code)."""
        return self._names.get(code, "")

    def find_in_text(self, text: str, *, prefix_required: bool = True) -> str | None:
        """The official name of the one unit named in a title or a file name ("ĐẢNG ỦY XÃ IA CHIM",
        "Đơn vị: Xã Ia Chim", "Bieu01_IaChim", "Bieu01 - Xa Ia Chim - 2023"), or None. In a title the
        name must follow "xã", "phường" or "đơn vị", so that an agency's name is not taken for a unit."""
        text = unicodedata.normalize("NFC", str(text))
        spaced = "".join(" " + ch if i and ch.isupper() and text[i - 1].islower() else ch for i, ch in enumerate(text))
        tokens = fold_text(re.sub(r"[_\-–.]+", " ", spaced)).split()
        found: dict[str, int] = {}
        for key, code in self._folded.items():
            words = key.split()
            for i in range(len(tokens) - len(words) + 1):
                if tokens[i:i + len(words)] != words:
                    continue
                before = tokens[max(0, i - 3):i]
                named = before[-1:] in (["xa"], ["phuong"]) or before[-2:] == ["don", "vi"] or \
                    (before[-1:] in (["p"], ["x"]) and before[-3:-1] == ["don", "vi"])  # "Đơn vị: P. Quang Trung"
                if prefix_required and not named:
                    continue
                found[code] = max(found.get(code, 0), len(words))
        if not found:
            return None
        longest = max(found.values())
        best = {code for code, size in found.items() if size == longest}
        return self._names[best.pop()] if len(best) == 1 else None


def _strip_prefix_exact(raw: str) -> str:
    text = " ".join(unicodedata.normalize("NFC", str(raw)).lower().replace(".", ". ").split())
    return re.sub(r"^(thị trấn|phường|xã|tt|p|x)\s*\.?\s+", "", text)
