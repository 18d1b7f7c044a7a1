"""Running the reports: each in its own staging folder (render_job), one after the other in this
process or on a pool of worker processes (run_jobs).

One report (_render): the report built without its charts drawn and compared with the record
(analysis.publish.cutoff); unless nothing it shows changed, its pictures drawn (the PDF started on
the spare core once the print pictures are), and the report notebook run through papermill on the
report so built (in this process: analysis.inprocess_engine); the analyst's notebooks 01-03 on the
same checked data set and the companion file that shows them; then the HTML through the nbconvert
template and every other format's writer (analysis.publish.formats).

Lazy imports: papermill, nbconvert, tqdm and the render stage are imported where a report is made:
the package imports this module on the up-to-date check of `report`, which loads no data stack.
"""

from __future__ import annotations

import inspect
import os
import pickle
import sys
import tempfile
import warnings
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from analysis import config
from analysis.interrupts import checkpoint
from analysis.incremental import COMPANION_ROLE, NOTEBOOK_ROLE, companion_formats
from analysis.processes import context
from analysis.publish.formats import COMPANION_FORMATS, FORMATS, writing_order
from analysis.publish.notebooks import (ANALYSIS_NOTEBOOKS, analysis_parameters, notebook_to_html, pointed,
                                        run_analysis_notebook, run_analysis_notebooks, run_notebook, trail_name)
from analysis.publish.staging import signals_deferred
from analysis.publish.workers import Aside, PdfWorker, stop_pool, worker_init

NOTEBOOK = config.NOTEBOOKS_DIR / "04_bao_cao.ipynb"  # the report notebook (notebooks 01-03: publish.notebooks)


@dataclass(frozen=True)
class Job:
    """One report to make: everything a worker process needs, as plain values."""

    unit_code: str
    formats: tuple[str, ...]
    staging: str
    computed_file: str
    notebook_parameters: tuple[tuple[str, object], ...]
    issued_dir: str = ""        # the output folder's issued reports (analysis.archive): compared with
    render_settings: str = ""   # what renders any report (analysis.incremental.Plan.render)
    # role -> (file in place, content id, notebook inputs) of the files the record vouches for (Plan.previous)
    previous: tuple[tuple[str, tuple[str, str, str]], ...] = ()
    notebook_inputs: tuple[tuple[str, str], ...] = ()  # 01-03 stem -> inputs (report_inputs.ReportInputs.notebooks)


@dataclass(frozen=True)
class Rendered:
    """What a job made: its files, the built report (for the archive) and lines for the terminal."""

    report_file: str
    notes: tuple[str, ...] = ()     # what changed since the issued version (analysis.archive.revision)
    # role -> {"file": final name, "id": content id, "path": staged or in place, "source": notebook inputs}
    outputs: tuple[tuple[str, dict], ...] = ()
    draft: bool = False  # a draft is never issued: the archive does not read its report (analysis.archive.issued)


def report_arguments(job: Job) -> dict[str, object]:
    """What the report notebook's `prepare` is called with in this job (its report_file aside):
    the notebook's defaults, then the job's parameters, its unit and checked data set."""
    from analysis.report.notebook import prepare  # noqa: PLC0415 (lazy: see the module's docstring)

    defaults = {name: parameter.default for name, parameter in inspect.signature(prepare).parameters.items()
                if name != "report_file"}
    return {**defaults, **dict(job.notebook_parameters), "unit": job.unit_code, "computed_file": job.computed_file}


def _execute_notebook(job: Job, folder: Path) -> tuple[Path, Path]:
    executed = folder / "bao-cao.ipynb"
    report_file = folder / "report.pickle"
    parameters = dict(job.notebook_parameters, unit=job.unit_code, computed_file=job.computed_file,
                      report_file=str(report_file))
    run_notebook(NOTEBOOK, executed, parameters, "sổ báo cáo")
    return executed, report_file


class _Outputs:
    """The files of one report as they are made or found unchanged (analysis.publish.cutoff)."""

    def __init__(self, job: Job):
        self.previous = dict(job.previous)
        self.outputs: dict[str, dict] = {}

    def unchanged(self, role: str, name: str, content_id: str) -> Path | None:
        """The file in place when the record gives it `content_id` under the same name."""
        found = self.previous.get(role)
        if found is not None and found[1] == content_id and Path(found[0]).name == name:
            self.outputs[role] = {"file": name, "id": content_id, "path": found[0], "source": found[2]}
            return Path(found[0])
        return None

    def add(self, role: str, path: Path, content_id: str, source: str = "") -> Path:
        self.outputs[role] = {"file": path.name, "id": content_id, "path": str(path), "source": source}
        return path


