"""Every printed figure with its label and place (analysis.report.figures), on the hand-made report
of report_fixture: expected records written from that report's text, and generated sentences."""

from hypothesis import given
from hypothesis import strategies as st
from report_fixture import HOSTILE_FORMULA, HOSTILE_UNIT, make_report

from analysis.formatting import fmt_int, fmt_number, fmt_percent, round_half_up
from analysis.report.figures import (
    PrintedFigure,
    header_lines,
    numbers_in,
    parse_number,
    printed_figures,
    sentences,
    split_sentences,
)


def test_every_table_cell_but_the_row_label_is_a_figure_with_its_raw_value():
    figures = [f for f in printed_figures(make_report()) if f.origin == "table"]
    # the fixture's table is printed twice (part I and the appendix): 2 × (3 rows + totals) × 3 columns
    assert len(figures) == 24
    first = figures[0]
    assert first == PrintedFigure(
        place="Bảng 1, dòng Phường Quang Trung, cột Tổng số hộ ĐBDTTS",
        label="Kết quả theo đơn vị năm 2023: Phường Quang Trung, Tổng số hộ ĐBDTTS", text="120", value=120.0,
        kind="count", decimals=0, origin="table", table="Kết quả theo đơn vị năm 2023", row="Phường Quang Trung",
        column="Tổng số hộ ĐBDTTS")
    by_place = {f.place: f for f in figures}
    rate = by_place[f"Bảng 1, dòng {HOSTILE_FORMULA}, cột Tỉ lệ thay đổi nếp nghĩ, cách làm"]
    assert (rate.text, rate.value, rate.kind, rate.decimals) == ("99,0", 98.975, "rate", 1)
    missing = by_place[f"Bảng 1, dòng {HOSTILE_UNIT}, cột Tỉ lệ thay đổi nếp nghĩ, cách làm"]
    assert (missing.text, missing.value) == ("–", None)
    total = by_place["Bảng 1, dòng Tổng cộng, cột Thay đổi so với năm 2021"]
    assert (total.text, total.value, total.kind) == ("+48,1", 48.1, "points")


def test_labels_are_unique_a_repeated_table_gets_a_number():
    figures = [f for f in printed_figures(make_report()) if f.origin != "sentence"]
    labels = [f.label for f in figures]
    assert len(set(labels)) == len(labels)
    assert "Kết quả theo đơn vị năm 2023: Tổng cộng, Tổng số hộ ĐBDTTS (2)" in labels


def test_key_figures_give_their_value_and_count_read_back_from_the_print():
    keys = [f for f in printed_figures(make_report()) if f.origin == "key"]
    assert [(f.place, f.text, f.value, f.kind) for f in keys] == [
        ("Số liệu chính: Hộ thay đổi nếp nghĩ, cách làm", "98,8%", 98.8, "rate"),
        ("Số liệu chính: Hộ thay đổi nếp nghĩ, cách làm (số lượng)", "12.145 hộ", 12145.0, "count")]


def test_numbers_in_sentences_carry_the_sentence_and_their_order():
    found = {(f.place, f.text, f.value, f.kind) for f in printed_figures(make_report()) if f.origin == "sentence"}
    part = "Mục I › 1. Công tác tuyên truyền, phổ biến"
    assert (f"{part}, đoạn 1, số thứ 1", "12.291", 12291.0, "count") in found
    assert (f"{part}, đoạn 1, số thứ 2", "100%", 100.0, "rate") in found
    assert (f"{part}, đoạn 2, số thứ 1", "98,8%", 98.8, "rate") in found
    assert (f"{part}, đoạn 2, số thứ 2", "48,1", 48.1, "points") in found
    # the heading's "1." numbers it, "năm 2021" is a year, "Bảng 1" and "Biểu 01" are references
    assert not any(value in (2021.0, 1.0) for _, _, value, _ in found)


def test_sentences_have_places_and_headers_are_apart():
    report = make_report()
    said = {s.place: s.text for s in sentences(report)}
    assert said["Mở đầu, đoạn 1"] == "Thực hiện Kế hoạch số …-KH/TU, Ban Thường vụ Thành ủy báo cáo như sau:"
    assert said["Mục I, tên mục"] == "KẾT QUẢ THỰC HIỆN"
    assert said["Mục III, đoạn 2"] == "Ghi chú của cán bộ: <b>không phải thẻ HTML</b> & ký tự đặc biệt."
    assert said["Bảng 1, nguồn"] == "Nguồn: Biểu 01 của các xã, phường"
    assert said["Số liệu chính: Hộ thay đổi nếp nghĩ, cách làm, ghi chú"] == "+48,1 điểm phần trăm so với năm 2021"
    header = {s.place.split(": ", 1)[1]: s.text for s in header_lines(report)}
    assert header["số, ký hiệu"] == "Số 127-BC/TU" and header["dấu dự thảo"] == "DỰ THẢO"
    assert header["địa danh, ngày tháng"] == "Kon Tum, ngày 23 tháng 6 năm 2023"
    assert not any("127-BC/TU" in s.text for s in sentences(report))


def test_a_paragraph_splits_into_sentences_never_inside_a_number_or_a_date():
    text = ("Đến ngày 15/6/2023, có 12.291 hộ, đạt 98,8%. So với năm 2021 (50,7%), tỉ lệ tăng 48,1 điểm phần trăm. "
            "2 xã chưa đạt.")
    assert split_sentences(text) == ("Đến ngày 15/6/2023, có 12.291 hộ, đạt 98,8%.",
                                     "So với năm 2021 (50,7%), tỉ lệ tăng 48,1 điểm phần trăm.", "2 xã chưa đạt.")
    assert numbers_in(text) == (("12.291", 12291.0, "count", 0), ("98,8%", 98.8, "rate", 1),
                                ("50,7%", 50.7, "rate", 1), ("48,1", 48.1, "points", 1), ("2", 2.0, "count", 0))


def test_document_numbers_dates_and_ratios():
    assert numbers_in("Nghị quyết số 1677/NQ-UBTVQH15 ngày 16/6/2025; Số 127-BC/TU") == ()
    assert numbers_in("Có 11/21 xã, phường đạt mục tiêu") == (("11", 11.0, "count", 0), ("21", 21.0, "count", 0))
    assert numbers_in("giảm −0,2 điểm phần trăm") == (("−0,2", -0.2, "points", 1),)


@given(value=st.floats(min_value=0, max_value=9_999_999, allow_nan=False), decimals=st.integers(0, 2),
       kind=st.sampled_from(["count", "rate", "points"]))
def test_a_number_printed_in_a_sentence_is_found_with_its_printed_value(value, decimals, kind):
    if kind == "count":
        printed, expected, decimals = fmt_int(value), round_half_up(value, 0), 0
        sentence = f"Năm 2023 có {printed} hộ tham gia, tính đến ngày 15/6/2023."
    elif kind == "rate":
        printed, expected = fmt_percent(value, decimals), round_half_up(value, decimals)
        sentence = f"Tỉ lệ năm 2022 là {printed} số hộ (Bảng 2)."
    else:
        printed, expected = fmt_number(value, decimals), round_half_up(value, decimals)
        sentence = f"So với năm 2021, tỉ lệ tăng {printed} điểm phần trăm."
    found = numbers_in(sentence)
    assert len(found) == 1
    text, number, found_kind, found_decimals = found[0]
    assert (text, number, found_kind) == (printed, expected, kind)
    assert found_decimals == decimals
    assert parse_number(printed) == expected
