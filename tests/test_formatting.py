import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.formatting import (
    MISSING,
    fmt_cell,
    fmt_date,
    fmt_int,
    fmt_number,
    fmt_percent,
    fmt_place_date,
    fmt_points,
    fmt_relative,
    round_half_up,
)


def test_numbers_use_vietnamese_separators():
    assert fmt_int(12291) == "12.291"
    assert fmt_int(551) == "551"
    assert fmt_number(1234567.89, 1) == "1.234.567,9"
    assert fmt_percent(98.8122) == "98,8%"
    assert fmt_percent(100) == "100,0%"


def test_rounding_is_half_up_as_in_excel():
    assert round_half_up(6.25, 1) == 6.3
    assert round_half_up(2.5) == 3
    assert round_half_up(-2.5) == -3
    assert fmt_percent(6.25) == "6,3%"
    assert fmt_int(12290.5) == "12.291"
    assert fmt_percent(98.975) == "99,0%"  # 12.165 / 12.291, which the article printed 98,9


def test_differences_of_rates_are_points_and_relative_changes_are_percent():
    assert fmt_points(48.104) == "+48,1 điểm phần trăm"
    assert fmt_points(-4.3) == "−4,3 điểm phần trăm"
    assert fmt_points(4.3, sign=False) == "4,3 điểm phần trăm"
    assert fmt_relative(94.87) == "+94,9%"


def test_official_dates():
    assert fmt_date(dt.date(2023, 6, 23)) == "ngày 23 tháng 6 năm 2023"
    assert fmt_date(dt.date(2023, 2, 5)) == "ngày 05 tháng 02 năm 2023"
    assert fmt_date(dt.date(2023, 12, 1)) == "ngày 01 tháng 12 năm 2023"
    assert fmt_place_date("Kon Tum", dt.date(2023, 6, 23)) == "Kon Tum, ngày 23 tháng 6 năm 2023"


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
def test_missing_values_say_so(missing):
    assert fmt_int(missing) == MISSING == "không có số liệu"
    assert fmt_percent(missing) == MISSING
    assert fmt_points(missing) == MISSING
    assert fmt_cell(missing, "rate", 1) == "–"


def test_table_cells():
    assert fmt_cell(12291, "count") == "12.291"
    assert fmt_cell(98.81, "rate", 1) == "98,8"
    assert fmt_cell(48.1, "points", 1) == "+48,1"
    assert fmt_cell("Xã Ia Chim", "text") == "Xã Ia Chim"


@given(st.integers(min_value=0, max_value=10**9))
def test_integers_read_back(value):
    assert int(fmt_int(value).replace(".", "")) == value


def test_a_rate_exactly_on_a_half_rounds_up_despite_binary_noise():
    from analysis.formatting import fmt_change, fmt_rate, printed_difference

    assert 1089 / 2000 * 100 != 54.45  # 54.449999999999996 in floating point
    assert fmt_percent(1089 / 2000 * 100) == "54,5%"
    assert fmt_rate(12291 / 12291 * 100) == "100%" and fmt_rate(12165 / 12291 * 100) == "99,0%"
    assert printed_difference(7.26, 7.14) == 0.2 and fmt_change(-0.04) == "không đổi"
