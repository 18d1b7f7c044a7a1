"""What the exploration notebooks (01-03) call to start: their parameters checked, the data set
loaded (once per process, from the file `report` passes, or read and checked here) and the view
of it the tables show (the report's map; a unit's own rows: rows_of). The tables themselves, in
Vietnamese, are analysis.report.explore_tables.

A bad parameter, or data with errors where the notebook needs clean data, stops the notebook
with `StopNotebook`: a Vietnamese message listing the valid values, shown in Jupyter without a
traceback. It is a UsageError, so a command that runs the notebook keeps its exit code.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

from analysis import config
from analysis.check.findings_report import summary_line
from analysis.compute.computed import Computed, compute_all
from analysis.dataset_file import SUFFIX, read_dataset_file
from analysis.compute.indicators import Definition
from analysis.dataset import Dataset, load_dataset
from analysis.errors import UsageError
from analysis.outputs import why
from analysis.periods import parse_period
from analysis.read import year_in as year_from_name
from analysis.reference import load_unit_history
from analysis.report.explore_tables import findings_table, is_area, show_data_set, unit_names
from analysis.maps import reference_date
from analysis.unit_list import names_on
from analysis.vocabulary import (
    default_period,
    AREA_CODE,
    PART_FIELDS,
)


class StopNotebook(UsageError):
    """Stops a notebook with a Vietnamese message (no traceback in Jupyter)."""

    def _render_traceback_(self) -> list[str]:
        return [f"Dừng: {self}"]


def _unknown_unit(unit, names: dict[str, str]) -> StopNotebook:
    listed = "; ".join(f"{c} ({name})" for c, name in names.items())
    return StopNotebook(f"tham số unit = “{unit}” không phải mã đơn vị. Các mã hợp lệ: {listed}.")


def check_unit(unit: str, period: str = "") -> str:
    """The unit parameter as a code (papermill -p unit 608 gives a number), one of the unit list
    on any map; the data set's own map is checked when it is loaded (load_checked). A wrong one
    stops the notebook listing the units of the period's map (the last year's: codes are reused,
    so a name is the name on that map), or of the default map without a period."""
    code = str(unit)
    if code not in {AREA_CODE, *load_unit_history()["code"]}:
        try:
            end = parse_period(period)[1] if period else default_period()[1]
        except UsageError:
            end = default_period()[1]
        raise _unknown_unit(unit, names_on(reference_date(end)))
    return code


def across_units(unit: str) -> bool:
    """is_area, and for a unit a line saying where the comparisons across units are."""
    if is_area(unit):
        return True
    display(Markdown(f"So sánh giữa các đơn vị: xem sổ phân tích của {unit_names()[AREA_CODE].lower()}."))
    return False


def check_indicator(indicator: str, definitions: dict[str, Definition], *, rates_only: bool = True) -> Definition:
    valid = {key: d for key, d in definitions.items() if d.is_rate or not rates_only}
    if indicator not in valid:
        listed = "; ".join(f"{key} ({d.label})" for key, d in valid.items())
        raise StopNotebook(f"tham số indicator = “{indicator}” không có trong {config.INDICATORS_FILE.name}. "
                           f"Các chỉ tiêu hợp lệ: {listed}.")
    return valid[indicator]


def valid_periods(years: set[int], full_years: set[int]) -> list[str]:
    """Periods whose every year has the campaign columns and whose baseline year (the year before)
    has data."""
    return [f"{start}-{end}" for start in sorted(full_years) for end in sorted(full_years)
            if start <= end and start - 1 in years and all(y in full_years for y in range(start, end + 1))]


def form01_years(dataset: Dataset) -> tuple[set[int], set[int]]:
    """The years the form 01 files cover, inside the period or not: (every year, the years with
    the campaign columns). A year outside the period is taken as complete (it was not read); a
    file that lacks the campaign columns (a baseline form read as a full year) counts as a year
    by its name."""
    findings, rows = dataset.findings, dataset.form01
    full = {int(y) for y in rows.loc[rows[list(PART_FIELDS)].notna().any(axis=1), "year"].unique()}
    every = {int(y) for y in rows["year"].unique()}
    outside = {int(y) for y in findings.loc[(findings["code"] == "E-YEAR-PERIOD") & (findings["field"] == "year"),
                                            "year"].dropna()}
    short = {year_from_name(name) for name in findings.loc[findings["code"] == "E-COLUMN", "file"]}
    return every | outside | {y for y in short if y}, full | outside


_SHARED: dict[tuple, object] = {}  # the data set `report` validated, loaded once per process


def shared_computed(computed_file: str):
    """The checked and computed data set that `python -m analysis report` validated once and
    passes to every notebook it runs (`computed_file`: a pickle in its staging folder, made and
    read by the command only), or the data set kept beside an executed notebook (a .zip of Parquet
    files, analysis.dataset_file; a relative name is the notebook's own folder, where JupyterLab
    runs it): read once per process, however many notebooks run in it."""
    path = Path(computed_file)
    try:
        stat = path.stat()
    except OSError as error:
        raise StopNotebook(f"tham số computed_file: không đọc được “{computed_file}” ({why(error)}); "
                           "để trống để sổ tự đọc các biểu") from None
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _SHARED:
        _SHARED.clear()
        if path.suffix == SUFFIX:
            dataset, map_day = read_dataset_file(path)
            _SHARED[key] = compute_all(dataset, map_day=map_day)
        else:
            with open(path, "rb") as handle:
                _SHARED[key] = pickle.load(handle)
    return _SHARED[key]


def load_checked(data_dir: str, period: str, *, unit: str = AREA_CODE, stop_on_errors: bool = True,
                 computed_file: str = "") -> Dataset:
    """The notebooks' first cell: check `unit` and `period`, read and check the forms, and stop
    (after showing the errors) when they have errors and `stop_on_errors`. With `computed_file`
    (given by `report`), the data set that command already checked is used: nothing is read twice.
    The tables then show the data set on the report's map (see rows_of)."""
    return _load(data_dir, period, unit=unit, stop_on_errors=stop_on_errors, computed_file=computed_file).dataset


