import io

import openpyxl
from report_fixture import HOSTILE_FORMULA, make_report

from analysis.render.xlsx import build_xlsx


def test_appendix_tables_read_back_as_numbers_with_formats_and_text_as_text():
    workbook = openpyxl.load_workbook(io.BytesIO(build_xlsx(make_report())))
    assert workbook.sheetnames == ["PL I - Bảng 1"]
    sheet = workbook["PL I - Bảng 1"]
    assert sheet["A1"].value == "Phụ lục I - SỐ LIỆU THEO ĐƠN VỊ. Bảng 1. Kết quả theo đơn vị năm 2023"
    assert [c.value for c in sheet[3]] == ["Đơn vị", "Tổng số hộ ĐBDTTS", "Tỉ lệ thay đổi nếp nghĩ, cách làm",
                                           "Thay đổi so với năm 2021"]
    assert sheet.freeze_panes == "A4"
    assert (sheet["B4"].value, sheet["B4"].number_format) == (120, "#,##0")
    assert (sheet["C4"].value, sheet["C4"].number_format) == (97.5, "0.0")
    assert sheet["C5"].value == "–"  # no data
    assert sheet["A6"].value == HOSTILE_FORMULA and sheet["A6"].data_type == "s"
    assert [c.value for c in sheet[7]] == ["Tổng cộng", 12291, 98.8, 48.1]
    assert sheet["A7"].font.bold
    assert sheet["A8"].value == "Nguồn: Biểu 01 của các xã, phường"
