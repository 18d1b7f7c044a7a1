import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.reference import load_units
from analysis.read.units import UnitMatcher, fold_key

UNITS = load_units()
MATCHER = UnitMatcher(UNITS)


@pytest.mark.parametrize(
    "typed, code",
    [
        ("P. Quang Trung", "23281"),
        ("P.Quyết Thắng", "23287"),
        ("Phường Duy Tân", "23284"),
        ("THẮNG LỢI", "23293"),
        ("P. Thống  Nhất", "23299"),
        (unicodedata.normalize("NFD", "Nguyễn Trãi"), "23305"),
        ("Xã Đăk Bla", "23323"),
        ("Dak Bla", "23323"),
        ("X. Ngọc Bay", "23317"),
        ("xã Hoà Bình", "23338"),
        ("Xã Hòa Bình", "23338"),
        ("  Ia   Chim ", "23326"),
        ("Đắk Năng", "23327"),
    ],
)
def test_spellings_offices_use_match_the_official_unit(typed, code):
    assert MATCHER.match(typed).code == code


def test_an_unknown_name_suggests_the_closest_official_name():
    match = MATCHER.match("Phường Quang Trungg")
    assert match.code is None
    assert match.suggestion == "Phường Quang Trung"


def test_fold_key_drops_prefix_marks_and_case():
    assert fold_key("Xã Đắk Rơ Wa") == "dak ro wa"
    assert fold_key("P.Lê Lợi") == "le loi"


@given(
    st.sampled_from(list(UNITS.itertuples(index=False))),
    st.sampled_from(["", "Xã ", "Phường ", "P. ", "X. ", "xã ", "PHƯỜNG "]),
    st.sampled_from(["NFC", "NFD"]),
    st.booleans(),
    st.integers(min_value=0, max_value=3),
)
def test_any_official_name_in_any_form_matches(unit, prefix, form, upper, spaces):
    typed = unicodedata.normalize(form, prefix + unit.name)
    typed = (typed.upper() if upper else typed).replace(" ", " " * (spaces + 1)) + " " * spaces
    assert MATCHER.match(typed).code == unit.code