def load_computed(data_dir: str, period: str, *, unit: str = AREA_CODE, computed_file: str = ""):
    """Notebooks 02 and 03: the checked data set and what the reports compute from it (indicators,
    changes, falls, form 01 and models on the report's map), from `computed_file` when `report`
    gives one, else read and checked here."""
    return _load(data_dir, period, unit=unit, stop_on_errors=True, computed_file=computed_file)


def _load(data_dir: str, period: str, *, unit: str, stop_on_errors: bool, computed_file: str):
    show_data_set(None)
    code = check_unit(unit, period)
    try:
        years = parse_period(period)
    except UsageError as error:
        raise StopNotebook(f"tham số period: {error}") from None
    folder = Path(data_dir) if data_dir else config.RAW_DIR
    computed = shared_computed(computed_file) if computed_file else Computed(load_dataset(folder, years))
    dataset = computed.dataset
    if tuple(dataset.period) != tuple(years):
        raise StopNotebook(f"tham số period = “{period}” khác kỳ của số liệu đã kiểm tra "
                           f"({dataset.period[0]}-{dataset.period[1]})")
    every, full = form01_years(dataset)
    if years[0] - 1 not in every or not all(y in full for y in range(years[0], years[1] + 1)):
        choices = ", ".join(valid_periods(every, full)) or "không có (thiếu năm gốc hoặc năm liền nhau)"
        have = ", ".join(map(str, sorted(every))) or "không có năm nào"
        raise StopNotebook(
            f"tham số period = “{period}”: cần số liệu Biểu 01 các năm {years[0]}–{years[1]} và năm gốc "
            f"{years[0] - 1}, nhưng thư mục {folder} có các năm {have}. Các kỳ hợp lệ: {choices}.")
    if stop_on_errors and len(dataset.errors):
        display(findings_table(dataset.errors))
        raise StopNotebook(f"{summary_line(dataset)} Sổ này cần số liệu không có lỗi: xem sổ 01 hoặc chạy "
                           "`python -m analysis validate`, sửa các biểu gốc rồi chạy lại.")
    if code not in computed.unit_names:  # a unit of another map than the data set's
        raise _unknown_unit(unit, computed.unit_names)
    show_data_set(computed)
    return computed


def models_of(models: pd.DataFrame, unit: str = AREA_CODE) -> pd.DataFrame:
    return models if unit == AREA_CODE else models[models["unit_code"] == unit]
