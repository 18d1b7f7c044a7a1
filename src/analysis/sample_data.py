"""The bundled sample forms: Excel workbooks typed the way ward and commune offices type them.

`write_sample_data(out_dir)` writes form 01 for 2020 (baseline), 2021, 2022 and 2023 (to the
review, mid-June 2023) and form 02 (the register of 240 models). It is deterministic: a fixed
seed, fixed document properties and fixed zip timestamps give the same bytes on every run.

Only the city totals are published (the review article; tests/fixtures/published_figures.csv); the split over
the 21 units is illustrative. The totals reproduce the article exactly:

* 2023: 12.291 households, all informed; 12.145 changed mindset (98,81%), 12.165 applying
  science (98,97%: the article truncated it to 98,9), 12.102 improved life (98,46%), 551 in
  cooperatives.
* 2021 (households 12.010): 6.090 changed mindset = 50,708% (98,812 - 50,708 = 48,104 -> 48,1);
  4.105 applying science = 34,180% (98,975 - 34,180 = 64,795 -> 64,8); 2.940 improved life
  = 24,480% (98,462 - 24,480 = 73,982 -> 74,0). Each 2021 rate rounds to 50,7 / 34,2 / 24,5.
* Poor + near-poor: 2.616 / 11.890 = 22,002% (2020); 2.126 / 12.010 = 17,702% (2021, fall
  4,300 -> 4,3); 1.751 / 12.160 = 14,400% (2022, fall 3,302 -> 3,3); 1.585 / 12.291 = 12,896%
  (mid-2023, shown, not judged).
* Form 02: 240 models; 179 built in 2021-2022 (145 Đang duy trì, 34 Đã nhân rộng) and 61
  built in 2023 (Mới xây dựng); none stopped.

Imperfections planted on purpose (warnings, not errors), listed in PLANTED_FINDINGS:
* W-TOTALS: Bieu01_2022.xlsx, the totals row's households are 3 more than the sum of the units.
* W-PERCENT: Bieu01_2022.xlsx, one unit's "Tỉ lệ (%)" of changed mindset has its two
  integer digits swapped.
* W-DUPLICATE: Bieu01_2021.xlsx, one unit's row is typed twice with identical values.
Not a finding: Bieu01_2023.xlsx's totals row types applying science as 98,9 (a truncation of
98,975, accepted as the article did). Numbers typed as text ("1.234", " 551 ", "98,8") and
unit names spelled in many ways (prefixes, Đăk/Đắk, Hoà/Hòa, NFD, extra spaces) are accepted.

Every form states the day its figures are as of in its second title row ("NĂM 2022 (số liệu đến
ngày 31/12/2022)", "NĂM 2023 (số liệu đến ngày 15/6/2023)", "Từ năm 2021 đến ngày 15/6/2023"):
the reader takes it from there (analysis.read.asof), so 2023 is mid-year with no parameter.

The five-year set, `write_sample_data(out_dir, period=(2021, 2025))`, across the reorganisation
of 1/7/2025 (Nghị quyết 1677/NQ-UBTVQH15, data/reference/crosswalk.csv): form 01 for 2020-2022
byte-identical to the bundled files (their city totals are the published ones), form 01 for 2023
to 31/12/2023 (YEAR_END_2023: the offices doing a tổng kết have the year-end forms), then
Bieu01_2024.xlsx on the 21 old units and Bieu01_2025.xlsx on the 6 new units (figures as of
31/12, so 2025 is on the new map), and a register to 31/12/2025 instead of the mid-2023 one.
The year-end 2023, 2024 and 2025 figures are illustrative, chosen to continue the published trend:

* 2023 to 31/12 (21 old units, each continuing its mid-2023 size by -2%..+3%): 12.350 households,
  all informed; 12.200 changed mindset, 12.215 applying science, 12.160 improved life, 585 in
  cooperatives; poor 660 + near-poor 896 = 1.556 / 12.350 = 12,599% (fall 1,80 points from 14,400%).

* 2024 (21 old units): 12.420 households (+1,0% on 12.291), all informed; 12.300 changed mindset
  (99,03%), 12.310 applying science (99,11%), 12.280 improved life (98,87%), 610 in
  cooperatives; poor 560 + near-poor 790 = 1.350 / 12.420 = 10,870% (fall 1,73 points from
  the year-end 12,599%; 1,7 printed).
* 2025 (6 new units): 12.540 households (+1,0%), all informed; 12.440 changed mindset
  (99,20%), 12.450 applying science (99,28%), 12.425 improved life (99,08%), 665 in
  cooperatives; poor 455 + near-poor 680 = 1.135 / 12.540 = 9,051% (fall 1,82 points, above
  the target of 1 a year). The 2025 split is drawn per old unit (continuing each unit's size
  with a change of -2%..+3% a year, so well under 15%) and summed onto the new units, so a new
  unit's 2025 figures continue the sum of its members' 2024 figures.
* Form 02 to 31/12/2025: the 240 models of 2021 to mid-2023 (same names, units and sectors as
  the bundled register), 58 built in 2024 in old units and 52 built in 2025 in new units (each
  model keeps the unit it was built in: old units before 1/7/2025, new ones after). Statuses
  as of 31/12/2025: 52 new (built 2025), 62 replicated (the 34 of mid-2023 and 28 more), 11
  stopped (year stopped 2023-2025), 225 maintained: 350 models. No planted findings in 2024-2025.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from analysis import config
from analysis.maps import load_crosswalk
from analysis.errors import UsageError
from analysis.reference import load_units
from analysis.vocabulary import form01_fields

SEED = 20230623
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_ISO = "2023-06-15T00:00:00Z"

# City totals per year: the published ones (2023) and the ones chosen for the earlier years
# so that rates and differences round to the published digits (see the module docstring).
CITY_TOTALS: dict[int, dict[str, int]] = {
    2020: {"households": 11890, "poor": 1190, "near_poor": 1426},
    2021: {"households": 12010, "informed": 11650, "changed_mindset": 6090, "applied_science": 4105,
           "improved_life": 2940, "coop_members": 310, "poor": 952, "near_poor": 1174},
    2022: {"households": 12160, "informed": 12160, "changed_mindset": 9870, "applied_science": 9120,
           "improved_life": 8650, "coop_members": 460, "poor": 770, "near_poor": 981},
    2023: {"households": 12291, "informed": 12291, "changed_mindset": 12145, "applied_science": 12165,
           "improved_life": 12102, "coop_members": 551, "poor": 680, "near_poor": 905},
}
MODELS_BY_YEAR = {2021: 95, 2022: 84, 2023: 61}
MID_2023 = "15/6/2023"  # the day the 2023 figures of the 2021-2023 review stop at (the review conference)
REPLICATED = 34  # of the 179 models built in 2021-2022; the other 145 are maintained

# Relative size of each unit's ĐBDTTS population (wards small, communes large), by GSO code.
UNIT_WEIGHTS = {
    "23281": 95, "23284": 60, "23287": 140, "23290": 410, "23293": 380, "23296": 520,
    "23299": 210, "23302": 350, "23305": 230, "23308": 60, "23311": 690, "23314": 620,
    "23317": 940, "23320": 760, "23323": 1180, "23326": 1620, "23327": 830, "23329": 850,
    "23332": 760, "23335": 1290, "23338": 900,
}
# How offices spell the units in form 01 (all resolvable through data/reference/units.csv).
FORM01_SPELLINGS = {
    "23281": "P. Quang Trung", "23284": "Phường Duy Tân", "23287": "P.Quyết Thắng",
    "23290": "phường Trường Chinh", "23293": "THẮNG LỢI", "23296": "Ngô Mây",
    "23299": "P. Thống  Nhất", "23302": "Lê Lợi", "23305": unicodedata.normalize("NFD", "Nguyễn Trãi"),
    "23308": "Trần Hưng Đạo", "23311": "Xã Đăk Cấm", "23314": "Kroong", "23317": "X. Ngọc Bay",
    "23320": "Vinh Quang", "23323": "Xã Đăk Bla", "23326": "Ia Chim ", "23327": "Đắk Năng",
    "23329": "Đoàn Kết", "23332": "Chư Hreng", "23335": "Đăk Rơ Wa", "23338": "xã Hoà Bình",
}

CAMPAIGN_FIELDS = ("informed", "changed_mindset", "applied_science", "improved_life")
HEADERS = {field.id: field.header for field in form01_fields()}
FORM01_FILE = "Bieu01_{year}.xlsx"
FORM02_FILE = "Bieu02_MoHinh.xlsx"
SHEET01 = "Biểu 01"
SHEET02 = "Biểu 02"
FIRST_DATA_ROW = 9  # rows 1-6 titles, 7-8 the two-row header

# Planted imperfections: which unit and how (see the module docstring).
TOTALS_OFF_BY = 3
PERCENT_SWAP_UNIT = "23326"  # Ia Chim, 2022, changed mindset
DUPLICATE_UNIT = "23296"  # Ngô Mây, 2021


@dataclass(frozen=True)
class PlantedFinding:
    code: str
    file: str
    sheet: str
    cell: str


def round_half_up(value: float, decimals: int) -> float:
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split `total` into whole numbers proportional to `weights` (largest remainder)."""
    shares = weights / weights.sum() * total
    whole = np.floor(shares).astype(int)
    order = np.argsort(-(shares - whole), kind="stable")
    whole[order[: total - whole.sum()]] += 1
    return whole


