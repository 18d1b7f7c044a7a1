"""SpreadsheetML read by namespace, whatever prefix the writer chose (issue 24): a valid xlsx whose
elements are all written `<x:c>`, `<x:v>`, `<x:numFmt>` reads like the same file written `<c>`."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from analysis.read.files import FileProblem, read_sheets

MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Biểu 01"
    sheet.append(["Đơn vị", "Tổng số hộ ĐBDTTS", "Tỉ lệ (%)"])
    sheet.append(["Xã Ia Chim", 1234, 0.988])
    sheet["C2"].number_format = "0.0%"
    sheet["B3"] = "=SUM(B2:B2)"   # openpyxl stores a formula without its value, as a program does
    sheet.merge_cells("A4:C4")
    sheet["A4"] = "Ghi chú"
    book.save(path)
    return path


def prefixed(source: Path, target: Path) -> Path:
    """The same package with every SpreadsheetML element written with the prefix `x:`."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename.startswith("xl/") and info.filename.endswith(".xml") and MAIN in data:
                data = data.replace(b'xmlns="' + MAIN + b'"', b'xmlns:x="' + MAIN + b'"')
                data = re.sub(rb"<(/?)([A-Za-z]+)(?=[\s/>])", lambda m: b"<" + m.group(1) + b"x:" + m.group(2), data)
            out.writestr(info, data)
    return target


def only_sheet(path: Path):
    _, sheets = read_sheets(path)
    (sheet,) = list(sheets)
    return sheet


@pytest.mark.parametrize("prefix", [False, True], ids=["<c>", "<x:c>"])
def test_values_percent_formats_formulas_and_merges_read_whatever_the_prefix(tmp_path: Path, prefix: bool):
    path = workbook(tmp_path / "plain.xlsx")
    if prefix:
        path = prefixed(path, tmp_path / "Bieu01_2022.xlsx")
        assert b"<x:c " in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    sheet = only_sheet(path)
    assert sheet.name == "Biểu 01"
    assert sheet.cell(2, 1) == "Xã Ia Chim" and sheet.cell(2, 2) == 1234 and sheet.cell(2, 3) == pytest.approx(0.988)
    assert sheet.percent_cells == {(2, 3): 1}              # shown as 98,8%
    assert sheet.formulas_without_value == {(3, 2)}        # B3: open in Excel and save
    assert sheet.cell(3, 2) is None
    assert sheet.merges == [(4, 1, 4, 3)]


def test_a_cell_far_from_the_table_is_refused_before_anything_is_allocated(tmp_path: Path):
    path = prefixed(workbook(tmp_path / "plain.xlsx"), tmp_path / "x.xlsx")
    with zipfile.ZipFile(path) as original:
        parts = {info: original.read(info.filename) for info in original.infolist()}
    with zipfile.ZipFile(path, "w") as out:
        for info, data in parts.items():
            if info.filename == "xl/worksheets/sheet1.xml":  # a cell placed at XFD1048576 inside row 2
                data = data.replace(b'<x:c r="A2"', b'<x:c r="XFD1048576" t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c>'
                                                    b'<x:c r="A2"', 1)
            out.writestr(info, data)
    with pytest.raises(FileProblem) as refused:
        only_sheet(path)
    assert "vùng dữ liệu bất thường" in refused.value.values["reason"] and "XFD1048576" in refused.value.values["reason"]
