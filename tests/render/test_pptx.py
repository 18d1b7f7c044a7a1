"""The conference deck (--format pptx) from a hand-made report: slides, figures, notes, measured text, hostile text."""

import io
import re
import unicodedata
import zipfile
from dataclasses import replace

import pytest
from deck_check import (
    active_content,
    notes_text,
    open_deck,
    overflows,
    run_problems,
    slide_texts,
    unprinted_figures,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER
from report_fixture import HOSTILE_FORMULA, HOSTILE_UNIT, make_report

from analysis.render import textfit
from analysis.render.pptx import build_pptx
from analysis.render.pptx_template import TEMPLATE, build_template
from analysis.render.textfit import line_count
from analysis.report.document import (
    BulletList,
    Column,
    Heading,
    KeyFigure,
    Paragraph,
    Run,
    Section,
    Table,
)

HOSTILE = (HOSTILE_FORMULA, HOSTILE_UNIT, "{PAGE} {=1+1} ${DATE}", "Chuông\x07 và thoát\x1b[31m đỏ",
           "[liên kết](http://example.invalid) <a href=\"http://example.invalid\">bấm</a>", "@SUM(A1:A9)",
           "http://example.invalid/dang-nhap", "mailto:ai@example.invalid")


def poverty_table() -> Table:
    """The appendix table of the poverty rate, as the report prints it for a commune (its row, then the area's)."""
    columns = (Column("Đơn vị"), Column("Năm 2020", "rate", 1), Column("Năm 2021", "rate", 1),
               Column("Năm 2022*", "rate", 1), Column("Năm 2021 so với năm 2020 (điểm phần trăm)", "points", 1),
               Column("Năm 2022* so với năm 2021 (điểm phần trăm)", "points", 1), Column("Đạt mục tiêu (2021)"))
    text = (("Xã Ia Chim", "23,7", "20,6", "17,0", "−3,1", "−3,6", "Đạt"),
            ("Toàn thành phố", "22,0", "17,7", "14,4", "−4,3", "−3,3", "Đạt"))
    return Table(number=2, title="Tỉ lệ hộ nghèo và cận nghèo ĐBDTTS và thay đổi so với năm trước, 2020–2022",
                 columns=columns, rows=text, text=text, unit="Đơn vị tính: %", source="Nguồn: Biểu 01",
                 note="(*) Năm 2022: số liệu đến ngày 15/6/2022. Mục tiêu: mỗi năm giảm trên 1 điểm phần trăm.",
                 key="poverty")


def full_report(*, draft: bool = True, limits: tuple = (), directions: tuple = (), label: str = ""):
    """make_report with the parts a deck picks: leadership, results (a figure), assessment, directions,
    proposals, and the poverty table in an appendix."""
    report = make_report(draft=draft)
    results, narrative = report.sections
    leadership = Section("I", "CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN",
                         (Paragraph.of("Ban Thường vụ Thành ủy ban hành kế hoạch thực hiện."),), "leadership")
    assessment = Section("III", "ĐÁNH GIÁ CHUNG", (
        Heading("1. Ưu điểm"), Paragraph.of("Cấp ủy vào cuộc đồng bộ."),
        Heading("2. Hạn chế"), BulletList((Paragraph.of("Kết quả chưa đồng đều."), *limits)),
        Heading("3. Nguyên nhân"), Paragraph.of("Nguồn lực còn hạn chế.")), "assessment")
    tasks = replace(narrative, number="IV", key="directions",
                    blocks=(*narrative.blocks, *([BulletList(directions)] if directions else ())))
    proposals = Section("V", "ĐỀ XUẤT, KIẾN NGHỊ", (BulletList((Paragraph.of("Đề nghị bố trí nguồn lực."),)),),
                        "proposals")
    appendix = replace(report.appendices[0], blocks=(*report.appendices[0].blocks, poverty_table()))
    figures = report.key_figures + ((KeyFigure(label, "240", "145 đang duy trì"),) if label else ())
    return replace(report, sections=(leadership, replace(results, number="II", key="results"), assessment, tasks,
                                     proposals), appendices=(appendix,), key_figures=figures)


def titles(prs) -> list[str]:
    return [slide.shapes.title.text_frame.text for slide in prs.slides]


def test_the_template_is_what_its_script_makes_16_9_in_times_new_roman():
    made, committed = zipfile.ZipFile(io.BytesIO(build_template())), zipfile.ZipFile(TEMPLATE)
    assert made.namelist() == committed.namelist()
    for name in made.namelist():
        assert made.read(name) == committed.read(name), f"{name}: run python -m analysis.render.pptx_template"
    prs = open_deck(TEMPLATE.read_bytes())
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)  # 13,333 × 7,5 in
    assert [layout.name for layout in prs.slide_layouts] == ["Trang tiêu đề", "Tiêu đề", "Trống"]
    theme = committed.read("ppt/theme/theme1.xml").decode()
    assert theme.count('typeface="Times New Roman"') == 6 and "Calibri" not in theme
    assert "Calibri" not in committed.read("ppt/theme/theme2.xml").decode()  # the notes' theme
    assert 'lang="en-US"' not in committed.read("ppt/slideMasters/slideMaster1.xml").decode()