def city_units() -> list[str]:
    return list(load_units()["code"])


def unit_values(rng: np.random.Generator) -> dict[int, dict[str, np.ndarray]]:
    """Per-unit counts for every year; each column sums exactly to CITY_TOTALS."""
    return _unit_values(rng, CITY_TOTALS)[0]


def _unit_values(rng: np.random.Generator, city_totals: dict[int, dict[str, int]],
                 weights: np.ndarray | None = None) -> tuple[dict[int, dict[str, np.ndarray]], np.ndarray]:
    """Per-unit counts of the 21 old units for the years of `city_totals`, and the last weights."""
    codes = city_units()
    base = np.array([UNIT_WEIGHTS[c] for c in codes], dtype=float)
    is_commune = np.array([c >= "23311" for c in codes])
    values: dict[int, dict[str, np.ndarray]] = {}
    weights = base if weights is None else weights
    for year, totals in city_totals.items():
        weights = weights * rng.uniform(0.98, 1.03, len(codes))  # < 15% change year on year
        households = allocate(totals["households"], weights)
        row = {"households": households}
        for field in CAMPAIGN_FIELDS:
            if field in totals:
                # Allocate the households NOT reached, so that no part exceeds the whole.
                gap = allocate(totals["households"] - totals[field], households * rng.uniform(0.7, 1.3, len(codes)))
                row[field] = households - np.minimum(gap, households)
        if "coop_members" in totals:
            row["coop_members"] = allocate(totals["coop_members"], households * np.where(is_commune, 1.6, 0.5))
        poverty_weight = households * np.where(is_commune, 1.8, 0.6) * rng.uniform(0.8, 1.2, len(codes))
        row["poor"] = allocate(totals["poor"], poverty_weight)
        row["near_poor"] = allocate(totals["near_poor"], poverty_weight)
        values[year] = row
    for year, row in values.items():
        for field, column in row.items():
            assert column.sum() == city_totals[year][field], (year, field)
    return values, weights


