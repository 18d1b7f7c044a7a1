"""Legacy Vietnamese encodings (TCVN3/ABC, VNI) to Unicode.

The letter-by-letter tests build both sides without the module's tables:

- the legacy side from the published tables, transcribed here in another shape than the
  module's (one row of bytes per vowel for TCVN3; mark bytes per tone for VNI): the TCVN3
  and VNI-WIN rows of UniKey's VnConv character table (ukengine/data.cpp), checked with
  the chart "Unicode & Vietnamese Legacy Character Encodings" of the Vietnamese Unicode
  project (vietunicode.sourceforge.net/charset) and the English Wikipedia article "VSCII";
- the Unicode side from a base letter and combining marks, composed by unicodedata (NFC).
"""

from __future__ import annotations

import unicodedata

import pytest

from analysis.read.legacy import Legacy, encoding_of_font, guess, to_unicode

TCVN3 = Legacy("tcvn3")
TCVN3_UPPER = Legacy("tcvn3", upper=True)
VNI = Legacy("vni")

# Tones in the order of the charts: none, sắc, huyền, hỏi, ngã, nặng.
TONES = ("none", "sac", "huyen", "hoi", "nga", "nang")
TONE_MARK = {"none": "", "sac": "\u0301", "huyen": "\u0300", "hoi": "\u0309", "nga": "\u0303", "nang": "\u0323"}

# Each vowel as an ASCII base and its combining modifier (breve, circumflex, horn).
VOWELS = {
    "a": ("a", ""),
    "ă": ("a", "\u0306"),
    "â": ("a", "\u0302"),
    "e": ("e", ""),
    "ê": ("e", "\u0302"),
    "i": ("i", ""),
    "o": ("o", ""),
    "ô": ("o", "\u0302"),
    "ơ": ("o", "\u031b"),
    "u": ("u", ""),
    "ư": ("u", "\u031b"),
    "y": ("y", ""),
}


def unicode_letter(vowel: str, tone: str, upper: bool) -> str:
    """The Unicode letter composed from base + modifier + tone mark, NFC."""
    base, modifier = VOWELS[vowel]
    return unicodedata.normalize("NFC", (base.upper() if upper else base) + modifier + TONE_MARK[tone])


D_SMALL = unicodedata.lookup("LATIN SMALL LETTER D WITH STROKE")
D_CAPITAL = unicodedata.lookup("LATIN CAPITAL LETTER D WITH STROKE")


def test_the_expected_letters_are_the_ones_unicode_names():
    assert unicode_letter("ư", "sac", False) == unicodedata.lookup("LATIN SMALL LETTER U WITH HORN AND ACUTE")
    assert unicode_letter("ă", "hoi", True) == unicodedata.lookup("LATIN CAPITAL LETTER A WITH BREVE AND HOOK ABOVE")
    assert unicode_letter("ê", "nang", False) == unicodedata.lookup("LATIN SMALL LETTER E WITH CIRCUMFLEX AND DOT BELOW")
    assert unicode_letter("y", "nga", True) == unicodedata.lookup("LATIN CAPITAL LETTER Y WITH TILDE")
    assert all(len(unicode_letter(v, t, u)) == 1 for v in VOWELS for t in TONES for u in (False, True))


