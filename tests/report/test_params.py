import datetime as dt
import os
import tracemalloc
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
                                           ("colour: red\n", "khóa colour .*không hợp lệ"),
                                           ("period: 2023-2021\n", "kỳ báo cáo")])
def test_bad_parameters_are_usage_errors(tmp_path: Path, text, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        load_params(bad)


def test_missing_parameters_file_is_a_usage_error(tmp_path: Path):
    with pytest.raises(UsageError, match="không tìm thấy tệp tham số"):
        load_params(tmp_path / "none.yaml")


@pytest.mark.parametrize("text, expected", [
    ("review_date: 2023-13-45\n", ["khóa review_date = “2023-13-45”", "dòng 1", "một ngày có thật"]),
    ("recipients: 5\n", ["khóa recipients = “5”", "một danh sách"]),
    ("narrative:\n", ["khóa narrative = (trống)", "đang để trống"]),
    ("draft: có lẽ\n", ["khóa draft = “có lẽ”", "có hoặc không"]),
    ("unit: [city, [1]]\n", ["khóa unit = (một danh sách)"]),
    # retired: the forms say how far each year's figures go
    ("data_as_of: 2023-06-15\n", ["khóa data_as_of (tệp tham số “", "dòng 1) không còn dùng",
                                   "“NĂM 2023 (số liệu đến ngày 15/6/2023)”", "Xóa khóa này khỏi tệp tham số"]),
    ("title: [a, b]\nsigner_name: yes\n", ["tham số báo cáo có 2 lỗi", "khóa title", "khóa signer_name = true"]),
    ("- review_date\n", ["phải gồm các dòng “tên: giá trị”"]),
    ("review_date: '2023-06-23\n", ["sai cú pháp YAML ở dòng 2"]),
])
def test_a_badly_typed_parameter_names_key_value_place_and_expectation(tmp_path: Path, text, expected):
    bad = tmp_path / "p.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        load_params(bad)
    for part in expected:
        assert part in str(raised.value)


@pytest.mark.parametrize("word, value", [("có", True), ("Có", True), ("yes", True), ("true", True), ("không", False),
                                         ("KHÔNG", False), ("no", False), ("false", False), ('"no"', False)])
def test_draft_reads_vietnamese_and_english_booleans(tmp_path: Path, word, value):
    extra = tmp_path / "p.yaml"
    extra.write_text(f"draft: {word}\n", encoding="utf-8")
    assert load_params(extra).draft is value


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_parameters_file_that_is_not_utf8_or_not_a_file_is_a_usage_error(tmp_path: Path, no_hang):
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("signer_name: Y Hồng Hà\n".encode() + "place: Kon Tum\ndraft: kh\xf4ng\n".encode("latin-1"))
    with pytest.raises(UsageError, match=r"không phải văn bản UTF-8 \(dòng 3\)"):
        load_params(latin)
    with pytest.raises(UsageError, match="là một thư mục"):
        load_params(tmp_path)
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    with pytest.raises(UsageError, match="không phải tệp thông thường"):
        load_params(fifo)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_as_the_narrative_file_is_refused_without_opening_it(tmp_path: Path, no_hang):
    fifo = tmp_path / "nhan-dinh.md"
    os.mkfifo(fifo)
    extra = tmp_path / "p.yaml"
    extra.write_text(f"narrative: {fifo}\n", encoding="utf-8")
    with pytest.raises(UsageError, match="khóa narrative .*không phải thư mục hay ống"):
        load_params(extra)


def test_alias_expansion_is_bounded_in_memory_and_refused(tmp_path: Path, no_hang):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for previous, name in zip("abcdefgh", "bcdefghi"):  # 9**9 values once expanded
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tracemalloc.start()
    with pytest.raises(UsageError, match="kể cả khi mở các tham chiếu"):  # 9**9 values are never built
        load_params(bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 50 * 2**20


def test_a_large_parameters_file_is_refused_before_parsing(tmp_path: Path):
    big = tmp_path / "big.yaml"
    big.write_text("title: " + "x" * (2 << 20) + "\n", encoding="utf-8")
    with pytest.raises(UsageError, match="quá lớn"):
        load_params(big)


def test_unit_validity_is_read_without_the_data_stack_and_agrees_with_the_unit_history():
    import datetime as dt

    from analysis.reference import load_unit_history, units_in_force

    # Hand-counted from data/reference/units.csv: 21 units to 30/6/2025, 6 from 1/7/2025.
    assert len(units_in_force(dt.date(2023, 12, 31))) == 21
    assert len(units_in_force(dt.date(2025, 6, 30))) == 21
    assert len(units_in_force(dt.date(2025, 7, 1))) == 6
    history = load_unit_history()
    on = dt.date(2025, 7, 1)
    in_force = history[(history["valid_from"].isna() | (history["valid_from"] <= str(on)))
                       & (history["valid_to"].isna() | (history["valid_to"] >= str(on)))]
    assert len(in_force) == len(units_in_force(on))


def test_every_parameter_is_named_in_vietnamese_in_the_companion_file():
    from analysis.report.params import PARAMETER_LABELS, ReportParams, load_params

    assert set(ReportParams.model_fields) <= set(PARAMETER_LABELS)
    pairs = dict(load_params(None).as_pairs())
    assert pairs["Cơ quan cấp trên (issuer_parent)"] == "ĐẢNG BỘ TỈNH KON TUM"
    for label in pairs:  # "Vietnamese words (key)"
        words, key = label.rsplit(" (", 1)
        assert key.rstrip(")") in ReportParams.model_fields and any(ord(ch) > 127 for ch in words), label
