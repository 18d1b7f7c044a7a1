"""The cells of the forms that differ between two folders of forms (the forms an issued report was
made from, and the forms of today), located by file › sheet › cell, with the unit and year of the
row each feeds.

Both folders are read by the project's reader (analysis.read.read_folder: every value it reads
with its file, sheet and cell, as typed); the rows of each sheet are matched in order (a row
inserted or deleted does not shift the rest), and a cell differs when what it holds differs.
Which unit and year a cell's row feeds comes from the checked data set (its rows keep their file,
sheet and row): a cell of a totals row, a notes row or a percent column typed by the unit feeds
no figure.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from analysis.dataset import Maps, load_dataset
from analysis.formatting import fmt_number
from analysis.read import read_folder
from analysis.read.collect import PERCENT
from analysis.read.units import UnitMatcher
from analysis.reference import load_units
from analysis.report.changes import CellChange
from analysis.vocabulary import COUNT_FIELDS, FORM02_FIELDS, field_label


Key = tuple[str, str]  # (field, measure): a cell's meaning in its row


@dataclass(frozen=True)
class _Row:
    """A row of a table as read: its number, its form, and each value with its cell address."""

    number: int
    form: str                                       # "01" or "02"
    values: dict[Key, tuple[object, str]]           # (field, measure) -> (value as typed, address)

    @property
    def signature(self) -> tuple:
        return tuple((key, _normal(self.values[key][0])) for key in sorted(self.values))


def _reading(folder: Path, period: tuple[int, int]):
    """The folder as load_dataset reads it (the same units recognised in titles and file names)."""
    maps = Maps.for_period(period)
    units = load_units() if maps is None else maps.units(period[1])
    return read_folder(Path(folder), units_in_names=UnitMatcher(units).find_in_text)


def _tables(folder: Path, period: tuple[int, int]) -> dict[tuple[str, str], list[_Row]]:
    """(file, sheet) -> its rows as read, in order (a form 01 row with years across columns is one
    row of the sheet: its slots' values side by side)."""
    reading = _reading(folder, period)
    rows: dict[tuple[str, str], dict[int, _Row]] = {}
    forms = (("01", reading.form01, [(f, "count") for f in COUNT_FIELDS] + [(f, "percent") for f in COUNT_FIELDS]),
             ("02", reading.models, [(f, "text") for f in FORM02_FIELDS]))
    for form, frame, keys in forms:
        for r in frame.to_dict("records"):
            sheet = rows.setdefault((str(r["file"]), str(r["sheet"])), {})
            row = sheet.setdefault(int(r["row"]), _Row(int(r["row"]), form, {}))
            slot, table, is_csv = int(r.get("slot", 0)), int(r["table"]), bool(r["is_csv"])
            for field, measure in keys:
                raw = r[PERCENT + field] if measure == "percent" else r[field]
                cell = reading.address(table, slot, field, measure, int(r["row"]), is_csv)
                if cell or _normal(raw) != "":
                    row.values[(field, f"{measure}@{slot}" if slot else measure)] = (raw, cell)
            if r["unit_cell"]:
                row.values.setdefault(("unit", "count"), (r["unit_text"], str(r["unit_cell"])))
    return {key: [sheet[n] for n in sorted(sheet)] for key, sheet in rows.items()}


def _pairs(old: list[_Row], new: list[_Row]):
    """The rows of one sheet matched in order (difflib): a row inserted or deleted above does not
    make every row below it "changed". Yields (old row or None, new row or None) for rows that differ."""
    matcher = difflib.SequenceMatcher(a=[r.signature for r in old], b=[r.signature for r in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = old[i1:i2], new[j1:j2]
        for k in range(max(len(olds), len(news))):
            yield (olds[k] if k < len(olds) else None), (news[k] if k < len(news) else None)


def _normal(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return float(value)
    return " ".join(str(value).split())


YEARS = ("year", "year_built", "year_stopped")  # fields that hold a year: 2021, never "2.021"


def shown(value: object, field: str = "") -> str:
    """A cell's value for a reader: numbers in Vietnamese form (1.034; 98,9), years as years, texts as typed."""
    normal = _normal(value)
    if isinstance(normal, float) and field in YEARS and normal == int(normal):
        return str(int(normal))
    if isinstance(normal, float):
        decimals = 0 if normal == int(normal) else min(len(repr(normal).split(".")[1]), 6)
        return fmt_number(normal, decimals)
    return str(normal)


def _rows(dataset, owners: dict, models=None) -> dict[tuple[str, str, int, str], tuple[str, int]]:
    """(file, sheet, row, form) -> (unit code on the report's map, year) for every row `dataset` kept;
    `owners` (Computed.owners) maps an older map's (code, year) onto the report's map, `models` (the
    data set's models on that map, Computed.models) gives each model's unit there."""
    rows: dict[tuple[str, str, int, str], tuple[str, int]] = {}
    form01 = dataset.form01
    for file, sheet, row, code, year in zip(form01["source_file"], form01["source_sheet"], form01["source_row"],
                                            form01["unit_code"], form01["year"]):
        rows[(file, sheet, int(row), "01")] = (owners.get((code, int(year)), code), int(year))
    models = dataset.models if models is None else models
    for file, sheet, row, code, year in zip(models["source_file"], models["source_sheet"], models["source_row"],
                                            models["unit_code"], models["year_built"]):
        unit = str(code) if models is not dataset.models else owners.get((code, int(year)), str(code))
        rows[(file, sheet, int(row), "02")] = (unit, int(year))
    return rows


def changed_cells(then_dir: Path, now_dir: Path, *, computed, before=None) -> tuple[CellChange, ...]:
    """The cells that differ from the forms in `then_dir` to those in `now_dir` (a deleted row's
    cells at their old address, every other at its new one). `computed` is what the reports
    compute from `now_dir`'s forms (analysis.compute.computed.Computed), `before` the checked data
    set of `then_dir`'s forms (for rows that are gone; read here when needed and not given)."""
    period = tuple(computed.period)
    old, new = _tables(Path(then_dir), period), _tables(Path(now_dir), period)
    names = computed.unit_names
    now_rows = _rows(computed.dataset, computed.owners, computed.models)
    then_rows: dict | None = None
    out: dict[tuple[str, str, str], CellChange] = {}
    for file, sheet in sorted(old.keys() | new.keys()):
        for then_row, now_row in _pairs(old.get((file, sheet), []), new.get((file, sheet), [])):
            row = now_row or then_row
            assert row is not None
            if now_row is not None:
                owner = now_rows.get((file, sheet, now_row.number, now_row.form))
            else:
                if then_rows is None:
                    then_rows = _rows(before if before is not None else load_dataset(Path(then_dir), period),
                                      computed.owners)
                owner = then_rows.get((file, sheet, row.number, row.form))
            code, year = owner if owner is not None else ("", None)
            keys = sorted((then_row.values if then_row else {}).keys() | (now_row.values if now_row else {}).keys())
            for key in keys:
                before_value = then_row.values.get(key) if then_row else None
                after_value = now_row.values.get(key) if now_row else None
                if _normal(before_value[0] if before_value else None) == _normal(after_value[0] if after_value else None):
                    continue
                address = (after_value or before_value)[1]  # type: ignore[index]
                out.setdefault((file, sheet, address), CellChange(
                    file=file, sheet=sheet, cell=address, then=shown(before_value[0], key[0]) if before_value else "",
                    now=shown(after_value[0], key[0]) if after_value else "", unit_code=code, unit_name=names.get(code, ""),
                    year=year, what=field_label(key[0], row.form),
                    feeds=owner is not None and (row.form == "02" or key[1].startswith("count"))))
    return tuple(out.values())