def _format_ids(job: Job, report, files: _Outputs) -> tuple[dict[str, str], dict[str, Path]]:
    """The content id of every format to write (those it needs included) and the files in place
    whose id is unchanged."""
    from analysis.publish.cutoff import format_id  # noqa: PLC0415 (lazy: see the module's docstring)

    stem = report.file_stem()
    ids: dict[str, str] = {}
    found: dict[str, Path] = {}
    for name in writing_order(job.formats):
        ids[name] = format_id(report, name, job.render_settings, {need: ids[need] for need in FORMATS[name].needs})
        if (path := files.unchanged(name, f"{stem}.{name}", ids[name])) is not None:
            found[name] = path
    return ids, found


def _write_formats(job: Job, report, executed: Path, folder: Path, pdf_worker: PdfWorker | None, files: _Outputs,
                   ids: dict[str, str], found: dict[str, Path]) -> dict[str, Path]:
    """Every format whose content id changed, written in `folder`; the others are the files in place."""
    from analysis.render.html import document_title  # noqa: PLC0415 (lazy: see the module's docstring)

    artifacts = dict(found)
    for name in writing_order(job.formats):
        if name in artifacts:
            continue
        path = folder / f"{report.file_stem()}.{name}"
        if name == "html":
            path.write_text(notebook_to_html(executed, document_title(report)), encoding="utf-8")
        elif name == "pdf" and pdf_worker is not None:
            if not pdf_worker.wait():  # the worker failed: render here, to raise its error
                FORMATS[name].write(report, path, {})
        else:
            FORMATS[name].write(report, path, dict(artifacts))
        artifacts[name] = files.add(name, path, ids[name]) if name in job.formats else path
    return artifacts


def _same_inputs(job: Job, files: _Outputs, name: str) -> bool:
    """Notebook `name` (01-03) was last run, by the record, on the inputs it has now."""
    found = files.previous.get(NOTEBOOK_ROLE.format(name))
    return found is not None and bool(found[2]) and found[2] == dict(job.notebook_inputs).get(name)


def _changed_notebooks(job: Job, files: _Outputs) -> list[str]:
    """The analyst's notebooks whose inputs changed since the record: they run whatever else holds."""
    return [name for name in ANALYSIS_NOTEBOOKS if not _same_inputs(job, files, name)]


def _notebooks(job: Job, report, folder: Path, files: _Outputs, ran: Mapping[str, str]) -> dict[str, Path]:
    """The analyst's notebooks 01-03: those `ran` already (name -> executed, by an Aside), those
    whose inputs changed run here, else the files in place."""
    from analysis.publish.cutoff import notebook_id  # noqa: PLC0415 (lazy: see the module's docstring)

    parameters = analysis_parameters(dict(job.notebook_parameters), job.unit_code, job.computed_file)
    inputs = dict(job.notebook_inputs)
    notebooks: dict[str, Path] = {}
    for name in ANALYSIS_NOTEBOOKS:
        role, target = NOTEBOOK_ROLE.format(name), trail_name(report, name)
        if name not in ran and _same_inputs(job, files, name) and (
                kept := files.unchanged(role, target, files.previous[role][1])) is not None:
            notebooks[name] = kept
            continue
        path = folder / target
        os.replace(ran[name] if name in ran else run_analysis_notebook(name, folder, parameters), path)
        notebooks[name] = files.add(role, pointed(path, report), notebook_id(path), inputs.get(name, ""))
    return notebooks


