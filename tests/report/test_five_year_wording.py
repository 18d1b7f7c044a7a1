"""How the 5-year tổng kết names the former city, read as its signer and a new ward's secretary would.

After 1/7/2025 the former Kon Tum city is no longer a living body: the reports on the new map name
it as a former area ("địa bàn thành phố Kon Tum cũ"), never "toàn thành phố", and never with a
bracketed "(cũ)" that ends up inside another bracket ("(toàn thành phố Kon Tum (cũ): 99,2%)").
Expected strings are written by hand from the sample's forms (2025: 12.540 households in the area).
"""

import dataclasses
import datetime as dt
import re

import pytest

from analysis import config
from analysis.dataset import load_dataset
from analysis.compute.computed import compute_for
from analysis.report.content import build_report
from analysis.report.narrative import load_narrative
from analysis.report.params import load_params
from samples import write_sample_data
from analysis.vocabulary import area_on

pytestmark = pytest.mark.slow  # builds reports from the bundled data: the full suite, not make test-fast

AREA = "608"
UNITS = ("23293", "23284", "23302", "23317", "23326", "23332")
DAK_RO_WA = "23332"


@pytest.fixture(scope="module")
def params():
    return load_params(period="2021-2025")


@pytest.fixture(scope="module")
def computed(tmp_path_factory, params):
    out = tmp_path_factory.mktemp("five_years_wording")
    write_sample_data(out, period=(2021, 2025))
    dataset = load_dataset(out, params.period)
    assert dataset.errors.empty
    return compute_for(dataset, params)