def test_the_deck_follows_the_conference_order_with_the_reports_own_texts():
    report = full_report()
    prs = open_deck(build_pptx(report))
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)
    assert titles(prs) == [
        "HỘI NGHỊ SƠ KẾT 2 NĂM THỰC HIỆN CUỘC VẬN ĐỘNG “LÀM THAY ĐỔI NẾP NGHĨ, CÁCH LÀM CỦA ĐỒNG BÀO DÂN TỘC THIỂU SỐ”",
        "Kết quả chủ yếu",
        "Hình 1. Tỉ lệ hộ ĐBDTTS thay đổi nếp nghĩ, cách làm, năm 2021 và năm 2023",
        "Kết quả so với mục tiêu giảm tỉ lệ hộ nghèo và cận nghèo",
        "III. ĐÁNH GIÁ CHUNG – 1. Ưu điểm", "III. ĐÁNH GIÁ CHUNG – 2. Hạn chế",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ", "V. ĐỀ XUẤT, KIẾN NGHỊ"]
    cover = slide_texts(prs.slides[0])
    assert {"ĐẢNG BỘ TỈNH KON TUM", "THÀNH ỦY KON TUM", "DỰ THẢO", "Kon Tum, ngày 23 tháng 6 năm 2023"} <= set(cover)
    # The key figure in large type: its value, label, and the households and change beside it.
    cards = [s for s in prs.slides[1].shapes if s.name.startswith("Số liệu")]
    assert [p.text for p in cards[0].text_frame.paragraphs] == [
        "98,8%", "Hộ thay đổi nếp nghĩ, cách làm", "12.145 hộ; +48,1 điểm phần trăm so với năm 2021"]
    assert cards[0].text_frame.paragraphs[0].runs[0].font.size.pt >= 40
    # The chart: the figure's caption, its alt text on the picture, its unit and source under it.
    chart = prs.slides[2]
    picture = next(s for s in chart.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE)
    assert picture._element.find(".//{*}cNvPr").get("descr") == "Biểu đồ cột: tỉ lệ năm 2021 là 50,7%, năm 2023 là 98,8%."
    assert "Đơn vị tính: %. Nguồn: Biểu 01 của các xã, phường." in slide_texts(chart)
    # The poverty table on its side: a row per year, the commune's and the area's printed cells.
    table = next(s for s in prs.slides[3].shapes if s.has_table).table
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0][:4] == ["Năm", "Xã Ia Chim", "", "Toàn thành phố"]
    assert rows[2:] == [["Năm 2020", "23,7", "", "22,0", ""], ["Năm 2021", "20,6", "−3,1", "17,7", "−4,3"],
                        ["Năm 2022*", "17,0", "−3,6", "14,4", "−3,3"], ["Đạt mục tiêu (2021)", "Đạt", "", "Đạt", ""]]
    # Limitations: the sentences of "Hạn chế"; the causes go in its notes.
    assert slide_texts(prs.slides[5])[1:] == ["Kết quả chưa đồng đều."]  # after the title
    assert "Nguồn lực còn hạn chế." in notes_text(prs.slides[5])
    assert slide_texts(prs.slides[6])[1:] == ["Tiếp tục đẩy mạnh công tác tuyên truyền.",
                                          "Ghi chú của cán bộ: <b>không phải thẻ HTML</b> & ký tự đặc biệt."]


