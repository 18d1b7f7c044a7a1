"""One command, all the reports: validate once, execute the report notebook per unit with
papermill (in this process: analysis.inprocess_engine), render it through the nbconvert
template, then the PDF and any other format. A batch runs on a pool of worker processes that
keep their imports from one report to the next.

Everything a run writes is staged in a hidden folder next to the destination and moved into
place only when every file of every report is ready: a failed or interrupted run leaves the
previous good reports untouched, and never a new HTML beside an old PDF.

Interrupted (Ctrl+C, or SIGTERM which the command turns into `errors.Terminated`), a run
cancels the reports not started, terminates the worker processes, removes its staging folder
and exits 130 (143 for SIGTERM). A run killed outright (SIGKILL, power cut) leaves its staging
folder: it holds an `owner` file (pid and start time), and the next run into the same folder
removes every staging folder whose owner is gone.

A final report with a number is also kept in `<out>/da-ban-hanh/<number>/` (analysis.archive.issued,
staged with the reports and renamed into place after them; a number issued with other content
stops the run before anything is moved), and every report is compared with the last report
issued for its period and unit before its companion and email are written
(analysis.archive.revision).

The modules: selection (which reports), staging (the staging folder and its owner), runner
(one report, and a batch on a pool), workers (the PDF worker and the pool's processes), formats
(the writers). Lazy imports: the check and compute stages (pandas) and everything the runner
loads are imported where a report is made, never at the top: the up-to-date check (`make
report` with nothing changed) runs through this package and imports no data stack
(tests/test_incremental.py).
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import DataError, RenderError, UsageError
from analysis.interrupts import checkpoint
from analysis.incremental import COMPANION_ROLE, DATA_ROLE, NOTEBOOK_ROLE, UP_TO_DATE, Plan, inputs_digest, params_text
from analysis.publish.cutoff import same_content
from analysis.publish.lock import OutputLock
from analysis.outputs import check_output_dir, make_output_dir, why
from analysis.publish.notebooks import (ANALYSIS_NOTEBOOKS, KEPT_DATA_SUFFIX, TRAIL_PREFIX, kept_data_name,
                                        warm_up_notebooks)
from analysis.publish.runner import NOTEBOOK, Job, Rendered, run_jobs
from analysis.publish.selection import unit_codes
from analysis.publish.staging import make_staging, remove_stale_staging, signals_deferred
from analysis.processes import context, usable_cpus
from analysis.publish.switch import KEEP_MARK, switch
from analysis.read.files import sha256_file
from analysis.publish.workers import Aside, PdfWorker
from analysis.reference import load_units
from analysis.terminal import visible

Log = Callable[[str], None]


def publish(*, data_dir: Path, out_dir: Path, params, formats: Sequence[str], notebook_parameters: Mapping[str, object],
            workers: int | None = None, force: bool = False,
            log: Log = lambda message: print(message, file=sys.stderr)) -> list[Path]:
    """Validate, then make every report of `params.unit` in `formats` whose inputs changed since
    the record in `out_dir` (all of them with `force`); return the final paths, kept or new, of the
    reports and their companion files (the executed notebooks beside them are recorded, not listed).
    One run per output folder at a time (analysis.publish.lock)."""
    if workers is not None and workers < 1:
        raise UsageError(f"--workers {workers}: cần một số nguyên từ 1 trở lên")
    codes = unit_codes(params.unit, lambda: load_units(on=params.map_day))
    out_dir = check_output_dir(out_dir, data_dir)
    with OutputLock(out_dir) as lock:
        if out_dir.is_dir():  # else it is made, and locked, once the forms are checked (_make)
            lock.acquire(log=log)
            remove_stale_staging(out_dir, log=log)
        plan = Plan(out_dir=out_dir, params=params, formats=formats, codes=codes, force=force,
                    notebooks=[*ANALYSIS_NOTEBOOKS, NOTEBOOK.stem], data_dir=data_dir)
        try:
            inputs = inputs_digest(data_dir)
        except (OSError, UsageError):  # validation reports it
            inputs = None
        kept = [entry for code in codes if (entry := plan.kept(code, inputs=inputs))] if inputs is not None else []
        if codes and len(kept) == len(codes):  # the cheap check: no form changed, nothing else did
            log(UP_TO_DATE)
            return sorted(path for entry in kept for path in plan.paths(entry)
                          if not path.name.startswith(f"{TRAIL_PREFIX}-"))
        cpus = usable_cpus()
        workers = min(workers or cpus, len(codes))
        # a single report has a core to spare (not --workers 1 on a batch): one PDF worker lays out
        # its PDF, and, where processes are forked (started at once, nothing to import again), its
        # analysis notebooks run beside its report notebook (runner.render_job)
        spare_core = len(codes) == 1 and cpus > 1
        forked = context().get_start_method() == "fork"
        if spare_core:  # what the forms are checked with, imported once: the processes forked below have it
            _check_stage()
            if forked:  # and the charts and notebooks, which both forked processes import otherwise (0,6 s of
                _report_stage()  # CPU each); at a cost on the error path: imported before the forms are checked
        pdf_worker = PdfWorker() if spare_core and "pdf" in formats else None
        # the analysis notebooks' process, importing what they need while the forms are checked
        aside = (Aside(name="analysis-notebooks", warm_up=warm_up_notebooks)
                 if spare_core and forked else None)
        try:
            computed = _checked(data_dir, params, log)
            from analysis.report.narrative_template import narrative_warnings  # noqa: PLC0415 (lazy: markdown-it only for a run that makes reports)

            for warning in narrative_warnings(params, computed.units, codes):
                log(f"Cảnh báo (tệp nhận định): {visible(warning)}")
            run = Run(codes, computed, data_dir, out_dir, params, formats, notebook_parameters, plan, inputs, lock)
            return _make(run, workers, pdf_worker, log, aside=aside)
        except BaseException:
            if pdf_worker is not None:
                with signals_deferred():
                    pdf_worker.stop()
            raise
        finally:
            if pdf_worker is not None:
                pdf_worker.close()
            if aside is not None:
                with signals_deferred():
                    aside.stop()  # reaped (done), or ended (never given work: nothing was to run)


@dataclass(frozen=True)
class Run:
    """What one run makes its reports from."""

    codes: list[str]
    computed: object
    data_dir: Path
    out_dir: Path
    params: object
    formats: Sequence[str]
    notebook_parameters: Mapping[str, object]
    plan: Plan
    inputs: str | None
    lock: OutputLock


def _check_stage():
    """What the forms are checked and computed with (pandas), imported only once a report is to be
    made (lazy: the up-to-date check loads no data stack)."""
    from analysis.check.findings_report import summary_line, text_table  # noqa: PLC0415
    from analysis.compute.computed import compute_for  # noqa: PLC0415
    from analysis.dataset import load_dataset  # noqa: PLC0415

    return summary_line, text_table, compute_for, load_dataset


def _report_stage() -> None:
    """What the report is built, drawn and run with (matplotlib and the charts, papermill, the notebooks'
    shell): the command needs all of it, its notebooks' process too, its PDF worker the charts (a
    report's figures unpickle through them)."""
    import analysis.inprocess_engine  # noqa: PLC0415 (lazy: the up-to-date check loads no data stack)
    import analysis.report.charts  # noqa: PLC0415
    import analysis.report.notebook  # noqa: F401, PLC0415


