"""One command, all the reports: validate once, execute the report notebook per unit with
papermill (in this process: analysis.inprocess_engine), render it through the nbconvert
template, then the PDF and any other format. A batch runs on a pool of worker processes that
keep their imports from one report to the next.

Everything a run writes is staged in a hidden folder next to the destination and moved into
place only when every file of every report is ready: a failed or interrupted run leaves the
previous good reports untouched, and never a new HTML beside an old PDF.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import os
import pickle
import shutil
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from analysis import config
from analysis.vocabulary import AREA_CODE
from analysis.errors import DataError, RenderError, UsageError

NOTEBOOK = config.NOTEBOOKS_DIR / "04_bao_cao.ipynb"
# Format -> "module:function"; each writer is write(report, path, artifacts) and writes one file.
FORMAT_WRITERS = {
    "html": "analysis.render.html:write_html",
    "pdf": "analysis.render.pdf:write_pdf",
    "docx": "analysis.render.docx:write_docx",
    "xlsx": "analysis.render.xlsx:write_xlsx",
    "eml": "analysis.render.eml:write_eml",
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


def _execute_notebook(job: Job, folder: Path) -> tuple[Path, Path]:
    import papermill

    from analysis.inprocess_engine import ENGINE_NAME

    executed = folder / "bao-cao.ipynb"
    report_file = folder / "report.pickle"
    parameters = dict(job.notebook_parameters, unit=job.unit_code, computed_file=job.computed_file,
                      report_file=str(report_file))
    try:
        # Papermill parameterises and records the run; the cells run in this process (see
        # inprocess_engine): no kernel to start, nothing imported twice.
        papermill.execute_notebook(str(NOTEBOOK), str(executed), parameters=parameters, kernel_name="python3",
                                   engine_name=ENGINE_NAME, progress_bar=False, log_output=False,
                                   cwd=str(config.ROOT))
    except papermill.PapermillExecutionError as error:
        raise RenderError(f"sổ báo cáo dừng ở ô {error.exec_count} ({error.ename}): {error.evalue}") from None
    return executed, report_file


def notebook_to_html(executed: Path, title: str) -> str:
    """The executed notebook through the report's nbconvert template: outputs only."""
    from nbconvert import HTMLExporter

    from analysis.render.html import page_end, page_start

    exporter = HTMLExporter(template_name="baocao", extra_template_basedirs=[str(config.TEMPLATES_DIR)])
    body, _ = exporter.from_filename(str(executed), resources={"page_start": page_start(title), "page_end": page_end()})
    return body


def render_job(job: Job, pdf_worker: "PdfWorker | None" = None) -> list[tuple[str, str]]:
    """Make one report in its own staging folder; return (staged path, final name) pairs."""
    from analysis.render.html import document_title

    folder = Path(tempfile.mkdtemp(dir=job.staging, prefix=f"{job.unit_code}-"))
    executed, report_file = _execute_notebook(job, folder)
    with open(report_file, "rb") as handle:
        report = pickle.load(handle)
    stem = report.file_stem()
    artifacts: dict[str, Path] = {}
    wanted = list(job.formats)
    order = [f for f in FORMAT_WRITERS if f in wanted or any(f in NEEDS.get(w, ()) for w in wanted)]
    if pdf_worker is not None and "pdf" in order:
        pdf_worker.render(report_file, folder / f"{stem}.pdf")  # lays it out while nbconvert runs here
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
    if report.companion is not None:
        for name in ("html", "xlsx") if "xlsx" in job.formats else ("html",):
            path = folder / f"{report.companion.file_stem()}.{name}"
            module, function = COMPANION_WRITERS[name].split(":")
            getattr(importlib.import_module(module), function)(report, path, dict(artifacts))
            staged.append((str(path), path.name))
    return staged


