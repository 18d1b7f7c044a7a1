"""Synthetic province-to-nation scale data: 10.000 units with their own reference list,
5 years of form 01 (baseline + 4), valid data, as CSV files and as one xlsx workbook, with a small
register of models (form 02) so that the data set is one a report can be made from; and a
register of 550.000 models (form 02 at the documented limits: 5 million cells a sheet, 50 MB a file)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from analysis import config

HEADER = ["STT", "Đơn vị", "Tổng số hộ ĐBDTTS", "Số hộ được tuyên truyền, phổ biến", "Tỉ lệ (%)",
          "Số hộ thay đổi nếp nghĩ, cách làm", "Số hộ biết áp dụng KHKT vào sản xuất",
          "Số hộ có đời sống vật chất, tinh thần được cải thiện", "Số hộ tham gia tổ hợp tác, HTX",
          "Số hộ nghèo ĐBDTTS", "Số hộ cận nghèo ĐBDTTS"]
REGISTER_HEADER = ["STT", "Tên mô hình", "Đơn vị", "Lĩnh vực", "Năm xây dựng", "Số hộ tham gia", "Tình trạng",
                   "Năm ngừng", "Ghi chú"]
YEARS = (2019, 2020, 2021, 2022, 2023)
PERIOD = (2020, 2023)
SECTORS = ("Trồng trọt", "Chăn nuôi", "Ngành nghề, dịch vụ", "Du lịch cộng đồng", "Khác")
ACTIVITIES = ("nuôi bò", "nuôi dê", "trồng mì", "trồng cà phê", "dệt thổ cẩm")


def units(count: int = 10_000) -> pd.DataFrame:
    codes = [f"{90000 + i}" for i in range(count)]
    names = [f"Thử Nghiệm {i}" for i in range(count)]
    kinds = ["xã" if i % 3 else "phường" for i in range(count)]
    full = [f"{'Xã' if k == 'xã' else 'Phường'} {n}" for k, n in zip(kinds, names)]
    return pd.DataFrame({"code": codes, "name": names, "type": kinds, "aliases": [()] * count, "full_name": full,
                         "slug": [f"u{c}" for c in codes]})


def rows(year: int, reference: pd.DataFrame, rng: np.random.Generator) -> list[list]:
    households = rng.integers(200, 2000, len(reference))  # the same base every year (same seed)
    out = []
    for i, (name, whole) in enumerate(zip(reference["full_name"], households), start=1):
        whole = int(whole * (1 + 0.02 * (year - YEARS[0])))
        informed = int(whole * 0.97)
        out.append([i, name, whole, informed, round(informed / whole * 100, 1), int(whole * 0.6), int(whole * 0.5),
                    int(whole * 0.4), int(whole * 0.03), int(whole * 0.08), int(whole * 0.1)])
    return out


def models(reference: pd.DataFrame, count: int, width: int = 9) -> list[list]:
    """`count` models spread over the units, built 2020-2023, maintained (or new in 2023); the
    first `width` columns of REGISTER_HEADER."""
    names = reference["full_name"].tolist()
    out = []
    for i in range(count):
        built = PERIOD[0] + i % 4
        out.append([i + 1, f"{ACTIVITIES[i % 5]} {i + 1}", names[i % len(names)], SECTORS[i % 5], built,
                    3 + i % 20, "Mới xây dựng" if built == PERIOD[1] else "Đang duy trì", None, None][:width])
    return out


def write(folder: Path, count: int = 10_000) -> tuple[Path, Path, pd.DataFrame]:
    """CSV files (one per year, and a register) in folder/csv and one workbook (a sheet per year and
    the register) in folder/xlsx."""
    reference = units(count)
    csv_dir, xlsx_dir = _folders(folder)
    workbook = _forms01(reference, csv_dir, "BIỂU TỔNG HỢP NĂM {}")
    register = [REGISTER_HEADER, *models(reference, 100)]
    _csv(csv_dir / "Bieu02_MoHinh.csv", register)
    sheet = workbook.create_sheet("Biểu 02")
    for row in register:
        sheet.append(row)
    workbook.save(xlsx_dir / "Bieu01_tong_hop.xlsx")
    return csv_dir, xlsx_dir, reference


def write_register(folder: Path, count: int = 550_000, unit_count: int = 1_000) -> tuple[Path, Path, pd.DataFrame]:
    """A register of `count` models over `unit_count` units, with their form 01 (5 years), as CSV
    files in folder/csv and as two workbooks in folder/xlsx."""
    reference = units(unit_count)
    csv_dir, xlsx_dir = _folders(folder)
    _forms01(reference, csv_dir, "NĂM {}").save(xlsx_dir / "Bieu01_tong_hop.xlsx")
    register = [REGISTER_HEADER[:7], *models(reference, count, width=7)]  # no year stopped, no notes: < 50 MB
    _csv(csv_dir / "Bieu02_MoHinh.csv", register)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Biểu 02")
    for row in register:
        sheet.append(row)
    book.save(xlsx_dir / "Bieu02_MoHinh.xlsx")
    return csv_dir, xlsx_dir, reference


def _folders(folder: Path) -> tuple[Path, Path]:
    csv_dir, xlsx_dir = folder / "csv", folder / "xlsx"
    csv_dir.mkdir(parents=True, exist_ok=True)
    xlsx_dir.mkdir(parents=True, exist_ok=True)
    return csv_dir, xlsx_dir


def _forms01(reference: pd.DataFrame, csv_dir: Path, title: str) -> Workbook:
    """Form 01 of every year: a CSV file each in `csv_dir`, and a sheet each in the workbook returned."""
    workbook = Workbook(write_only=True)
    for year in YEARS:
        data = [[title.format(year)], HEADER, *rows(year, reference, np.random.default_rng(2023))]
        _csv(csv_dir / f"Bieu01_{year}.csv", data)
        sheet = workbook.create_sheet(f"Năm {year}")
        for row in data:
            sheet.append(row)
    return workbook


def _csv(path: Path, data: list[list]) -> None:
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        csv.writer(handle, delimiter=";").writerows(data)


def write_province(folder: Path, count: int = 100) -> tuple[Path, Path]:
    """A synthetic province of `count` units for `report`: a project root (folder/root: the
    reference files with its own units.csv, the narrative folder and the notebooks, read through
    ANALYSIS_ROOT) and its forms (folder/forms: form 01 for 2020-2023 as CSV, a register of 10
    models a unit). Returns (root, forms)."""
    root, forms = folder / "root", folder / "forms"
    shutil.copytree(config.REFERENCE_DIR, root / "data" / "reference")
    shutil.copytree(config.NARRATIVE_DIR, root / "data" / "narrative")
    (root / "notebooks").mkdir(parents=True)
    for notebook in config.NOTEBOOKS_DIR.glob("0[1-4]_*.ipynb"):
        shutil.copy(notebook, root / "notebooks")
    reference = units(count)
    pd.DataFrame({"code": reference["code"], "name": reference["name"], "type": reference["type"], "aliases": "",
                  "valid_from": "", "valid_to": ""}).to_csv(root / "data" / "reference" / "units.csv", index=False)
    forms.mkdir(parents=True)
    for year in (2020, 2021, 2022, 2023):
        _csv(forms / f"Bieu01_{year}.csv", [[f"BIỂU TỔNG HỢP NĂM {year}"], HEADER,
                                             *rows(year, reference, np.random.default_rng(2023))])
    register = [[*row[:4], 2021 + i % 3, *row[5:6], "Mới xây dựng" if i % 3 == 2 else "Đang duy trì", *row[7:]]
                for i, row in enumerate(models(reference, 10 * count))]  # built within the period 2021-2023
    _csv(forms / "Bieu02_MoHinh.csv", [REGISTER_HEADER, *register])
    return root, forms
