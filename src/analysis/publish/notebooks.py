"""The notebooks a report runs, and their files: the report notebook and the analyst's notebooks
01-03 run through papermill (in this process: analysis.inprocess_engine), named as the report is
(trail_name) and pointed at the checked data set kept beside them; the report notebook's outputs as
the report's HTML page (notebook_to_html).

Lazy imports: papermill, nbconvert and the report stage are imported where a notebook runs: the
package imports this module on the up-to-date check of `report`, which loads no data stack.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path

from analysis import config
from analysis.errors import RenderError
from analysis.terminal import visible

# The analyst's notebooks, run with the report on the same checked data set (`computed_file`) and
# kept beside it ("so-phan-tich-<period>-<unit>-NN-….ipynb", see trail_name), with the executed
# report notebook; the companion file shows 01-03 without their code. Each runs with the report's
# unit: a ward's notebooks show its own rows, findings, indicators and models beside the area's
# figures, and the area's show the whole data set and every ranking across the units (see
# analysis.report.explore). A ward's trail thus changes only with its data, as its report does
# (analysis.incremental).
ANALYSIS_NOTEBOOKS = ("01_lam_sach_va_kiem_tra", "02_xu_huong", "03_mo_hinh")
TRAIL_PREFIX = "so-phan-tich"
KEPT_DATA_SUFFIX = "-so-lieu.zip"  # the checked data set the kept notebooks re-run on (kept_data_name)


def run_notebook(notebook: Path, executed: Path, parameters: Mapping[str, object], what: str) -> None:
    import papermill  # noqa: PLC0415 (lazy: see the module's docstring)

    from analysis.inprocess_engine import ENGINE_NAME  # noqa: PLC0415 (lazy: see the module's docstring)

    if not notebook.is_file():
        raise RenderError(f"thiếu sổ tính “{visible(str(notebook))}” (lệnh report chạy các sổ 01–04 trong "
                          f"{visible(str(notebook.parent))}); các báo cáo cũ giữ nguyên")
    try:
        # Papermill parameterises and records the run; the cells run in this process (see
        # inprocess_engine): no kernel to start, nothing imported twice. The executed notebook is
        # written once, when the run ends (or stops at a cell's error): not before and after every
        # cell, as papermill does for a kernel that may die.
        papermill.execute_notebook(str(notebook), str(executed), parameters=dict(parameters), kernel_name="python3",
                                   engine_name=ENGINE_NAME, progress_bar=False, log_output=False,
                                   cwd=str(config.ROOT), request_save_on_cell_execute=False)
    except papermill.PapermillExecutionError as error:
        evalue = error.evalue if len(error.evalue) <= 500 else error.evalue[:500] + " …"
        raise RenderError(f"{what} dừng ở ô {error.exec_count} ({error.ename}): {evalue}") from None


def analysis_parameters(notebook_parameters: Mapping[str, object], unit_code: str, computed_file: str) -> dict:
    """What notebooks 01-03 get: the report's period, unit and data folder, and the checked data set."""
    return {"period": notebook_parameters["period"], "unit": unit_code, "data_dir": notebook_parameters["data_dir"],
            "computed_file": computed_file}


def run_analysis_notebook(name: str, folder: Path, parameters: Mapping[str, object]) -> Path:
    executed = Path(folder) / f"{name}.ipynb"
    run_notebook(config.NOTEBOOKS_DIR / f"{name}.ipynb", executed, parameters, f"sổ phân tích {name}")
    return executed


def run_analysis_notebooks(names: Sequence[str], folder: str, parameters: Mapping[str, object]) -> dict[str, str]:
    """Notebooks `names` run in `folder`: name -> executed notebook (an Aside's target: plain values)."""
    return {name: str(run_analysis_notebook(name, Path(folder), parameters)) for name in names}


def trail_name(report, notebook: str) -> str:
    """"so-phan-tich-<start>-<end>-<slug>-02-xu-huong.ipynb": the executed notebook
    `notebook` of the report `report`, named after its period and unit as the report is."""
    start, end = report.meta.period
    return f"{TRAIL_PREFIX}-{start}-{end}-{report.slug}-{notebook.replace('_', '-')}.ipynb"


def kept_data_name(period: tuple[int, int]) -> str:
    """"so-phan-tich-<start>-<end>-so-lieu.zip": the checked data set every kept notebook of the
    period re-runs on (analysis.publish.keep_notebook_data)."""
    start, end = period
    return f"{TRAIL_PREFIX}-{start}-{end}{KEPT_DATA_SUFFIX}"


def pointed(path: Path, report) -> Path:
    """An executed notebook pointed at the data set kept beside it (kept_data_name)."""
    from analysis.report.notebook import point_parameters_at  # noqa: PLC0415 (lazy: see the module's docstring)

    point_parameters_at(path, computed_file=kept_data_name(report.meta.period))
    return path


@functools.cache
def _report_exporter():
    from analysis.render.notebook_page import PageExporter  # noqa: PLC0415 (lazy: see the module's docstring)

    return PageExporter(template_name="baocao", extra_template_basedirs=[str(config.TEMPLATES_DIR)])


def notebook_to_html(executed: Path, title: str, *, page: bool = True) -> str:
    """The executed notebook through the report's nbconvert template: outputs only; the whole
    page, or (`page` False) only what goes inside it (the live preview puts the page around it)."""
    from analysis.render.html import page_end, page_start  # noqa: PLC0415 (lazy: see the module's docstring)

    exporter = _report_exporter()
    resources = {"page_start": page_start(title), "page_end": page_end()} if page else {"page_start": "", "page_end": ""}
    body, _ = exporter.from_filename(str(executed), resources=resources)
    return body


def warm_up_notebooks() -> None:
    """What the analyst's notebooks run on, imported (and the notebooks' shell made) by the process
    that will run them while the parent checks the forms (publish.workers.Aside's warm_up)."""
    import papermill  # noqa: F401, PLC0415 (lazy: see the module's docstring)
    import seaborn  # noqa: F401, PLC0415 (the notebooks' heat maps)

    from analysis import inprocess_engine  # noqa: PLC0415
    from analysis.compute import indicators, retention, trends  # noqa: F401, PLC0415
    from analysis.report import charts, explore, explore_tables  # noqa: F401, PLC0415

    inprocess_engine.warm_up()