# --- TCVN3 reference: one row per vowel, bytes for none, sắc, huyền, hỏi, ngã, nặng ---
TCVN3_ROWS = {
    "a": (0x61, 0xB8, 0xB5, 0xB6, 0xB7, 0xB9),
    "ă": (0xA8, 0xBE, 0xBB, 0xBC, 0xBD, 0xC6),
    "â": (0xA9, 0xCA, 0xC7, 0xC8, 0xC9, 0xCB),
    "e": (0x65, 0xD0, 0xCC, 0xCE, 0xCF, 0xD1),
    "ê": (0xAA, 0xD5, 0xD2, 0xD3, 0xD4, 0xD6),
    "i": (0x69, 0xDD, 0xD7, 0xD8, 0xDC, 0xDE),
    "o": (0x6F, 0xE3, 0xDF, 0xE1, 0xE2, 0xE4),
    "ô": (0xAB, 0xE8, 0xE5, 0xE6, 0xE7, 0xE9),
    "ơ": (0xAC, 0xED, 0xEA, 0xEB, 0xEC, 0xEE),
    "u": (0x75, 0xF3, 0xEF, 0xF1, 0xF2, 0xF4),
    "ư": (0xAD, 0xF8, 0xF5, 0xF6, 0xF7, 0xF9),
    "y": (0x79, 0xFD, 0xFA, 0xFB, 0xFC, 0xFE),
}
# Upper case without tone in the normal fonts: Ă Â Ê Ô Ơ Ư Đ.
TCVN3_CAPITALS = {"ă": 0xA1, "â": 0xA2, "ê": 0xA3, "ô": 0xA4, "ơ": 0xA5, "ư": 0xA6}
TCVN3_D_SMALL, TCVN3_D_CAPITAL = 0xAE, 0xA7

EVERY_VOWEL_AND_TONE = [(v, t) for v in VOWELS for t in TONES]
# Test ids in VIQR style, so they stay readable in ASCII: "a(" is ă, "o+" is ơ.
VIQR = {"ă": "a(", "â": "a^", "ê": "e^", "ô": "o^", "ơ": "o+", "ư": "u+"}
IDS = [f"{VIQR.get(v, v)}-{t}" for v, t in EVERY_VOWEL_AND_TONE]


def test_tcvn3_reference_has_the_letters_the_standard_counts():
    # VSCII-3 adds 67 lower-case letters and 7 upper-case ones to ASCII, each on its own byte.
    lower = {code for row in TCVN3_ROWS.values() for code in row if code >= 0x80} | {TCVN3_D_SMALL}
    upper = set(TCVN3_CAPITALS.values()) | {TCVN3_D_CAPITAL}
    assert (len(lower), len(upper), lower & upper) == (67, 7, set())


@pytest.mark.parametrize(("vowel", "tone"), EVERY_VOWEL_AND_TONE, ids=IDS)
def test_tcvn3_every_letter_in_lower_case(vowel, tone):
    cell = bytes([TCVN3_ROWS[vowel][TONES.index(tone)]]).decode("cp1252")
    assert to_unicode(cell, TCVN3) == unicode_letter(vowel, tone, upper=False)


@pytest.mark.parametrize(("vowel", "tone"), EVERY_VOWEL_AND_TONE, ids=IDS)
def test_tcvn3_every_letter_in_upper_case_through_an_h_font(vowel, tone):
    cell = bytes([TCVN3_ROWS[vowel][TONES.index(tone)]]).decode("cp1252")
    assert to_unicode(cell, TCVN3_UPPER) == unicode_letter(vowel, tone, upper=True)


@pytest.mark.parametrize("vowel", sorted(TCVN3_CAPITALS), ids=[VIQR[v] for v in sorted(TCVN3_CAPITALS)])
def test_tcvn3_capitals_without_tone_in_a_normal_font(vowel):
    cell = bytes([TCVN3_CAPITALS[vowel]]).decode("cp1252")
    assert to_unicode(cell, TCVN3) == unicode_letter(vowel, "none", upper=True)


def test_tcvn3_d_with_stroke_in_both_cases():
    assert to_unicode(bytes([TCVN3_D_SMALL]).decode("cp1252"), TCVN3) == D_SMALL
    assert to_unicode(bytes([TCVN3_D_CAPITAL]).decode("cp1252"), TCVN3) == D_CAPITAL
    assert to_unicode(bytes([TCVN3_D_SMALL]).decode("cp1252"), TCVN3_UPPER) == D_CAPITAL


def test_tcvn3_u_with_horn_is_the_soft_hyphen():
    assert to_unicode("ph\u00adêng", TCVN3) == "phường"


