"""Running the reports: each in its own staging folder (render_job), one after the other in this
process or on a pool of worker processes (run_jobs).

One report: the report notebook through papermill (in this process: analysis.inprocess_engine),
its HTML through the nbconvert template, the analyst's notebooks 01-03 on the same checked data
set, then every other format's writer (analysis.publish.formats) and the companion file.

Lazy imports: papermill, nbconvert, tqdm and the render stage are imported where a report is made:
the package imports this module on the up-to-date check of `report`, which loads no data stack.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from analysis import config
from analysis.errors import RenderError
from analysis.processes import context
from analysis.publish.formats import COMPANION_FORMATS, FORMATS, writing_order
from analysis.publish.staging import signals_deferred
from analysis.publish.workers import PdfWorker, stop_pool, worker_init
from analysis.terminal import visible

NOTEBOOK = config.NOTEBOOKS_DIR / "04_bao_cao.ipynb"
# The analyst's notebooks, run with the report on the same checked data set (`computed_file`) and
# kept beside it ("so-phan-tich-<period>-<unit>-NN-….ipynb", see trail_name), with the executed
# report notebook; the companion file shows 01-03 without their code. Each runs with the report's
# unit: a ward's notebooks show its own rows, findings, indicators and models beside the area's
# figures, and the area's show the whole data set and every ranking across the units (see
# analysis.report.explore). A ward's trail thus changes only with its data, as its report does
# (analysis.incremental).
ANALYSIS_NOTEBOOKS = ("01_lam_sach_va_kiem_tra", "02_xu_huong", "03_mo_hinh")
TRAIL_PREFIX = "so-phan-tich"
KEPT_DATA_SUFFIX = "-so-lieu.zip"  # the checked data set the kept notebooks re-run on (keep_notebook_data)


@dataclass(frozen=True)
class Job:
    """One report to make: everything a worker process needs, as plain values."""

    unit_code: str
    formats: tuple[str, ...]
    staging: str
    computed_file: str
    notebook_parameters: tuple[tuple[str, object], ...]
    issued_dir: str = ""        # the output folder's issued reports (analysis.archive): compared with


@dataclass(frozen=True)
class Rendered:
    """What a job made: its files, the built report (for the archive) and lines for the terminal."""

    files: list[tuple[str, str]]    # (staged path, final name)
    report_file: str
    notes: tuple[str, ...] = ()     # what changed since the issued version (analysis.archive.revision)


def _papermill(notebook: Path, executed: Path, parameters: Mapping[str, object], what: str) -> None:
    import papermill  # noqa: PLC0415 (lazy: see the module's docstring)

    from analysis.inprocess_engine import ENGINE_NAME  # noqa: PLC0415 (lazy: see the module's docstring)

    if not notebook.is_file():
        raise RenderError(f"thiếu sổ tính “{visible(str(notebook))}” (lệnh report chạy các sổ 01–04 trong "
                          f"{visible(str(notebook.parent))}); các báo cáo cũ giữ nguyên")
    try:
        # Papermill parameterises and records the run; the cells run in this process (see
        # inprocess_engine): no kernel to start, nothing imported twice.
        papermill.execute_notebook(str(notebook), str(executed), parameters=dict(parameters), kernel_name="python3",
                                   engine_name=ENGINE_NAME, progress_bar=False, log_output=False,
                                   cwd=str(config.ROOT))
    except papermill.PapermillExecutionError as error:
        evalue = error.evalue if len(error.evalue) <= 500 else error.evalue[:500] + " …"
        raise RenderError(f"{what} dừng ở ô {error.exec_count} ({error.ename}): {evalue}") from None


def _execute_notebook(job: Job, folder: Path) -> tuple[Path, Path]:
    executed = folder / "bao-cao.ipynb"
    report_file = folder / "report.pickle"
    parameters = dict(job.notebook_parameters, unit=job.unit_code, computed_file=job.computed_file,
                      report_file=str(report_file))
    _papermill(NOTEBOOK, executed, parameters, "sổ báo cáo")
    return executed, report_file


def analysis_parameters(notebook_parameters: Mapping[str, object], unit_code: str, computed_file: str) -> dict:
    """What notebooks 01-03 get: the report's period, unit and data folder, and the checked data set."""
    return {"period": notebook_parameters["period"], "unit": unit_code, "data_dir": notebook_parameters["data_dir"],
            "computed_file": computed_file}


def run_analysis_notebook(name: str, folder: Path, parameters: Mapping[str, object]) -> Path:
    executed = Path(folder) / f"{name}.ipynb"
    _papermill(config.NOTEBOOKS_DIR / f"{name}.ipynb", executed, parameters, f"sổ phân tích {name}")
    return executed


def trail_name(report, notebook: str) -> str:
    """"so-phan-tich-<start>-<end>-<slug>-02-xu-huong.ipynb": the executed notebook
    `notebook` of the report `report`, named after its period and unit as the report is."""
    start, end = report.meta.period
    return f"{TRAIL_PREFIX}-{start}-{end}-{report.slug}-{notebook.replace('_', '-')}.ipynb"


