"""Hostile and odd files reach the analyst as located messages, never as a traceback or an
unbounded allocation (issue: never a traceback, never unbounded). Each test uses a small file that
takes the same path as the attack it stands for."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from analysis.check.form01 import dedupe
from analysis.dataset import load_dataset
from analysis.read import files
from analysis.reference import load_units

TWO_UNITS = load_units().query("code in ['23326', '23323']").reset_index(drop=True)
HEADER = ["STT", "Đơn vị", "Tổng số hộ ĐBDTTS", "Số hộ được tuyên truyền, phổ biến", "Số hộ thay đổi nếp nghĩ, cách làm",
          "Số hộ biết áp dụng KHKT vào sản xuất", "Số hộ có đời sống vật chất, tinh thần được cải thiện",
          "Số hộ tham gia tổ hợp tác, HTX", "Số hộ nghèo ĐBDTTS", "Số hộ cận nghèo ĐBDTTS"]


def workbook(path: Path, rows: list[list], *, far_cell: str | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Biểu 01"
    for row in rows:
        sheet.append(row)
    if far_cell:
        sheet[far_cell] = "x"
    book.save(path)
    return path


def read_errors(dataset):
    """The errors about what was read (these tests read a folder of one form 01: what a report would
    also need, E-NO-FORM, is not their subject)."""
    return dataset.errors[dataset.errors["code"] != "E-NO-FORM"]


def messages(dataset, code: str) -> list[str]:
    return list(dataset.findings.query("code == @code")["message"])


def test_a_workbook_that_inflates_beyond_the_limit_is_refused_before_parsing(tmp_path, monkeypatch):
    # The same check as a 3 MB file inflating to 3 GiB, with the limit lowered to this small file.
    path = workbook(tmp_path / "Bieu01_2022.xlsx", [HEADER, [1, "Ia Chim", 1000, 1000, 900, 800, 700, 50, 60, 70]])
    inflated = sum(info.file_size for info in zipfile.ZipFile(path).infolist())
    monkeypatch.setattr(files, "MAX_UNCOMPRESSED_BYTES", inflated - 1)
    [message] = messages(load_dataset(tmp_path, (2022, 2022), units=TWO_UNITS), "E-FILE")
    assert message.startswith("Bieu01_2022.xlsx: tệp giải nén ra") and "quá giới hạn" in message


def test_a_value_at_the_last_cell_of_a_sheet_is_refused_before_the_engine_allocates_it(tmp_path):
    workbook(tmp_path / "Bieu01_2022.xlsx", [HEADER, [1, "Ia Chim", 1000, 1000, 900, 800, 700, 50, 60, 70]],
             far_cell="XFD1048576")
    [message] = messages(load_dataset(tmp_path, (2022, 2022), units=TWO_UNITS), "E-FILE")
    assert "vùng dữ liệu bất thường" in message and "XFD1048576" in message


def test_a_count_beyond_any_plausible_value_is_a_located_error(tmp_path):
    workbook(tmp_path / "Bieu01_2022.xlsx", [HEADER, [1, "Ia Chim", 1e19, 1000, 900, 800, 700, 50, 60, 70]])
    dataset = load_dataset(tmp_path, (2022, 2022), units=TWO_UNITS)
    [finding] = dataset.findings.query("code == 'E-TOO-LARGE'").itertuples()
    assert finding.cell == "C2" and "lớn bất thường (quá 10.000.000)" in finding.message


@pytest.mark.parametrize("ending", ["\r", "\r\n", "\n", "mixed"])
def test_csv_line_endings_of_every_kind_are_read(tmp_path, ending):
    import csv
    import io

    def line(values) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="").writerow(values)
        return buffer.getvalue()

    lines = [line(HEADER), line([1, "Ia Chim", 1000, 1000, 900, 800, 700, 50, 60, 70]),
             line([2, "Đắk Blà", 800, 800, 700, 600, 500, 40, 50, 60])]
    text = "\r".join(lines[:2]) + "\n" + lines[2] if ending == "mixed" else ending.join(lines) + ending
    (tmp_path / "Bieu01_2022.csv").write_bytes(text.encode("utf-8"))
    dataset = load_dataset(tmp_path, (2022, 2022), units=TWO_UNITS)
    assert read_errors(dataset).empty, dataset.findings["message"].tolist()
    assert sorted(dataset.form01["households"]) == [800, 1000]


def test_a_link_that_leaves_the_data_folder_is_refused_by_name_and_never_read(tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("mật khẩu: abc123\n", encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    workbook(data / "Bieu01_2022.xlsx", [HEADER, [1, "Ia Chim", 1000, 1000, 900, 800, 700, 50, 60, 70]])
    (data / "Bieu01_2021.csv").symlink_to(secret)
    dataset = load_dataset(data, (2022, 2022), units=TWO_UNITS)
    [message] = messages(dataset, "E-FILE")
    assert message.startswith("Bieu01_2021.csv: là liên kết trỏ ra ngoài thư mục số liệu")
    assert "abc123" not in " ".join(dataset.findings["message"])


def test_a_fifo_in_the_data_folder_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "Bieu01_2021.csv")
    workbook(tmp_path / "Bieu01_2022.xlsx", [HEADER, [1, "Ia Chim", 1000, 1000, 900, 800, 700, 50, 60, 70]])
    [message] = messages(load_dataset(tmp_path, (2022, 2022), units=TWO_UNITS), "E-FILE")
    assert message.startswith("Bieu01_2021.csv: không phải tệp thông thường")


def test_a_file_name_that_is_not_utf8_is_shown_with_its_bytes_visible(tmp_path):
    name = os.fsdecode(b"Bieu01_\xf4_2022.txt")
    (tmp_path / name).write_bytes(b"not a form")
    workbook(tmp_path / "Bieu01_2022.xlsx", [HEADER, [1, "Ia Chim", 1000, 1000, 900, 800, 700, 50, 60, 70]])
    dataset = load_dataset(tmp_path, (2022, 2022), units=TWO_UNITS)
    [message] = messages(dataset, "E-FILE")
    assert message.startswith("Bieu01_\\xf4_2022.txt: không phải tệp xlsx")
    assert "Bieu01_\\xf4_2022.txt" in list(dataset.sources["file"])


def test_duplicate_rows_where_one_copy_has_a_blank_cell_are_compared_without_a_crash(tmp_path):
    rows = [HEADER, [1, "Ia Chim", 1000, 1000, 900, 800, 700, 50, 60, 70],
            [2, "Ia Chim", 1000, 1000, 900, 800, 700, None, 60, 70]]
    workbook(tmp_path / "Bieu01_2022.xlsx", rows)
    [finding] = load_dataset(tmp_path, (2022, 2022), units=TWO_UNITS).findings.query("code == 'E-DUPLICATE'").itertuples()
    assert finding.cell == "B3" and "số hộ tham gia tổ hợp tác, hợp tác xã: 50 và trống" in finding.message


def test_households_zero_the_year_before_is_an_outlier_not_a_division_error(tmp_path):
    base = ["STT", "Đơn vị", "Tổng số hộ ĐBDTTS", "Số hộ nghèo ĐBDTTS", "Số hộ cận nghèo ĐBDTTS"]
    workbook(tmp_path / "Bieu01_2021.xlsx", [base, [1, "Ia Chim", 0, 0, 0]])
    workbook(tmp_path / "Bieu01_2022.xlsx", [HEADER, [1, "Ia Chim", 1000, 1000, 900, 800, 700, 50, 60, 70]])
    dataset = load_dataset(tmp_path, (2022, 2022), units=load_units().query("code == '23326'"))
    [finding] = dataset.findings.query("code == 'W-OUTLIER'").itertuples()
    assert finding.cell == "C2" and "năm 2022 là 1.000, năm 2021 là 0 (thay đổi từ 0 hộ, quá 15%)" in finding.message


def test_dedupe_is_a_frame_function_that_keeps_one_identical_copy():
    import pandas as pd

    from analysis.check.findings import Findings
    from analysis.check.rules import load_rules
    from analysis.vocabulary import COUNT_FIELDS

    row = {"file": "a.xlsx", "sheet": "S", "row": 2, "unit_code": "23326", "unit_name": "Xã Ia Chim", "year": 2022,
           **dict.fromkeys(COUNT_FIELDS, pd.NA)}
    units = pd.DataFrame([row, {**row, "row": 3}]).astype({f: "Int64" for f in COUNT_FIELDS})
    findings = Findings(load_rules())
    kept = dedupe(units, findings)
    assert len(kept) == 1 and [r["code"] for r in findings.records] == ["W-DUPLICATE"]