# --- workbook writing ---------------------------------------------------------------------------

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(name="Times New Roman", bold=True, size=12)
PLAIN = Font(name="Times New Roman", size=12)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


AGENCY = ("ỦY BAN NHÂN DÂN THÀNH PHỐ KON TUM", "BAN CHỈ ĐẠO CUỘC VẬN ĐỘNG")


def _title_rows(ws, last_col: int, lines: list[str], agency: tuple[str, str] = AGENCY) -> None:
    ws["A1"], ws["A2"] = agency
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=5)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=5)
    for row, text in zip((4, 5), lines):
        ws.cell(row, 1, text).font = BOLD
        ws.cell(row, 1).alignment = CENTER
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
    ws["A1"].font = ws["A2"].font = BOLD


def _form01_columns(year: int) -> list[tuple[str, str | None]]:
    """(field, sub-header) per column after STT and Đơn vị; sub-header None = single header."""
    if year == min(CITY_TOTALS):
        return [("households", None), ("poor", None), ("near_poor", None)]
    columns: list[tuple[str, str | None]] = [("households", None)]
    for field in CAMPAIGN_FIELDS:
        columns += [(field, "Số hộ"), (field, "Tỉ lệ (%)")]
    return columns + [("coop_members", None), ("poor", None), ("near_poor", None)]


def _percent(count: int, households: int) -> float:
    return round_half_up(count / households * 100, 1)


def _swap_integer_digits(value: float) -> float:
    whole, _, fraction = f"{value:.1f}".partition(".")
    return float(f"{whole[::-1]}.{fraction}")


def _typed(value, *, as_text: bool):
    """A count as an office types it: sometimes as text with a thousands dot."""
    if not as_text:
        return int(value)
    return f"{int(value):,}".replace(",", ".")