def keep_notebook_data(folder: Path, report, notebooks: Sequence[Path], computed_file: str) -> Path:
    """The checked data set the notebooks ran on, kept beside them as Parquet in one file
    (analysis.dataset_file), and their parameters pointed at it by its name alone (the notebook's
    own folder: where JupyterLab and `papermill --cwd` run it): a kept notebook re-runs as it is."""
    from analysis.dataset_file import write_dataset_file  # noqa: PLC0415 (lazy: see the module's docstring)
    from analysis.report.explore import shared_computed  # noqa: PLC0415 (lazy: see the module's docstring)
    from analysis.report.notebook import point_parameters_at  # noqa: PLC0415 (lazy: see the module's docstring)

    computed = shared_computed(computed_file)  # already loaded in this process by the notebooks
    start, end = report.meta.period
    path = write_dataset_file(computed.dataset, folder / f"{TRAIL_PREFIX}-{start}-{end}-{report.slug}{KEPT_DATA_SUFFIX}",
                              map_day=computed.map_day)
    for notebook in notebooks:
        point_parameters_at(notebook, computed_file=path.name)
    return path


def notebook_to_html(executed: Path, title: str, *, page: bool = True) -> str:
    """The executed notebook through the report's nbconvert template: outputs only; the whole
    page, or (`page` False) only what goes inside it (the live preview puts the page around it)."""
    from nbconvert import HTMLExporter  # noqa: PLC0415 (lazy: see the module's docstring)

    from analysis.render.html import page_end, page_start  # noqa: PLC0415 (lazy: see the module's docstring)

    exporter = HTMLExporter(template_name="baocao", extra_template_basedirs=[str(config.TEMPLATES_DIR)])
    resources = {"page_start": page_start(title), "page_end": page_end()} if page else {"page_start": "", "page_end": ""}
    body, _ = exporter.from_filename(str(executed), resources=resources)
    return body


def render_job(job: Job, pdf_worker: PdfWorker | None = None) -> Rendered:
    """Make one report in its own staging folder; return its (staged path, final name) pairs."""
    from analysis.render.html import document_title  # noqa: PLC0415 (lazy: see the module's docstring)

    folder = Path(tempfile.mkdtemp(dir=job.staging, prefix=f"{job.unit_code}-"))
    executed, report_file = _execute_notebook(job, folder)
    with open(report_file, "rb") as handle:
        report = pickle.load(handle)
    notes: tuple[str, ...] = ()
    if job.issued_dir:  # compared with the last issued version: the companion and the email say what changed
        from analysis.archive.revision import revise  # noqa: PLC0415 (lazy: see the module's docstring)

        report, notes = revise(report, issued_dir=Path(job.issued_dir), computed_file=job.computed_file,
                               data_dir=Path(str(dict(job.notebook_parameters)["data_dir"])))
    stem = report.file_stem()
    order = writing_order(job.formats)
    if pdf_worker is not None and "pdf" in order:
        pdf_worker.render(report_file, folder / f"{stem}.pdf")  # lays it out while 01-03 and nbconvert run here
    # The analyst's notebooks, after the report's (so that its PDF is laid out meanwhile on the spare
    # core): the same period, unit, data folder and checked data set.
    parameters = analysis_parameters(dict(job.notebook_parameters), job.unit_code, job.computed_file)
    notebooks: dict[str, Path] = {}
    for name in ANALYSIS_NOTEBOOKS:
        notebooks[name] = folder / trail_name(report, name)
        os.replace(run_analysis_notebook(name, folder, parameters), notebooks[name])
    artifacts: dict[str, Path] = {}
    for name in order:
        path = folder / f"{stem}.{name}"
        if name == "html":
            path.write_text(notebook_to_html(executed, document_title(report)), encoding="utf-8")
        elif name == "pdf" and pdf_worker is not None:
            if not pdf_worker.wait():  # the worker failed: render here, to raise its error
                FORMATS[name].write(report, path, {})
        else:
            FORMATS[name].write(report, path, dict(artifacts))
        artifacts[name] = path
    staged = [(str(artifacts[name]), artifacts[name].name) for name in job.formats]
    report_notebook = folder / trail_name(report, NOTEBOOK.stem)
    os.replace(executed, report_notebook)
    data_file = keep_notebook_data(folder, report, [*notebooks.values(), report_notebook], job.computed_file)
    staged += [(str(path), path.name) for path in [*notebooks.values(), report_notebook, data_file]]
    if report.companion is not None:
        for name in ("html", "xlsx") if "xlsx" in job.formats else ("html",):
            path = folder / f"{report.companion.file_stem()}.{name}"
            COMPANION_FORMATS[name].write(report, path, {**artifacts, **notebooks})
            staged.append((str(path), path.name))
    return Rendered(staged, str(report_file), notes)


def progress(total: int):
    """The progress bar of a batch on stderr (none for a single report)."""
    from tqdm import tqdm  # noqa: PLC0415 (lazy: see the module's docstring)

    return tqdm(total=total, desc="Lập báo cáo", unit="báo cáo", file=sys.stderr, disable=total < 2 or None)


def run_jobs(jobs: Sequence[Job], workers: int, pdf_worker: PdfWorker | None) -> dict[str, Rendered]:
    """Every job's staged files, by unit: in this process with one worker, else on a pool of
    `workers` processes (stopped at once, reports not started cancelled, when the run is interrupted)."""
    made: dict[str, Rendered] = {}
    if workers == 1:
        with progress(len(jobs)) as bar:
            for job in jobs:
                made[job.unit_code] = render_job(job, pdf_worker)
                bar.update()
        return made
    pool = ProcessPoolExecutor(max_workers=workers, initializer=worker_init, mp_context=context())
    try:
        with progress(len(jobs)) as bar:
            futures = {pool.submit(render_job, job): job.unit_code for job in jobs}
            for future in as_completed(futures):
                made[futures[future]] = future.result()
                bar.update()
    except BaseException:
        with signals_deferred():
            stop_pool(pool)
        raise
    pool.shutdown(wait=True)
    return made
