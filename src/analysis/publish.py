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

Lazy imports: papermill, nbconvert, tqdm, the report stage (pandas, matplotlib) and the writers are
imported where a report is made, never at the top: the up-to-date check (`make report` with
nothing changed) runs through this module and imports no data stack (tests/test_incremental.py).
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import importlib
import importlib.util
import os
import pickle
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from analysis import config
from analysis.errors import DataError, RenderError, UsageError
from analysis.incremental import UP_TO_DATE, Plan, data_digest, hash_files, inputs_digest
from analysis.outputs import check_output_dir, make_output_dir, why
from analysis.processes import context
from analysis.reference import load_units
from analysis.terminal import visible
from analysis.vocabulary import AREA_CODE

STAGING_PREFIX = ".staging-"
OWNER_FILE = "owner"
STOP_GRACE = 1.0  # seconds a terminated worker gets before it is killed

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
# Format -> "module:function"; each writer is write(report, path, artifacts) and writes one file.
FORMAT_WRITERS = {
    "html": "analysis.render.html:write_html",
    "pdf": "analysis.render.pdf:write_pdf",
    "docx": "analysis.render.docx:write_docx",
    "xlsx": "analysis.render.xlsx:write_xlsx",
    "eml": "analysis.publish:write_eml",
}
NEEDS = {"eml": ("html", "pdf"), "pdf": ("html",)}
# The analyst's companion ("kiem-tra-so-lieu-…") written beside every report: HTML always, Excel
# when xlsx is asked. It holds the check material that the signed report does not.
COMPANION_WRITERS = {
    "html": "analysis.render.companion:write_companion_html",
    "xlsx": "analysis.render.companion:write_companion_xlsx",
}


def available_formats() -> list[str]:
    return [name for name, target in FORMAT_WRITERS.items()
            if importlib.util.find_spec(target.split(":")[0]) is not None]


def parse_formats(text: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in formats if f not in available_formats()]
    if unknown or not formats:
        raise UsageError(f"định dạng không hỗ trợ: {', '.join(unknown) or '(trống)'}; "
                         f"các định dạng có: {', '.join(available_formats())}")
    return formats


def write_eml(report, path: Path, artifacts: Mapping[str, Path]) -> None:
    """The email draft (analysis.render.eml), From the configured sender (mail.yaml or
    ANALYSIS_SMTP_FROM / _USER) when there is one: the writer writes, the application reads the settings."""
    from analysis.mail import configured_sender  # noqa: PLC0415 (lazy: see the module's docstring)
    from analysis.render.eml import write_eml as write  # noqa: PLC0415 (lazy: see the module's docstring)

    write(report, path, artifacts, sender=configured_sender())


def _writer(name: str) -> Callable:
    module, function = FORMAT_WRITERS[name].split(":")
    return getattr(importlib.import_module(module), function)


@dataclass(frozen=True)
class Job:
    """One report to make: everything a worker process needs, as plain values."""

    unit_code: str
    formats: tuple[str, ...]
    staging: str
    computed_file: str
    notebook_parameters: tuple[tuple[str, object], ...]


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


def notebook_to_html(executed: Path, title: str) -> str:
    """The executed notebook through the report's nbconvert template: outputs only."""
    from nbconvert import HTMLExporter  # noqa: PLC0415 (lazy: see the module's docstring)

    from analysis.render.html import page_end, page_start  # noqa: PLC0415 (lazy: see the module's docstring)

    exporter = HTMLExporter(template_name="baocao", extra_template_basedirs=[str(config.TEMPLATES_DIR)])
    body, _ = exporter.from_filename(str(executed), resources={"page_start": page_start(title), "page_end": page_end()})
    return body