def write_form01(year: int, row_values: dict[str, np.ndarray], out_dir: Path, *, codes: list[str] | None = None,
                 spellings: dict[str, str] | None = None, totals: dict[str, int] | None = None,
                 period: str | None = None, agency: tuple[str, str] = AGENCY) -> Path:
    """One form 01 workbook; by default on the 21 units of 2021-2023 with CITY_TOTALS[year]."""
    codes = city_units() if codes is None else codes
    spellings = FORM01_SPELLINGS if spellings is None else spellings
    columns = _form01_columns(year)
    last_col = 2 + len(columns)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET01
    quirks = totals is None  # the bundled forms' typing quirks (published totals, text cells) only there
    if period is None:
        period = f"NĂM {year} (số liệu đến ngày {MID_2023 if year == 2023 else f'31/12/{year}'})"
    heading = (
        "BIỂU TỔNG HỢP SỐ HỘ ĐBDTTS, HỘ NGHÈO, HỘ CẬN NGHÈO (NĂM GỐC)"
        if year == min(CITY_TOTALS)
        else "BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN CUỘC VẬN ĐỘNG “LÀM THAY ĐỔI NẾP NGHĨ, CÁCH LÀM CỦA ĐBDTTS”"
    )
    _title_rows(ws, last_col, [heading, period], agency)

    # Two-row header: single headers merged down, campaign fields merged across their pair.
    for col, title in ((1, "STT"), (2, "Đơn vị")):
        ws.cell(7, col, title)
        ws.merge_cells(start_row=7, start_column=col, end_row=8, end_column=col)
    col = 3
    while col <= last_col:
        field, sub = columns[col - 3]
        ws.cell(7, col, HEADERS[field] + ("\n(hộ)" if sub is None and field != "households" else ""))
        if sub is None:
            ws.merge_cells(start_row=7, start_column=col, end_row=8, end_column=col)
            col += 1
        else:
            ws.cell(8, col, "Số hộ")
            ws.cell(8, col + 1, "Tỉ lệ (%)")
            ws.merge_cells(start_row=7, start_column=col, end_row=7, end_column=col + 1)
            col += 2
    for r in (7, 8):
        for c in range(1, last_col + 1):
            ws.cell(r, c).font = BOLD
            ws.cell(r, c).alignment = CENTER
            ws.cell(r, c).border = BOX

    rows: list[tuple[int, str, list]] = []  # (STT, unit code, cells)
    for i, code in enumerate(codes):
        cells = []
        households = int(row_values["households"][i])
        for field, sub in columns:
            count = int(row_values[field][i])
            if sub == "Tỉ lệ (%)":
                percent = _percent(count, households)
                if quirks and year == 2022 and field == "changed_mindset" and code == PERCENT_SWAP_UNIT:
                    percent = _swap_integer_digits(percent)
                cells.append(f"{percent:.1f}".replace(".", ",") if (quirks and year == 2023 and i % 7 == 3) else percent)
            else:
                cells.append(_typed(count, as_text=(quirks and year == 2022 and i % 5 in (0, 4) and count >= 1000)))
        rows.append((i + 1, code, cells))
        if quirks and year == 2021 and code == DUPLICATE_UNIT:
            rows.append((i + 1, code, list(cells)))  # typed twice, same STT and values

    r = FIRST_DATA_ROW
    for number, code, cells in rows:
        ws.cell(r, 1, number)
        ws.cell(r, 2, spellings[code])
        for c, value in enumerate(cells, start=3):
            ws.cell(r, c, value)
        r += 1

    # Totals row: typed numbers (an office's total, not a formula).
    ws.cell(r, 2, "Tổng cộng").font = BOLD
    totals = CITY_TOTALS[year] if totals is None else totals
    for c, (field, sub) in enumerate(columns, start=3):
        if sub == "Tỉ lệ (%)":
            value = _percent(totals[field], totals["households"])
            if quirks and year == 2023 and field == "applied_science":
                value = 98.9  # truncated, as the article printed it: accepted, not a finding
            ws.cell(r, c, value)
        else:
            value = totals[field] + (TOTALS_OFF_BY if (quirks and year == 2022 and field == "households") else 0)
            ws.cell(r, c, " 551 " if (quirks and year == 2023 and field == "coop_members") else value)
        ws.cell(r, c).font = BOLD
    totals_row = r
    for row in ws.iter_rows(min_row=FIRST_DATA_ROW, max_row=totals_row, max_col=last_col):
        for cell in row:
            cell.border = BOX
            if cell.font != BOLD:
                cell.font = PLAIN

    ws.cell(totals_row + 2, 1, "Ghi chú: số liệu do các xã, phường báo cáo; tỉ lệ tính trên tổng số hộ ĐBDTTS.")
    ws.cell(totals_row + 3, 1, "Người lập biểu")
    ws.cell(totals_row + 3, last_col - 2, "TRƯỞNG BAN CHỈ ĐẠO")
    ws.column_dimensions["B"].width = 22
    for c in range(3, last_col + 1):
        ws.column_dimensions[get_column_letter(c)].width = 13
    ws.row_dimensions[7].height = 75
    path = out_dir / FORM01_FILE.format(year=year)
    _save_deterministic(wb, path)
    return path


