"""The exploration notebooks' helpers: parameters checked with the valid values listed, tables in
Vietnamese, rankings whose rank 1 is the best whichever way an indicator is good."""


import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.compute.indicators import Definition, load_definitions
from analysis.errors import UsageError
from analysis.report import explore, explore_tables

LOWER_IS_BETTER = Definition(id="poor_near_poor_rate", label="Tỉ lệ hộ nghèo và cận nghèo ĐBDTTS", short_label="",
                             numerator=("poor", "near_poor"), denominator="households", factor=100, unit="%",
                             decimals=1, better="lower")


def seven_units() -> pd.DataFrame:
    codes = ["23281", "23284", "23287", "23290", "23293", "23296", "23299"]
    values = [7.0, 1.0, 6.0, 2.0, 5.0, 3.0, 4.0]
    rows = [(code, 2023, "poor_near_poor_rate", value, value, 100.0) for code, value in zip(codes, values)]
    rows.append(("608", 2023, "poor_near_poor_rate", 4.0, 28.0, 700.0))
    return pd.DataFrame(rows, columns=["unit_code", "year", "indicator", "value", "numerator", "denominator"])


def test_a_lower_is_better_ranking_puts_the_lowest_rate_first_and_says_so():
    table = explore_tables.ranking_table(seven_units(), LOWER_IS_BETTER, year=2023)
    frame = table.data
    assert list(frame["Mã đơn vị"]) == ["23284", "23290", "23296", "23299", "23293", "23287", "23281"]
    assert list(frame["Hạng"]) == [1, 2, 3, 4, 5, 6, 7]
    assert list(frame["Nhóm"]) == ["tốt nhất"] * 3 + [""] + ["cần quan tâm"] * 3
    assert frame["Đơn vị"].iloc[0] == "Phường Duy Tân"
    assert list(frame["Chênh lệch với toàn thành phố (điểm phần trăm)"])[:2] == [-3.0, -2.0]
    html = table.to_html()
    assert ">−3,0<" in html and ">0,0<" in html and ">+3,0<" in html  # 1,0 − 4,0; 4,0 − 4,0; 7,0 − 4,0
    assert "càng thấp càng tốt, hạng 1 là tốt nhất" in table.caption
    assert "tỉ lệ hộ nghèo và cận nghèo ĐBDTTS, năm 2023" in table.caption


def test_a_higher_is_better_ranking_puts_the_highest_rate_first():
    higher = Definition(**{**LOWER_IS_BETTER.__dict__, "better": "higher"})
    table = explore_tables.ranking_table(seven_units(), higher, year=2023)
    assert list(table.data["Mã đơn vị"])[:2] == ["23281", "23287"]  # 7,0 then 6,0
    assert "càng cao càng tốt" in table.caption


def test_definitions_say_which_way_is_good():
    definitions = load_definitions()
    assert definitions["poor_near_poor_rate"].better == "lower"
    assert definitions["changed_mindset_rate"].better == "higher"


def test_an_unknown_direction_is_a_usage_error(tmp_path):
    path = tmp_path / "indicators.yaml"
    path.write_text("indicators:\n  - {id: r, label: R, numerator: poor, denominator: households, better: down}\n",
                    encoding="utf-8")
    with pytest.raises(UsageError, match="better = “down” không hợp lệ"):
        load_definitions(path)


def test_an_unknown_indicator_stops_with_the_valid_ids():
    with pytest.raises(explore.StopNotebook) as caught:
        explore.check_indicator("khong_co", load_definitions())
    message = str(caught.value)
    assert "tham số indicator = “khong_co”" in message
    assert "changed_mindset_rate (Tỉ lệ hộ ĐBDTTS thay đổi nếp nghĩ, cách làm)" in message
    assert "households" not in message  # a count, not a rate: cannot be ranked as one
    assert caught.value._render_traceback_() == [f"Dừng: {message}"]


def test_an_unknown_unit_stops_with_the_valid_codes():
    with pytest.raises(explore.StopNotebook, match=r"unit = “999”.*608 \(Thành phố Kon Tum\).*23326 \(Xã Ia Chim\)"):
        explore.check_unit("999")