def render_job(job: Job, pdf_worker: PdfWorker | None = None) -> list[tuple[str, str]]:
    """Make one report in its own staging folder; return (staged path, final name) pairs."""
    from analysis.render.html import document_title  # noqa: PLC0415 (lazy: see the module's docstring)

    folder = Path(tempfile.mkdtemp(dir=job.staging, prefix=f"{job.unit_code}-"))
    executed, report_file = _execute_notebook(job, folder)
    with open(report_file, "rb") as handle:
        report = pickle.load(handle)
    stem = report.file_stem()
    artifacts: dict[str, Path] = {}
    wanted = list(job.formats)
    order = [f for f in FORMAT_WRITERS if f in wanted or any(f in NEEDS.get(w, ()) for w in wanted)]
    if pdf_worker is not None and "pdf" in order:
        pdf_worker.render(report_file, folder / f"{stem}.pdf")  # lays it out while 01-03 and nbconvert run here
    # The analyst's notebooks, after the report's (so that its PDF is laid out meanwhile on the spare
    # core): the same period, unit, data folder and checked data set.
    parameters = analysis_parameters(dict(job.notebook_parameters), job.unit_code, job.computed_file)
    notebooks: dict[str, Path] = {}
    for name in ANALYSIS_NOTEBOOKS:
        notebooks[name] = folder / trail_name(report, name)
        os.replace(run_analysis_notebook(name, folder, parameters), notebooks[name])
    for name in order:
        path = folder / f"{stem}.{name}"
        if name == "html":
            path.write_text(notebook_to_html(executed, document_title(report)), encoding="utf-8")
        elif name == "pdf" and pdf_worker is not None:
            if not pdf_worker.wait():  # the worker failed: render here, to raise its error
                _writer(name)(report, path, {})
        else:
            _writer(name)(report, path, dict(artifacts))
        artifacts[name] = path
    staged = [(str(artifacts[name]), artifacts[name].name) for name in job.formats]
    report_notebook = folder / trail_name(report, NOTEBOOK.stem)
    os.replace(executed, report_notebook)
    staged += [(str(path), path.name) for path in [*notebooks.values(), report_notebook]]
    if report.companion is not None:
        for name in ("html", "xlsx") if "xlsx" in job.formats else ("html",):
            path = folder / f"{report.companion.file_stem()}.{name}"
            module, function = COMPANION_WRITERS[name].split(":")
            getattr(importlib.import_module(module), function)(report, path, {**artifacts, **notebooks})
            staged.append((str(path), path.name))
    return staged


def _pdf_worker(requests, own_end) -> None:
    """The PDF worker's process: import WeasyPrint and read the fonts, wait for one request,
    lay out that PDF. It answers by its exit status only: on an error the parent renders again
    to raise it, so nothing (no traceback) is printed here."""
    own_end.close()  # a forked child inherits the parent's end: the request pipe must see EOF
    try:
        from analysis.render import pdf as render_pdf  # noqa: PLC0415 (lazy: see the module's docstring)

        render_pdf.warm_up()
        try:
            report_file, target = requests.recv()
        except EOFError:  # the run ended without a PDF to make
            return
        with open(report_file, "rb") as handle:
            render_pdf.write_pdf(pickle.load(handle), Path(target))
    except BaseException:  # noqa: BLE001 (the parent renders the PDF again to raise the error: nothing printed here)
        sys.exit(1)


class PdfWorker:
    """A process that imports WeasyPrint and the fonts while the report is validated and its
    notebook runs, then lays out one PDF from the report pickle it is sent. A single report
    thus has its two slowest steps on two cores; a batch already keeps every core busy. It
    comes from analysis.processes.context(), so it works when processes are spawned (Windows)."""

    def __init__(self):
        ctx = context()
        requests, pipe = ctx.Pipe(duplex=False)
        self._pipe: Connection | None = pipe
        # every concrete context (fork, spawn, forkserver) has Process; typeshed's BaseContext does not
        self._process = ctx.Process(target=_pdf_worker, args=(requests, pipe), daemon=True,  # type: ignore[attr-defined]
                                    name="analysis-pdf")
        self._process.start()
        requests.close()
        self._done: bool | None = None

    def render(self, report_file: Path, target: Path) -> None:
        if self._pipe is None:
            raise RuntimeError("the PDF worker makes one PDF")
        self._pipe.send((str(report_file), str(target)))
        self._pipe.close()
        self._pipe = None

    def wait(self) -> bool:
        if self._done is None:
            self._process.join()
            self._done = self._process.exitcode == 0
        return self._done

    def close(self) -> None:
        """Stop a worker whose PDF is no longer wanted (never used, or the run failed) and reap it."""
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None
        if self._done is None:
            self._process.terminate()
            self._process.join()
            self._done = False

    def stop(self) -> None:
        """The run failed or was interrupted: end the worker now, whatever it is doing, and reap it."""
        if self._done is None and self._process.is_alive():
            self._process.kill()
        self.close()


