"""The cells of the forms that differ between two folders of forms (the forms an issued report was
made from, and the forms of today), located by file › sheet › cell, with the unit and year of the
row each feeds.

Both folders are read by the project's reader (analysis.read.read_folder: every value it reads
with its file, sheet and cell, as typed) and a cell differs when what it holds differs. Which unit
and year a cell's row feeds comes from the checked data set (its rows keep their file, sheet and
row): a cell of a totals row, a notes row or a percent column typed by the unit feeds no figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analysis.dataset import Maps, load_dataset
from analysis.formatting import fmt_number
from analysis.read import read_folder
from analysis.read.units import UnitMatcher
from analysis.reference import load_units
from analysis.report.content import compute_all
from analysis.report.changes import CellChange
from analysis.vocabulary import field_label


@dataclass(frozen=True)
class _Cell:
    value: object
    row: int
    field: str
    form: str           # "01" or "02"
    data: bool          # a count of form 01 or a field of form 02 (not a typed percent)


def _reading(folder: Path, period: tuple[int, int]):
    """The folder as load_dataset reads it (the same units recognised in titles and file names)."""
    maps = Maps.for_period(period)
    units = load_units() if maps is None else maps.units(period[1])
    return read_folder(Path(folder), units_in_names=UnitMatcher(units).find_in_text)


def _cells(folder: Path, period: tuple[int, int]) -> dict[tuple[str, str, str], _Cell]:
    reading = _reading(folder, period)
    cells: dict[tuple[str, str, str], _Cell] = {}
    for form, frame in (("01", reading.form01), ("02", reading.models)):
        for r in frame.itertuples(index=False):
            data = form == "02" or r.measure == "count"
            cells[(r.file, r.sheet, r.cell)] = _Cell(r.raw, int(r.row), str(r.field), form, data)
            if r.unit_cell and (r.file, r.sheet, r.unit_cell) not in cells:
                cells[(r.file, r.sheet, r.unit_cell)] = _Cell(r.unit_text, int(r.row), "unit", form, True)
    return cells


def _normal(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return float(value)
    return " ".join(str(value).split())


def shown(value: object) -> str:
    """A cell's value for a reader: numbers in Vietnamese form (1.034; 98,9), texts as typed."""
    normal = _normal(value)
    if isinstance(normal, float):
        decimals = 0 if normal == int(normal) else min(len(repr(normal).split(".")[1]), 6)
        return fmt_number(normal, decimals)
    return str(normal)


def _rows(computed) -> dict[tuple[str, str, int, str], tuple[str, int]]:
    """(file, sheet, row, form) -> (unit code on the report's map, year) for every row the data set kept."""
    owners = computed.owners
    rows: dict[tuple[str, str, int, str], tuple[str, int]] = {}
    form01 = computed.dataset.form01
    for file, sheet, row, code, year in zip(form01["source_file"], form01["source_sheet"], form01["source_row"],
                                            form01["unit_code"], form01["year"]):
        rows[(file, sheet, int(row), "01")] = (owners.get((code, int(year)), code), int(year))
    models = computed.models
    for file, sheet, row, code, year in zip(models["source_file"], models["source_sheet"], models["source_row"],
                                            models["unit_code"], models["year_built"]):
        rows[(file, sheet, int(row), "02")] = (str(code), int(year))
    return rows


def changed_cells(then_dir: Path, now_dir: Path, *, computed, before=None) -> tuple[CellChange, ...]:
    """The cells that differ from the forms in `then_dir` to those in `now_dir`. `computed` is what
    the reports compute from `now_dir`'s forms (analysis.report.content.Computed), `before` the same
    from `then_dir`'s (for rows that are gone; read here when needed and not given)."""
    period = tuple(computed.period)
    old, new = _cells(Path(then_dir), period), _cells(Path(now_dir), period)
    changed = sorted(key for key in old.keys() | new.keys()
                     if _normal(old[key].value if key in old else None) != _normal(new[key].value if key in new else None))
    if not changed:
        return ()
    names = computed.unit_names
    now_rows = _rows(computed)
    then_rows: dict | None = None
    out = []
    for key in changed:
        cell = new.get(key) or old[key]
        where = (key[0], key[1], cell.row, cell.form)
        owner = now_rows.get(where) if key in new else None
        if owner is None and key in old:
            if then_rows is None:
                then_rows = _rows(before if before is not None else _computed(Path(then_dir), computed))
            owner = then_rows.get((key[0], key[1], old[key].row, old[key].form))
        code, year = owner if owner is not None else ("", None)
        out.append(CellChange(
            file=key[0], sheet=key[1], cell=key[2], then=shown(old[key].value) if key in old else "",
            now=shown(new[key].value) if key in new else "", unit_code=code, unit_name=names.get(code, ""),
            year=year, what=field_label(cell.field, cell.form), feeds=owner is not None and cell.data))
    return tuple(out)


def _computed(folder: Path, like):
    """What the reports would compute from the forms in `folder`, on the map of `like`."""
    return compute_all(load_dataset(folder, tuple(like.period)), map_day=like.day)

