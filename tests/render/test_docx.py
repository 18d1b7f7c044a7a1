import datetime as dt
import io
import zipfile
import time

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from report_fixture import HOSTILE_FORMULA, HOSTILE_UNIT, make_report

from analysis.render import docx_style
from analysis.render.docx import build_docx


def test_word_document_has_the_layout_header_sections_tables_and_charts():
    document = docx.Document(io.BytesIO(build_docx(make_report())))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]
    assert document.styles["Normal"].font.name == "Times New Roman"
    header = document.tables[0].rows[0].cells
    assert "THÀNH ỦY KON TUM" in header[0].text and "ĐẢNG CỘNG SẢN VIỆT NAM" in header[1].text
    assert "Kon Tum, ngày 23 tháng 6 năm 2023" in header[1].text
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "I. KẾT QUẢ THỰC HIỆN" in headings and "1. Công tác tuyên truyền, phổ biến" in headings
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Bảng 1. Kết quả theo đơn vị năm 2023" in body and "Hình 1. Tỉ lệ hộ ĐBDTTS" in body
    assert "DỰ THẢO" in body
    data = document.tables[1]
    assert [c.text for c in data.rows[0].cells] == ["Đơn vị", "Tổng số hộ ĐBDTTS", "Tỉ lệ thay đổi nếp nghĩ, cách làm",
                                                   "Thay đổi so với năm 2021"]
    assert [c.text for c in data.rows[-1].cells] == ["Tổng cộng", "12.291", "98,8", "+48,1"]
    assert data.rows[0]._tr.trPr.xml.count("tblHeader") == 1  # header row repeats on every page
    assert [c.text for c in data.rows[2].cells][0] == HOSTILE_UNIT  # as text
    assert [c.text for c in data.rows[3].cells][0] == HOSTILE_FORMULA
    assert len(document.inline_shapes) == 1
    signature = document.tables[-2].rows[0].cells  # before the appendix table
    assert "Nơi nhận:" in signature[0].text and "T/M BAN THƯỜNG VỤ" in signature[1].text


def _wide_report():
    from dataclasses import replace

    report = make_report()
    appendix = report.appendices[0]
    wide = replace(appendix.blocks[0], wide=True)
    return replace(report, appendices=(replace(appendix, blocks=(wide,)),))


def _twips(length) -> int:
    return round(length.twips) if hasattr(length, "twips") else round(length / 635)


def test_wide_appendix_gets_a_landscape_section_with_the_same_margins_and_running_page_numbers():
    document = docx.Document(io.BytesIO(build_docx(_wide_report())))
    body, appendix = document.sections
    assert (round(body.page_width.mm), round(body.page_height.mm)) == (210, 297)
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert (round(appendix.page_width.mm), round(appendix.page_height.mm)) == (297, 210)
    margins = (appendix.top_margin, appendix.bottom_margin, appendix.left_margin, appendix.right_margin)
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]
    # Same header (the centred PAGE field), shown on the appendix's first page, numbering not restarted.
    assert appendix.header.is_linked_to_previous and not appendix.different_first_page_header_footer
    assert appendix._sectPr.find(qn("w:pgNumType")) is None
    assert "PAGE" in body.header._element.xml


def test_table_columns_fill_the_text_width_and_fit_their_content():
    document = docx.Document(io.BytesIO(build_docx(_wide_report())))
    table = document.tables[-1]  # the appendix table, on the landscape page
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert abs(sum(grid) - 252 * 1440 / 25.4) < 4  # 297 - 30 - 15 mm, in twentieths of a point
    assert grid[0] == max(grid) and len(set(grid)) == 4  # the unit names get the most room, not equal shares
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    cell = table.rows[1].cells[0]
    assert int(cell._tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) == grid[0]


def test_fit_columns_keeps_body_cells_on_one_line_and_wraps_headers_between_words(monkeypatch):
    monkeypatch.setattr(docx_style, "text_width_pt", lambda text, size, bold=False: 10.0 * len(text))
    monkeypatch.setattr(docx_style, "CELL_PADDING_PT", 0.0)
    header, body, kinds = ["Đơn vị", "Tổng số hộ"], [[("Phường A", False), ("12.291", False)]], ["text", "count"]
    # Everything on one line (80 + 100 = 180) and 20 to share in proportion.
    assert [round(w, 2) for w in docx_style.fit_columns(header, body, kinds, 200, 11)] == [88.89, 111.11]
    # The header "Tổng số hộ" wraps; "Phường A" and "12.291" stay whole: 80 and 60, the 10 left to column 2.
    assert docx_style.fit_columns(header, body, kinds, 150, 11) == [80.0, 70.0]
    # Narrower still: the unit name wraps between words ("Phường" = 60), never inside one.
    assert docx_style.fit_columns(header, body, kinds, 120, 11) == [60.0, 60.0]
    assert docx_style.fit_columns(header, body, kinds, 100, 11) is None


