"""Form 02, the register of economic models: a row per model (name, unit, sector, year built,
households, status, year stopped, note), drawn per unit in proportion to its size; the words in
samples/data/forms.yaml, the counts in three_years.yaml / five_years.yaml."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from openpyxl import Workbook

from samples.settings import forms, model_draws, three_years
from samples.split import allocate
from samples.units import UnitMap, sizes, units_of_year
from samples.workbook import BOLD, BOX, CENTER, save_deterministic, title_rows

FORM02_FILE = "Bieu02_MoHinh.xlsx"
SHEET02 = "Biểu 02"
FORM02_HEADERS = ["STT", "Tên mô hình", "Đơn vị", "Lĩnh vực", "Năm xây dựng", "Số hộ tham gia", "Tình trạng",
                  "Năm ngừng", "Ghi chú"]
Model = list  # [name, unit, sector, year built, households, status, year stopped, note]


def _new_models(rng: np.random.Generator, count: int, full_name: str, year: int) -> list[Model]:
    """`count` models built in `year` in the unit `full_name`: name, unit, sector, year, households."""
    words, shape = forms(), model_draws()
    sectors = words["sector_weights"]
    rows = []
    for _ in range(count):
        sector = rng.choice(list(sectors), p=list(sectors.values()))
        activity = rng.choice(words["activities"][sector])
        village = int(rng.integers(*shape.villages))
        households = int(rng.integers(*shape.households))
        rows.append([f"Mô hình {activity} tại thôn {village}", full_name, sector, year, households])
    return rows


def built_models(rng: np.random.Generator, built: dict[int, int], sized_on: UnitMap) -> list[Model]:
    """The models built per year (`built`), in the units in force on 31/12 of that year, spread
    over the units in proportion to their size (summed from the units of `sized_on`)."""
    shape = model_draws()
    rows: list[Model] = []
    for year, count in built.items():
        units = units_of_year(year)
        weights = np.array([size ** shape.size_power for size in sizes(units, sized_on)])
        per_unit = allocate(count, weights * rng.uniform(*shape.spread, len(units.codes)))
        for full_name, n in zip(units.full_names, per_unit):
            rows += _new_models(rng, int(n), full_name, year)
    return rows


def spelling(rng: np.random.Generator, status: str) -> str:
    """A status as some office types it (forms.yaml)."""
    return str(rng.choice(forms()["statuses"][status]))


def bundled_models(rng: np.random.Generator) -> list[Model]:
    """The bundled register (three_years.yaml): the models of its years, the last year's new, a
    drawn number of the earlier ones replicated, the rest maintained."""
    register = three_years().register
    rows = built_models(rng, register.built, units_of_year(min(register.built)))
    last = max(register.built)
    old = [i for i, row in enumerate(rows) if row[3] < last]
    replicated = set(rng.choice(old, size=register.replicated, replace=False).tolist())
    for i, row in enumerate(rows):
        status = "new" if row[3] == last else ("replicated" if i in replicated else "maintained")
        typed = spelling(rng, status)
        row += [typed, None, forms()["replicated_note"] if status == "replicated" else ""]
    return rows


def write_form02(rows: list[Model], out_dir: Path, *, first_year: int, until: str,
                 agency: tuple[str, str]) -> Path:
    """The register of `rows`, from `first_year` to `until` (the day its statuses are as of)."""
    headers = FORM02_HEADERS
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET02
    title_rows(ws, len(headers), ["DANH SÁCH MÔ HÌNH KINH TẾ XÂY DỰNG THEO CUỘC VẬN ĐỘNG",
                                  f"Từ năm {first_year} đến {until}"], agency)
    for c, title in enumerate(headers, start=1):
        cell = ws.cell(7, c, title)
        cell.font, cell.alignment, cell.border = BOLD, CENTER, BOX
    r = 8
    for number, row in enumerate(rows, start=1):
        for c, value in enumerate([number, *row], start=1):
            ws.cell(r, c, value).border = BOX
        r += 1
    ws.cell(r + 1, 1, f"Ghi chú: tình trạng mô hình tính đến {until}.")
    ws.cell(r + 2, 1, "Người lập biểu")
    for letter, width in zip("ABCDEFGHI", (6, 48, 22, 20, 12, 12, 16, 11, 30)):
        ws.column_dimensions[letter].width = width
    path = out_dir / FORM02_FILE
    settings = three_years()
    save_deterministic(wb, path, creator=settings.creator, document_time=settings.document_time)
    return path