ACTIVITIES = {
    "Trồng trọt": ["trồng cà phê xen canh cây ăn quả", "trồng mì cao sản", "trồng lúa nước hai vụ",
                   "trồng rau an toàn", "trồng mắc ca", "trồng bời lời đỏ", "trồng chanh dây"],
    "Chăn nuôi": ["nuôi bò sinh sản", "nuôi heo rừng lai", "nuôi gà thả vườn", "nuôi cá nước ngọt",
                  "nuôi dê", "nuôi ong lấy mật"],
    "Ngành nghề, dịch vụ": ["dệt thổ cẩm", "đan lát mây tre", "chế biến cà phê bột", "sửa chữa máy nông nghiệp"],
    "Du lịch cộng đồng": ["du lịch cộng đồng gắn với nhà rông", "du lịch trải nghiệm làng nghề"],
    "Khác": ["tổ hợp tác thu mua nông sản", "quỹ xoay vòng giống cây trồng"],
}
SECTOR_WEIGHTS = {"Trồng trọt": 0.42, "Chăn nuôi": 0.36, "Ngành nghề, dịch vụ": 0.12,
                  "Du lịch cộng đồng": 0.04, "Khác": 0.06}
STATUS_SPELLINGS = {"maintained": ["Đang duy trì", "Đang duy trì", "Đang duy trì", "duy trì", "Đang hoạt động"],
                    "replicated": ["Đã nhân rộng", "Đã nhân rộng", "Nhân rộng"],
                    "new": ["Mới xây dựng", "Mới xây dựng", "Xây dựng mới"]}


def _new_models(rng: np.random.Generator, count: int, full_name: str, year: int) -> list[list]:
    """`count` models built in `year` in the unit `full_name`: name, unit, sector, year, households."""
    rows = []
    for _ in range(count):
        sector = rng.choice(list(SECTOR_WEIGHTS), p=list(SECTOR_WEIGHTS.values()))
        activity = rng.choice(ACTIVITIES[sector])
        village = int(rng.integers(1, 9))
        households = int(rng.integers(3, 26))
        rows.append([f"Mô hình {activity} tại thôn {village}", full_name, sector, year, households])
    return rows


def model_rows(rng: np.random.Generator) -> list[list]:
    units = load_units()
    codes = list(units["code"])
    full_names = dict(zip(units["code"], units["full_name"]))
    weights = np.array([UNIT_WEIGHTS[c] ** 0.7 for c in codes])
    rows: list[list] = []
    for year, count in MODELS_BY_YEAR.items():
        per_unit = allocate(count, weights * rng.uniform(0.8, 1.2, len(codes)))
        for code, n in zip(codes, per_unit):
            rows += _new_models(rng, int(n), full_names[code], year)
    old = [i for i, row in enumerate(rows) if row[3] < max(MODELS_BY_YEAR)]
    replicated = set(rng.choice(old, size=REPLICATED, replace=False).tolist())
    for i, row in enumerate(rows):
        status = "new" if row[3] == max(MODELS_BY_YEAR) else ("replicated" if i in replicated else "maintained")
        spelling = rng.choice(STATUS_SPELLINGS[status])
        note = "Được các hộ khác học tập, làm theo" if status == "replicated" else ""
        row += [str(spelling), None, note]
    return rows


FORM02_HEADERS = ["STT", "Tên mô hình", "Đơn vị", "Lĩnh vực", "Năm xây dựng", "Số hộ tham gia", "Tình trạng",
                  "Năm ngừng", "Ghi chú"]