def test_rows_never_split_headers_repeat_and_captions_keep_with_what_they_name():
    document = docx.Document(io.BytesIO(build_docx(make_report())))
    data = document.tables[1]
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in data.rows)
    assert [row._tr.trPr.find(qn("w:tblHeader")) is not None for row in data.rows] == [True, False, False, False, False]
    paragraphs = document.paragraphs
    for caption in ("Hình 1. Tỉ lệ hộ ĐBDTTS", "Bảng 1. Kết quả theo đơn vị năm 2023"):
        index = next(i for i, p in enumerate(paragraphs) if p.text.startswith(caption))
        assert paragraphs[index].paragraph_format.keep_with_next or paragraphs[index].style.paragraph_format.keep_with_next
    picture = next(p for p in paragraphs if p._p.xpath(".//w:drawing"))
    assert picture.style.paragraph_format.keep_with_next  # the chart stays with its source line
    signature = document.tables[-2]._tbl
    assert signature.getprevious().pPr.keepNext is not None  # the last lines go with the signature


def test_vietnamese_proofing_language_on_styles_and_every_run():
    document = docx.Document(io.BytesIO(build_docx(make_report())))
    default = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert default.find(qn("w:lang")).get(qn("w:val")) == "vi-VN"
    assert document.styles["Normal"].element.rPr.find(qn("w:lang")).get(qn("w:val")) == "vi-VN"
    runs = document.element.body.findall(".//" + qn("w:r"))
    assert len(runs) > 30
    assert {run.find(qn("w:rPr") + "/" + qn("w:lang")).get(qn("w:val")) for run in runs} == {"vi-VN"}
    assert "en-US" not in document.styles.element.xml and "en-US" not in document.settings.element.xml


def test_core_properties_name_the_report_and_the_issuing_body(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")  # UTC+7: the fixture's 8:30 local time is 1:30 UTC
    time.tzset()
    try:
        properties = docx.Document(io.BytesIO(build_docx(make_report()))).core_properties
    finally:
        monkeypatch.undo()
        time.tzset()
    assert properties.title.startswith("BÁO CÁO Sơ kết 2 năm thực hiện Cuộc vận động")
    assert properties.author == "THÀNH ỦY KON TUM" and properties.last_modified_by == "THÀNH ỦY KON TUM"
    # created on the report's date (23/6/2023), modified when the file was made (8:30 local)
    assert properties.created == dt.datetime(2023, 6, 23, tzinfo=dt.UTC)
    assert properties.modified == dt.datetime(2023, 6, 20, 1, 30, tzinfo=dt.UTC)
    assert properties.language == "vi-VN"
    assert "python-docx" not in (properties.comments + properties.author)


def test_spacing_comes_from_styles_not_empty_paragraphs():
    document = docx.Document(io.BytesIO(build_docx(_wide_report())))
    paragraphs = list(document.paragraphs)
    paragraphs += [p for table in document.tables[:1] + document.tables[-2:-1] for cell in table.rows[0].cells
                   for p in cell.paragraphs]  # the header and the signature
    empty = [p for p in paragraphs if not p.text.strip() and not p._p.xpath(".//w:drawing")]
    # Only the paragraph that carries the section break after the signature table, 1 pt high.
    assert [p.style.name for p in empty] == ["Ngắt phần"]
    assert empty[0]._p.pPr.sectPr is not None
    assert document.styles["Nội dung"].paragraph_format.space_after.pt == 6


def test_opening_paragraph_comes_before_part_one_and_appendices_say_which_report_they_go_with():
    document = docx.Document(io.BytesIO(build_docx(make_report())))
    texts = [p.text for p in document.paragraphs]
    opening = texts.index("Thực hiện Kế hoạch số …-KH/TU, Ban Thường vụ Thành ủy báo cáo như sau:")
    assert opening < texts.index("I. KẾT QUẢ THỰC HIỆN")
    title = texts.index("SỐ LIỆU THEO ĐƠN VỊ")  # the appendix's title, then the line naming the report
    assert texts[title - 1] == "Phụ lục I"
    assert texts[title + 1] == "(Kèm theo Báo cáo số 127-BC/TU, ngày 23 tháng 6 năm 2023)"
    assert document.paragraphs[title + 1].runs[0].italic


def test_word_and_excel_files_name_no_software_in_their_properties():
    import zipfile

    from analysis.render.xlsx import build_xlsx

    for package in (build_docx(make_report()), build_xlsx(make_report())):
        archive = zipfile.ZipFile(io.BytesIO(package))
        app = archive.read("docProps/app.xml").decode()
        assert "Application" not in app and "penpyxl" not in app and "Word" not in app
        assert archive.testzip() is None
    reopened = docx.Document(io.BytesIO(build_docx(make_report())))  # still a document Word's reader opens
    assert reopened.core_properties.author == "THÀNH ỦY KON TUM"


def test_no_template_leftovers_in_the_package():
    names = zipfile.ZipFile(io.BytesIO(build_docx(make_report()))).namelist()
    assert not [n for n in names if "thumbnail" in n or n.startswith("customXml/")], names