# --- VNI reference: mark bytes per tone (none, sắc, huyền, hỏi, ngã, nặng), per case -----
VNI_TONE = {
    False: (b"", b"\xf9", b"\xf8", b"\xfb", b"\xf5", b"\xef"),
    True: (b"", b"\xd9", b"\xd8", b"\xdb", b"\xd5", b"\xcf"),
}
VNI_CIRCUMFLEX = {  # â ê ô: the circumflex and the tone in one mark byte
    False: (b"\xe2", b"\xe1", b"\xe0", b"\xe5", b"\xe3", b"\xe4"),
    True: (b"\xc2", b"\xc1", b"\xc0", b"\xc5", b"\xc3", b"\xc4"),
}
VNI_BREVE = {  # ă: the breve and the tone in one mark byte
    False: (b"\xea", b"\xe9", b"\xe8", b"\xfa", b"\xfc", b"\xeb"),
    True: (b"\xca", b"\xc9", b"\xc8", b"\xda", b"\xdc", b"\xcb"),
}
VNI_I = {  # i with a tone is a single byte
    False: (b"i", b"\xed", b"\xec", b"\xe6", b"\xf3", b"\xf2"),
    True: (b"I", b"\xcd", b"\xcc", b"\xc6", b"\xd3", b"\xd2"),
}
VNI_HORN = {"ơ": {False: b"\xf4", True: b"\xd4"}, "ư": {False: b"\xf6", True: b"\xd6"}}
VNI_Y_NANG = {False: b"\xee", True: b"\xce"}
VNI_D = {False: b"\xf1", True: b"\xd1"}


def vni_bytes(vowel: str, tone: str, upper: bool) -> bytes:
    """The VNI bytes of a letter, from the reference rows above."""
    index = TONES.index(tone)
    base = VOWELS[vowel][0].upper().encode() if upper else VOWELS[vowel][0].encode()
    if vowel == "i":
        return VNI_I[upper][index]
    if vowel == "y" and tone == "nang":
        return VNI_Y_NANG[upper]
    if vowel in VNI_HORN:
        return VNI_HORN[vowel][upper] + VNI_TONE[upper][index]
    if vowel == "ă":
        return base + VNI_BREVE[upper][index]
    if vowel in ("â", "ê", "ô"):
        return base + VNI_CIRCUMFLEX[upper][index]
    return base + VNI_TONE[upper][index]


@pytest.mark.parametrize("upper", [False, True], ids=["lower", "upper"])
@pytest.mark.parametrize(("vowel", "tone"), EVERY_VOWEL_AND_TONE, ids=IDS)
def test_vni_every_letter_in_both_cases(vowel, tone, upper):
    cell = vni_bytes(vowel, tone, upper).decode("cp1252")
    assert to_unicode(cell, VNI) == unicode_letter(vowel, tone, upper)


def test_no_letter_lives_where_cp1252_and_latin1_differ():
    # Both encodings keep bytes 0x80-0x9F for Windows symbols, so a cell's cp1252 and
    # Latin-1 readings differ only in symbols (see test_windows_symbols_stay_symbols...).
    tcvn3 = {code for row in TCVN3_ROWS.values() for code in row} | set(TCVN3_CAPITALS.values())
    vni = {byte for v, t in EVERY_VOWEL_AND_TONE for upper in (False, True) for byte in vni_bytes(v, t, upper)}
    assert not {code for code in tcvn3 | vni if 0x80 <= code <= 0x9F}


@pytest.mark.parametrize("upper", [False, True], ids=["lower", "upper"])
def test_vni_d_with_stroke(upper):
    assert to_unicode(VNI_D[upper].decode("cp1252"), VNI) == (D_CAPITAL if upper else D_SMALL)