def _companions(job: Job, report, folder: Path, notebooks: dict[str, Path], files: _Outputs) -> None:
    """The companion file in each of its formats, showing the analyst's notebooks (it needs no
    other file of the report: a single report writes it while its PDF is laid out)."""
    from analysis.publish.cutoff import companion_id  # noqa: PLC0415 (lazy: see the module's docstring)

    if report.companion is None:
        return
    shown = {name: files.outputs[NOTEBOOK_ROLE.format(name)]["id"] for name in notebooks}
    for name in companion_formats(job.formats):
        target = f"{report.companion.file_stem()}.{name}"
        content_id = companion_id(report, name, job.render_settings, shown)
        if files.unchanged(COMPANION_ROLE.format(name), target, content_id) is None:
            path = folder / target
            COMPANION_FORMATS[name].write(report, path, dict(notebooks))
            files.add(COMPANION_ROLE.format(name), path, content_id)


def render_job(job: Job, pdf_worker: PdfWorker | None = None, *, aside: Aside | None = None) -> Rendered:
    """Make one report in its own staging folder: every file whose content id changed since the
    record (analysis.publish.cutoff); the others are the files in place. `aside`: a process on
    the core to spare (a single report), warmed up, waiting: the analyst's notebooks whose inputs
    changed run there while the report notebook runs here."""
    folder = Path(tempfile.mkdtemp(dir=job.staging, prefix=f"{job.unit_code}-"))
    files = _Outputs(job)
    names = _changed_notebooks(job, files) if aside is not None else []
    parameters = analysis_parameters(dict(job.notebook_parameters), job.unit_code, job.computed_file)
    notebooks = aside if aside is not None and names else None
    try:
        if notebooks is not None:
            notebooks.run(run_analysis_notebooks, names, str(folder), parameters)
        return _render(job, folder, files, pdf_worker, notebooks)
    except BaseException:
        if notebooks is not None:
            with signals_deferred():  # a second Ctrl+C does not leave it writing into the staging folder
                notebooks.stop()
        raise


def _render(job: Job, folder: Path, files: _Outputs, pdf_worker: PdfWorker | None, aside: Aside | None) -> Rendered:
    """The report built first without its charts drawn (what it says: cheap), compared with the
    record (analysis.publish.cutoff); then, unless every format and the report notebook are
    unchanged, its print pictures drawn, the PDF started on the spare core, its phone pictures
    drawn and the report notebook run on the report so built (analysis.report.notebook.hand_over);
    then the analyst's notebooks (run here, or by the Aside meanwhile) and the companion that
    shows them, and the formats' writers (the HTML, then the PDF waited for)."""
    from analysis.publish.cutoff import notebook_id, report_notebook_source  # noqa: PLC0415 (lazy: see the module's docstring)
    from analysis.report.notebook import build_undrawn, drawn_like, hand_over, taken  # noqa: PLC0415

    arguments = report_arguments(job)
    built, charts = build_undrawn(**arguments)  # type: ignore[arg-type]
    report, notes = _revised(job, built)
    ids, found = _format_ids(job, report, files)
    role, name = NOTEBOOK_ROLE.format(NOTEBOOK.stem), trail_name(report, NOTEBOOK.stem)
    source = report_notebook_source(built, job.render_settings, arguments)
    checkpoint()  # a Ctrl+C whose exception was lost (analysis.interrupts) stops here, between steps
    if len(found) == len(ids) and _kept_report_notebook(files, role, name, source):
        # Nothing the report shows changed: no chart is drawn, no report notebook run.
        report_file = folder / "report.pickle"  # what the issued archive reads (never the pictures)
        with open(report_file, "wb") as handle:
            pickle.dump(built, handle, protocol=pickle.HIGHEST_PROTOCOL)
        notebooks = _notebooks(job, report, folder, files, aside.result() if aside is not None else {})
        _companions(job, report, folder, notebooks, files)
        return Rendered(str(report_file), notes, tuple(files.outputs.items()), draft=bool(built.meta.draft))
    report = _drawn(report, charts, folder, pdf_worker if "pdf" in ids and "pdf" not in found else None)
    hand_over(arguments, drawn_like(built, report))  # the report before its revision, with the pictures drawn
    try:
        executed, report_file = _execute_notebook(job, folder)
    finally:
        shown = taken()  # and the report handed over is dropped, whatever happened
    if not shown:  # the notebook's own call of prepare differs (edited): the report it built is the report
        if pdf_worker is not None:
            with signals_deferred():
                pdf_worker.stop()  # it lays out the command's report, not this one: laid out here instead
            pdf_worker = None
        report, notes, ids, found = _notebook_report(job, report_file, files)
        source = ""  # not the report the record can vouch for: its notebook runs again next time
    checkpoint()
    notebooks = _notebooks(job, report, folder, files, aside.result() if aside is not None else {})
    _companions(job, report, folder, notebooks, files)
    checkpoint()
    _write_formats(job, report, executed, folder, pdf_worker, files, ids, found)
    report_notebook = folder / name
    os.replace(executed, report_notebook)
    files.add(role, pointed(report_notebook, report), notebook_id(report_notebook), source)
    return Rendered(str(report_file), notes, tuple(files.outputs.items()), draft=bool(report.meta.draft))


