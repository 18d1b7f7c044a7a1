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
import os
import pickle
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from analysis.errors import DataError, RenderError, UsageError
from analysis.incremental import UP_TO_DATE, Plan, data_digest, hash_files, inputs_digest, params_text
from analysis.outputs import check_output_dir, make_output_dir, why
from analysis.publish.runner import TRAIL_PREFIX, Job, Rendered, run_jobs
from analysis.publish.selection import unit_codes
from analysis.publish.staging import make_staging, remove_stale_staging, signals_deferred
from analysis.publish.workers import PdfWorker
from analysis.reference import load_units
from analysis.terminal import visible

Log = Callable[[str], None]


def publish(*, data_dir: Path, out_dir: Path, params, formats: Sequence[str], notebook_parameters: Mapping[str, object],
            workers: int | None = None, force: bool = False,
            log: Log = lambda message: print(message, file=sys.stderr)) -> list[Path]:
    """Validate, then make every report of `params.unit` in `formats` whose inputs changed since
    the record in `out_dir` (all of them with `force`); return the final paths, kept or new, of the
    reports and their companion files (the executed notebooks beside them are recorded, not listed)."""
    if workers is not None and workers < 1:
        raise UsageError(f"--workers {workers}: cần một số nguyên từ 1 trở lên")
    codes = unit_codes(params.unit, lambda: load_units(on=params.map_day))
    out_dir = check_output_dir(out_dir, data_dir)
    if out_dir.is_dir():
        remove_stale_staging(out_dir, log=log)
    plan = Plan(out_dir=out_dir, params=params, formats=formats, codes=codes, force=force)
    try:
        inputs = inputs_digest(data_dir)
    except (OSError, UsageError):  # validation reports it
        inputs = None
    kept = [entry for code in codes if (entry := plan.kept(code, inputs=inputs))] if inputs is not None else []
    if codes and len(kept) == len(codes):  # the cheap check: no form changed, nothing else did
        log(UP_TO_DATE)
        return sorted(path for entry in kept for path in plan.paths(entry) if not path.name.startswith(f"{TRAIL_PREFIX}-"))
    workers = min(workers or os.cpu_count() or 1, len(codes))
    # one PDF worker lays out one PDF: only for a single report (not --workers 1 on a batch)
    spare_core = len(codes) == 1 and (os.cpu_count() or 1) > 1 and "pdf" in formats
    pdf_worker = PdfWorker() if spare_core else None
    try:
        computed = _checked(data_dir, params, log)
        from analysis.report.narrative_template import narrative_warnings  # noqa: PLC0415 (lazy: markdown-it only for a run that makes reports)

        for warning in narrative_warnings(params, computed.units, codes):
            log(f"Cảnh báo (tệp nhận định): {visible(warning)}")
        return _make(codes, computed, data_dir, out_dir, params, formats, notebook_parameters, workers, pdf_worker,
                     log, plan, inputs)
    except BaseException:
        if pdf_worker is not None:
            pdf_worker.stop()
        raise
    finally:
        if pdf_worker is not None:
            pdf_worker.close()


def _checked(data_dir: Path, params, log: Log):
    """The checked data set, computed on the report's map; a DataError listing every error otherwise."""
    # lazy: the check and compute stages (pandas) only once a report is to be made
    from analysis.check.findings_report import summary_line, text_table  # noqa: PLC0415
    from analysis.compute.computed import compute_for  # noqa: PLC0415
    from analysis.dataset import load_dataset  # noqa: PLC0415

    log(f"Đang kiểm tra số liệu trong {visible(str(data_dir))} …")
    dataset = load_dataset(data_dir, params.period)
    if len(dataset.errors):
        log(text_table(dataset.errors))
        log(summary_line(dataset))
        raise DataError(f"số liệu có {len(dataset.errors)} lỗi; báo cáo chưa được lập, các báo cáo cũ giữ nguyên.",
                        dataset.errors)
    return compute_for(dataset, params)