@pytest.mark.parametrize("upper", [False, True], ids=["lower", "upper"])
def test_vni_every_letter_inside_a_word(upper):
    # "t" + letter + "n": the marks must stay with their own vowel.
    cells = [b"t" + vni_bytes(v, t, upper) + b"n" for v, t in EVERY_VOWEL_AND_TONE]
    expected = ["t" + unicode_letter(v, t, upper) + "n" for v, t in EVERY_VOWEL_AND_TONE]
    assert to_unicode(b" ".join(cells).decode("cp1252"), VNI) == " ".join(expected)


# --- Hand-written spot checks ------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Thµnh phè Kon Tum", "Thành phố Kon Tum"),
        ("§¾k Bl«", "Đắk Blô"),
        ("X· §¾k Blµ", "Xã Đắk Blà"),
        ("Ph\u00adêng Quang Trung", "Phường Quang Trung"),
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
        ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
        ("Tæng sè hé §BDTTS", "Tổng số hộ ĐBDTTS"),
        ("Sè hé nghÌo: 1.298", "Số hộ nghèo: 1.298"),
    ],
)
def test_tcvn3_cells(cell, expected):
    assert to_unicode(cell, TCVN3) == expected


def test_tcvn3_h_font_cells_are_upper_case():
    assert to_unicode("uû ban nh©n d©n x· §¾k CÊm", TCVN3_UPPER) == "UỶ BAN NHÂN DÂN XÃ ĐẮK CẤM"
    assert to_unicode("B¸o c¸o", TCVN3_UPPER) == "BÁO CÁO"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Thaønh phoá Kon Tum", "Thành phố Kon Tum"),
        ("Ñaék Bla", "Đắk Bla"),
        ("Xaõ Ñaék Blaø", "Xã Đắk Blà"),
        ("Phöôøng Quang Trung", "Phường Quang Trung"),
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
        ("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
        ("Uyû ban nhaân daân", "Uỷ ban nhân dân"),
        ("Tyû leä (%)", "Tỷ lệ (%)"),
    ],
)
def test_vni_cells(cell, expected):
    assert to_unicode(cell, VNI) == expected


def test_vni_mark_of_the_other_case_follows_the_base_letter():
    assert to_unicode("Aù", VNI) == "Á"
    assert to_unicode("aÙ", VNI) == "á"
    assert to_unicode("ÑAÉK", VNI) == "ĐẮK"


@pytest.mark.parametrize("legacy", [TCVN3, VNI], ids=["tcvn3", "vni"])
def test_windows_symbols_stay_symbols_in_both_readings(legacy):
    # Bytes 0x96 and 0x85 are no letters: "–" and "…" in cp1252, C1 controls in Latin-1.
    assert to_unicode("2022 – 2023…", legacy) == "2022 – 2023…"
    assert to_unicode("2022 \x96 2023\x85", legacy) == "2022 – 2023…"


@pytest.mark.parametrize("legacy", [TCVN3, VNI, TCVN3_UPPER], ids=["tcvn3", "vni", "tcvn3-h"])
def test_results_are_nfc(legacy):
    result = to_unicode("Thµnh phè Thaønh phoá", legacy)
    assert unicodedata.is_normalized("NFC", result)


def test_ascii_is_kept():
    assert to_unicode("Kon Tum 2023, Ia Chim", TCVN3) == "Kon Tum 2023, Ia Chim"
    assert to_unicode("Kon Tum 2023, Ia Chim", VNI) == "Kon Tum 2023, Ia Chim"


@pytest.mark.parametrize("legacy", [TCVN3, TCVN3_UPPER, VNI], ids=["tcvn3", "tcvn3-h", "vni"])
def test_unicode_typed_into_an_old_font_cell_is_kept(legacy):
    assert to_unicode("Xã Đắk Blà", legacy) == "Xã Đắk Blà"
    assert to_unicode("Phường Quang Trung", legacy) == "Phường Quang Trung"
    assert to_unicode(unicodedata.normalize("NFD", "Hòa Bình"), legacy) == "Hòa Bình"


