"""What the report notebook (notebooks/04_bao_cao.ipynb) calls: build the report, show it.

Run by hand in JupyterLab, the notebook reads and checks the forms itself; run by
`python -m analysis report`, it gets the already validated data (`computed_file`) and leaves
the built report (`report_file`) for the other formats, so nothing is computed twice. Kept
beside the report, a notebook's parameters point at the data set kept with it (point_parameters_at).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import pickle
import re
from functools import partial
from pathlib import Path

import nbformat

from analysis import config
from analysis.dataset import load_dataset
from analysis.errors import DataError, UsageError
from analysis.compute.computed import compute_for
from analysis.report.chart_theme import draw_figure, drawing_deferred
from analysis.report.content import build_report
from analysis.report.document import Report
from analysis.dataset_file import SUFFIX
from analysis.report.explore import shared_computed
from analysis.outputs import write_atomically
from analysis.report.params import load_params
from analysis.terminal import made_visible


def prepare(*, period: str, unit: str, map_year: str = "", data_dir: str = "", params_file: str = "",
            review_date: str = "", issuer: str = "", number: str = "", place: str = "", signer_name: str = "",
            draft: str = "", narrative: str = "", computed_file: str = "", report_file: str = "",
            generated_at: str = "") -> Report:
    """The report, built and drawn (or, run by `report`, the one the command built and drew for
    these very arguments: hand_over); written to `report_file` when one is given."""
    arguments = dict(period=period, unit=unit, map_year=map_year, data_dir=data_dir, params_file=params_file,
                     review_date=review_date, issuer=issuer, number=number, place=place, signer_name=signer_name,
                     draft=draft, narrative=narrative, computed_file=computed_file, generated_at=generated_at)
    report = _handed_over(arguments)
    if report is None:
        built, charts = build_undrawn(**arguments)
        report = drawn(built, charts)
    if report_file:
        with open(report_file, "wb") as handle:
            pickle.dump(report, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return report


def build_undrawn(*, period: str, unit: str, map_year: str = "", data_dir: str = "", params_file: str = "",
                  review_date: str = "", issuer: str = "", number: str = "", place: str = "", signer_name: str = "",
                  draft: str = "", narrative: str = "", computed_file: str = "",
                  generated_at: str = "") -> tuple[Report, dict]:
    """The report with its figures not drawn yet, and the charts that draw them (drawn,
    analysis.report.chart_theme.drawing_deferred): what the report says, cheaply."""
    params = load_params(Path(params_file) if params_file else None, period=period or None, map=map_year or None,
                         review_date=review_date or None, issuer=issuer or None,
                         number=number or None, place=place or None, signer_name=signer_name or None,
                         draft=parse_draft(draft),
                         narrative=narrative or None)
    if number:  # the number given is the number of this report, the area's or a unit's own
        params = params.with_number(str(unit), number)
    if computed_file and Path(computed_file).suffix == SUFFIX:  # kept beside the notebook (dataset_file)
        computed = shared_computed(computed_file)
    elif computed_file:  # the command's own, fresh for each report (the report never shares its copy)
        with open(computed_file, "rb") as handle:
            computed = pickle.load(handle)
    else:
        dataset = load_dataset(Path(data_dir) if data_dir else config.RAW_DIR, params.period)
        if len(dataset.errors):
            raise DataError(f"số liệu có {len(dataset.errors)} lỗi: chạy `python -m analysis validate` để xem "
                            "và sửa trước khi lập báo cáo", dataset.errors)
        computed = compute_for(dataset, params)
    when = dt.datetime.fromisoformat(generated_at) if generated_at else None
    with drawing_deferred() as charts:
        # Cell text with control characters shows them ("\x1b"): no writer fails on it (analysis.terminal).
        report = made_visible(build_report(computed, params, str(unit), generated_at=when))
    return report, dict(charts)


def drawn(report: Report, charts: dict, *, narrow: bool = True) -> Report:
    """`report` with its figures' print pictures drawn, and (`narrow`) their phone pictures."""
    report = report.with_figures(partial(draw_figure, charts=charts, narrow=False))
    report = report.with_figures(partial(draw_figure, charts=charts, narrow=True)) if narrow else report
    undrawn = [figure.title for figure in report.figures() if not figure.png]
    if undrawn:  # never a file recorded as made with a picture missing
        raise RuntimeError(f"figures not drawn: {undrawn}")
    return report


def drawn_like(report: Report, done: Report) -> Report:
    """`report` with the pictures of `done`'s figures of the same `drawn_from` (the same report
    before and after its revision: drawn once)."""
    pictures = {figure.drawn_from: figure for figure in done.figures() if figure.drawn_from}

    def same(figure):
        found = pictures.get(figure.drawn_from) if figure.drawn_from else None
        return figure if found is None else dataclasses.replace(
            figure, **{name: getattr(found, name) for name in figure.DRAWN})

    return report.with_figures(same)


# A report the command built and drew for the report notebook it is about to run, with the
# arguments it was built for (hand_over): the notebook's `prepare` shows it instead of building it again.
_HANDED: tuple[dict, Report] | None = None
_TAKEN = False  # the last report handed over was shown by the notebook


def hand_over(arguments: dict, report: Report) -> None:
    """The next `prepare` called with exactly `arguments` (all but report_file) returns `report`."""
    global _HANDED, _TAKEN
    _HANDED, _TAKEN = (dict(arguments), report), False


def taken() -> bool:
    """The notebook run since hand_over showed the report handed over (its `prepare` got the same
    arguments); False when it built one of its own (an edited call), which is then the report."""
    global _HANDED
    _HANDED = None  # not taken: dropped
    return _TAKEN


def _handed_over(arguments: dict) -> Report | None:
    global _HANDED, _TAKEN
    found, _HANDED = _HANDED, None  # used once, or dropped
    matched = found is not None and found[0] == arguments
    _TAKEN = _TAKEN or matched  # a second call (built again, the same report) does not undo it
    return found[1] if found is not None and matched else None


def parse_draft(text: str) -> bool | None:
    """"có" -> True, "không" -> False, "" -> None (as the parameters file says)."""
    value = str(text).strip().lower()
    if not value:
        return None
    if value in ("có", "co", "true", "yes", "1"):
        return True
    if value in ("không", "khong", "false", "no", "0"):
        return False
    raise UsageError(f"tham số draft = “{text}” không hợp lệ: ghi “có”, “không” hoặc để trống")


def point_parameters_at(path: Path, *, computed_file: str) -> None:
    """An executed notebook made re-runnable where it is kept: its injected parameters (the cell
    papermill adds, and papermill's record of them) say `computed_file` is the kept data set, by
    the name given (relative: the notebook's own folder), and that no report file is left behind."""
    notebook = nbformat.read(path, as_version=4)
    values = {"computed_file": computed_file, "report_file": ""}
    for cell in notebook.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            for name, value in values.items():
                cell.source = re.sub(rf"(?m)^{name} = .*$", f"{name} = {json.dumps(value, ensure_ascii=False)}",
                                     cell.source)
    recorded = notebook.metadata.get("papermill", {}).get("parameters", {})
    recorded.update({name: value for name, value in values.items() if name in recorded})
    write_atomically(Path(path), nbformat.writes(notebook).encode("utf-8"))
