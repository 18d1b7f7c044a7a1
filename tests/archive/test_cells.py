"""The form cells that differ between two folders of forms (analysis.archive.cells), on copies of
the bundled sample: one cell corrected, and one model row deleted from the register (the rows
below it move up a row, and are not "changed" for that)."""

import shutil
from pathlib import Path

import openpyxl
import pytest

from analysis import config
from analysis.archive.cells import changed_cells
from analysis.dataset import load_dataset
from analysis.compute.computed import compute_for
from analysis.report.params import load_params


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("cells")
    then, now = root / "then", root / "now"
    shutil.copytree(config.RAW_DIR, then)
    shutil.copytree(config.RAW_DIR, now)
    return then, now


def computed_of(folder: Path):
    params = load_params()
    dataset = load_dataset(folder, params.period)
    assert dataset.errors.empty
    return compute_for(dataset, params)


def test_a_corrected_cell_and_a_deleted_model_row(folders):
    then, now = folders
    form01 = openpyxl.load_workbook(now / "Bieu01_2023.xlsx")
    sheet = form01.active
    row = next(r for r in sheet.iter_rows(min_row=9) if r[1].value and "Ia Chim" in str(r[1].value))
    typed = row[11].value
    row[11].value = typed + 10  # column L: households in cooperatives
    form01.save(now / "Bieu01_2023.xlsx")

    register = openpyxl.load_workbook(now / "Bieu02_MoHinh.xlsx")
    models = register.active
    gone = [c.value for c in models[20]]  # row 20: STT, name, unit, sector, year, households, status, stopped, notes
    models.delete_rows(20)
    register.save(now / "Bieu02_MoHinh.xlsx")

    cells = changed_cells(then, now, computed=computed_of(now))
    ia_chim = [c for c in cells if c.file == "Bieu01_2023.xlsx"]
    assert [(c.cell, c.then, c.now, c.unit_name, c.year, c.feeds) for c in ia_chim] == [
        (f"L{row[0].row}", str(typed), str(typed + 10), "Xã Ia Chim", 2023, True)]
    deleted = [c for c in cells if c.file == "Bieu02_MoHinh.xlsx"]
    typed_cells = {f"{letter}20": value for letter, value in zip("BCDEFGHI", gone[1:9]) if value not in (None, "")}
    assert {c.cell: c.then for c in deleted} == {k: str(v) for k, v in typed_cells.items()}
    assert all(c.now == "" and c.year == gone[4] and c.feeds for c in deleted)
    assert {c.unit_name for c in deleted} == {gone[2]}  # the unit the deleted model was counted in
    assert len(cells) == 1 + len(typed_cells)  # nothing else: the rows below moved up, they did not change