# --- Fonts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("font", "expected"),
    [
        (".VnTime", Legacy("tcvn3", upper=False)),
        (".VnTimeH", Legacy("tcvn3", upper=True)),
        (".VnArial", Legacy("tcvn3", upper=False)),
        (".VnArialH", Legacy("tcvn3", upper=True)),
        (".VnArial NarrowH", Legacy("tcvn3", upper=True)),
        (".VnCentury Schoolbook", Legacy("tcvn3", upper=False)),
        (".VnCentury SchoolbookH", Legacy("tcvn3", upper=True)),
        (" .vntime ", Legacy("tcvn3", upper=False)),
        (".VNTIMEH", Legacy("tcvn3", upper=True)),
        (".Vn Time H", Legacy("tcvn3", upper=True)),
        ("VNI-Times", Legacy("vni")),
        ("VNI-Helve", Legacy("vni")),
        ("vni-times", Legacy("vni")),
        ("VNI Times", Legacy("vni")),
        (" VNI-Helve-Condense ", Legacy("vni")),
    ],
)
def test_legacy_fonts(font, expected):
    assert encoding_of_font(font) == expected


@pytest.mark.parametrize("font", [None, "", "Times New Roman", "Arial", "Calibri", "Verdana", "Vni", "Tahoma"])
def test_unicode_fonts_and_no_font(font):
    assert encoding_of_font(font) is None


# --- Content-only detection ----------------------------------------------------------------

NOT_LEGACY = [
    "Xã Đắk Blà",
    "Nguyễn Trãi",
    "Hòa Bình",
    "Hoà Bình",
    "Xã Hòa Bình",
    "Ia Chim",
    "Tân Phú",
    "Phú Yên",
    "Hà Nội",
    "Cà Mau",
    "Gò Vấp",
    "Nhà Bè",
    "Thành phố Kon Tum",
    "Phường Quang Trung",
    "Tổng số hộ ĐBDTTS",
    unicodedata.normalize("NFD", "Xã Đắk Blà"),
    unicodedata.normalize("NFD", "Hòa Bình"),
    "Hòa Bình, Tân Phú, Phú Yên, Cà Mau, Nhà Bè, Tây Ninh, Bà Rịa",
    "café",
    "Résumé",
    "naïve",
    "São Tomé",
    "Crème brûlée à la carte",
    "Müller, Zürich",
    "España",
    "Café au lait, résumé, naïve, déjà vu",
    "5 µm to 10 µm",
    "½ ha",
    "Price: £5",
    "Acme® Ltd™ © 2024",
    "“quoted” – text…",
    "Kon Tum 2023",
    "12.291",
    "98,8%",
    "",
]


@pytest.mark.parametrize("text", NOT_LEGACY)
def test_guess_leaves_unicode_and_other_languages_alone(text):
    assert guess(text) is None


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        ("Thµnh phè Kon Tum", "tcvn3", "Thành phố Kon Tum"),
        ("X· §¾k Blµ", "tcvn3", "Xã Đắk Blà"),
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "tcvn3", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
        ("Tæng sè hé §BDTTS", "tcvn3", "Tổng số hộ ĐBDTTS"),
        ("1,X· §¾k CÊm,1.298\n2,Ph\u00adêng Quang Trung,551", "tcvn3", "1,Xã Đắk Cấm,1.298\n2,Phường Quang Trung,551"),
        ("Thaønh phoá Kon Tum", "vni", "Thành phố Kon Tum"),
        ("Xaõ Ñaék Blaø", "vni", "Xã Đắk Blà"),
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
        ("1;Soá hoä ngheøo;12", "vni", "1;Số hộ nghèo;12"),
    ],
)
def test_guess_finds_legacy_text(text, encoding, expected):
    found = guess(text)
    assert found == Legacy(encoding)
    assert to_unicode(text, found) == expected


@pytest.mark.parametrize("text", ["X·", "Cã", "Kh«ng"])
def test_guess_does_not_decide_on_one_short_word(text):
    assert guess(text) is None