def test_every_slide_has_the_reports_sentences_in_its_notes_and_a_footer_but_the_title():
    report = full_report()
    prs = open_deck(build_pptx(report))
    notes = [notes_text(slide) for slide in prs.slides]
    assert all(text.strip() for text in notes)
    assert notes[0] == "Thực hiện Kế hoạch số …-KH/TU, Ban Thường vụ Thành ủy báo cáo như sau:"
    assert notes[1] == "Ban Thường vụ Thành ủy ban hành kế hoạch thực hiện."  # part I beside the key results
    assert notes[2].startswith("1. Công tác tuyên truyền, phổ biến\nToàn thành phố có 12.291 hộ")
    assert "Mục tiêu: mỗi năm giảm trên 1 điểm phần trăm." in notes[3]
    for number, slide in enumerate(prs.slides, start=1):
        kinds = {s.placeholder_format.type: s for s in slide.placeholders}
        if number == 1:
            assert PP_PLACEHOLDER.FOOTER not in kinds
            continue
        assert kinds[PP_PLACEHOLDER.FOOTER].text_frame.text == "THÀNH ỦY KON TUM"
        fields = kinds[PP_PLACEHOLDER.SLIDE_NUMBER]._element.xpath(".//a:fld")
        assert [(f.get("type"), f.xpath("string(a:t)")) for f in fields] == [("slidenum", str(number))]


def test_a_final_deck_has_no_draft_mark():
    assert "DỰ THẢO" not in slide_texts(open_deck(build_pptx(full_report(draft=False))).slides[0])
    assert "DỰ THẢO" in slide_texts(open_deck(build_pptx(full_report(draft=True))).slides[0])


def test_a_unit_without_its_own_narrative_has_no_slide_for_the_missing_parts():
    """As its report: no IV and V when the unit wrote none, the assessment from the data only."""
    report = full_report()
    sections = tuple(s for s in report.sections if s.key not in ("directions", "proposals", "leadership"))
    prs = open_deck(build_pptx(replace(report, sections=sections)))
    assert not [t for t in titles(prs) if t.startswith(("IV.", "V."))]
    assert notes_text(prs.slides[1]).startswith("Hộ thay đổi nếp nghĩ, cách làm: 98,8% (12.145 hộ)")  # no part I
    assert all(notes_text(slide).strip() for slide in prs.slides)


def test_nothing_overflows_and_a_long_part_goes_on_over_more_slides():
    long_items = tuple(Paragraph.of(f"Năm 2022 có {i} xã chưa đạt mục tiêu giảm tỉ lệ hộ nghèo và cận nghèo trên 1 "
                                    "điểm phần trăm: xã Đoàn Kết (giảm 0,6 điểm phần trăm, từ 19,3% xuống 18,7%); "
                                    "phường Thắng Lợi (giảm 0,7 điểm phần trăm, từ 6,0% xuống 5,3%).")
                       for i in range(1, 13))
    giant = Paragraph.of(" ".join(f"Câu thứ {i} của một đoạn nhận định rất dài, không có chỗ xuống dòng nào." for i in range(80)))
    report = full_report(limits=long_items, directions=(giant,), label="Mô hình kinh tế " * 6)
    prs = open_deck(build_pptx(report))
    assert overflows(prs) == []
    limits = [t for t in titles(prs) if "Hạn chế" in t]
    assert len(limits) > 1 and all(t.endswith("(tiếp theo)") for t in limits[1:])
    shown = " ".join(" ".join(slide_texts(slide)) for slide in prs.slides)
    for item in long_items:
        assert item.text in shown
    for i in (0, 40, 79):
        assert f"Câu thứ {i} của một đoạn" in shown  # the giant paragraph, cut between sentences
    sizes = {run.font.size.pt for slide in prs.slides for shape in slide.shapes if shape.name == "Nội dung"
             for p in shape.text_frame.paragraphs for run in p.runs}
    assert min(sizes) >= 14


