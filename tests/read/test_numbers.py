from hypothesis import given
from hypothesis import strategies as st

from analysis.read.numbers import parse_count, parse_percent, parse_year


def test_counts_typed_as_text():
    assert parse_count("12.291").value == 12291
    assert parse_count("12,291").value == 12291
    assert parse_count("1 234").value == 1234
    assert parse_count(" 551 ").value == 551
    assert parse_count("1.234.567").value == 1234567
    assert parse_count(12291.0).value == 12291


def test_missing_is_not_zero():
    for raw in (None, "", "  ", "-", "–"):
        assert parse_count(raw).value is None and parse_count(raw).error is None


def test_a_fraction_of_a_household_is_an_error():
    assert parse_count("1,3").error == "E-FRACTION"
    assert parse_count("12.5").error == "E-FRACTION"
    assert parse_count(12.5).error == "E-FRACTION"
    assert parse_count("12.29").error == "E-FRACTION"


def test_words_are_not_numbers():
    assert parse_count("khoảng 100").error == "E-NOT-NUMBER"
    assert parse_count("1.2.3").error == "E-NOT-NUMBER"
    assert parse_count(True).error == "E-NOT-NUMBER"


def test_negative_counts_parse_so_validation_can_name_them():
    assert parse_count("-5").value == -5


def test_percents_keep_the_digits_typed():
    assert parse_percent("98,8%") == parse_percent("98.8") == parse_percent(98.8)
    assert parse_percent("98,8").value == 98.8 and parse_percent("98,8").decimals == 1
    assert parse_percent(100).decimals == 0
    assert parse_percent("99,05").decimals == 2
    assert parse_percent("nhiều").error == "E-NOT-NUMBER"


def test_years():
    assert parse_year(2022).value == 2022
    assert parse_year("Năm 2022").value == 2022
    assert parse_year("hai nghìn").error == "E-NOT-NUMBER"


@given(st.integers(min_value=0, max_value=10**12))
def test_any_count_typed_with_thousands_dots_or_spaces_reads_back(value):
    dotted = f"{value:,}".replace(",", ".")
    spaced = f"{value:,}".replace(",", " ")
    assert parse_count(dotted).value == value
    assert parse_count(spaced).value == value
    assert parse_count(f"  {value}  ").value == value


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=9))
def test_a_decimal_mark_followed_by_other_than_three_digits_is_a_fraction(whole, tenths):
    assert parse_count(f"{whole},{tenths}").error == "E-FRACTION"
    assert parse_count(f"{whole}.{tenths}").error == "E-FRACTION"


@given(st.decimals(min_value=0, max_value=100, places=1, allow_nan=False))
def test_percents_round_trip_with_a_comma(value):
    parsed = parse_percent(f"{value}".replace(".", ","))
    assert abs(parsed.value - float(value)) < 1e-9
