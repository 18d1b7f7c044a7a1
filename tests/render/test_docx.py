import io

import docx
from report_fixture import HOSTILE_FORMULA, HOSTILE_UNIT, make_report

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