def _drawn(report, charts: dict, folder: Path, pdf_worker: PdfWorker | None):
    """`report` with its pictures drawn: the print pictures first, then the PDF (when `pdf_worker`
    is to make it) started on the spare core, then the phone pictures."""
    from analysis.report.notebook import drawn  # noqa: PLC0415 (lazy: see the module's docstring)

    with warnings.catch_warnings():  # as inside the report notebook, where its stderr is no reader's
        warnings.simplefilter("ignore")
        report = drawn(report, charts, narrow=False)
        if pdf_worker is not None:  # laid out while this process goes on
            printed = folder / "print.pickle"
            with open(printed, "wb") as handle:
                pickle.dump(report, handle, protocol=pickle.HIGHEST_PROTOCOL)
            pdf_worker.render(printed, folder / f"{report.file_stem()}.pdf")
        return drawn(report, charts)


def _notebook_report(job: Job, report_file: Path, files: _Outputs):
    """The report the report notebook built and left in `report_file` (revised, as the command's
    is), its notes, its formats' ids and the files in place whose id is unchanged."""
    with open(report_file, "rb") as handle:
        report, notes = _revised(job, pickle.load(handle))
    ids, found = _format_ids(job, report, files)
    return report, notes, ids, found


def _revised(job: Job, report) -> tuple[object, tuple[str, ...]]:
    """`report` compared with its last issued version (the companion and the email say what
    changed: analysis.archive.revision), and the lines for the terminal; as it is when none."""
    if not job.issued_dir:
        return report, ()
    from analysis.archive.revision import revise  # noqa: PLC0415 (lazy: see the module's docstring)

    return revise(report, issued_dir=Path(job.issued_dir), computed_file=job.computed_file,
                  data_dir=Path(str(dict(job.notebook_parameters)["data_dir"])))


def _kept_report_notebook(files: _Outputs, role: str, name: str, source: str) -> bool:
    """The executed report notebook in place shows what it would show now (its recorded source)."""
    found = files.previous.get(role)
    return found is not None and found[2] == source and files.unchanged(role, name, found[1]) is not None


def progress(total: int):
    """The progress bar of a batch on stderr (none for a single report)."""
    from tqdm import tqdm  # noqa: PLC0415 (lazy: see the module's docstring)

    return tqdm(total=total, desc="Lập báo cáo", unit="báo cáo", file=sys.stderr, disable=total < 2 or None)


def run_jobs(jobs: Sequence[Job], workers: int, pdf_worker: PdfWorker | None, *,
             aside: Aside | None = None) -> dict[str, Rendered]:
    """Every job's staged files, by unit: in this process with one worker, else on a pool of
    `workers` processes (stopped at once, reports not started cancelled, when the run is interrupted).
    `aside`: the process on the core to spare for a single report's analysis notebooks (render_job)."""
    made: dict[str, Rendered] = {}
    if workers == 1:
        with progress(len(jobs)) as bar:
            for job in jobs:
                checkpoint()  # a Ctrl+C whose exception was lost (analysis.interrupts) stops here
                made[job.unit_code] = render_job(job, pdf_worker, aside=aside if len(jobs) == 1 else None)
                bar.update()
        return made
    pool = ProcessPoolExecutor(max_workers=workers, initializer=worker_init, mp_context=context())
    try:
        with progress(len(jobs)) as bar:
            futures = {pool.submit(render_job, job): job.unit_code for job in jobs}
            for future in as_completed(futures):
                checkpoint()  # a Ctrl+C whose exception was lost (analysis.interrupts) stops the pool
                made[futures[future]] = future.result()
                bar.update()
    except BaseException:
        with signals_deferred():
            stop_pool(pool)
        raise
    pool.shutdown(wait=True)
    return made