class PdfWorker:
    """A forked process that imports WeasyPrint and the fonts while the report is validated and
    its notebook runs, then lays out one PDF from the report pickle it is sent. A single report
    thus has its two slowest steps on two cores; a batch already keeps every core busy."""

    def __init__(self):
        read, self._pipe = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the worker: never returns, answers by its exit status only
            os.close(self._pipe)
            code = 1
            try:
                from analysis.render import pdf as render_pdf

                render_pdf.warm_up()
                request = os.read(read, 65536).decode("utf-8")  # waits; empty when cancelled
                if request:
                    report_file, target = request.split("\n")
                    with open(report_file, "rb") as handle:
                        render_pdf.write_pdf(pickle.load(handle), Path(target))
                    code = 0
            finally:
                os._exit(code)
        os.close(read)
        self._done: bool | None = None

    def render(self, report_file: Path, target: Path) -> None:
        os.write(self._pipe, f"{report_file}\n{target}".encode("utf-8"))
        os.close(self._pipe)
        self._pipe = None

    def wait(self) -> bool:
        if self._done is None:
            self._done = os.waitpid(self.pid, 0)[1] == 0
        return self._done

    def close(self) -> None:
        """Stop a worker that was never used (closing the pipe ends it) and reap it."""
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None
        self.wait()


def _progress(total: int):
    from tqdm import tqdm

    return tqdm(total=total, desc="Lập báo cáo", unit="báo cáo", file=sys.stderr, disable=total < 2 or None)


def unit_codes(selection: Sequence[str], units) -> list[str]:
    """("city",) -> ["608"]; ("all",) -> city and the 21 units; GSO codes as given (checked)."""
    known = list(units["code"])
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


def publish(*, data_dir: Path, out_dir: Path, params, formats: Sequence[str], notebook_parameters: Mapping[str, object],
            workers: int | None = None, log=lambda message: print(message, file=sys.stderr)) -> list[Path]:
    """Validate, then make every report of `params.unit` in `formats`; return the final paths."""
    from analysis.reference import load_units

    codes = unit_codes(params.unit, load_units())
    workers = min(workers or os.cpu_count() or 1, len(codes))
    spare_core = workers == 1 and (os.cpu_count() or 1) > 1 and hasattr(os, "fork") and "pdf" in formats
    pdf_worker = PdfWorker() if spare_core else None
    try:
        return _publish(codes, data_dir, out_dir, params, formats, notebook_parameters, workers, pdf_worker, log)
    finally:
        if pdf_worker is not None:
            pdf_worker.close()


def _publish(codes, data_dir, out_dir, params, formats, notebook_parameters, workers, pdf_worker, log) -> list[Path]:
    from analysis.report.content import compute_all
    from analysis.dataset import load_dataset
    from analysis.check.findings_report import summary_line, text_table

    log(f"Đang kiểm tra số liệu trong {data_dir} …")
    dataset = load_dataset(data_dir, params.period)
    if len(dataset.errors):
        log(text_table(dataset.errors))
        log(summary_line(dataset))
        raise DataError(f"số liệu có {len(dataset.errors)} lỗi; báo cáo chưa được lập, các báo cáo cũ giữ nguyên.",
                        dataset.errors)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out_dir, prefix=".staging-"))
    try:
        computed_file = staging / "computed.pickle"
        with open(computed_file, "wb") as handle:
            pickle.dump(compute_all(dataset), handle, protocol=pickle.HIGHEST_PROTOCOL)
        generated_at = dt.datetime.now().replace(microsecond=0).isoformat()
        shared = tuple({**notebook_parameters, "generated_at": generated_at,
                        "period": f"{params.period[0]}-{params.period[1]}"}.items())
        jobs = [Job(code, tuple(formats), str(staging), str(computed_file), shared) for code in codes]
        staged: list[tuple[str, str]] = []
        log(f"Đang lập {len(jobs)} báo cáo ({', '.join(formats)}) …")
        if workers == 1:
            with _progress(len(jobs)) as bar:
                for job in jobs:
                    staged += render_job(job, pdf_worker)
                    bar.update()
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool, _progress(len(jobs)) as bar:
                futures = [pool.submit(render_job, job) for job in jobs]
                for future in as_completed(futures):
                    staged += future.result()
                    bar.update()
        names = [name for _, name in staged]
        if len(set(names)) != len(names):
            raise RenderError("hai báo cáo trùng tên tệp; kiểm tra cột slug của danh sách đơn vị")
        final = []
        for source, name in staged:  # every file is ready: move them into place together
            target = out_dir / name
            os.replace(source, target)
            final.append(target)
        return sorted(final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