def write_form02(rng: np.random.Generator, out_dir: Path, *, rows: list[list] | None = None,
                 until: str = "ngày 15/6/2023", agency: tuple[str, str] = AGENCY) -> Path:
    """The model register; by default the 240 models of 2021 to mid-2023 (drawn from `rng`)."""
    headers = FORM02_HEADERS
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET02
    _title_rows(ws, len(headers), ["DANH SÁCH MÔ HÌNH KINH TẾ XÂY DỰNG THEO CUỘC VẬN ĐỘNG",
                                   f"Từ năm 2021 đến {until}"], agency)
    for c, title in enumerate(headers, start=1):
        cell = ws.cell(7, c, title)
        cell.font, cell.alignment, cell.border = BOLD, CENTER, BOX
    r = 8
    for number, row in enumerate(model_rows(rng) if rows is None else rows, start=1):
        for c, value in enumerate([number, *row], start=1):
            ws.cell(r, c, value).border = BOX
        r += 1
    ws.cell(r + 1, 1, f"Ghi chú: tình trạng mô hình tính đến {until}.")
    ws.cell(r + 2, 1, "Người lập biểu")
    for letter, width in zip("ABCDEFGHI", (6, 48, 22, 20, 12, 12, 16, 11, 30)):
        ws.column_dimensions[letter].width = width
    path = out_dir / FORM02_FILE
    _save_deterministic(wb, path)
    return path


def _save_deterministic(wb: Workbook, path: Path) -> None:
    """Save with fixed document properties and zip timestamps: same bytes on every run."""
    wb.properties.creator = "Ban Chỉ đạo Cuộc vận động thành phố Kon Tum"
    wb.properties.lastModifiedBy = wb.properties.creator
    buffer = io.BytesIO()
    wb.save(buffer)
    source = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + FIXED_ISO.encode(), data)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, data)
    path.write_bytes(out.getvalue())


def planted_findings() -> tuple[PlantedFinding, ...]:
    codes = city_units()
    columns = _form01_columns(2022)
    households_col = get_column_letter(3)
    percent_col = get_column_letter(3 + columns.index(("changed_mindset", "Tỉ lệ (%)")))
    swap_row = FIRST_DATA_ROW + codes.index(PERCENT_SWAP_UNIT)
    totals_row = FIRST_DATA_ROW + len(codes)
    duplicate_row = FIRST_DATA_ROW + codes.index(DUPLICATE_UNIT) + 1
    return (
        PlantedFinding("W-DUPLICATE", FORM01_FILE.format(year=2021), SHEET01, f"B{duplicate_row}"),
        PlantedFinding("W-TOTALS", FORM01_FILE.format(year=2022), SHEET01, f"{households_col}{totals_row}"),
        PlantedFinding("W-PERCENT", FORM01_FILE.format(year=2022), SHEET01, f"{percent_col}{swap_row}"),
    )


PLANTED_FINDINGS = planted_findings()


# --- the five-year set (2021-2025), across the reorganisation of 1/7/2025 ----------------------------

THREE_YEARS = (2021, 2023)  # the bundled set (data/raw), the default
FIVE_YEARS = (2021, 2025)
EXTENSION_SEED = SEED + 2025
# City totals of the illustrative years (module docstring): 2024 on the 21 old units, 2025 on the 6 new ones.
EXTENDED_TOTALS: dict[int, dict[str, int]] = {
    2024: {"households": 12420, "informed": 12420, "changed_mindset": 12300, "applied_science": 12310,
           "improved_life": 12280, "coop_members": 610, "poor": 560, "near_poor": 790},
    2025: {"households": 12540, "informed": 12540, "changed_mindset": 12440, "applied_science": 12450,
           "improved_life": 12425, "coop_members": 665, "poor": 455, "near_poor": 680},
}
# 2023 to its 31 December, for the five-year review (illustrative, continuing the published mid-2023
# figures: the offices doing a tổng kết have the year-end forms).
YEAR_END_2023: dict[str, int] = {"households": 12350, "informed": 12350, "changed_mindset": 12200,
                                 "applied_science": 12215, "improved_life": 12160, "coop_members": 585,
                                 "poor": 660, "near_poor": 896}