def _progress(total: int):
    from tqdm import tqdm  # noqa: PLC0415 (lazy: see the module's docstring)

    return tqdm(total=total, desc="Lập báo cáo", unit="báo cáo", file=sys.stderr, disable=total < 2 or None)


def unit_codes(selection: Sequence[str], units) -> list[str]:
    """("city",) -> [the area's code]; ("all",) -> the area and every unit of `units` (the
    report's map); GSO codes as given (checked against `units`). `units` may be a function
    returning the units: it is called only when a selection needs them (not for "city": the
    up-to-date check of the area's report reads no unit list)."""
    if all(item in ("city", AREA_CODE) for item in selection):
        return list(dict.fromkeys(AREA_CODE for _ in selection))
    known = list((units() if callable(units) else units)["code"])
    codes: list[str] = []
    for item in selection:
        if item == "city":
            codes.append(AREA_CODE)
        elif item == "all":
            codes += [AREA_CODE, *known]
        elif item in known or item == AREA_CODE:
            codes.append(item)
        else:
            raise UsageError(f"không có đơn vị “{item}”: dùng city, all hoặc mã của một xã, phường "
                             f"({', '.join(known[:3])}, …)")
    return list(dict.fromkeys(codes))


def _start_time(pid: int) -> str:
    """The start time of process `pid` (Linux: /proc), to tell it from a later process with its pid."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        return ""


def _alive(pid: int, started: str) -> bool:
    if os.name != "posix":  # Windows: os.kill(pid, 0) would send Ctrl+C, not test the pid
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's process: it exists
    return not started or _start_time(pid) in ("", started)


def _age(folder: Path) -> float:
    try:
        return time.time() - folder.stat().st_mtime
    except OSError:
        return 0.0


def _make_staging(out_dir: Path) -> Path:
    staging = Path(tempfile.mkdtemp(dir=out_dir, prefix=f"{STAGING_PREFIX}{os.getpid()}-"))
    (staging / OWNER_FILE).write_text(f"{os.getpid()} {_start_time(os.getpid())}\n", encoding="ascii")
    return staging


def remove_stale_staging(out_dir: Path, *, log=lambda message: None) -> list[Path]:
    """Remove the staging folders of runs that are gone (killed: nothing else leaves one)."""
    removed: list[Path] = []
    try:
        entries = list(Path(out_dir).glob(f"{STAGING_PREFIX}*"))
    except OSError:
        return removed
    for folder in entries:
        if folder.is_symlink() or not folder.is_dir():
            continue
        try:
            pid_text, _, started = (folder / OWNER_FILE).read_text(encoding="ascii").strip().partition(" ")
            pid = int(pid_text)
        except (OSError, ValueError):  # no owner yet (a run starting now) or an older version's folder
            pid_part = folder.name[len(STAGING_PREFIX):].split("-", 1)[0]
            pid, started = (int(pid_part), "") if pid_part.isdigit() else (0, "")
            if not pid and _age(folder) < 3600:
                continue
        if pid and _alive(pid, started) and not (os.name != "posix" and _age(folder) > 86400):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            removed.append(folder)
            log(f"Đã xóa thư mục tạm “{visible(folder.name)}” của một lần chạy bị dừng.")
    return removed


@contextlib.contextmanager
def _signals_deferred():
    """Ctrl+C and SIGTERM wait until the block is done (moving files into place, cleaning up)."""
    block = {signal.SIGINT, signal.SIGTERM}
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, block)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _worker_init() -> None:
    """In a pool worker: the parent handles Ctrl+C and stops the workers; SIGTERM ends a worker at
    once; and a worker dies with its parent even if the parent is killed (Linux)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent is already gone
            os._exit(1)


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel the reports not started and end the running ones now (a batch stops within 2 s)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    deadline = time.monotonic() + STOP_GRACE
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(max(0.0, deadline - time.monotonic()))
    for process in processes:
        with contextlib.suppress(Exception):
            if process.is_alive():
                process.kill()
                process.join(1.0)


def publish(*, data_dir: Path, out_dir: Path, params, formats: Sequence[str], notebook_parameters: Mapping[str, object],
            workers: int | None = None, force: bool = False,
            log=lambda message: print(message, file=sys.stderr)) -> list[Path]:
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
        return _publish(codes, data_dir, out_dir, params, formats, notebook_parameters, workers, pdf_worker, log,
                        plan, inputs)
    except BaseException:
        if pdf_worker is not None:
            pdf_worker.stop()
        raise
    finally:
        if pdf_worker is not None:
            pdf_worker.close()


