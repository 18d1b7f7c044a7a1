"""Issued is issued on the 2021–2025 sample (`sample-data --period 2021-2025`), on the map of
1/7/2025: phường Kon Tum's own report (code 23293, which on the earlier map was phường Thắng Lợi)
is issued, then one of its old wards corrects a 2024 cell; and a report on the earlier map is
never compared with it.

Phường Kon Tum's 2024 figures are the sums of its five old wards (Nghị quyết 1677/NQ-UBTVQH15,
Điều 1 khoản 88), mapped here by hand from the names the offices typed, as in
tests/report/test_five_year_review.py.
"""

import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from sample_forms import unit_rows

from analysis import config
from analysis.archive.issued import ISSUED_DIR, read_issued
from analysis.formatting import fmt_int, fmt_number

KON_TUM_WARDS = {"P. Quang Trung", "P.Quyết Thắng", "phường Trường Chinh", "THẮNG LỢI", "P. Thống  Nhất"}
CHANGED_MINDSET, HOUSEHOLDS = 5, 2  # 0-based columns of form 01
STEM = "kiem-tra-so-lieu-2021-2025-phuong-kon-tum"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, cwd=config.ROOT,
                          timeout=900)


def ward_rows(data: Path) -> list[tuple]:
    return [row for row in unit_rows(data / "Bieu01_2024.xlsx")
            if unicodedata.normalize("NFC", row[1]).strip() in KON_TUM_WARDS]


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("issued_five") / "base"
    made = run("sample-data", "--period", "2021-2025", "--out", str(folder / "data"))
    assert made.returncode == 0, made.stderr
    issued = run("report", "--period", "2021-2025", "--data", str(folder / "data"), "--out", str(folder / "out"),
                 "--format", "html", "--unit", "23293", "--final", "--number", "Số 5-BC/ĐU")
    assert issued.returncode == 0, issued.stderr
    return folder


@pytest.mark.slow
def test_a_corrected_old_ward_is_named_in_the_new_units_report(copy: Path):
    data, out = copy / "data", copy / "out"
    issued = read_issued(out / ISSUED_DIR / "5-BC-DU")
    assert (issued.unit_name, issued.period, issued.map.units, issued.map.since) == ("Phường Kon Tum", (2021, 2025),
                                                                                     6, "2025-07-01")
    rows = ward_rows(data)
    assert len(rows) == 5
    changed = sum(int(r[CHANGED_MINDSET]) for r in rows)
    households = sum(int(r[HOUSEHOLDS]) for r in rows)
    workbook = openpyxl.load_workbook(data / "Bieu01_2024.xlsx")
    sheet = workbook.active
    row = next(r for r in sheet.iter_rows(min_row=9) if r[1].value == "P. Quang Trung")
    typed = row[CHANGED_MINDSET].value
    row[CHANGED_MINDSET].value = typed - 3
    workbook.save(data / "Bieu01_2024.xlsx")
    address = row[CHANGED_MINDSET].coordinate

    result = run("report", "--period", "2021-2025", "--data", str(data), "--out", str(out), "--format", "html",
                 "--unit", "23293")
    assert result.returncode == 0, result.stderr
    where = f"Bieu01_2024.xlsx › Biểu 01 › ô {address}: {fmt_int(typed)} → {fmt_int(typed - 3)}"
    then_rate, now_rate = (fmt_number(changed / households * 100, 1), fmt_number((changed - 3) / households * 100, 1))
    lines = result.stderr.splitlines()
    title = "Kết quả thực hiện Cuộc vận động của phường Kon Tum qua các năm, so với toàn địa bàn thành phố Kon Tum cũ"
    assert f"  - {title}: 2024, Thay đổi nếp nghĩ (hộ): {fmt_int(changed)} → {fmt_int(changed - 3)} (giảm 3)" in lines
    difference = round(float(now_rate.replace(",", ".")) - float(then_rate.replace(",", ".")), 1)
    assert (f"  - {title}: 2024, Thay đổi nếp nghĩ (%): {then_rate} → {now_rate} "
            f"(giảm {fmt_number(-difference, 1)} điểm phần trăm)") in lines
    assert lines.count(f"      ô đã sửa: {where}") >= 2
    companion = (out / f"{STEM}.html").read_text(encoding="utf-8")
    assert "SO VỚI BẢN ĐÃ BAN HÀNH" in companion and "Phường Kon Tum" in companion and where in companion


@pytest.mark.slow
def test_reports_on_two_maps_of_units_are_never_compared(copy: Path):
    raw = copy / "raw"
    shutil.copytree(config.RAW_DIR, raw)
    # 23293 is phường Thắng Lợi on the 2021–2023 map and phường Kon Tum on the map of 1/7/2025
    result = run("diff", "Số 5-BC/ĐU", "du-thao", "--out", str(copy / "out"), "--data", str(raw),
                 "--period", "2021-2023")
    assert result.returncode == 2, result.stderr
    assert "không so sánh được hai báo cáo lập trên hai bản đồ đơn vị khác nhau" in result.stderr
    assert "bản đồ 6 phường, xã có hiệu lực từ ngày 1/7/2025" in result.stderr
    assert "bản đồ 21 xã, phường đến ngày 30/6/2025" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list((copy / "out").glob("so-sanh-*.html"))
