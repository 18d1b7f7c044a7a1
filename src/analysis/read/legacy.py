"""Vietnamese typed in legacy 8-bit fonts (TCVN3/ABC, VNI) converted to Unicode.

Old office templates set cells in TCVN3 fonts (".VnTime", ".VnArial"; the "H" fonts such
as ".VnTimeH" draw every letter in upper case) or VNI fonts ("VNI-Times", "VNI-Helve").
Excel stores each byte the font draws as the Windows code page 1252 character for that
byte, so a cell reads "Thµnh phè" (TCVN3) or "Thaønh phoá" (VNI) for "Thành phố". Some
readers give the Latin-1 reading instead, where bytes 0x80-0x9F are the C1 controls
U+0080-U+009F; both readings are accepted here.

Pure functions, no I/O:

- `encoding_of_font`: the legacy encoding a font name implies (the reliable signal);
- `to_unicode`: the text in Unicode, NFC;
- `guess`: an encoding from the content alone (CSV), only when the conversion clearly wins.

Where the byte values come from (facts from published tables; no code was copied):

- the TCVN3 and VNI-WIN rows of the character table of UniKey's converter VnConv
  (`ukengine/data.cpp` of UniKey, as in the ibus-unikey repository), the converter
  Vietnamese offices use; every entry below was checked against it;
- the chart "Bảng đối chiếu encoding các bộ chữ hiện hành với Unicode" / "Unicode &
  Vietnamese Legacy Character Encodings" of the Vietnamese Unicode project
  (vietunicode.sourceforge.net/charset), whose TCVN3 and VNI columns agree for the rows
  read (a, ă, â, e, ê, i);
- for the TCVN3 layout (TCVN 5712:1993 VN3: 67 lower-case and 7 upper-case letters,
  nothing in the C0 and C1 ranges), the English Wikipedia article "VSCII".

Neither encoding puts a letter in 0x80-0x9F: those bytes stay Windows symbols ("–", "…").
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass
from typing import Literal

Encoding = Literal["tcvn3", "vni"]


@dataclass(frozen=True)
class Legacy:
    """A legacy encoding, and whether its font draws every letter in upper case (".VnTimeH")."""

    encoding: Encoding
    upper: bool = False

    @property
    def name(self) -> str:
        """How a message names it: "TCVN3", "VNI"."""
        return self.encoding.upper()


# --- TCVN3 (VN3): one byte per letter -------------------------------------------------
# Only lower-case letters carry tones; upper case with tones is drawn by the "H" fonts
# from the same bytes. Bytes 0xA1-0xA7 are the seven upper-case letters without tone.
_TCVN3_LETTERS: dict[str, int] = {
    "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7,
    "ă": 0xA8, "â": 0xA9, "ê": 0xAA, "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE,
    "à": 0xB5, "ả": 0xB6, "ã": 0xB7, "á": 0xB8, "ạ": 0xB9,
    "ằ": 0xBB, "ẳ": 0xBC, "ẵ": 0xBD, "ắ": 0xBE, "ặ": 0xC6,
    "ầ": 0xC7, "ẩ": 0xC8, "ẫ": 0xC9, "ấ": 0xCA, "ậ": 0xCB,
    "è": 0xCC, "ẻ": 0xCE, "ẽ": 0xCF, "é": 0xD0, "ẹ": 0xD1,
    "ề": 0xD2, "ể": 0xD3, "ễ": 0xD4, "ế": 0xD5, "ệ": 0xD6,
    "ì": 0xD7, "ỉ": 0xD8, "ĩ": 0xDC, "í": 0xDD, "ị": 0xDE,
    "ò": 0xDF, "ỏ": 0xE1, "õ": 0xE2, "ó": 0xE3, "ọ": 0xE4,
    "ồ": 0xE5, "ổ": 0xE6, "ỗ": 0xE7, "ố": 0xE8, "ộ": 0xE9,
    "ờ": 0xEA, "ở": 0xEB, "ỡ": 0xEC, "ớ": 0xED, "ợ": 0xEE,
    "ù": 0xEF, "ủ": 0xF1, "ũ": 0xF2, "ú": 0xF3, "ụ": 0xF4,
    "ừ": 0xF5, "ử": 0xF6, "ữ": 0xF7, "ứ": 0xF8, "ự": 0xF9,
    "ỳ": 0xFA, "ỷ": 0xFB, "ỹ": 0xFC, "ý": 0xFD, "ỵ": 0xFE,
}

# --- VNI-Windows: a base letter and a mark byte; the i-letters, đ, ơ, ư and ỵ are one byte
# Marks: tones F9 sắc, F8 huyền, FB hỏi, F5 ngã, EF nặng; E2 circumflex, with a tone
# E1 E0 E5 E3 E4; EA breve, with a tone E9 E8 FA FC EB; upper case is 0x20 lower.
_VNI_LETTERS: dict[str, bytes] = {
    "á": b"a\xf9", "à": b"a\xf8", "ả": b"a\xfb", "ã": b"a\xf5", "ạ": b"a\xef",
    "Á": b"A\xd9", "À": b"A\xd8", "Ả": b"A\xdb", "Ã": b"A\xd5", "Ạ": b"A\xcf",
    "ă": b"a\xea", "ắ": b"a\xe9", "ằ": b"a\xe8", "ẳ": b"a\xfa", "ẵ": b"a\xfc", "ặ": b"a\xeb",
    "Ă": b"A\xca", "Ắ": b"A\xc9", "Ằ": b"A\xc8", "Ẳ": b"A\xda", "Ẵ": b"A\xdc", "Ặ": b"A\xcb",
    "â": b"a\xe2", "ấ": b"a\xe1", "ầ": b"a\xe0", "ẩ": b"a\xe5", "ẫ": b"a\xe3", "ậ": b"a\xe4",
    "Â": b"A\xc2", "Ấ": b"A\xc1", "Ầ": b"A\xc0", "Ẩ": b"A\xc5", "Ẫ": b"A\xc3", "Ậ": b"A\xc4",
    "é": b"e\xf9", "è": b"e\xf8", "ẻ": b"e\xfb", "ẽ": b"e\xf5", "ẹ": b"e\xef",
    "É": b"E\xd9", "È": b"E\xd8", "Ẻ": b"E\xdb", "Ẽ": b"E\xd5", "Ẹ": b"E\xcf",
    "ê": b"e\xe2", "ế": b"e\xe1", "ề": b"e\xe0", "ể": b"e\xe5", "ễ": b"e\xe3", "ệ": b"e\xe4",
    "Ê": b"E\xc2", "Ế": b"E\xc1", "Ề": b"E\xc0", "Ể": b"E\xc5", "Ễ": b"E\xc3", "Ệ": b"E\xc4",
    "í": b"\xed", "ì": b"\xec", "ỉ": b"\xe6", "ĩ": b"\xf3", "ị": b"\xf2",
    "Í": b"\xcd", "Ì": b"\xcc", "Ỉ": b"\xc6", "Ĩ": b"\xd3", "Ị": b"\xd2",
    "ó": b"o\xf9", "ò": b"o\xf8", "ỏ": b"o\xfb", "õ": b"o\xf5", "ọ": b"o\xef",
    "Ó": b"O\xd9", "Ò": b"O\xd8", "Ỏ": b"O\xdb", "Õ": b"O\xd5", "Ọ": b"O\xcf",
    "ô": b"o\xe2", "ố": b"o\xe1", "ồ": b"o\xe0", "ổ": b"o\xe5", "ỗ": b"o\xe3", "ộ": b"o\xe4",
    "Ô": b"O\xc2", "Ố": b"O\xc1", "Ồ": b"O\xc0", "Ổ": b"O\xc5", "Ỗ": b"O\xc3", "Ộ": b"O\xc4",
    "ơ": b"\xf4", "ớ": b"\xf4\xf9", "ờ": b"\xf4\xf8", "ở": b"\xf4\xfb", "ỡ": b"\xf4\xf5", "ợ": b"\xf4\xef",
    "Ơ": b"\xd4", "Ớ": b"\xd4\xd9", "Ờ": b"\xd4\xd8", "Ở": b"\xd4\xdb", "Ỡ": b"\xd4\xd5", "Ợ": b"\xd4\xcf",
    "ú": b"u\xf9", "ù": b"u\xf8", "ủ": b"u\xfb", "ũ": b"u\xf5", "ụ": b"u\xef",
    "Ú": b"U\xd9", "Ù": b"U\xd8", "Ủ": b"U\xdb", "Ũ": b"U\xd5", "Ụ": b"U\xcf",
    "ư": b"\xf6", "ứ": b"\xf6\xf9", "ừ": b"\xf6\xf8", "ử": b"\xf6\xfb", "ữ": b"\xf6\xf5", "ự": b"\xf6\xef",
    "Ư": b"\xd6", "Ứ": b"\xd6\xd9", "Ừ": b"\xd6\xd8", "Ử": b"\xd6\xdb", "Ữ": b"\xd6\xd5", "Ự": b"\xd6\xcf",
    "ý": b"y\xf9", "ỳ": b"y\xf8", "ỷ": b"y\xfb", "ỹ": b"y\xf5", "ỵ": b"\xee",
    "Ý": b"Y\xd9", "Ỳ": b"Y\xd8", "Ỷ": b"Y\xdb", "Ỹ": b"Y\xd5", "Ỵ": b"\xce",
    "đ": b"\xf1", "Đ": b"\xd1",
}


def _vni_table() -> dict[bytes, str]:
    """Byte sequences to letters, with a mark of the other case accepted too ("Aù" is Á).

    Typing with Caps Lock or Shift gives an upper-case base with a lower-case mark and
    the reverse; the font draws the same letter, so the base letter decides the case.
    """
    table = {code: letter for letter, code in _VNI_LETTERS.items()}
    for code, letter in list(table.items()):
        if len(code) == 2:
            other_case = code[1] ^ 0x20
            table.setdefault(bytes((code[0], other_case)), letter)
    return table


_TCVN3_DECODE: dict[int, str] = {code: letter for letter, code in _TCVN3_LETTERS.items()}
_VNI_DECODE: dict[bytes, str] = _vni_table()

# Vietnamese letters outside Latin-1 (ă đ ĩ ũ ơ ư and U+1EA0-U+1EF9): no legacy byte reads
# as one. A text with one of them, or with a combining mark, was typed in Unicode,
# whatever its font says.
_BEYOND_LATIN1 = "\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9"
_UNICODE_ONLY = re.compile(f"[{_BEYOND_LATIN1}\u0300-\u036f]")


def _byte_of(char: str) -> int | None:
    """The byte a legacy font drew for `char`, or None when no byte reads as `char`.

    Up to U+00FF the code point is the byte (cp1252 and Latin-1 agree from 0xA0; below it
    the Latin-1 reading gives the C1 controls); above, the cp1252 reading ("€" is 0x80).
    """
    code = ord(char)
    if code <= 0xFF:
        return code
    try:
        return char.encode("cp1252")[0]
    except UnicodeEncodeError:
        return None


def _symbol(byte: int) -> str:
    """A byte that is no letter in the legacy encoding: the Windows (cp1252) character it stands for."""
    try:
        return bytes((byte,)).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def _decode_counting(text: str, encoding: Encoding) -> tuple[str, int]:
    """Letters of the legacy encoding replaced, other characters kept (C1 controls as their
    cp1252 symbol); and how many bytes from 0xA1 up formed no letter (a VNI mark with no
    vowel before it, a byte TCVN3 leaves empty): text in the encoding has none."""
    out: list[str] = []
    strays = 0
    codes = [_byte_of(char) for char in text]
    position = 0
    while position < len(text):
        code = codes[position]
        if code is None:
            out.append(text[position])
            position += 1
            continue
        if encoding == "vni":
            following = codes[position + 1] if position + 1 < len(text) else None
            if following is not None:
                pair = _VNI_DECODE.get(bytes((code, following)))
                if pair is not None:
                    out.append(pair)
                    position += 2
                    continue
            letter = _VNI_DECODE.get(bytes((code,)))
        else:
            letter = _TCVN3_DECODE.get(code)
        if letter is not None:
            out.append(letter)
        elif code < 0x80:
            out.append(text[position])
        else:
            strays += code >= 0xA1
            out.append(_symbol(code))
        position += 1
    return "".join(out), strays


def _decode(text: str, encoding: Encoding) -> str:
    """`text` with the letters of the legacy encoding replaced (not yet NFC)."""
    return _decode_counting(text, encoding)[0]


_TCVN3_FONT = re.compile(r"^\.vn[a-z]")
_VNI_FONT = re.compile(r"^vni[-_]?[a-z]")


def encoding_of_font(font_name: str | None) -> Legacy | None:
    """The legacy encoding of a font: ".VnTime" -> TCVN3, ".VnTimeH" -> TCVN3 upper case,
    "VNI-Times" -> VNI; None for a Unicode font or no font.

    Case and spaces do not matter (" .vntime h" is ".VnTimeH"). TCVN3 fonts are the ABC
    fonts whose names start with ".Vn"; the upper-case ones end in "H".
    """
    if not font_name:
        return None
    name = "".join(font_name.split()).lower()
    if _TCVN3_FONT.match(name):
        return Legacy("tcvn3", upper=name.endswith("h"))
    if _VNI_FONT.match(name):
        return Legacy("vni")
    return None


def to_unicode(text: str, legacy: Legacy) -> str:
    """`text` typed in the legacy font, in Unicode NFC ("Thµnh phè" -> "Thành phố").

    With an upper-case font (".VnTimeH") the result is in upper case. A text holding a
    letter only Unicode has (ư, đ, ắ …) or a combining tone mark was typed in Unicode in a
    cell that kept an old font: it is returned as it is, in NFC.
    """
    if _UNICODE_ONLY.search(text):
        return unicodedata.normalize("NFC", text)
    converted = unicodedata.normalize("NFC", _decode(text, legacy.encoding))
    return converted.upper() if legacy.upper else converted


# --- Content-only detection ------------------------------------------------------------

_ONSET = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|bl|br|dr|đr|gl|kl|kr|pl|[bcdđghklmnprstvx]"
_NUCLEUS_CLOSED = (
    "uyê|ươ|iê|yê|uô|oa|oă|oe|uâ|uê|uy|ưa|ua|ia|uơ|oo|ôô|"
    "a|ă|â|e|ê|i|o|ô|ơ|u|ư|y"
)
_NUCLEUS_OPEN = (
    "iêu|yêu|oai|oay|oeo|uây|uôi|uya|uyu|ươi|ươu|"
    "ai|ao|au|ay|âu|ây|eo|êu|iu|oi|ôi|ơi|ui|ưi|ưu"
)
_SYLLABLE = re.compile(
    rf"^(?:{_ONSET})?(?:(?:{_NUCLEUS_OPEN})|(?:{_NUCLEUS_CLOSED})(?P<coda>ch|ng|nh|[cmnptk])?)$"
)
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_STOP_TONES = {"\u0301", "\u0323"}
_VOWEL_BASES = {"a", "e", "i", "o", "u", "y"}
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_WORD_GAP = re.compile(r"[\s,;:|\"()\[\]{}]+")  # spaces and CSV separators
_EDGES = string.punctuation + string.digits + "“”‘’„‚–—…•\u00a0"
_ACRONYM = re.compile("[A-ZĐ]{2,}")
_STRONG = re.compile(f"[{_BEYOND_LATIN1}]")


def _is_syllable(word: str) -> bool:
    """A Vietnamese syllable shape: onset, vowel nucleus, coda, at most one tone
    (sắc or nặng only before c, ch, k, p, t)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones: list[str] = []
    base = ""
    for char in decomposed:
        if char in _TONES:
            if base not in _VOWEL_BASES:  # a tone on a consonant: "ñ" is no Vietnamese letter
                return False
            tones.append(char)
        elif not unicodedata.combining(char):
            base = char
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(char for char in decomposed if char not in _TONES))
    found = _SYLLABLE.match(bare)
    if found is None:
        return False
    if found.group("coda") in ("c", "ch", "k", "p", "t"):
        return bool(tones) and tones[0] in _STOP_TONES
    return True


