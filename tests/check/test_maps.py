"""Forms from both maps in one data set: years up to 2024 on the 21 old units, 2025 on the 6 new
ones (units.csv with validity dates, crosswalk.csv from Nghị quyết 1677/NQ-UBTVQH15)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from analysis.dataset import load_dataset
from samples import PLANTED_FINDINGS, write_sample_data

HEADER = ["STT", "Đơn vị", "Tổng số hộ ĐBDTTS", "Số hộ được tuyên truyền, phổ biến", "Số hộ thay đổi nếp nghĩ, cách làm",
          "Số hộ biết áp dụng KHKT vào sản xuất", "Số hộ có đời sống vật chất, tinh thần được cải thiện",
          "Số hộ tham gia tổ hợp tác, HTX", "Số hộ nghèo ĐBDTTS", "Số hộ cận nghèo ĐBDTTS"]


def form(path: Path, rows: list[list]) -> None:
    book = openpyxl.Workbook()
    for row in [HEADER, *rows]:
        book.active.append(row)
    book.save(path)


def test_the_five_year_sample_reads_on_both_maps(tmp_path):
    write_sample_data(tmp_path, period=(2021, 2025))
    dataset = load_dataset(tmp_path, (2021, 2025))
    found = {(r.code, r.file, r.cell) for r in dataset.findings.itertuples()}
    assert found == {(p.code, p.file, p.cell) for p in PLANTED_FINDINGS}  # no error, no map warning
    assert sorted(dataset.form01.query("year == 2024")["unit_code"]) == sorted(
        ["23281", "23284", "23287", "23290", "23293", "23296", "23299", "23302", "23305", "23308", "23311", "23314",
         "23317", "23320", "23323", "23326", "23327", "23329", "23332", "23335", "23338"])
    assert sorted(dataset.form01.query("year == 2025")["unit_code"]) == ["23284", "23293", "23302", "23317", "23326",
                                                                         "23332"]


def test_an_old_unit_in_a_2025_form_is_an_error_naming_the_new_unit(tmp_path):
    form(tmp_path / "Bieu01_2025.xlsx", [[1, "Xã Đoàn Kết", 900, 900, 800, 700, 600, 40, 30, 20]])
    dataset = load_dataset(tmp_path, (2025, 2025))
    [finding] = dataset.errors.query("code == 'E-UNIT'").itertuples()
    assert finding.cell == "B2" and finding.year == 2025
    assert "Xã Đoàn Kết (23329) không còn từ ngày 1/7/2025" in finding.message
    assert "xã Ia Chim (23326)" in finding.message


def test_a_new_unit_in_a_2024_form_is_an_error_naming_the_old_units(tmp_path):
    form(tmp_path / "Bieu01_2025.xlsx", [[1, "Xã Ia Chim", 2900, 2900, 2800, 2700, 2600, 140, 130, 120]])
    form(tmp_path / "Bieu01_2024.xlsx", [[1, "Phường Kon Tum", 3000, 3000, 2900, 2800, 2700, 150, 140, 130]])
    dataset = load_dataset(tmp_path, (2025, 2025))
    [finding] = dataset.errors.query("code == 'E-UNIT'").itertuples()
    assert finding.file == "Bieu01_2024.xlsx" and finding.cell == "B2"
    assert "Phường Kon Tum (23293) chỉ có từ ngày" in finding.message
    assert "phường Quang Trung (23281)" in finding.message and "phường Thống Nhất (23299)" in finding.message