def test_line_count_wraps_between_words_as_powerpoint(monkeypatch):
    monkeypatch.setattr(textfit, "text_width_pt", lambda text, size, bold=False, italic=False: 10.0 * len(text))
    runs = (("aaa bbb ccc", False, False),)
    assert line_count(runs, 12, 75) == 2   # "aaa bbb" is 70 wide; " ccc" would end at 110
    assert line_count(runs, 12, 110) == 1
    assert line_count((("aaa ", False, False), ("bbb", True, False), ("ccc", False, False)), 12, 75) == 2  # "bbbccc" is one word
    assert line_count((("x" * 25, False, False),), 12, 100) == 3  # a word wider than the line breaks


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile=st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=60)), min_size=1, max_size=4))
def test_text_from_forms_and_the_narrative_stays_text(hostile):
    items = tuple(Paragraph((Run(text, bold=i % 2 == 0),)) for i, text in enumerate(hostile))
    report = full_report(limits=items, directions=items, label=hostile[0])
    report = replace(report, meta=replace(report.meta, issuer=hostile[-1] + " THÀNH ỦY"))
    data = build_pptx(report)
    assert active_content(data) == []
    prs = open_deck(data)
    assert run_problems(prs) == []
    assert overflows(prs) == []
    shown = " ".join(" ".join(slide_texts(slide, footer=True)) + notes_text(slide) for slide in prs.slides)
    for text in hostile:
        expected = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", re.sub(r"[\n\r\t\v\f]", " ", text))
        assert unicodedata.normalize("NFC", expected).strip() in shown  # stored as NFC (U+F900 is U+8C48)


def test_every_figure_on_a_slide_is_one_the_report_prints():
    report = full_report()
    prs = open_deck(build_pptx(report))
    assert unprinted_figures(prs, report) == []
    altered = replace(report, key_figures=(replace(report.key_figures[0], value="98,75%"),))
    assert unprinted_figures(open_deck(build_pptx(altered)), report) == ["slide 2: 98,75%"]  # the check can fail


def test_the_file_names_no_software_and_carries_the_reports_properties():
    data = build_pptx(full_report())
    package = zipfile.ZipFile(io.BytesIO(data))
    assert b"python-pptx" not in package.read("docProps/core.xml")
    assert b"Microsoft" not in package.read("docProps/app.xml")
    properties = open_deck(data).core_properties
    assert properties.author == "THÀNH ỦY KON TUM" and properties.language == "vi-VN"
    assert properties.title.startswith("BÁO CÁO Sơ kết 2 năm")


@pytest.mark.parametrize("unit_count", [6, 21])
def test_the_projector_chart_keeps_its_labels_large(unit_count):
    """A dot plot of 21 units goes in two columns on a slide; its smallest text is at least 14 pt
    on the 13,3-inch slide (print: 8 pt on the A4 page)."""
    import pandas as pd
    from matplotlib.text import Text

    from analysis.report.chart_theme import projector, to_figure_block
    from analysis.report.charts import unit_rates

    rows = [("608", 2023, "r", 98.8)] + [(f"U{i}", 2023, "r", 97.0 + i / 10) for i in range(unit_count)]
    frame = pd.DataFrame(rows, columns=["unit_code", "year", "indicator", "value"]).assign(numerator=1.0,
                                                                                            denominator=1.0)
    names = {f"U{i}": f"Xã Số {i}" for i in range(unit_count)}
    block = to_figure_block(unit_rates(frame, indicator="r", label="Tỉ lệ", year=2023, unit_names=names,
                                       source="Nguồn: Biểu 01"), 1)
    chart = block.redraw(style=projector(12.3, 5.0))
    assert chart.title == block.title and chart.alt == block.alt
    assert tuple(chart.figure.get_size_inches()) == (12.3, 5.0)
    assert len(chart.figure.axes) == (2 if unit_count > 12 else 1)
    texts = [t for t in chart.figure.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert min(t.get_fontsize() for t in texts) >= 14
    assert {t.get_text() for t in texts} >= set(names.values())


def test_the_checks_see_an_overflow_a_link_a_field_and_a_run_without_its_language():
    """The measuring and scanning above are not vacuous: each finds what it looks for."""
    from lxml import etree
    from pptx.oxml.ns import qn

    prs = open_deck(build_pptx(full_report()))
    body = next(s for s in prs.slides[6].shapes if s.name == "Nội dung")
    body.height = body.height // 8
    run = body.text_frame.paragraphs[0].runs[0]
    run.hyperlink.address = "http://example.invalid"
    run._r.get_or_add_rPr().attrib.pop("lang")
    field = etree.SubElement(body.text_frame.paragraphs[1]._p, qn("a:fld"), type="datetime1", id="{0}")
    etree.SubElement(field, qn("a:t")).text = "1/1/2025"
    buffer = io.BytesIO()
    prs.save(buffer)
    assert [p for p in overflows(prs) if p.startswith("slide 7: Nội dung needs")]
    assert {p.split(": ", 1)[1] for p in active_content(buffer.getvalue())} >= {
        "<hlinkClick>", "an external relationship", "a field of type datetime1"}
    assert any("without vi-VN" in p for p in run_problems(prs))