def _checked(data_dir: Path, params, log: Log):
    """The checked data set, computed on the report's map; a DataError listing every error otherwise."""
    summary_line, text_table, compute_for, load_dataset = _check_stage()

    log(f"Đang kiểm tra số liệu trong {visible(str(data_dir))} …")
    dataset = load_dataset(data_dir, params.period)
    if len(dataset.errors):
        log(text_table(dataset.errors))
        log(summary_line(dataset))
        raise DataError(f"số liệu có {len(dataset.errors)} lỗi; báo cáo chưa được lập, các báo cáo cũ giữ nguyên.",
                        dataset.errors)
    return compute_for(dataset, params)


def _staging(run: Run, log: Log) -> Path:
    """The output folder made and locked (when it was not there at the start), the staging folder in it."""
    make_output_dir(run.out_dir)
    if not run.lock.held:
        run.lock.acquire(log=log)
        run.plan.entries = run.plan.read()  # another run may have written it meanwhile
    try:
        return make_staging(run.out_dir)
    except OSError as error:
        raise RenderError(f"không ghi được vào thư mục báo cáo “{visible(str(run.out_dir))}”: {why(error)}") from None


def _make(run: Run, workers: int, pdf_worker, log: Log, *, aside: Aside | None = None) -> list[Path]:
    """Make the reports whose data changed in a staging folder, then switch them and the record in."""
    staging = _staging(run, log)
    plan, codes = run.plan, run.codes
    from analysis.report_inputs import ReportInputs  # noqa: PLC0415 (lazy: the up-to-date check loads no data stack)

    read = ReportInputs(run.computed)
    data = {code: read.data(code) for code in codes}
    kept = {code: entry for code in codes if (entry := plan.kept(code, data=data[code]))}
    build = [code for code in codes if code not in kept]
    done = False
    try:
        jobs = _jobs(build, run, staging, read)
        if not jobs:
            log(UP_TO_DATE)
        elif kept:
            log(f"Giữ nguyên {len(kept)} báo cáo không có gì thay đổi.")
        if jobs:
            log(f"Đang lập {len(jobs)} báo cáo ({', '.join(run.formats)}) …")
        made = run_jobs(jobs, max(1, min(workers, len(build))), pdf_worker, aside=aside) if jobs else {}
        # the final reports with a number, kept in da-ban-hanh/ (a number issued with other content stops here)
        issues = _stage_issues(build, made, run, staging, log)
        moves, entries = _changed(run, build, made, data)
        entries.update({code: _restamped(plan, entry, run.inputs) for code, entry in kept.items()})
        moves.extend(keep_notebook_data(run, staging, entries))
        checkpoint()  # a Ctrl+C whose exception was lost (analysis.interrupts): nothing is moved in
        final, archived = _move_in(run, staging, moves, kept, entries, issues)
        done = True
        _say_issued(build, made, archived, log)
        trail = [path for path in final if path.name.startswith(f"{TRAIL_PREFIX}-")]
        if trail:
            notebooks = sum(path.suffix == ".ipynb" for path in trail)
            log(f"Các sổ phân tích đã chạy được lưu cạnh báo cáo: {notebooks} tệp “{TRAIL_PREFIX}-….ipynb”, "
                f"chạy lại được tại chỗ với số liệu đã kiểm tra lưu cùng (“{TRAIL_PREFIX}-…{KEPT_DATA_SUFFIX}”).")
        # The list printed for the reader: the reports and their check files; the notebooks are the analyst's trail.
        return sorted(path for path in final if path not in trail)
    except BrokenProcessPool:
        raise RenderError("một tiến trình lập báo cáo bị dừng đột ngột (hết bộ nhớ hoặc bị tắt); "
                          "các báo cáo cũ giữ nguyên") from None
    except OSError as error:
        raise RenderError(f"không ghi được báo cáo vào “{visible(str(run.out_dir))}”: {why(error)}; "
                          "các báo cáo cũ giữ nguyên") from None
    finally:
        with signals_deferred():
            if pdf_worker is not None and not done:
                pdf_worker.stop()  # before the staging folder goes: it may be writing the PDF there
            if not (staging / KEEP_MARK).exists():  # else it holds old files a failed rollback could not put back
                shutil.rmtree(staging, ignore_errors=True)


