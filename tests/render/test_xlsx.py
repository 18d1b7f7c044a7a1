import io
import re
from dataclasses import replace

import openpyxl
from report_fixture import HOSTILE_FORMULA, make_report

from analysis.render.xlsx import build_xlsx
from analysis.report.document import Column, Table

VI = "[$-42A]"
PRINTED_NUMBER = re.compile(r"[+\-−]?[\d.,]+%?")  # "12.291", "98,8%", "−0,2", "2023"


def _workbook(report):
    return openpyxl.load_workbook(io.BytesIO(build_xlsx(report)))


def _with_checks_table(report):
    """The fixture plus a table like Phụ lục III's reconciliation: figures the report prints as text."""
    checks = Table(
        number=2,
        title="Đối chiếu số liệu đã công bố",
        columns=(Column("Chỉ tiêu"), Column("Năm"), Column("Đã công bố"), Column("Kết quả"), Column("Ghi chú")),
        rows=(
            ("Số hộ thay đổi nếp nghĩ", "2023", "12.145", "Khớp", "12.145"),
            ("Tỉ lệ hộ thay đổi nếp nghĩ", "2023", "98,8%", "Khớp", "Ghi chú dài " + "rất dài " * 60),
            ("Mức giảm", "2021", "−0,2", "Chênh do làm tròn", "–"),
            ("Tăng so với năm 2021", "2023", "+48,1", "Khớp", ""),
        ),
        text=(),
        unit="",
        source="Nguồn: số liệu đã công bố",
    )
    checks = replace(checks, text=checks.rows)
    appendix = report.appendices[0]
    return replace(report, appendices=(replace(appendix, blocks=(*appendix.blocks, checks)),))


def test_appendix_tables_read_back_as_numbers_with_formats_and_text_as_text():
    workbook = _workbook(make_report())
    assert workbook.sheetnames == ["PL I - Bảng 1"]
    sheet = workbook["PL I - Bảng 1"]
    assert sheet["A1"].value == ("Phụ lục I - SỐ LIỆU THEO ĐƠN VỊ (Kèm theo Báo cáo số 127-BC/TU, ngày 23 tháng 6 năm 2023). "
                                 "Bảng 1. Kết quả theo đơn vị năm 2023")
    assert [c.value for c in sheet[3]] == ["Đơn vị", "Tổng số hộ ĐBDTTS", "Tỉ lệ thay đổi nếp nghĩ, cách làm",
                                           "Thay đổi so với năm 2021"]
    assert sheet.freeze_panes == "A4"
    assert (sheet["B4"].value, sheet["B4"].number_format) == (120, VI + "#,##0")
    assert (sheet["C4"].value, sheet["C4"].number_format) == (97.5, VI + "0.0")
    assert sheet["D4"].number_format == VI + "+0.0;-0.0;0.0"
    assert sheet["C5"].value == "–"  # no data
    assert sheet["A6"].value == HOSTILE_FORMULA and sheet["A6"].data_type == "s"
    assert [c.value for c in sheet[7]] == ["Tổng cộng", 12291, 98.8, 48.1]
    assert sheet["A7"].font.bold
    assert sheet["A8"].value == "Nguồn: Biểu 01 của các xã, phường"


def test_every_sheet_prints_landscape_one_page_wide_with_titles_repeated_and_page_numbers():
    workbook = _workbook(_with_checks_table(make_report()))
    assert len(workbook.worksheets) == 2
    for sheet in workbook.worksheets:
        setup = sheet.page_setup
        assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$3"  # title, unit and header rows on every page
        assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text


def test_figures_printed_as_text_are_stored_as_numbers_and_no_number_stays_text():
    workbook = _workbook(_with_checks_table(make_report()))
    sheet = workbook["PL I - Bảng 2"]
    assert [(c.value, c.number_format) for c in sheet["B"][3:7]] == [(2023, "0"), (2023, "0"), (2021, "0"), (2023, "0")]
    assert (sheet["C4"].value, sheet["C4"].number_format) == (12145, VI + "#,##0")
    assert (sheet["C5"].value, sheet["C5"].number_format) == (0.988, VI + "0.0%")
    assert (sheet["C6"].value, sheet["C6"].number_format) == (-0.2, VI + "#,##0.0")
    assert (sheet["C7"].value, sheet["C7"].number_format) == (48.1, VI + "+0.0;-0.0;0.0")
    # A column of words with one number in it stays text, number included: it is not a column of figures.
    assert (sheet["E4"].value, sheet["E4"].data_type) == ("12.145", "s")
    for each in workbook.worksheets:
        as_text = [c.coordinate for row in each.iter_rows() for c in row
                   if isinstance(c.value, str) and PRINTED_NUMBER.fullmatch(c.value) and c.column != 5]
        assert as_text == [], each.title


def test_wrapped_rows_get_their_height_and_every_cell_the_report_font():
    workbook = _workbook(_with_checks_table(make_report()))
    sheet = workbook["PL I - Bảng 2"]
    # About 500 characters in a column at most 60 digits wide: at least 5 lines of 15 pt.
    assert sheet.row_dimensions[5].height >= 5 * 15
    assert sheet.row_dimensions[3].height >= 15  # the header row
    fonts = {c.font.name for s in workbook.worksheets for row in s.iter_rows() for c in row if c.value is not None}
    assert fonts == {"Times New Roman"}
    assert workbook._fonts[0].name == "Times New Roman"  # empty cells too


def test_core_properties_name_the_issuing_body():
    properties = _workbook(make_report()).properties
    assert properties.creator == "THÀNH ỦY KON TUM" and properties.lastModifiedBy == "THÀNH ỦY KON TUM"
    assert properties.title.startswith("BÁO CÁO Sơ kết 2 năm thực hiện Cuộc vận động")
    assert properties.title.endswith("- Phụ lục")


def test_rates_are_stored_as_printed_not_unrounded():
    report = make_report()
    table = report.appendices[0].blocks[0]
    rows = ((table.rows[0][0], table.rows[0][1], 98.93617021276596, table.rows[0][3]), *table.rows[1:])
    appendix = replace(report.appendices[0], blocks=(replace(table, rows=rows),))
    sheet = _workbook(replace(report, appendices=(appendix,))).worksheets[0]
    assert sheet["C4"].value == 98.9
