"""The day the figures are "as of" comes from the forms, in every output, with no parameter.

A real `report` run (HTML) of the five-year set with the bundled mid-2023 form (it says "số liệu đến
ngày 15/6/2023") in place of its year-end one; the 2021-2023 review of the bundled forms is read
in the real run of tests/test_analysis_trail.py (test_the_mid_term_review_marks_2023_as_the_forms_say).
Expected sentences are written from the forms (the rates are the published ones: 17,7% in 2021,
14,4% in 2022, 12,9% at 15/6/2023), never copied from a run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import openpyxl
import pytest

from analysis import config
from analysis.cli import main
from analysis.dataset import load_dataset
from analysis.compute.computed import compute_for
from analysis.report.content import build_report
from analysis.report.params import load_params
from samples import write_sample_data


def report_text(data: Path, out: Path, *extra: str) -> str:
    result = subprocess.run([sys.executable, "-m", "analysis", "report", "--data", str(data), "--out", str(out),
                             "--format", "html", *extra], capture_output=True, text=True, cwd=config.ROOT, timeout=900)
    assert result.returncode == 0, result.stderr
    page = next(p for p in out.glob("bao-cao-*.html"))
    page_text = re.sub(r"<(style|script)\b.*?</\1>", " ", page.read_text(encoding="utf-8"), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", page_text)).split())


@pytest.mark.slow
def test_the_final_review_on_a_mid_2023_form_marks_2023_and_judges_neither_change_around_it(tmp_path: Path):
    data = tmp_path / "data"
    write_sample_data(data, period=(2021, 2025))
    shutil.copy(config.RAW_DIR / "Bieu01_2023.xlsx", data / "Bieu01_2023.xlsx")  # "số liệu đến ngày 15/6/2023"
    text = report_text(data, tmp_path / "out", "--period", "2021-2025")
    assert "Tổng kết 5 năm thực hiện Cuộc vận động" in text and "từ năm 2021 đến hết năm 2025" in text
    assert "Năm 2023* so với năm 2022 (điểm phần trăm) Năm 2024 so với năm 2023* (điểm phần trăm)" in text
    assert "Đạt mục tiêu (2021–2022, 2025)" in text
    assert ("(*) Năm 2023: số liệu đến ngày 15/6/2023 (số giữa năm); mức thay đổi năm 2023 và năm 2024 chưa đánh "
            "giá theo mục tiêu năm.") in text
    # 2021: 22,0 -> 17,7; 2022: 17,7 -> 14,4; 2025: 10,9 -> 9,1; 2023 and 2024 are not judged
    assert ("Năm 2021 giảm 4,3 điểm phần trăm, từ 22,0% xuống 17,7%; năm 2022 giảm 3,3 điểm phần trăm, từ 17,7% "
            "xuống 14,4%; năm 2025 giảm 1,8 điểm phần trăm, từ 10,9% xuống 9,1%. Các năm 2021, 2022 và 2025 đều đạt "
            "mục tiêu") in text
    assert ("Số liệu năm 2023 là số đến ngày 15/6/2023 (tỉ lệ 12,9%), là số giữa năm: mức thay đổi năm 2023 và năm "
            "2024 không so với mục tiêu cả năm.") in text
    assert "năm 2023 giảm" not in text and "năm 2024 giảm" not in text  # no yearly verdict on either
    assert ("Nguồn: Biểu 01 của các phường, xã; năm 2023 tính đến ngày 15/6/2023; năm 2025 tính đến ngày "
            "31/12/2025") in text


def test_the_same_form_saying_31_12_makes_2023_a_full_year(tmp_path: Path):
    """Only the day in the title changes: 2023 becomes a completed year (no parameter says so)."""
    data = tmp_path / "data"
    shutil.copytree(config.RAW_DIR, data)
    book = openpyxl.load_workbook(data / "Bieu01_2023.xlsx")
    book.active["A5"] = "NĂM 2023 (số liệu đến ngày 31/12/2023)"
    book.save(data / "Bieu01_2023.xlsx")
    register = openpyxl.load_workbook(data / "Bieu02_MoHinh.xlsx")
    register.active["A5"] = "Từ năm 2021 đến ngày 31/12/2023"
    register.active.cell(register.active.max_row - 1, 1).value = "Ghi chú: tình trạng mô hình tính đến ngày 31/12/2023."
    register.save(data / "Bieu02_MoHinh.xlsx")
    params = load_params()
    report = build_report(compute_for(load_dataset(data, params.period), params), params)
    assert report.meta.title.startswith("Sơ kết 3 năm") and report.meta.data_as_of.isoformat() == "2023-12-31"
    poverty = next(t for t in report.tables() if t.key == "poverty")
    assert [c.label for c in poverty.columns][4] == "Năm 2023" and "(*)" not in poverty.note


def test_the_retired_parameter_says_where_the_day_comes_from(tmp_path: Path, capsys):
    (tmp_path / "cu.yaml").write_text("data_as_of: 2023-06-15\n", encoding="utf-8")
    assert main(["report", "-f", str(tmp_path / "cu.yaml"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "khóa data_as_of" in err and "không còn dùng" in err and "“NĂM 2023 (số liệu đến ngày 15/6/2023)”" in err
    assert main(["report", "--data-as-of", "2023-06-15", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "tùy chọn --data-as-of không còn dùng" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
