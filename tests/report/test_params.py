import datetime as dt
from pathlib import Path

import pytest

from analysis.errors import UsageError
from analysis.report.params import load_params


def test_defaults_then_file_then_options(tmp_path: Path):
    extra = tmp_path / "p.yaml"
    extra.write_text("number: Số 127-BC/TU\nreview_date: 2023-06-20\n", encoding="utf-8")
    params = load_params(extra, review_date="2023-06-23", draft=False)
    assert params.number == "Số 127-BC/TU"  # from the file
    assert params.review_date == dt.date(2023, 6, 23)  # the option wins
    assert params.draft is False and params.period == (2021, 2023) and params.unit == ("city",)


@pytest.mark.parametrize("text, message", [("review_date: 23/6/2023\n", "không phải ngày"),
                                           ("colour: red\n", "tham số không hợp lệ: colour"),
                                           ("period: 2023-2021\n", "kỳ báo cáo")])
def test_bad_parameters_are_usage_errors(tmp_path: Path, text, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        load_params(bad)


def test_missing_parameters_file_is_a_usage_error(tmp_path: Path):
    with pytest.raises(UsageError, match="không tìm thấy tệp tham số"):
        load_params(tmp_path / "none.yaml")
