import re
from pathlib import Path

from report_fixture import HOSTILE_FORMULA, HOSTILE_UNIT, make_report

from analysis.render.html import render_document


def test_form_text_arrives_as_text_never_as_markup():
    page = render_document(make_report())
    assert "<script" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Xã Ia Chim" in page
    assert "&lt;b&gt;không phải thẻ HTML&lt;/b&gt; &amp; ký tự đặc biệt" in page
    assert HOSTILE_UNIT not in page
    assert "=HYPERLINK(&#34;http://example.invalid&#34;" in page  # shown as text
    assert HOSTILE_FORMULA not in page


def test_page_is_self_contained():
    page = render_document(make_report())
    assert not re.search(r"<(link|iframe|object|embed)\b", page)
    assert not re.search(r"(src|href)=[\"'](https?:)?//", page)
    assert all(src.startswith("data:image/png;base64,") for src in re.findall(r'<img src="([^"]*)"', page))
    assert "@import" not in page
    assert not re.search(r"url\(\s*[\"']?(?!#)", page)  # only references inside the page (#id)


def test_the_page_names_no_software_even_in_its_stylesheet():
    page = render_document(make_report())
    assert "/*" not in page and "weasyprint" not in page.lower() and "papermill" not in page.lower()
    assert "@page wide { size: A4 landscape;" in page  # the rules themselves are kept


def test_header_title_sections_and_signature():
    page = render_document(make_report(draft=True))
    assert "ĐẢNG BỘ TỈNH KON TUM" in page and "THÀNH ỦY KON TUM" in page and "ĐẢNG CỘNG SẢN VIỆT NAM" in page
    assert "Kon Tum, ngày 23 tháng 6 năm 2023" in page
    assert "DỰ THẢO" in page
    assert "DỰ THẢO" not in render_document(make_report(draft=False))
    assert "<h2>I. KẾT QUẢ THỰC HIỆN</h2>" in page
    assert "Bảng 1. Kết quả theo đơn vị năm 2023" in page and "Hình 1. Tỉ lệ hộ" in page
    assert "Nơi nhận:" in page and "T/M BAN THƯỜNG VỤ" in page
    assert 'alt="Biểu đồ cột: tỉ lệ năm 2021 là 50,7%, năm 2023 là 98,8%."' in page
    assert '<img src="data:image/png;base64,' in page
    assert "<td class=\"num\">12.291</td>" in page  # the totals row, numbers right-aligned


def _phone_rules(page: str) -> str:
    start = page.index("@media screen and (max-width: 600px)")
    depth, end = 0, start
    for end in range(page.index("{", start), len(page)):
        depth += {"{": 1, "}": -1}.get(page[end], 0)
        if depth == 0:
            break
    return page[start:end]


def test_phones_get_the_narrow_chart_and_print_the_wide_one():
    import base64
    from dataclasses import replace

    report = make_report()
    figure = report.figures()[0]
    narrow = replace(figure, png_narrow=figure.png[:-1] + b"\x00", narrow_width_px=345, narrow_height_px=300)
    section = replace(report.sections[0], blocks=tuple(narrow if b is figure else b for b in report.sections[0].blocks))
    page = render_document(replace(report, sections=(section, *report.sections[1:])))
    picture = re.search(r'<picture><source media="screen and \(max-width: 600px\)" srcset="data:image/png;base64,'
                        r'([^"]+)" width="345" height="300"><img src="data:image/png;base64,([^"]+)"', page)
    assert picture, "the figure is a <picture> with the narrow chart for phones"
    assert base64.b64decode(picture.group(1)) == narrow.png_narrow
    assert base64.b64decode(picture.group(2)) == figure.png  # what print (WeasyPrint) and desktops show
    assert all(s.startswith("data:image/png;base64,") for s in re.findall(r'srcset="([^"]*)"', page))
    assert "<picture>" not in render_document(report)  # no narrow variant: a plain <img>


def test_phone_rules_make_the_header_legible_and_wide_tables_usable():
    phone = _phone_rules(render_document(make_report()))
    header = re.search(r"table\.doc-header td \{([^}]*)\}", phone).group(1)
    assert "display: block" in header and "font-size: 15px" in header  # stacked, not 9,6 px
    sticky = re.search(r"\.table-scroll td:first-child \{([^}]*)\}", phone).group(1)
    assert "position: sticky" in sticky and "left: 0" in sticky and "background: #ffffff" in sticky
    assert re.search(r"\n  table \{ font-size: 0\.8125em; \}", phone)  # 13 px table text on a 16 px body


def test_appendix_says_which_report_it_goes_with_and_bookmarks_have_spaces():
    page = render_document(make_report())
    assert "(Kèm theo Báo cáo số 127-BC/TU, ngày 23 tháng 6 năm 2023)" in page
    assert "bookmark-label: 'BÁO CÁO Sơ kết 2 năm" in page
    assert '<span class="doc-type">BÁO CÁO</span> <span class="doc-title">' in page
    assert "Thực hiện Kế hoạch số …-KH/TU" in page  # the opening paragraph
    assert "SHA-256" not in page and "0" * 64 not in page  # provenance is for the companion only


def test_signature_is_kept_with_the_end_of_the_text():
    page = render_document(make_report())
    closing = page[page.index('<div class="closing">'):]
    assert closing.index("Tiếp tục đẩy mạnh công tác tuyên truyền") < closing.index("Nơi nhận:")


def test_companion_escapes_form_text_and_lists_the_inputs(tmp_path):
    from openpyxl import load_workbook

    from analysis.render.companion import render_companion, write_companion_xlsx

    report = make_report()
    page = render_companion(report.companion)
    assert "Kiểm tra số liệu – Thành phố Kon Tum" in page and "W-PERCENT" in page
    assert "<script" not in page and "&lt;script&gt;" in page
    write_companion_xlsx(report, tmp_path / "k.xlsx")
    sheet = load_workbook(tmp_path / "k.xlsx").worksheets[0]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert HOSTILE_FORMULA in values and 12291 not in values and 1298 in values  # raw numbers, text stays text
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == HOSTILE_FORMULA)
    assert cell.data_type == "s"


def test_a_chart_taller_than_wide_may_fill_a_printed_page_the_others_share_one():
    from analysis.render.html import block_html as figure
    from analysis.report.document import Figure

    def chart(width: int, height: int) -> str:
        return figure(Figure(number=2, title="t", alt="a", png=b"\x89PNG", unit="u", source="s",
                             width_px=width, height_px=height))

    assert '<figure class="chart tall">' in chart(1260, 1260)  # one row per unit: 21 rows
    assert '<figure class="chart">' in chart(1260, 600)
    css = (Path(__file__).parents[2] / "src/analysis/templates/report.css").read_text(encoding="utf-8")
    assert ".chart.tall .chart-image img { max-height: 215mm; }" in css


def test_a_short_table_is_printed_on_one_page_a_long_one_may_break():
    from dataclasses import replace

    from analysis.render.html import block_html as table

    report = make_report()
    block = next(b for part in report.appendices for b in part.blocks if hasattr(b, "rows"))
    two = replace(block, rows=block.rows[:2], text=block.text[:2], totals=None, totals_text=None)
    assert '<div class="table-block keep' in table(two)
    long = replace(block, rows=block.rows[:1] * 9, text=block.text[:1] * 9, totals=None, totals_text=None)
    assert "keep" not in table(long)
    assert re.search(r"\.table-block\.keep \{ break-inside: avoid;", render_document(report))