def _reads_vietnamese(core: str) -> bool:
    """Every part of a word (split at "-", "'", "/"…) is a Vietnamese syllable: letters only,
    in lower case, capitalised or all upper case ("nghÌo" is not)."""
    parts = re.split(r"[-'’/.]", core)
    return all(
        part
        and _LETTER_RUN.fullmatch(part)
        and (part[1:] == part[1:].lower() or part == part.upper())
        and _is_syllable(part)
        for part in parts
    )


@dataclass(frozen=True)
class _Score:
    """Shares of the words with non-ASCII characters that read as Vietnamese after the
    conversion and before it; how many words the conversion changed into Vietnamese."""

    encoding: Encoding
    converted: float
    original: float
    valid: int

    @property
    def gain(self) -> float:
        """How much better the text reads converted (rounded, so 0.8 - 0.5 counts as 0.3)."""
        return round(self.converted - self.original, 9)


def _score(text: str, encoding: Encoding) -> _Score | None:
    """How the words with non-ASCII characters read as Vietnamese, after the conversion and before.

    Only words of two or more characters count, so a lone symbol ("½", "£5") is no evidence.
    A converted word with a byte that formed no letter is not Vietnamese. None when the
    conversion changes no word, or when the evidence is thin: a single distinct word that
    gains no letter only Unicode has (ắ, ư, ố …), like "µm" becoming "àm".
    """
    words = 0
    valid_before = 0
    valid_after = 0
    changed_valid = 0
    distinct: set[str] = set()
    strong = False
    for token in _WORD_GAP.split(text):
        core = token.strip(_EDGES)
        if len(core) < 2 or core.isascii():
            continue
        decoded, strays = _decode_counting(core, encoding)
        after = unicodedata.normalize("NFC", decoded)
        if not strays and _ACRONYM.fullmatch(after):
            continue  # "§BDTTS" is "ĐBDTTS": no syllable, but no evidence against either
        words += 1
        if _reads_vietnamese(core):
            valid_before += 1
        if strays or not _reads_vietnamese(after):
            continue
        valid_after += 1
        if after != core:
            changed_valid += 1
            distinct.add(after.lower())
            strong = strong or bool(_STRONG.search(after))
    if changed_valid == 0 or not (strong or len(distinct) >= 2):
        return None
    return _Score(encoding, valid_after / words, valid_before / words, changed_valid)