def test_valid_periods_need_full_years_and_a_baseline_year():
    every, full = {2020, 2021, 2022, 2023}, {2021, 2022, 2023}
    assert explore.valid_periods(every, full) == ["2021-2021", "2021-2022", "2021-2023", "2022-2022", "2022-2023",
                                                  "2023-2023"]
    assert explore.valid_periods({2020, 2021, 2023}, {2021, 2023}) == ["2021-2021"]  # 2022 missing: no 2023 baseline


def test_a_period_the_data_do_not_cover_stops_and_lists_the_covered_ones():
    with pytest.raises(explore.StopNotebook) as caught:
        explore.load_checked("", "2019-2021")
    message = str(caught.value)
    assert "các năm 2020, 2021, 2022, 2023" in message
    assert message.endswith("Các kỳ hợp lệ: 2021-2021, 2021-2022, 2021-2023, 2022-2022, 2022-2023, 2023-2023.")


def test_falls_table_reads_the_target_judgement_in_vietnamese():
    falls = pd.DataFrame({"unit_code": ["608"] * 3, "year": [2021, 2022, 2023], "rate": [17.7, 14.4, 12.9],
                          "previous_rate": [22.0, 17.7, 14.4], "fall": [4.3, 3.3, 1.5], "judged": [True, True, False],
                          "target": 1.0, "meets_target": pd.array([True, True, pd.NA], dtype="boolean"),
                          "shortfall": float("nan")})
    table = explore_tables.falls_table(falls)
    assert list(table.data["Đánh giá so với mục tiêu"]) == ["đạt", "đạt", "giữa năm, chưa đánh giá"]
    assert "mục tiêu: giảm trên 1 điểm phần trăm mỗi năm" in table.caption
    html = table.to_html()
    assert "22,0" in html and "4,3" in html and "2021" in html and "2.021" not in html


def test_a_difference_rounding_to_zero_reads_0_0_and_a_negative_one_has_a_minus_sign():
    assert explore_tables._signed(-0.04) == "0,0"
    assert explore_tables._signed(-0.05) == "−0,1"  # half up, away from zero
    assert explore_tables._signed(0.25) == "+0,3"
    assert explore_tables._signed(float("nan")) == "–"


def test_the_yearly_table_keeps_each_indicator_s_decimals():
    definitions = load_definitions()
    rows = [("608", 2023, "households", 12291.0), ("608", 2023, "changed_mindset_rate", 98.8125)]
    indicators = pd.DataFrame(rows, columns=["unit_code", "year", "indicator", "value"])
    frame = explore_tables.yearly_table(indicators, definitions).data
    assert list(frame["Năm 2023"]) == ["12.291", "98,8"]
    assert list(frame["Mã (tham số indicator)"]) == ["households", "changed_mindset_rate"]


def test_the_notebooks_use_the_data_set_report_checked_when_given_one(tmp_path, monkeypatch):
    import pickle

    from analysis.dataset import load_dataset
    from analysis.compute.computed import Computed

    computed = Computed(load_dataset(explore.config.RAW_DIR, (2021, 2023)))
    computed_file = tmp_path / "computed.pickle"
    computed_file.write_bytes(pickle.dumps(computed))
    monkeypatch.setattr(explore, "load_dataset", lambda *args: pytest.fail("the forms were read again"))
    first = explore.load_computed("", "2021-2023", computed_file=str(computed_file))
    dataset = explore.load_checked("", "2021-2023", stop_on_errors=False, computed_file=str(computed_file))
    assert first.dataset is dataset  # read once per process, whichever notebook asks
    assert len(dataset.form01) == 84 and first.period == (2021, 2023)
    with pytest.raises(explore.StopNotebook, match="khác kỳ của số liệu đã kiểm tra \\(2021-2023\\)"):
        explore.load_checked("", "2022-2023", computed_file=str(computed_file))
    with pytest.raises(explore.StopNotebook, match="tham số computed_file: không đọc được"):
        explore.load_checked("", "2021-2023", computed_file=str(tmp_path / "none.pickle"))


