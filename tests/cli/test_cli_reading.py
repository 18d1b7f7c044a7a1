"""`validate` on what offices type most (issue 22): every cell accounted for, form 02 as sure as
form 01, years across columns, formulas grouped by sheet, what a report needs, findings on one
line each. Each test writes a small data set by hand and runs the real command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter

from analysis import config
from analysis.cli import main

HEADER_01 = ["STT", "Đơn vị", "Tổng số hộ ĐBDTTS", "Số hộ được tuyên truyền, phổ biến",
             "Số hộ thay đổi nếp nghĩ, cách làm", "Số hộ biết áp dụng KHKT vào sản xuất",
             "Số hộ có đời sống vật chất, tinh thần được cải thiện", "Số hộ tham gia tổ hợp tác, HTX",
             "Số hộ nghèo ĐBDTTS", "Số hộ cận nghèo ĐBDTTS"]
HEADER_02 = ["STT", "Tên mô hình", "Đơn vị", "Lĩnh vực", "Năm xây dựng", "Số hộ tham gia", "Tình trạng"]
# Xã Ia Chim and Xã Đắk Blà, each year: households, informed, mindset, science, life, coop, poor, near-poor
COUNTS = {2020: [(1000, None, None, None, None, None, 60, 70), (800, None, None, None, None, None, 50, 60)],
          2021: [(1010, 900, 500, 400, 300, 20, 55, 65), (810, 700, 400, 300, 200, 10, 45, 55)],
          2022: [(1020, 1020, 800, 700, 600, 30, 45, 60), (820, 820, 600, 500, 400, 20, 40, 50)],
          2023: [(1030, 1030, 1000, 990, 980, 40, 40, 50), (830, 830, 800, 790, 780, 30, 35, 45)]}
NAMES = ["Xã Ia Chim", "Xã Đắk Blà"]


def sheet_of(path: Path, rows: list[list], merges: tuple = ()) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Biểu"
    for row in rows:
        sheet.append(row)
    for merge in merges:
        sheet.merge_cells(merge)
    book.save(path)
    return path


def form01(folder: Path, year: int, title: str | None = None) -> Path:
    rows = [[title or f"NĂM {year}"], HEADER_01]
    rows += [[i + 1, name, *counts] for i, (name, counts) in enumerate(zip(NAMES, COUNTS[year]))]
    return sheet_of(folder / f"Bieu01_{year}.xlsx", rows)


def register(folder: Path, models: list[list] | None = None, merges: tuple = (), titles: list[list] = ()) -> Path:
    models = models or [[1, "Mô hình nuôi bò", "Xã Ia Chim", "Chăn nuôi", 2021, 12, "Đang duy trì"],
                        [2, "Mô hình dệt thổ cẩm", "Xã Đắk Blà", "Ngành nghề", 2023, 8, "Mới xây dựng"]]
    return sheet_of(folder / "Bieu02_MoHinh.xlsx", [*titles, HEADER_02, *models], merges)


def data_set(tmp_path: Path, years=(2020, 2021, 2022, 2023), with_register: bool = True) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for year in years:
        form01(folder, year)
    if with_register:
        register(folder)
    return folder


def findings(folder: Path, capsys, *extra: str) -> tuple[int, list[dict]]:
    """The exit code and the findings, without the warnings that the 19 units these small forms
    leave out are missing (W-MISSING-UNIT for a unit other than the two typed)."""
    code = main(["validate", "--data", str(folder), "--format", "json", *extra])
    found = json.loads(capsys.readouterr().out)
    return code, [f for f in found if f["code"] != "W-MISSING-UNIT" or f["unit_code"] in ("23326", "23323")]


# --- form 02 ----------------------------------------------------------------------------------------

def test_a_misspelled_unit_merged_down_over_its_models_is_one_located_message_with_the_closest_name(tmp_path, capsys):
    folder = data_set(tmp_path, with_register=False)
    models = [[1, "Mô hình nuôi bò", "Xã Ia Chiim", "Chăn nuôi", 2021, 12, "Đang duy trì"],
              [2, "Mô hình nuôi dê", None, "Chăn nuôi", 2022, 5, "Đang duy trì"],
              [3, "Mô hình trồng mì", None, "Trồng trọt", 2022, 7, "Đang duy trì"],
              [4, "Mô hình dệt thổ cẩm", "Xã Đắk Blà", "Ngành nghề", 2023, 8, "Mới xây dựng"],
              [5, "Mô hình đan lát", "", "Ngành nghề", 2023, 4, "Mới xây dựng"]]
    register(folder, models, merges=("C2:C4",))
    code, found = findings(folder, capsys, "--by-unit", str(tmp_path / "gui-lai"))
    assert code == 1
    units = [f for f in found if f["code"] == "E-UNIT"]
    assert [(f["cell"], f["unit_code"]) for f in units] == [("C2", "23326"), ("C6", "")]
    assert "không có đơn vị “Xã Ia Chiim” trong danh sách xã, phường (ô gộp, dùng cho 3 dòng); có phải là " \
           "“Xã Ia Chim”? Sửa tên" in units[0]["message"]
    assert units[1]["message"] == ("Bieu02_MoHinh.xlsx › Biểu › ô C6: dòng có số liệu nhưng không ghi tên đơn vị. "
                                   "Ghi tên xã, phường vào ô này.")
    assert len(found) == 2  # nothing else: no traceback, no follow-on warning
    sent = {p.name: [str(c.value) for row in openpyxl.load_workbook(p).active.iter_rows() for c in row]
            for p in (tmp_path / "gui-lai").iterdir()}
    assert any("“Xã Ia Chiim”" in v for v in sent["kiem-tra-xa-ia-chim.xlsx"])  # the misspelling goes to Ia Chim
    assert any("không ghi tên đơn vị" in v for v in sent["kiem-tra-chung.xlsx"])  # no unit: the general file


def test_a_register_closed_by_several_texts_and_a_formula_reads_clean(tmp_path, capsys):
    folder = data_set(tmp_path, with_register=False)
    models = [[1, "Mô hình nuôi bò", "Xã Ia Chim", "Chăn nuôi", 2021, 12, "Đang duy trì"],
              [2, "Mô hình dệt thổ cẩm", "Xã Đắk Blà", "Ngành nghề", 2023, 8, "Mới xây dựng"],
              ["Tổng cộng", "2 mô hình", None, None, None, 20, None],
              [], ["Ghi chú:", "mô hình dệt thổ cẩm được hỗ trợ khung dệt", None, None]]
    path = register(folder, models)
    _with_formula(path, "F4", "SUM(F2:F3)")
    code, found = findings(folder, capsys, "--processed", str(tmp_path / "sach"))
    assert (code, found) == (0, [])
    models = pd.read_parquet(tmp_path / "sach" / "models.parquet")
    assert list(models["households"]) == [12, 8]


def test_a_register_total_that_differs_is_a_warning_on_its_count_and_households(tmp_path, capsys):
    folder = data_set(tmp_path, with_register=False)
    models = [[1, "Mô hình nuôi bò", "Xã Ia Chim", "Chăn nuôi", 2021, 12, "Đang duy trì"],
              [2, "Mô hình dệt thổ cẩm", "Xã Đắk Blà", "Ngành nghề", 2023, 8, "Mới xây dựng"],
              [None, "Cộng: 3", None, None, None, 21, None]]
    register(folder, models)
    code, found = findings(folder, capsys)
    assert code == 0 and [f["code"] for f in found] == ["W-TOTALS", "W-TOTALS"]
    assert "dòng “Cộng: 3” ghi số mô hình là 3, nhưng tổng của các dòng mô hình là 2 (chênh +1)" in found[0]["message"]
    assert "ghi số hộ tham gia là 21, nhưng tổng của các mô hình là 20 (chênh +1)" in found[1]["message"]


def _with_formula(path: Path, cell: str, formula: str) -> None:
    """Excel's way: the formula with the value it computed (openpyxl alone writes no value)."""
    import zipfile

    from lxml import etree

    main_ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    with zipfile.ZipFile(path) as source:
        parts = {info: source.read(info.filename) for info in source.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts.items():
            if info.filename == "xl/worksheets/sheet1.xml":
                root = etree.fromstring(data)
                element = etree.Element(f"{{{main_ns}}}f")
                element.text = formula
                root.find(f".//{{{main_ns}}}c[@r='{cell}']").insert(0, element)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(info, data)


# --- every cell accounted for ---------------------------------------------------------------------

def test_figures_under_a_header_no_form_has_are_an_error_naming_their_columns(tmp_path, capsys):
    folder = data_set(tmp_path, years=(2020, 2021, 2023))
    rows = [["NĂM 2022"], HEADER_01 + ["Kế hoạch 2023", "Dự kiến"]]
    rows += [[i + 1, name, *counts, counts[0] + 5, counts[0] + 9] for i, (name, counts) in
             enumerate(zip(NAMES, COUNTS[2022]))]
    sheet_of(folder / "Bieu01_2022.xlsx", rows)
    code, found = findings(folder, capsys)
    assert code == 1 and [f["code"] for f in found] == ["E-UNREAD", "E-UNREAD"]
    assert found[0]["message"].startswith("Bieu01_2022.xlsx › Biểu: cột K, dòng 3–4 (2 số): cột “Kế hoạch 2023” "
                                          "không thuộc cột nào đã biết; các số này không được đọc.")
    assert "cột L, dòng 3–4 (2 số): cột “Dự kiến”" in found[1]["message"]


def test_formulas_without_a_value_are_one_message_per_sheet_with_their_ranges(tmp_path, capsys):
    folder = data_set(tmp_path, years=(2020, 2021, 2023))
    rows = [["NĂM 2022"], HEADER_01]
    rows += [[i + 1, name, *counts[:3], "=D3", "=D3", "=D3", *counts[6:]]
             for i, (name, counts) in enumerate(zip(NAMES, COUNTS[2022]))]
    sheet_of(folder / "Bieu01_2022.xlsx", rows)
    code, found = findings(folder, capsys)
    assert code == 1 and [f["code"] for f in found] == ["E-FORMULA"]
    assert found[0]["message"].startswith("Bieu01_2022.xlsx › Biểu: F3:H4 (6 ô) có công thức nhưng chưa có giá trị")


# --- years across columns -----------------------------------------------------------------------------

def test_years_across_columns_are_read_exactly(tmp_path, capsys):
    folder = tmp_path / "data"
    folder.mkdir()
    register(folder)
    fields = HEADER_01[2:]
    years = (2020, 2021, 2022, 2023)
    top = ["STT", "Đơn vị"] + [name for name in fields for _ in years]
    under = [None, None] + [f"Năm {y}" for _ in fields for y in years]
    rows = [["BIỂU TỔNG HỢP 2021-2023"], top, under]
    for i, name in enumerate(NAMES):
        rows.append([i + 1, name] + [COUNTS[y][i][f] for f in range(len(fields)) for y in years])
    merges = ["A2:A3", "B2:B3"] + [f"{get_column_letter(3 + 4 * f)}2:{get_column_letter(6 + 4 * f)}2"
                                   for f in range(len(fields))]
    sheet_of(folder / "Bieu01_TongHop.xlsx", rows, merges)
    code, found = findings(folder, capsys, "--processed", str(tmp_path / "sach"))
    assert (code, found) == (0, [])
    form01 = pd.read_parquet(tmp_path / "sach" / "form01.parquet").set_index(["unit_code", "year"])
    assert form01.loc[("23326", 2022), ["households", "changed_mindset", "near_poor"]].tolist() == [1020, 800, 60]
    assert form01.loc[("23323", 2020), "households"] == 800 and pd.isna(form01.loc[("23323", 2020), "informed"])
    assert len(form01) == 8


def test_years_across_with_a_year_no_field_names_is_refused_with_its_cells(tmp_path, capsys):
    folder = tmp_path / "data"
    folder.mkdir()
    register(folder, [[1, "Mô hình nuôi bò", "Xã Ia Chim", "Chăn nuôi", 2021, 12, "Mới xây dựng"]])
    columns = [(field, year) for f, field in enumerate(HEADER_01[2:]) for year in (2020, 2021)
               if year == 2021 or f in (0, 6, 7)]   # the baseline year has households, poor and near-poor
    top, under = ["Đơn vị"], [None]
    for field, year in columns:
        top.append(field if not top[-1] == field else None)
        under.append(f"Năm {year}")
    rows = [top + [None], under + ["Năm 2022"]]   # a last column of 2022 under no field
    for i, name in enumerate(NAMES):
        values = {(field, year): COUNTS[year][i][HEADER_01[2:].index(field)] for field, year in columns}
        rows.append([name] + [values[key] for key in columns] + [COUNTS[2022][i][0]])
    spans, start = [], 2   # each field's title merged across its years, as offices type it
    for field in dict.fromkeys(field for field, _ in columns):
        width = sum(1 for f, _ in columns if f == field)
        if width > 1:
            spans.append(f"{get_column_letter(start)}1:{get_column_letter(start + width - 1)}1")
        start += width
    sheet_of(folder / "Bieu01_TongHop.xlsx", rows, ("A1:A2", *spans))
    code, found = findings(folder, capsys, "--period", "2021-2021")
    assert code == 1 and [f["code"] for f in found] == ["E-UNREAD"]
    column = get_column_letter(len(columns) + 2)
    assert found[0]["message"].startswith(f"Bieu01_TongHop.xlsx › Biểu: cột {column}, dòng 3–4 (2 số): cột “Năm 2022” "
                                          "không ghi là chỉ tiêu nào; các số này không được đọc.")


# --- what a report needs ----------------------------------------------------------------------------------

def test_validate_says_what_a_report_of_the_period_lacks(tmp_path, capsys):
    folder = data_set(tmp_path, years=(2021, 2023), with_register=False)
    assert main(["validate", "--data", str(folder)]) == 1
    out = capsys.readouterr().out
    out = "\n".join(line for line in out.splitlines() if "W-MISSING-UNIT" not in line)
    assert "không có số liệu Biểu 01 năm 2020 (năm gốc của kỳ 2021–2023: số hộ, hộ nghèo, hộ cận nghèo)" in out
    assert "không có số liệu Biểu 01 năm 2022." in out
    assert "không có Biểu 02 (danh sách mô hình kinh tế) trong thư mục số liệu" in out
    assert out.endswith("cảnh báo trong 2 tệp. Có lỗi: chưa lập được báo cáo.") and "\n3 lỗi, " in out
    assert [line.split()[1] for line in out.splitlines()[:-1]] == ["E-NO-FORM"] * 3


def test_two_files_of_one_year_stating_different_days_are_named_both(tmp_path, capsys):
    folder = data_set(tmp_path, with_register=False)
    form01(folder, 2023, title="NĂM 2023 (số liệu đến ngày 15/6/2023)")
    register(folder, titles=[["Từ năm 2021 đến ngày 30/6/2023"]])
    code, found = findings(folder, capsys)
    assert code == 0 and [f["code"] for f in found] == ["W-AS-OF"]
    assert found[0]["message"] == (
        "Bieu02_MoHinh.xlsx › Biểu: năm 2023: Bieu01_2023.xlsx › Biểu › ô A1 ghi số liệu đến ngày 15/6/2023, còn "
        "Bieu02_MoHinh.xlsx › Biểu › ô A1 ghi đến ngày 30/6/2023. Thống nhất ngày số liệu giữa các biểu; báo cáo coi "
        "số liệu năm 2023 là đến ngày 15/6/2023 (ngày sớm hơn).")


# --- messages ---------------------------------------------------------------------------------------------

def test_through_a_pipe_each_finding_is_one_line(tmp_path):
    folder = data_set(tmp_path, with_register=False)
    long_name = "Mô hình trồng cà phê xen canh cây ăn quả và chăn nuôi bò sinh sản của Tổ hợp tác thôn Kon Hra Chót"
    register(folder, [[1, long_name, "Xã Hùng Vương Ia Chim", "Chăn nuôi", 2021, 12, "Đang hoạt động tốt"]])
    result = subprocess.run([sys.executable, "-m", "analysis", "validate", "--data", str(folder)], capture_output=True,
                            text=True, cwd=config.ROOT, timeout=300)
    lines = result.stdout.splitlines()
    assert result.returncode == 1 and all(line.startswith(("Lỗi ", "Cảnh báo ")) for line in lines[:-1])
    assert len([line for line in lines if "Hùng Vương" in line]) == 1  # a grep finds it whole
    status = next(line for line in lines if "Đang hoạt động tốt" in line)
    assert "(Đang duy trì, Đã nhân rộng, Ngừng hoạt động, Mới xây dựng)" in status  # each once
    assert not any(mark in result.stdout for mark in ("?.", "..", ".."))