NEW_MAP_DAY = date(2025, 7, 1)
EXTENDED_MODELS_BY_YEAR = {2024: 58, 2025: 52}
# Statuses as of 31/12/2025 of the 298 models built 2021-2024 (the 52 of 2025 are new): the 34
# replicated by mid-2023 stay replicated and 28 more are; 11 stopped; the other 225 are maintained.
EXTENDED_REPLICATED = 62
EXTENDED_STOPPED = 11
STOPPED_SPELLINGS = ["Ngừng hoạt động", "Ngừng hoạt động", "ngừng", "Không duy trì"]
# How the offices of the new units spell them in the 2025 form 01 (see data/reference/units.csv).
NEW_UNIT_SPELLINGS = {
    "23293": "Phường Kon Tum", "23284": "P. Đăk Cấm", "23302": "phường Đăk Bla", "23317": "Xã Ngọc Bay",
    "23326": "Ia Chim", "23332": "Xã Đắk Rơ Wa",
}
AGENCY_2025 = ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "CÁC PHƯỜNG, XÃ KHU VỰC THÀNH PHỐ KON TUM (CŨ)")


def _new_units() -> pd.DataFrame:
    return load_units(on=NEW_MAP_DAY)


def _to_new_units(row_values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Counts of the 21 old units summed onto the 6 new ones (data/reference/crosswalk.csv)."""
    target = dict(zip(load_crosswalk()["old_code"], load_crosswalk()["new_code"]))
    new_codes = list(_new_units()["code"])
    old_codes = city_units()
    return {field: np.array([sum(int(column[i]) for i, old in enumerate(old_codes) if target[old] == new)
                             for new in new_codes])
            for field, column in row_values.items()}


def extended_values() -> dict[int, dict[str, np.ndarray]]:
    """2024 per old unit and 2025 per new unit, continuing the units' 2023 sizes."""
    _, weights = _unit_values(np.random.default_rng(SEED), CITY_TOTALS)
    rng = np.random.default_rng(EXTENSION_SEED)
    values, _ = _unit_values(rng, EXTENDED_TOTALS, weights)
    return {2024: values[2024], 2025: _to_new_units(values[2025])}


def year_end_2023_values() -> dict[str, np.ndarray]:
    """2023 to 31/12 per old unit, continuing each unit's mid-2023 size (-2%..+3%)."""
    _, weights = _unit_values(np.random.default_rng(SEED), CITY_TOTALS)
    values, _ = _unit_values(np.random.default_rng(EXTENSION_SEED + 2), {2023: YEAR_END_2023}, weights)
    return values[2023]


def extended_model_rows(rng: np.random.Generator) -> list[list]:
    """The register to 31/12/2025: the 240 models of 2021-2023 (same names and units as the
    2021-2023 register), 58 built in 2024 in old units, 52 built in 2025 in new units; each
    model keeps the unit it was built in. Statuses as of 31/12/2025."""
    first = np.random.default_rng(SEED)
    unit_values(first)  # the same draws as write_sample_data, so the first 240 models are the same
    rows = [row[:6] for row in model_rows(first)]  # name, unit, sector, year, households, status
    old = load_units()
    old_weights = np.array([UNIT_WEIGHTS[c] ** 0.7 for c in old["code"]])
    new = _new_units()
    target = dict(zip(load_crosswalk()["old_code"], load_crosswalk()["new_code"]))
    new_weights = np.array([sum(UNIT_WEIGHTS[o] for o, n in target.items() if n == code) ** 0.7 for code in new["code"]])
    for year, count in EXTENDED_MODELS_BY_YEAR.items():
        units, weights = (old, old_weights) if year < NEW_MAP_DAY.year else (new, new_weights)
        per_unit = allocate(count, weights * rng.uniform(0.8, 1.2, len(units)))
        for full_name, n in zip(units["full_name"], per_unit):
            rows += [model + [None] for model in _new_models(rng, int(n), full_name, year)]
    replicated = {i for i, row in enumerate(rows) if row[5] in STATUS_SPELLINGS["replicated"]}
    judged = [i for i, row in enumerate(rows) if row[3] < max(EXTENDED_MODELS_BY_YEAR) and i not in replicated]
    more = rng.choice(judged, size=EXTENDED_REPLICATED - len(replicated) + EXTENDED_STOPPED, replace=False).tolist()
    replicated |= set(more[: EXTENDED_REPLICATED - len(replicated)])
    stopped = set(more) - replicated
    result = []
    for i, row in enumerate(rows):
        name, unit, sector, year, households = row[:5]
        year_stopped = None
        if year == max(EXTENDED_MODELS_BY_YEAR):
            status = str(rng.choice(STATUS_SPELLINGS["new"]))
        elif i in stopped:
            status = str(rng.choice(STOPPED_SPELLINGS))
            year_stopped = int(rng.integers(max(year, 2023), 2026))
        elif i in replicated:
            status = row[5] if row[5] in STATUS_SPELLINGS["replicated"] else str(rng.choice(STATUS_SPELLINGS["replicated"]))
        else:
            status = str(rng.choice(STATUS_SPELLINGS["maintained"]))
        note = "Được các hộ khác học tập, làm theo" if i in replicated else ""
        result.append([name, unit, sector, year, households, status, year_stopped, note])
    return result


def check_sample_period(period: tuple[int, int]) -> None:
    """A UsageError unless there is a sample set for `period`."""
    if tuple(period) not in (THREE_YEARS, FIVE_YEARS):
        known = " và ".join(f"{start}–{end}" for start, end in (THREE_YEARS, FIVE_YEARS))
        raise UsageError(f"Bộ số liệu mẫu chỉ có cho giai đoạn {known}, không có cho {period[0]}–{period[1]}.")


def write_sample_data(out_dir: Path = config.RAW_DIR, period: tuple[int, int] = THREE_YEARS) -> list[Path]:
    """Write the sample workbooks into `out_dir`; return their paths.

    period (2021, 2023), the default: the five workbooks of the 2021-2023 review. (2021, 2025):
    the same form 01 for 2020-2023, form 01 for 2024 (21 old units) and 2025 (6 new units) and
    the register to 31/12/2025 instead of the 2021-2023 one.
    """
    check_sample_period(period)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    values = unit_values(rng)
    if tuple(period) == THREE_YEARS:
        paths = [write_form01(year, values[year], out_dir) for year in sorted(values)]
        paths.append(write_form02(rng, out_dir))
        return paths
    paths = [write_form01(year, values[year], out_dir) for year in sorted(values) if year < 2023]
    paths.append(write_form01(2023, year_end_2023_values(), out_dir, totals=YEAR_END_2023,
                              period="NĂM 2023 (số liệu đến ngày 31/12/2023)"))
    extended = extended_values()
    paths.append(write_form01(2024, extended[2024], out_dir, totals=EXTENDED_TOTALS[2024]))
    paths.append(write_form01(2025, extended[2025], out_dir, codes=list(_new_units()["code"]),
                              spellings=NEW_UNIT_SPELLINGS, totals=EXTENDED_TOTALS[2025], agency=AGENCY_2025,
                              period="NĂM 2025 (theo các phường, xã sắp xếp từ ngày 01/7/2025; số liệu đến ngày "
                                     "31/12/2025)"))
    rows = extended_model_rows(np.random.default_rng(EXTENSION_SEED + 1))
    paths.append(write_form02(rng, out_dir, rows=rows, until="ngày 31/12/2025", agency=AGENCY_2025))
    return paths


def install_sample_data(out_dir: Path = config.RAW_DIR, *, force: bool = False,
                        period: tuple[int, int] | None = None) -> list[Path]:
    """Write the sample workbooks into `out_dir` without ever replacing a form that differs from
    the bundled sample (an analyst's own data) unless `force`: a UsageError names those files and
    nothing is written. Files are replaced atomically; return every sample path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        fresh = write_sample_data(Path(folder), period=THREE_YEARS if period is None else (period[0], period[1]))
        differing = [path.name for path in fresh
                     if (out_dir / path.name).exists() and (out_dir / path.name).read_bytes() != path.read_bytes()]
        if differing and not force:
            raise UsageError(
                f"thư mục {out_dir} đã có {len(differing)} biểu khác với bộ số liệu mẫu: {', '.join(differing)}. "
                "Không ghi đè số liệu của anh/chị. Muốn thay bằng số liệu mẫu: thêm --force "
                "(make sample-data FORCE=1); muốn giữ: ghi số liệu mẫu vào thư mục khác (--out THƯ_MỤC).")
        for path in fresh:
            target = out_dir / path.name
            if target.exists() and target.read_bytes() == path.read_bytes():
                continue
            handle, temporary = tempfile.mkstemp(dir=out_dir, prefix=".sample-", suffix=path.suffix)
            with os.fdopen(handle, "wb") as stream:
                stream.write(path.read_bytes())
            os.replace(temporary, target)
    return [out_dir / path.name for path in fresh]
