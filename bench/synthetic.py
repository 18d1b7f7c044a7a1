"""Synthetic province-to-nation scale data: 10.000 units with their own reference list,
5 years of form 01 (baseline + 4), valid data, as CSV files and as one xlsx workbook."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

HEADER = ["STT", "Đơn vị", "Tổng số hộ ĐBDTTS", "Số hộ được tuyên truyền, phổ biến", "Tỉ lệ (%)",
          "Số hộ thay đổi nếp nghĩ, cách làm", "Số hộ biết áp dụng KHKT vào sản xuất",
          "Số hộ có đời sống vật chất, tinh thần được cải thiện", "Số hộ tham gia tổ hợp tác, HTX",
          "Số hộ nghèo ĐBDTTS", "Số hộ cận nghèo ĐBDTTS"]
YEARS = (2019, 2020, 2021, 2022, 2023)
PERIOD = (2020, 2023)


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


def write(folder: Path, count: int = 10_000) -> tuple[Path, Path, pd.DataFrame]:
    """CSV files (one per year) in folder/csv and one workbook (a sheet per year) in folder/xlsx."""
    reference = units(count)
    csv_dir, xlsx_dir = folder / "csv", folder / "xlsx"
    csv_dir.mkdir(parents=True, exist_ok=True)
    xlsx_dir.mkdir(parents=True, exist_ok=True)
    workbook = Workbook(write_only=True)
    for year in YEARS:
        data = rows(year, reference, np.random.default_rng(2023))
        with open(csv_dir / f"Bieu01_{year}.csv", "w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow([f"BIỂU TỔNG HỢP NĂM {year}"])
            writer.writerow(HEADER)
            writer.writerows(data)
        sheet = workbook.create_sheet(f"Năm {year}")
        sheet.append([f"BIỂU TỔNG HỢP NĂM {year}"])
        sheet.append(HEADER)
        for row in data:
            sheet.append(row)
    workbook.save(xlsx_dir / "Bieu01_tong_hop.xlsx")
    return csv_dir, xlsx_dir, reference
