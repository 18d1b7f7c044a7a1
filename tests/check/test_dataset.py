"""Reading and validating forms: every variation of the data contract, every error and warning.

Fixtures are tiny workbooks and CSV files written by hand in each test (or committed binary
files under tests/fixtures/forms/ where a library cannot write them: encrypted, .xls).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from analysis import config
from analysis.cli import main
from analysis.dataset import load_dataset, write_processed
from analysis.reference import load_units
from samples import PLANTED_FINDINGS
from layouts import to_cp1258

FIXTURES = Path(__file__).parents[1] / "fixtures" / "forms"
TWO_UNITS = load_units().query("code in ['23326', '23323']").reset_index(drop=True)  # Ia Chim, Đắk Blà
HEADER_01 = ["STT", "Đơn vị", "Tổng số hộ ĐBDTTS", "Số hộ được tuyên truyền, phổ biến",
             "Số hộ thay đổi nếp nghĩ, cách làm", "Số hộ biết áp dụng KHKT vào sản xuất",
             "Số hộ có đời sống vật chất, tinh thần được cải thiện", "Số hộ tham gia tổ hợp tác, HTX",
             "Số hộ nghèo ĐBDTTS", "Số hộ cận nghèo ĐBDTTS"]
HEADER_BASELINE = ["STT", "Đơn vị", "Tổng số hộ ĐBDTTS", "Số hộ nghèo ĐBDTTS", "Số hộ cận nghèo ĐBDTTS"]
HEADER_02 = ["STT", "Tên mô hình", "Đơn vị", "Lĩnh vực", "Năm xây dựng", "Số hộ tham gia", "Tình trạng", "Năm ngừng",
             "Ghi chú"]
IA_CHIM = ["Xã Ia Chim", 1000, 1000, 900, 800, 700, 50, 60, 70]
DAK_BLA = ["Xã Đắk Blà", 800, 800, 700, 600, 500, 40, 50, 60]


def sheet_rows(year: int, units=(IA_CHIM, DAK_BLA)) -> list[list]:
    if year == 2020:
        return [HEADER_BASELINE] + [[i + 1, u[0], u[1], u[6], u[7]] for i, u in enumerate(units)]
    return [HEADER_01] + [[i + 1, *u] for i, u in enumerate(units)]


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


REGISTER = [HEADER_02, [1, "Mô hình nuôi bò", "Xã Ia Chim", "Chăn nuôi", 2021, 12, "Đang duy trì", None, None],
            [2, "Mô hình dệt thổ cẩm", "Xã Đắk Blà", "Ngành nghề", 2023, 8, "Mới xây dựng", None, None]]


def full_set(folder: Path, *, skip: int | None = None, **override) -> Path:
    """A valid two-unit data set: one file per year 2020-2023 and a register; `override[year]` replaces rows."""
    folder.mkdir(parents=True, exist_ok=True)
    for year in (2020, 2021, 2022, 2023):
        if year != skip:
            write_xlsx(folder / f"Bieu01_{year}.xlsx", {"Biểu 01": override.get(f"y{year}", sheet_rows(year))})
    write_xlsx(folder / "Bieu02_MoHinh.xlsx", {"Biểu 02": REGISTER})
    return folder


def read_findings(dataset):
    """The findings about what was read, without those about what is missing for a report (E-NO-FORM):
    for the tests that read a folder with one form in it."""
    return dataset.findings[dataset.findings["code"] != "E-NO-FORM"]


def codes(dataset) -> list[str]:
    return list(dataset.findings["code"])


def only(dataset, code: str):
    found = dataset.findings[dataset.findings["code"] == code]
    assert len(found) == 1, dataset.findings[["code", "message"]].to_string()
    return found.iloc[0]


# --- the bundled sample ---------------------------------------------------------------------------


def test_sample_data_has_exactly_the_planted_warnings_and_no_error():
    dataset = load_dataset()
    found = {(r.code, r.file, r.sheet, r.cell) for r in dataset.findings.itertuples()}
    assert found == {(p.code, p.file, p.sheet, p.cell) for p in PLANTED_FINDINGS}
    assert dataset.errors.empty


def test_sample_data_clean_frames_trace_back_to_their_cells():
    dataset = load_dataset()
    assert len(dataset.form01) == 84  # 21 units x 4 years, the duplicate kept once
    row = dataset.form01.query("unit_code == '23326' and year == 2022").iloc[0]
    assert (row["source_file"], row["source_sheet"], row["source_row"]) == ("Bieu01_2022.xlsx", "Biểu 01", 24)
    assert row["households"] == 1493  # typed as the text "1.493"
    assert len(dataset.models) == 240


def test_raw_files_are_never_modified(tmp_path: Path):
    def digests():
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in config.RAW_DIR.iterdir()}

    before = digests()
    dataset = load_dataset()
    write_processed(dataset, tmp_path / "processed")
    assert digests() == before
    assert sorted(p.name for p in (tmp_path / "processed").iterdir()) == [
        "as_of.parquet", "findings.parquet", "form01.parquet", "models.parquet", "reported_percents.parquet",
        "reported_totals.parquet", "sources.parquet"]


# --- variations that must be accepted -------------------------------------------------------------


def test_titles_two_row_merged_header_totals_and_notes_are_understood(tmp_path: Path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "ỦY BAN NHÂN DÂN XÃ IA CHIM"
    sheet["A3"] = "BIỂU TỔNG HỢP NĂM 2022"
    sheet.append([])
    sheet.append(["STT", "Đơn vị", "Tổng số hộ DTTS\n(hộ)", "Số hộ thay đổi nếp nghĩ", None,
                  "Số hộ nghèo ĐBDTTS", "Số hộ cận nghèo ĐBDTTS"])
    sheet.append([None, None, None, "Số hộ", "Tỉ lệ (%)"])
    sheet.merge_cells("D5:E5")
    sheet.append(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"])
    sheet.append([1, "Ia Chim", "1.000", 900, "90,0", 60, 70])
    sheet.append([None, "Tổng cộng", 1000, 900, 90, 60, 70])
    sheet.append([])
    sheet.append(["Ghi chú: số liệu đến 31/12/2022"])
    sheet.append(["Người lập biểu", None, None, None, "Chủ tịch"])
    folder = tmp_path / "data"
    folder.mkdir()
    workbook.save(folder / "bieu.xlsx")
    # 2022 is the baseline year of a 2023 period: the campaign columns are optional there.
    dataset = load_dataset(folder, (2023, 2023), units=load_units().query("code == '23326'"))
    row = dataset.form01.iloc[0]
    assert (row["unit_code"], row["year"], row["households"], row["changed_mindset"]) == ("23326", 2022, 1000, 900)
    assert dataset.reported_totals.set_index("field").loc["households", "value"] == 1000
    percent = dataset.reported_percents.iloc[0]
    assert (percent["field"], percent["value"], percent["decimals"], percent["cell"]) == ("changed_mindset", 90.0, 1, "E8")
    assert read_findings(dataset).empty, dataset.findings["message"].tolist()
    # a report of 2023 needs that year's form 01 and a register: validate says so
    missing = dataset.findings.query("code == 'E-NO-FORM'")["message"].tolist()
    assert missing == ["data: không có số liệu Biểu 01 năm 2023. Chép biểu còn thiếu vào thư mục số liệu rồi chạy lại, "
                       "hoặc chọn kỳ báo cáo khác (--period).",
                       "data: không có Biểu 02 (danh sách mô hình kinh tế) trong thư mục số liệu. Chép biểu còn thiếu "
                       "vào thư mục số liệu rồi chạy lại, hoặc chọn kỳ báo cáo khác (--period)."]


def test_one_workbook_with_a_sheet_per_year_and_both_forms(tmp_path: Path):
    folder = tmp_path / "data"
    folder.mkdir()
    models = [HEADER_02, [1, "Mô hình nuôi bò", "Xã Ia Chim", "Chăn nuôi", 2021, 12, "Đang duy trì", None, None],
              [2, "Mô hình dệt thổ cẩm", "Xã Đắk Blà", "Ngành nghề", 2023, 8, "Mới xây dựng", None, None]]
    write_xlsx(folder / "TongHop.xlsx", {**{f"Năm {y}": sheet_rows(y) for y in (2020, 2021, 2022, 2023)},
                                          "Mô hình": models})
    (folder / "~$TongHop.xlsx").write_bytes(b"lock")
    (folder / ".~lock.TongHop.xlsx#").write_bytes(b"lock")
    dataset = load_dataset(folder, units=TWO_UNITS)
    assert dataset.findings.empty, dataset.findings["message"].tolist()
    assert sorted(dataset.form01["year"].unique()) == [2020, 2021, 2022, 2023]
    assert list(dataset.models["status"]) == ["maintained", "new"]
    assert list(dataset.models["sector"]) == ["livestock", "trades"]


def test_year_column_wins_over_file_name(tmp_path: Path):
    folder = full_set(tmp_path / "data", skip=2022)
    rows = [HEADER_01[:2] + ["Năm"] + HEADER_01[2:]] + [[1, "Ia Chim", 2022, *IA_CHIM[1:]],
                                                       [2, "Đắk Blà", 2022, *DAK_BLA[1:]]]
    write_xlsx(folder / "Bieu01_2019.xlsx", {"Sheet1": rows})
    dataset = load_dataset(folder, units=TWO_UNITS)
    assert dataset.findings.empty
    assert set(dataset.form01["year"]) == {2020, 2021, 2022, 2023}


def test_nfd_workbook_reads_like_nfc(tmp_path: Path):
    folder = full_set(tmp_path / "data", skip=2023)
    nfd = [[unicodedata.normalize("NFD", v) if isinstance(v, str) else v for v in row] for row in sheet_rows(2023)]
    write_xlsx(folder / "Bieu01_2023.xlsx", {"2023": nfd})
    dataset = load_dataset(folder, units=TWO_UNITS)
    assert dataset.findings.empty
    assert set(dataset.form01.query("year == 2023")["unit_code"]) == {"23326", "23323"}


def csv_text(rows: list[list], delimiter: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def test_csv_in_cp1258_with_semicolons_and_utf8_bom_with_commas(tmp_path: Path):
    folder = full_set(tmp_path / "data", skip=2023)
    rows = sheet_rows(2023, units=(["Xã Ia Chim", "1.000", "1.000", "900", "800", "700", " 50 ", "60", "-"],
                                   DAK_BLA))
    (folder / "Bieu01_2023.csv").write_bytes(to_cp1258(csv_text(rows, ";")))
    dataset = load_dataset(folder, units=TWO_UNITS)
    assert dataset.errors.empty, dataset.findings["message"].tolist()
    ia_chim = dataset.form01.query("unit_code == '23326' and year == 2023").iloc[0]
    assert ia_chim["households"] == 1000 and ia_chim["coop_members"] == 50
    assert ia_chim["near_poor"] is None or str(ia_chim["near_poor"]) == "<NA>"  # "-" is missing, not zero

    (folder / "Bieu01_2023.csv").unlink()
    (folder / "Bieu01_2023.csv").write_bytes(b"\xef\xbb\xbf" + csv_text(sheet_rows(2023), ",").encode("utf-8"))
    assert load_dataset(folder, units=TWO_UNITS).findings.empty


def test_xls_file_is_read(tmp_path: Path):
    folder = full_set(tmp_path / "data", skip=2021)
    shutil.copy(FIXTURES / "Bieu01_2021.xls", folder / "Bieu01_2021.xls")
    dataset = load_dataset(folder, units=TWO_UNITS)
    assert dataset.findings.empty, dataset.findings["message"].tolist()
    assert dataset.form01.query("year == 2021")["households"].sum() == 1800


# --- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content, code",
    [
        ("notes.txt", b"khong phai bang tinh", "E-FILE"),
        ("Bieu01_2022.xlsx", b"PK\x03\x04 not really a zip", "E-FILE"),
        ("Bieu01_2022.csv", b"", "E-EMPTY"),
    ],
)
def test_unreadable_files_are_errors_named_by_file(tmp_path: Path, name, content, code):
    folder = full_set(tmp_path / "data")
    (folder / name).write_bytes(content)
    finding = only(load_dataset(folder, units=TWO_UNITS), code)
    assert finding["severity"] == "error" and finding["file"] == name
    assert finding["message"].startswith(name)


def test_encrypted_workbook_is_an_error(tmp_path: Path):
    folder = full_set(tmp_path / "data")
    shutil.copy(FIXTURES / "encrypted_2023.xlsx", folder / "Bieu01_2023b.xlsx")
    finding = only(load_dataset(folder, units=TWO_UNITS), "E-ENCRYPTED")
    assert "mật khẩu" in finding["message"]


def test_missing_column_lists_the_headers_found(tmp_path: Path):
    rows = [[c for c in row if c != "Số hộ nghèo ĐBDTTS"] for row in sheet_rows(2022)]
    rows = [HEADER_01[:8] + HEADER_01[9:]] + [r[:8] + r[9:] for r in sheet_rows(2022)[1:]]
    folder = full_set(tmp_path / "data", y2022=rows)
    finding = only(load_dataset(folder, units=TWO_UNITS), "E-COLUMN")
    assert "thiếu cột “Số hộ nghèo ĐBDTTS”" in finding["message"]
    assert "“Số hộ cận nghèo ĐBDTTS”" in finding["message"]  # listed among the headers found


def test_unknown_unit_suggests_the_closest_name(tmp_path: Path):
    rows = sheet_rows(2022, units=(["Xã Ia Chiem", *IA_CHIM[1:]], DAK_BLA))
    rows[1][1] = "Xã Ia Chimm"
    folder = full_set(tmp_path / "data", y2022=rows)
    finding = only(load_dataset(folder, units=TWO_UNITS), "E-UNIT")
    assert finding["cell"] == "B2"
    assert "“Xã Ia Chimm”" in finding["message"] and "; có phải là “Xã Ia Chim”? Sửa tên" in finding["message"]
    assert finding["unit_code"] == "23326"  # the closest unit: validate --by-unit sends it there


def test_same_unit_and_year_twice_different_is_an_error_identical_is_a_warning(tmp_path: Path):
    folder = full_set(tmp_path / "data", y2022=sheet_rows(2022) + [[3, "Đăk Bla", 801, *DAK_BLA[2:]]],
                      y2021=sheet_rows(2021) + [[3, *IA_CHIM]])
    dataset = load_dataset(folder, units=TWO_UNITS)
    error = only(dataset, "E-DUPLICATE")
    assert "tổng số hộ ĐBDTTS: 800 và 801" in error["message"] and error["year"] == 2022
    warning = only(dataset, "W-DUPLICATE")
    assert warning["year"] == 2021 and warning["severity"] == "warning"
    assert len(dataset.form01.query("year == 2021")) == 2  # kept once


@pytest.mark.parametrize(
    "typed, code, text",
    [
        ("-5", "E-NEGATIVE", "là số âm (-5)"),
        ("khoảng 50", "E-NOT-NUMBER", "ghi “khoảng 50”, không phải là số"),
        ("1,3", "E-FRACTION", "ghi “1,3”: số hộ phải là số nguyên"),
    ],
)
def test_bad_counts_are_located_errors(tmp_path: Path, typed, code, text):
    rows = sheet_rows(2022)
    rows[2][7] = typed  # Đắk Blà's coop_members, column H, row 3
    finding = only(load_dataset(full_set(tmp_path / "data", y2022=rows), units=TWO_UNITS), code)
    assert finding["cell"] == "H3" and finding["message"].startswith("Bieu01_2022.xlsx › Biểu 01 › ô H3: ")
    assert text in finding["message"]


def test_part_greater_than_whole_says_both_values(tmp_path: Path):
    rows = sheet_rows(2022, units=(IA_CHIM, ["Xã Đắk Blà", 1298, 1298, 1305, 600, 500, 40, 50, 60]))
    finding = only(load_dataset(full_set(tmp_path / "data", y2022=rows), units=TWO_UNITS), "E-PART-WHOLE")
    assert finding["cell"] == "E3"
    assert "số hộ thay đổi nếp nghĩ, cách làm (1.305) lớn hơn tổng số hộ ĐBDTTS (1.298)" in finding["message"]


def test_poor_plus_near_poor_above_households_is_an_error(tmp_path: Path):
    rows = sheet_rows(2021, units=(IA_CHIM, ["Xã Đắk Blà", 800, 800, 700, 600, 500, 40, 500, 301]))
    finding = only(load_dataset(full_set(tmp_path / "data", y2021=rows), units=TWO_UNITS), "E-PART-WHOLE")
    assert "số hộ nghèo ĐBDTTS + số hộ cận nghèo ĐBDTTS (801) lớn hơn tổng số hộ ĐBDTTS (800)" in finding["message"]


def test_formula_without_stored_value_says_to_save_in_excel(tmp_path: Path):
    rows = sheet_rows(2023)
    rows[2][2] = "=800"
    finding = only(load_dataset(full_set(tmp_path / "data", y2023=rows), units=TWO_UNITS), "E-FORMULA")
    assert "Bieu01_2023.xlsx › Biểu 01: C3 (1 ô) có công thức" in finding["message"]
    assert "Mở tệp bằng Excel" in finding["message"]


def test_year_outside_period_and_undeterminable_year(tmp_path: Path):
    folder = full_set(tmp_path / "data")
    write_xlsx(folder / "Bieu01_2019.xlsx", {"Biểu 01": sheet_rows(2021)})
    write_xlsx(folder / "Bieu01_moi.xlsx", {"Biểu 01": sheet_rows(2021)})
    dataset = load_dataset(folder, units=TWO_UNITS)
    assert codes(dataset).count("E-YEAR-PERIOD") == 1  # one for the table, not one per row of 2019
    assert "số liệu năm 2019 (2 dòng) nằm ngoài kỳ báo cáo 2021–2023" in only(dataset, "E-YEAR-PERIOD")["message"]
    assert only(dataset, "E-YEAR-UNKNOWN")["file"] == "Bieu01_moi.xlsx"


@pytest.mark.parametrize(
    "status, built, stopped, text",
    [
        ("Mới xây dựng", 2022, None, "ghi “Mới xây dựng” nhưng xây dựng năm 2022"),
        ("Ngừng hoạt động", 2021, None, "không ghi năm ngừng"),
        ("ngừng", 2022, 2021, "năm ngừng 2021 phải từ năm xây dựng 2022"),
        ("Không duy trì", 2021, 2024, "năm ngừng 2024 phải từ năm xây dựng 2021 đến năm báo cáo 2023"),
        ("Đang duy trì", 2021, 2022, "ghi năm ngừng 2022 nhưng tình trạng là “Đang duy trì”"),
    ],
)
def test_model_status_inconsistent_with_its_years(tmp_path: Path, status, built, stopped, text):
    folder = full_set(tmp_path / "data")
    write_xlsx(folder / "Bieu02.xlsx", {"Biểu 02": [HEADER_02, [1, "Mô hình nuôi dê", "Ia Chim", "Chăn nuôi",
                                                                 built, 5, status, stopped, None]]})
    finding = only(load_dataset(folder, units=TWO_UNITS), "E-STATUS-YEAR")
    assert text in finding["message"]


# --- warnings -------------------------------------------------------------------------------------


def test_totals_row_off_and_percent_neither_rounded_nor_truncated(tmp_path: Path):
    rows = [HEADER_01[:5] + ["Tỉ lệ (%)"] + HEADER_01[5:]]
    rows += [[1, "Ia Chim", 1000, 1000, 900, "90,1", 800, 700, 50, 60, 70],
             [2, "Đắk Blà", 800, 800, 700, "87,5", 600, 500, 40, 50, 60],
             [None, "Tổng cộng", 1801, 1800, 1600, "88,8", 1400, 1200, 90, 110, 130]]
    dataset = load_dataset(full_set(tmp_path / "data", y2022=rows), units=TWO_UNITS)
    totals = only(dataset, "W-TOTALS")
    assert totals["cell"] == "C4" and "ghi tổng số hộ ĐBDTTS là 1.801, nhưng tổng của 2 đơn vị là 1.800" in totals["message"]
    percent = only(dataset, "W-PERCENT")  # 90,1 is wrong; 87,5 exact; 88,8 = truncation of 88,88…
    assert percent["cell"] == "F2" and "ghi 90,1%, tính lại 900 / 1.000 = 90,000%" in percent["message"]


def test_missing_unit_and_households_jump(tmp_path: Path):
    folder = full_set(tmp_path / "data", y2022=sheet_rows(2022, units=(["Ia Chim", 1200, *IA_CHIM[2:]],)))
    dataset = load_dataset(folder, units=TWO_UNITS)
    missing = only(dataset, "W-MISSING-UNIT")
    assert missing["year"] == 2022 and missing["unit_name"] == "Xã Đắk Blà"
    outliers = dataset.findings.query("code == 'W-OUTLIER'")
    assert list(outliers["year"]) == [2022, 2023]  # 1.000 -> 1.200 -> 1.000: +20% then -16,7%
    assert "thay đổi 20,0%, quá 15%" in outliers.iloc[0]["message"]


# --- the command line -----------------------------------------------------------------------------


def test_validate_exits_0_on_the_sample_and_prints_a_summary(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "0 lỗi, 3 cảnh báo trong 5 tệp." in out


def test_validate_exits_1_with_json_findings(tmp_path: Path, capsys):
    rows = sheet_rows(2022)
    rows[2][7] = "1,3"
    folder = full_set(tmp_path / "data", y2022=rows)
    assert main(["validate", "--data", str(folder), "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)
    fraction = [f for f in findings if f["code"] == "E-FRACTION"][0]
    assert fraction["cell"] == "H3" and fraction["severity"] == "error" and fraction["values"] == {"value": "1,3"}


def test_validate_usage_errors_exit_2_without_traceback(tmp_path: Path, capsys):
    assert main(["validate", "--data", str(tmp_path / "nowhere")]) == 2
    assert main(["validate", "--period", "2023-2021"]) == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--format", "xml"])
    assert exit_info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_by_unit_workbooks_keep_form_text_as_text(tmp_path: Path):
    rows = sheet_rows(2022)
    rows[2][7] = "1,3"
    folder = full_set(tmp_path / "data", skip=2022)
    write_xlsx(folder / "Bieu01_2022.xlsx", {"=1+1": rows})  # a sheet name that looks like a formula
    assert main(["validate", "--data", str(folder), "--by-unit", str(tmp_path / "out")]) == 1
    workbook = openpyxl.load_workbook(tmp_path / "out" / "kiem-tra-xa-dak-bla.xlsx")
    sheet_cell = workbook.active["D4"]
    assert sheet_cell.value == "=1+1" and sheet_cell.data_type == "s"
    assert "số hộ phải là số nguyên" in workbook.active["H4"].value