def _make(codes, computed, data_dir, out_dir, params, formats, notebook_parameters, workers, pdf_worker, log, plan,
          inputs) -> list[Path]:
    """Make the reports whose data changed in a staging folder, then move them and the record in."""
    data = {code: data_digest(computed, code) for code in codes}
    kept = {code: entry for code in codes if (entry := plan.kept(code, data=data[code]))}
    build = [code for code in codes if code not in kept]
    make_output_dir(out_dir)
    try:
        staging = make_staging(out_dir)
    except OSError as error:
        raise RenderError(f"không ghi được vào thư mục báo cáo “{visible(str(out_dir))}”: {why(error)}") from None
    done = False
    try:
        jobs = _jobs(build, computed, staging, data_dir, out_dir, params, formats, notebook_parameters)
        if not jobs:
            log(UP_TO_DATE)
        elif kept:
            log(f"Giữ nguyên {len(kept)} báo cáo không có gì thay đổi.")
        if jobs:
            log(f"Đang lập {len(jobs)} báo cáo ({', '.join(formats)}) …")
        made = run_jobs(jobs, max(1, min(workers, len(build))), pdf_worker) if jobs else {}
        # the final reports with a number, kept in da-ban-hanh/ (a number issued with other content stops here)
        issues = _stage_issues(build, made, out_dir, staging, data_dir, computed, params, formats, log)
        entries = {code: plan.entry(code, inputs=inputs, data=data[code], outputs=hash_files(made[code].files))
                   for code in build}
        entries.update({code: {**entry, "inputs": inputs or ""} for code, entry in kept.items()})
        final, archived = _move_in(out_dir, staging, [pair for code in build for pair in made[code].files], kept, plan,
                                   entries, issues)
        done = True
        _say_issued(build, made, archived, log)
        trail = [path for path in final if path.name.startswith(f"{TRAIL_PREFIX}-")]
        if trail:
            log(f"Các sổ phân tích đã chạy được lưu cạnh báo cáo: {len(trail)} tệp “{TRAIL_PREFIX}-….ipynb”.")
        # The list printed for the reader: the reports and their check files; the notebooks are the analyst's trail.
        return sorted(path for path in final if path not in trail)
    except BrokenProcessPool:
        raise RenderError("một tiến trình lập báo cáo bị dừng đột ngột (hết bộ nhớ hoặc bị tắt); "
                          "các báo cáo cũ giữ nguyên") from None
    except OSError as error:
        raise RenderError(f"không ghi được báo cáo vào “{visible(str(out_dir))}”: {why(error)}; "
                          "các báo cáo cũ giữ nguyên") from None
    finally:
        with signals_deferred():
            if pdf_worker is not None and not done:
                pdf_worker.stop()  # before the staging folder goes: it may be writing the PDF there
            shutil.rmtree(staging, ignore_errors=True)


def _jobs(build, computed, staging: Path, data_dir: Path, out_dir: Path, params, formats,
          notebook_parameters) -> list[Job]:
    """One job per report to make, sharing the checked data set (pickled once in the staging folder)."""
    computed_file = staging / "computed.pickle"
    with open(computed_file, "wb") as handle:
        pickle.dump(computed, handle, protocol=pickle.HIGHEST_PROTOCOL)
    generated_at = dt.datetime.now().replace(microsecond=0).isoformat()
    shared = tuple({**notebook_parameters, "generated_at": generated_at, "data_dir": str(Path(data_dir).resolve()),
                    "period": f"{params.period[0]}-{params.period[1]}"}.items())
    from analysis.archive.issued import issued_root  # noqa: PLC0415 (lazy: see the module's docstring)

    return [Job(code, tuple(formats), str(staging), str(computed_file), shared, str(issued_root(out_dir)))
            for code in build]


def _stage_issues(build, made: dict[str, Rendered], out_dir: Path, staging: Path, data_dir: Path, computed, params,
                  formats, log: Log) -> list:
    """The issued folders of the final reports with a number, staged (analysis.archive.issued)."""
    from analysis.archive.issued import stage_issues  # noqa: PLC0415 (lazy: see the module's docstring)

    reports = [(made[code].report_file, [(path, name) for path, name in made[code].files
                                         if not name.startswith(f"{TRAIL_PREFIX}-")]) for code in build]
    return stage_issues(reports, out_dir=out_dir, staging=staging, data_dir=data_dir, computed=computed,
                        parameters=json.loads(params_text(params)), formats=formats, log=log)


def _say_issued(build, made: dict[str, Rendered], archived: list[Path], log: Log) -> None:
    """What changed since the issued versions, and where the issued ones were kept."""
    from analysis.archive.issued import REGISTER_FILE  # noqa: PLC0415 (lazy: see the module's docstring)

    for code in build:
        for line in made[code].notes:
            log(line)
    for folder in archived:
        log(f"Đã lưu bản ban hành vào “{visible(str(folder))}” và ghi vào sổ “{visible(str(folder.parent))}/"
            f"{REGISTER_FILE}”.")


def _move_in(out_dir: Path, staging: Path, staged: list[tuple[str, str]], kept: dict, plan: Plan,
             entries: dict, issues: list) -> tuple[list[Path], list[Path]]:
    """Every staged file into place together, then the issued folders (renamed whole, never over
    one), then the record (last: it never vouches for files not yet in place); the final paths of
    the reports made and kept, and the issued folders kept."""
    from analysis.archive.issued import move_issues  # noqa: PLC0415 (lazy: see the module's docstring)

    names = [name for _, name in staged] + [path.name for entry in kept.values() for path in plan.paths(entry)]
    if len(set(names)) != len(names):
        raise RenderError("hai báo cáo trùng tên tệp; kiểm tra cột slug của danh sách đơn vị")
    record = plan.write(staging, entries)
    final = [path for entry in kept.values() for path in plan.paths(entry)]
    with signals_deferred():
        for source, name in staged:
            target = out_dir / name
            os.replace(source, target)
            final.append(target)
        archived = move_issues(out_dir, issues)
        os.replace(record, out_dir / record.name)
    return final, archived