def guess(text: str) -> Legacy | None:
    """The legacy encoding of a text with no font (a CSV cell or file), or None.

    An encoding is returned only when the conversion clearly wins: the text has no
    character a legacy font cannot produce; at least 80% of its words with non-ASCII
    characters read as Vietnamese syllables after the conversion; that share beats the
    share before the conversion by 0.3 or more; and the evidence is more than one odd
    word. When both encodings qualify, the larger gain wins, then the one that changed
    more words into Vietnamese; a tie gives None.

    Unicode Vietnamese ("Hòa Bình", "Đắk"), NFD text and English or French words
    ("café") are left alone. So is a text whose only evidence is one short word ("X·",
    "Cã"): too little to tell. Upper case cannot be told from content: a ".VnTimeH" text
    comes back as lower-case TCVN3.
    """
    if text.isascii() or any(_byte_of(char) is None for char in text):
        return None
    scores = [score for encoding in ("tcvn3", "vni") if (score := _score(text, encoding)) is not None]
    winners = sorted(
        (s for s in scores if s.converted >= 0.8 and s.gain >= 0.3),
        key=lambda s: (s.gain, s.valid),
        reverse=True,
    )
    if not winners:
        return None
    if len(winners) > 1 and (winners[0].gain, winners[0].valid) == (winners[1].gain, winners[1].valid):
        return None
    return Legacy(winners[0].encoding)