def _jobs(build, run: Run, staging: Path, read) -> list[Job]:
    """One job per report to make, sharing the checked data set (pickled once in the staging folder),
    with what the record says of its files (analysis.publish.cutoff)."""
    computed_file = staging / "computed.pickle"
    with open(computed_file, "wb") as handle:
        pickle.dump(run.computed, handle, protocol=pickle.HIGHEST_PROTOCOL)
    generated_at = dt.datetime.now().replace(microsecond=0).isoformat()
    params = run.params
    shared = tuple({**run.notebook_parameters, "generated_at": generated_at,
                    "data_dir": str(Path(run.data_dir).resolve()),
                    "period": f"{params.period[0]}-{params.period[1]}"}.items())  # type: ignore[attr-defined]
    from analysis.archive.issued import issued_root  # noqa: PLC0415 (lazy: see the module's docstring)

    return [Job(code, tuple(run.formats), str(staging), str(computed_file), shared, str(issued_root(run.out_dir)),
                render_settings=run.plan.render, previous=tuple(run.plan.previous(code).items()),
                notebook_inputs=tuple(read.notebooks(code, run.plan.parameters).items()))
            for code in build]


def _changed(run: Run, build, made: dict[str, Rendered], data: dict[str, str]) -> tuple[list, dict]:
    """The staged files whose content differs from the file in place (force: all of them), as
    (staged path, final name) moves, and the new entries of the reports made."""
    force = run.plan.force
    moves, entries = [], {}
    for code in build:
        outputs = {}
        for role, output in made[code].outputs:
            path, target = Path(output["path"]), run.out_dir / output["file"]
            run_time = role.startswith(COMPANION_ROLE.format(""))  # the companion prints when it was made
            if path.parent != run.out_dir and (force or not same_content(target, path, run_time=run_time)):
                moves.append((str(path), output["file"]))
            elif path.parent != run.out_dir:  # the same content as in place: the file in place stays
                path = target
            outputs[role] = {"file": output["file"], "sha256": sha256_file(path), "id": output["id"],
                             "source": output["source"]}
        entries[code] = run.plan.entry(code, inputs=run.inputs, data=data[code], outputs=outputs)
    return moves, entries