def texts(value) -> list[str]:
    """Every string a reader sees in a report's part (the analyst's companion is not signed: left out)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, (bytes, bytearray, int, float)) or value is None:
        return []
    if isinstance(value, dict):
        return [t for v in value.values() for t in texts(v)]
    if isinstance(value, (tuple, list)):
        return [t for v in value for t in texts(v)]
    if dataclasses.is_dataclass(value):
        return [t for f in dataclasses.fields(value) if f.name not in ("companion", "png", "svg", "slug")
                for t in texts(getattr(value, f.name))]
    return []


def signed_text(report) -> str:
    return "\n".join(texts(report))


def nested_brackets(text: str) -> list[str]:
    """Brackets opened inside an open bracket, with what precedes them."""
    found, depth = [], 0
    for i, char in enumerate(text):
        if char == "(":
            if depth:
                found.append(text[max(0, i - 40):i + 10])
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char == "\n":
            depth = 0
    return found


def test_the_former_city_is_named_as_a_former_area_from_1_7_2025():
    before, after = area_on(dt.date(2025, 6, 30)), area_on(dt.date(2025, 7, 1))
    assert (before.in_text, before.whole) == ("thành phố", "toàn thành phố")
    assert (after.name, after.in_text, after.whole) == (
        "Địa bàn thành phố Kon Tum cũ", "thành phố Kon Tum cũ", "toàn địa bàn thành phố Kon Tum cũ")
    assert area_on().whole == "toàn thành phố"


@pytest.mark.parametrize("code", (AREA, *UNITS))
def test_no_living_city_and_no_bracket_inside_a_bracket(params, computed, code):
    text = signed_text(build_report(computed, params, code))
    assert "toàn thành phố" not in text.lower()
    # every "thành phố" is the former one, by name; "Thành ủy" only as history ("(trước đây)")
    assert re.findall(r"thành phố(?! Kon Tum cũ)", text, flags=re.IGNORECASE) == []
    assert all(text[m.end():m.end() + 20].startswith(" Kon Tum (trước đây)") for m in re.finditer("Thành ủy", text))
    assert "(cũ)" not in text
    assert nested_brackets(text) == []


def test_a_units_report_compares_with_the_whole_former_area(params, computed):
    report = build_report(computed, params, DAK_RO_WA)
    text = signed_text(report)
    # 2025: 4.128 of 4.128 households informed in xã Đăk Rơ Wa; 12.540 of 12.540 in the whole area
    assert ("đến toàn bộ 4.128 hộ đồng bào dân tộc thiểu số (ĐBDTTS) của xã Đăk Rơ Wa, đạt 100% "
            "(toàn địa bàn thành phố Kon Tum cũ: 100%)") in text
    main = report.appendices[0].blocks[0]
    assert main.title.endswith("so với toàn địa bàn thành phố Kon Tum cũ")
    assert main.rows[-1][0] == "Toàn địa bàn thành phố Kon Tum cũ năm 2025"


def test_the_area_report_names_the_whole_former_area_and_its_recipients(params, computed):
    report = build_report(computed, params, AREA)
    text = signed_text(report)
    assert "biến đến toàn bộ 12.540 hộ đồng bào dân tộc thiểu số (ĐBDTTS) của toàn địa bàn thành phố Kon Tum cũ" in text
    assert "trên địa bàn thành phố Kon Tum cũ – nay gồm 6 phường, xã –" in text
    assert report.appendices[0].blocks[0].totals[0] == "Toàn địa bàn thành phố Kon Tum cũ"
    assert "- Đảng ủy các phường, xã trên địa bàn thành phố Kon Tum cũ," in report.meta.recipients
    # the analyst's text: "các cấp", not "từ thành phố đến cơ sở"; a span of years with an en dash
    assert "các đoàn thể các cấp đã vào cuộc đồng bộ" in text
    assert "giai đoạn 2026–2030" in text


def test_narrative_files_write_spans_of_years_with_an_en_dash():
    for path in sorted((config.ROOT / "data" / "narrative").rglob("*.md")):
        narrative = load_narrative(path)
        text = "\n".join(texts(list(narrative.values())))
        assert re.findall(r"\b(?:19|20)\d\d-(?:19|20)\d\d\b", text) == [], path.name


def test_the_mid_term_review_still_says_toan_thanh_pho(computed):
    # the 2021-2023 sơ kết, before the reorganisation, on the bundled data: unchanged wording
    params = load_params()
    dataset = load_dataset(config.RAW_DIR, params.period)
    report = build_report(compute_for(dataset, params), params, AREA)
    assert report.appendices[0].blocks[0].totals[0] == "Toàn thành phố"
    assert "trên địa bàn thành phố, từ năm 2021" in signed_text(report)


def test_a_units_short_poverty_table_is_printed_on_one_page(params, computed, tmp_path):
    # Xã Đăk Rơ Wa's Bảng 2 has 2 rows (the commune, the whole area): it used to leave the area's row,
    # under a repeated header, alone at the top of the next page.
    from pypdf import PdfReader

    from analysis.render.html import render_document
    from analysis.render.pdf import html_to_pdf

    path = tmp_path / "xa-dak-ro-wa.pdf"
    html_to_pdf(render_document(build_report(computed, params, DAK_RO_WA)), path)
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]
    page = next(text for text in pages if "Bảng 2. Tỉ lệ hộ nghèo" in text)
    # the area's rates 2020-2025, printed in Bảng 2 only: 22,0 17,7 14,4 12,6 (1.556 / 12.350, 31/12/2023) 10,9 9,1
    assert "Toàn địa bàn thành phố Kon Tum cũ 22,0 17,7 14,4 12,6 10,9 9,1" in page
    assert "Mục tiêu: mỗi năm giảm trên 1 điểm phần trăm" in page


def test_the_spread_between_units_is_stated_not_judged(params, computed):
    # 2025: phường Đăk Bla 621/625 = 99,36% -> 99,4; xã Ia Chim 3.108/3.138 = 99,04% -> 99,0; gap 0,4
    text = signed_text(build_report(computed, params, AREA))
    assert ("Giữa các phường, xã, tỉ lệ hộ thay đổi nếp nghĩ, cách làm năm 2025 cao nhất ở phường Đăk Bla (99,4%), "
            "thấp nhất ở xã Ia Chim (99,0%), chênh lệch 0,4 điểm phần trăm.") in text
    assert "phường, xã chưa đồng đều:" not in text


def test_units_with_one_printed_rate_are_said_to_be_level(params, computed):
    # every unit's 2025 mindset count set to its households: all 100,0% (one decimal, as the other rates of the sentence), no "cao nhất … thấp nhất … 0,0"
    form = computed.dataset.form01.copy()
    last = form["year"] == 2025
    form.loc[last, "changed_mindset"] = form.loc[last, "households"]
    level = compute_for(dataclasses.replace(computed.dataset, form01=form), params)
    text = signed_text(build_report(level, params, AREA))
    assert "Năm 2025, tỉ lệ hộ thay đổi nếp nghĩ, cách làm của các phường, xã đều ở mức 100,0%." in text
    assert "chênh lệch 0,0" not in text


def test_the_emails_poverty_figure_is_one_rate_and_the_years_that_met_the_target(params, computed):
    # Phường Kon Tum: 8,2% (2020) -> 3,4% (2025); falls 1,4 1,2 0,8 0,1 1,3: 3 of 5 years above 1 point
    figure = next(k for k in build_report(computed, params, "23293").key_figures
                  if k.label == "Tỉ lệ hộ nghèo và cận nghèo")
    assert (figure.value, figure.note) == ("3,4%", "năm 2020: 8,2%; đạt mục tiêu giảm trên 1 điểm phần trăm 3/5 năm")
    # the whole area: 22,0% -> 9,1%, every year's fall above 1 point
    area = next(k for k in build_report(computed, params, AREA).key_figures if k.label == "Tỉ lệ hộ nghèo và cận nghèo")
    assert (area.value, area.note) == ("9,1%", "năm 2020: 22,0%; đạt mục tiêu giảm trên 1 điểm phần trăm 5/5 năm")


def test_the_poverty_tables_change_columns_name_the_two_years(params, computed):
    poverty = build_report(computed, params, DAK_RO_WA).appendices[0].blocks[1]
    labels = [c.label for c in poverty.columns]
    assert labels[7:12] == ["Năm 2021 so với năm 2020 (điểm phần trăm)", "Năm 2022 so với năm 2021 (điểm phần trăm)",
                            "Năm 2023 so với năm 2022 (điểm phần trăm)", "Năm 2024 so với năm 2023 (điểm phần trăm)",
                            "Năm 2025 so với năm 2024 (điểm phần trăm)"]
    # xã Đăk Rơ Wa: 26,6 -> 20,8 -> 16,1 -> 15,3 (623 / 4.063 at 31/12/2023) -> 13,0 -> 10,8
    assert poverty.text[0][7:12] == ("−5,8", "−4,7", "−0,8", "−2,3", "−2,2")