# The inline style properties JupyterLab's sanitizer keeps in an untrusted notebook (its allowedStyles
# list; a <style> element is dropped whole, with every rule in it).
KEPT_UNTRUSTED = {"text-align", "white-space", "min-width", "max-width", "overflow-x", "border-collapse",
                  "font-weight", "padding", "caption-side"}


def _cells(html: str):
    from lxml import html as lxml_html

    root = lxml_html.fromstring(html)
    assert not root.xpath("//style") and not root.xpath("//script")
    for element in root.iter():
        for rule in filter(None, element.get("style", "").split(";")):
            assert rule.split(":")[0].strip() in KEPT_UNTRUSTED, rule
    return root


def test_numbers_and_names_in_the_notebooks_tables_stay_on_one_line_long_texts_wrap_trusted_or_not():
    message = "Bieu01_2022.xlsx › Biểu 01 › ô G24: tỉ lệ ghi 67,4 nhưng tính lại là 76,4"  # 73 characters
    frame = pd.DataFrame({"Đơn vị": ["Xã Đăk Cấm"], "Số hộ": [12291], "Tỉ lệ (%)": [98.81], "Nội dung": [message]})
    root = _cells(explore_tables._styled(frame, "Bảng thử").to_html())
    assert root.tag == "div" and "overflow-x:auto" in root.get("style")  # a wide table scrolls in its box
    assert root.xpath("//caption")[0].text_content() == "Bảng thử"
    cells = root.xpath("//tbody/tr/td")
    assert [c.text_content() for c in cells] == ["Xã Đăk Cấm", "12.291", "98,8", message]
    assert [c.get("align") for c in cells] == ["left", "right", "right", "left"]  # an HTML attribute: always kept
    assert [c.get("nowrap") is not None for c in cells] == [True, True, True, False]
    assert "min-width:16em" in cells[3].get("style") and "nowrap" not in cells[3].get("style")
    headers = root.xpath("//thead/tr/th")
    assert [h.get("align") for h in headers] == ["left", "right", "right", "left"]
    assert [h.get("nowrap") is not None for h in headers] == [True, True, True, True]  # short headers: one line
    long = _cells(explore_tables._styled(pd.DataFrame({"Thay đổi (điểm phần trăm)": [1.5]}), signed=(
        "Thay đổi (điểm phần trăm)",)).to_html())
    assert long.xpath("//th")[0].get("nowrap") is None and "min-width:6em" in long.xpath("//th")[0].get("style")
    assert long.xpath("//td")[0].text_content() == "+1,5"


@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40), st.integers(-10**7, 10**7))
@settings(max_examples=60, deadline=None)
def test_any_text_in_a_notebook_table_stays_text(text: str, number: int):
    frame = pd.DataFrame({"Tên": [text], "Số": [number]})
    root = _cells(explore_tables._styled(frame, text).to_html())
    cells = root.xpath("//tbody/tr/td")
    assert cells[0].text_content() == text and root.xpath("//caption")[0].text_content() == text
    assert not root.xpath("//tbody//*[not(self::tr) and not(self::td)]")
    assert cells[1].text_content() == explore_tables.fmt_int(number)


def test_a_unit_s_own_row_is_bold_in_its_ranking():
    table = explore_tables.ranking_table(seven_units(), LOWER_IS_BETTER, year=2023, unit="23296")
    rows = _cells(table.to_html()).xpath("//tbody/tr")
    assert [r.get("style") for r in rows] == [None, None, "font-weight:bold", None, None, None, None]


def test_a_unit_of_another_map_than_the_last_data_set_shown_is_still_a_valid_parameter(monkeypatch):
    # JupyterLab: 2021-2025 (6 new units) was shown, then the analyst asks for Quang Trung (2021-2023).
    from types import SimpleNamespace

    monkeypatch.setitem(explore_tables._VIEW, "computed", SimpleNamespace(unit_names={"608": "Địa bàn", "23293": "Phường Kon Tum"}))
    assert explore.check_unit(23281) == "23281"
    with pytest.raises(explore.StopNotebook, match="không phải mã đơn vị"):
        explore.check_unit("99999")