def keep_notebook_data(run: Run, staging: Path, entries: dict[str, dict]) -> list[tuple[str, str]]:
    """The checked data set the kept notebooks re-run on, as Parquet in one file per period
    (analysis.dataset_file; their parameters name it: notebooks.kept_data_name), written once for the
    run's reports and recorded in each of their entries; the move that puts it in place, none when
    the file there has the same bytes."""
    from analysis.dataset_file import write_dataset_file  # noqa: PLC0415 (lazy: see the module's docstring)

    name = kept_data_name(run.params.period)  # type: ignore[attr-defined]
    path = write_dataset_file(run.computed.dataset, staging / name, map_day=run.computed.map_day)  # type: ignore[attr-defined]
    sha256 = sha256_file(path)
    for entry in entries.values():  # stamped as the report's executed report notebook is
        stamp = entry["outputs"][NOTEBOOK_ROLE.format(NOTEBOOK.stem)]
        entry["outputs"][DATA_ROLE] = {**stamp, "file": name, "sha256": sha256, "id": sha256, "source": ""}
    target = run.out_dir / name
    return [] if not run.plan.force and same_content(target, path) else [(str(path), name)]


def _restamped(plan: Plan, entry: dict, inputs: str | None) -> dict:
    """A kept entry, its files of this run's formats checked against this run's inputs."""
    return {"outputs": {role: {**output, "inputs": inputs or ""} if role in plan.roles else output
                        for role, output in entry["outputs"].items()}}


def _stage_issues(build, made: dict[str, Rendered], run: Run, staging: Path, log: Log) -> list:
    """The issued folders of the final reports with a number, staged (analysis.archive.issued). A
    draft's report is not read (unpickling a report imports the chart stage: matplotlib)."""
    from analysis.archive.issued import stage_issues  # noqa: PLC0415 (lazy: see the module's docstring)

    reports = [(made[code].report_file, [(output["path"], output["file"]) for role, output in made[code].outputs
                                         if not output["file"].startswith(f"{TRAIL_PREFIX}-")])
               for code in build if not made[code].draft]
    return stage_issues(reports, out_dir=run.out_dir, staging=staging, data_dir=run.data_dir, computed=run.computed,
                        parameters=json.loads(params_text(run.params)), formats=run.formats, log=log)


def _say_issued(build, made: dict[str, Rendered], archived: list[Path], log: Log) -> None:
    """What changed since the issued versions, and where the issued ones were kept."""
    from analysis.archive.issued import REGISTER_FILE  # noqa: PLC0415 (lazy: see the module's docstring)

    for code in build:
        for line in made[code].notes:
            log(line)
    for folder in archived:
        log(f"Đã lưu bản ban hành vào “{visible(str(folder))}” và ghi vào sổ “{visible(str(folder.parent))}/"
            f"{REGISTER_FILE}”.")


def _move_in(run: Run, staging: Path, moves: list[tuple[str, str]], kept: dict, entries: dict,
             issues: list) -> tuple[list[Path], list[Path]]:
    """The switch (analysis.publish.switch): every changed file into place, then the issued folders
    (renamed whole, never over one), then the record, as one step rolled back whole on any failure;
    the final paths of the reports made and kept, and the issued folders kept."""
    from analysis.archive.issued import move_issues  # noqa: PLC0415 (lazy: see the module's docstring)

    plan, out_dir = run.plan, run.out_dir
    final = sorted({out_dir / entry["outputs"][role]["file"] for entry in entries.values() for role in plan.roles
                    if role in entry["outputs"]})
    names = [out_dir / name for _, name in moves]
    if len(set(names)) != len(names) or len({path.name for path in final}) != len(final):
        raise RenderError("hai báo cáo trùng tên tệp; kiểm tra cột slug của danh sách đơn vị")
    record = plan.write(staging, entries)
    archived: list[Path] = []

    def moves_in(journal) -> None:
        for source, name in moves:
            journal.replace(Path(source), out_dir / name)
        archived.extend(move_issues(out_dir, issues, journal))
        journal.replace(record, out_dir / record.name)

    with signals_deferred():
        switch(out_dir, moves_in, staging)
    return final, archived