def _publish(codes, data_dir, out_dir, params, formats, notebook_parameters, workers, pdf_worker, log, plan,
             inputs) -> list[Path]:
    from analysis.compute.computed import compute_for  # noqa: PLC0415 (lazy: see the module's docstring)
    from analysis.dataset import load_dataset  # noqa: PLC0415 (lazy: see the module's docstring)
    from analysis.check.findings_report import summary_line, text_table  # noqa: PLC0415 (lazy: see the module's docstring)

    log(f"Đang kiểm tra số liệu trong {visible(str(data_dir))} …")
    dataset = load_dataset(data_dir, params.period)
    if len(dataset.errors):
        log(text_table(dataset.errors))
        log(summary_line(dataset))
        raise DataError(f"số liệu có {len(dataset.errors)} lỗi; báo cáo chưa được lập, các báo cáo cũ giữ nguyên.",
                        dataset.errors)
    computed = compute_for(dataset, params)
    data = {code: data_digest(computed, code) for code in codes}
    kept = {code: entry for code in codes if (entry := plan.kept(code, data=data[code]))}
    build = [code for code in codes if code not in kept]
    workers = max(1, min(workers, len(build)))
    make_output_dir(out_dir)
    try:
        staging = _make_staging(out_dir)
    except OSError as error:
        raise RenderError(f"không ghi được vào thư mục báo cáo “{visible(str(out_dir))}”: {why(error)}") from None
    done = False
    try:
        computed_file = staging / "computed.pickle"
        with open(computed_file, "wb") as handle:
            pickle.dump(computed, handle, protocol=pickle.HIGHEST_PROTOCOL)
        generated_at = dt.datetime.now().replace(microsecond=0).isoformat()
        shared = tuple({**notebook_parameters, "generated_at": generated_at, "data_dir": str(Path(data_dir).resolve()),
                        "period": f"{params.period[0]}-{params.period[1]}"}.items())
        jobs = [Job(code, tuple(formats), str(staging), str(computed_file), shared) for code in build]
        made: dict[str, list[tuple[str, str]]] = {}
        if not jobs:
            log(UP_TO_DATE)
        elif kept:
            log(f"Giữ nguyên {len(kept)} báo cáo không có gì thay đổi.")
        if jobs:
            log(f"Đang lập {len(jobs)} báo cáo ({', '.join(formats)}) …")
        if jobs and workers == 1:
            with _progress(len(jobs)) as bar:
                for job in jobs:
                    made[job.unit_code] = render_job(job, pdf_worker)
                    bar.update()
        elif jobs:
            pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, mp_context=context())
            try:
                with _progress(len(jobs)) as bar:
                    futures = {pool.submit(render_job, job): job.unit_code for job in jobs}
                    for future in as_completed(futures):
                        made[futures[future]] = future.result()
                        bar.update()
            except BaseException:
                with _signals_deferred():
                    _stop_pool(pool)
                raise
            pool.shutdown(wait=True)
        staged = [pair for code in build for pair in made[code]]
        names = [name for _, name in staged] + [path.name for entry in kept.values() for path in plan.paths(entry)]
        if len(set(names)) != len(names):
            raise RenderError("hai báo cáo trùng tên tệp; kiểm tra cột slug của danh sách đơn vị")
        entries = {code: plan.entry(code, inputs=inputs, data=data[code], outputs=hash_files(made[code]))
                   for code in build}
        entries.update({code: {**entry, "inputs": inputs or ""} for code, entry in kept.items()})
        record = plan.write(staging, entries)
        final = [path for entry in kept.values() for path in plan.paths(entry)]
        with _signals_deferred():
            for source, name in staged:  # every file is ready: move them into place together
                target = out_dir / name
                os.replace(source, target)
                final.append(target)
            os.replace(record, out_dir / record.name)  # last: it never vouches for files not yet in place
        done = True
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
        with _signals_deferred():
            if pdf_worker is not None and not done:
                pdf_worker.stop()  # before the staging folder goes: it may be writing the PDF there
            shutil.rmtree(staging, ignore_errors=True)
