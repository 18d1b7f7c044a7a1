"""A live preview of one report: served on 127.0.0.1, rebuilt when a form, the narrative file or
a parameters file changes, and reloaded in the browser by itself.

The page is made as `report` makes its HTML (the report notebook through papermill's
in-process engine, then the nbconvert template), in a temporary folder: the preview never
writes into reports/. Only the served page carries the small reload script (it asks
/__version every half second); the notice banner and the script are added on the way out.

* Forms are re-read and re-checked only when a file in the data folder changed; a narrative
  or parameters change reuses the checked data (the common case: a few hundred ms).
* Data with errors: the page shows the errors, located as `validate` prints them, in place of
  the report.
* A file caught half-saved, or any other failure: the last good page stays, with a notice
  saying what failed; the next save rebuilds.

Changes are found by polling modification times (no dependency, works on every OS and on
network drives).
"""

from __future__ import annotations

import http.server
import pickle
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import papermill
from markupsafe import Markup

from analysis import config
from analysis.check.findings_report import summary_line
from analysis.check.rules import SEVERITY_TEXT
from analysis.compute.computed import compute_for
from analysis.dataset import Dataset, load_dataset
from analysis.errors import AnalysisError
from analysis.inprocess_engine import ENGINE_NAME
from analysis.publish.notebooks import notebook_to_html
from analysis.publish.runner import NOTEBOOK
from analysis.read.files import is_ignored
from analysis.render.html import css, document_title
from analysis.render.templates import macro, render
from analysis.report import chart_theme
from analysis.report.params import load_params

POLL_SECONDS = 0.2
SETTLE_SECONDS = 0.1


@dataclass
class Page:
    """What the server sends: the last good page (its title and the content of its <main>), and a
    notice when the last build failed. The page is put together from templates/html/preview.html.j2
    when it is served: the notice and the reload script are never part of the page as built."""

    title: str = "Đang lập báo cáo"
    content: str = field(default_factory=lambda: macro("preview_parts.html.j2", "waiting"))
    notice: str = ""
    version: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def update(self, *, title: str | None = None, content: str | None = None, notice: str = "") -> None:
        """`content`: HTML made by the package's own templates (the report's parts, the errors table)."""
        with self.lock:
            if title is not None:
                self.title = title
            if content is not None:
                self.content = content
            self.notice = notice
            self.version += 1

    def served(self) -> tuple[bytes, int]:
        with self.lock:
            title, content, notice, version = self.title, self.content, self.notice, self.version
        page = render("preview.html.j2", title=title, css=css(), content=Markup(content), notice=notice,
                      version=version)
        return page.encode("utf-8"), version


def serve(page: Page, port: int) -> http.server.ThreadingHTTPServer:
    """Start the server on 127.0.0.1 in a daemon thread; port 0 picks a free port."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the name http.server calls
            if not _local_host(self.headers.get("Host"), server.server_port):
                # A page from elsewhere reaching 127.0.0.1 under its own name (DNS rebinding)
                # must not read the draft.
                self.send_error(403, explain="Chỉ mở được tại 127.0.0.1 hoặc localhost.")  # the status line is Latin-1
                return
            path = self.path.split("?")[0]
            if path == "/__version":
                self._send(str(page.served()[1]).encode(), "text/plain; charset=utf-8")
            elif path in ("/", "/index.html"):
                self._send(page.served()[0], "text/html; charset=utf-8")
            else:
                self.send_error(404, explain="Không có trang này.")

        def _send(self, data: bytes, content_type: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format, *args) -> None:  # quiet: one line per poll would drown the log
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="preview-server", daemon=True).start()
    return server


def _local_host(host: str | None, port: int) -> bool:
    """Is the Host header this machine's own name for the preview (127.0.0.1:PORT or localhost:PORT)?"""
    return host is not None and host.strip().lower() in (f"127.0.0.1:{port}", f"localhost:{port}")


def _signature(paths: list[Path]) -> tuple:
    """Name, modification time and size of each file (missing files count as a state too)."""
    state: list[tuple[str, int | None, int | None]] = []
    for path in paths:
        try:
            info = path.stat()
            state.append((str(path), info.st_mtime_ns, info.st_size))
        except OSError:
            state.append((str(path), None, None))
    return tuple(state)


def _form_files(data_dir: Path) -> list[Path]:
    try:
        return sorted(p for p in Path(data_dir).iterdir() if p.is_file() and not is_ignored(p))
    except OSError:
        return []


ERRORS_TITLE = "Số liệu có lỗi: chưa lập được báo cáo"


def errors_content(dataset) -> str:
    """The findings in place of the report: errors first, each located file › sheet › cell."""
    findings = [(SEVERITY_TEXT[r.severity], r.code, r.message)
                for r in dataset.findings.sort_values("severity", kind="stable").itertuples(index=False)]
    return macro("preview_parts.html.j2", "errors", summary_line(dataset), findings)


class Builder:
    """Rebuilds the page of one unit; keeps the checked data while the forms do not change."""

    def __init__(self, *, data_dir: Path, unit: str, params_file: Path | None, period: str | None,
                 workdir: Path, log: Callable[[str], None]):
        self.data_dir, self.unit, self.params_file, self.period = Path(data_dir), unit, params_file, period
        self.workdir, self.log = workdir, log
        self._forms_key: tuple | None = None
        self._dataset: Dataset | None = None
        self.had_good_page = False
        self.computed_file = workdir / "computed.pickle"

    def params(self):
        return load_params(self.params_file, period=self.period)

    def watched(self) -> list[Path]:
        """Every file a change of which changes the page."""
        files = [*_form_files(self.data_dir), config.REPORT_DEFAULTS_FILE]
        if self.params_file is not None:
            files.append(Path(self.params_file))
        try:
            files.append(self.params().narrative)
        except AnalysisError:
            pass  # a parameters file mid-save: its own change triggers the next build
        return files

    def build(self) -> tuple[str, str]:
        """The page's title and content (HTML); raises for a failure (the caller keeps the last good page)."""
        params = self.params()
        forms_key = (_signature(_form_files(self.data_dir)), params.period, params.map_day)
        dataset = self._dataset
        if forms_key != self._forms_key or dataset is None:
            dataset = load_dataset(self.data_dir, params.period)
            if not len(dataset.errors):
                with open(self.computed_file, "wb") as handle:
                    pickle.dump(compute_for(dataset, params), handle, protocol=pickle.HIGHEST_PROTOCOL)
            self._dataset, self._forms_key = dataset, forms_key
        errors = dataset.errors
        if len(errors) and set(errors["code"]) == {"E-FILE"} and self.had_good_page:
            # Most likely a workbook caught half-saved: keep the last good page, say which file.
            raise AnalysisError("không đọc được " + "; ".join(errors["message"]))
        if len(errors):
            return ERRORS_TITLE, errors_content(dataset)
        return self._render(params)

    def _render(self, params) -> tuple[str, str]:
        executed, report_file = self.workdir / "bao-cao.ipynb", self.workdir / "report.pickle"
        parameters = {"period": f"{params.period[0]}-{params.period[1]}", "unit": self.unit,
                      "params_file": str(Path(self.params_file).resolve()) if self.params_file else "",
                      "computed_file": str(self.computed_file), "report_file": str(report_file)}
        try:
            papermill.execute_notebook(str(NOTEBOOK), str(executed), parameters=parameters, kernel_name="python3",
                                       engine_name=ENGINE_NAME, progress_bar=False, log_output=False,
                                       cwd=str(config.ROOT), request_save_on_cell_execute=False)  # written once
        except papermill.PapermillExecutionError as error:
            raise RuntimeError(f"sổ báo cáo dừng ở ô {error.exec_count} ({error.ename}): {error.evalue}") from None
        with open(report_file, "rb") as handle:
            report = pickle.load(handle)
        return document_title(report), notebook_to_html(executed, document_title(report), page=False)


def _failure_text(error: BaseException) -> str:
    if isinstance(error, AnalysisError):
        return str(error)
    return f"{type(error).__name__}: {error}"


def run_preview(*, data_dir: Path, unit: str, port: int, params_file: Path | None = None, period: str | None = None,
                log: Callable[[str], None] = lambda m: print(m, file=sys.stderr, flush=True),
                ready: Callable[[str], None] = lambda url: print(url, flush=True),
                stop: threading.Event | None = None) -> None:
    """Serve and rebuild until `stop` is set or Ctrl+C."""
    chart_theme.remember_charts()  # a narrative edit then redraws no chart
    stop = stop or threading.Event()
    page = Page()
    with tempfile.TemporaryDirectory(prefix="analysis-preview-") as folder:
        builder = Builder(data_dir=data_dir, unit=unit, params_file=params_file, period=period,
                          workdir=Path(folder), log=log)
        server = serve(page, port)
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        try:
            ready(url)
            seen: tuple | None = None
            while not stop.is_set():
                current = _signature(builder.watched())
                if current != seen:
                    # Wait for the save to finish: the same state twice, one short beat apart
                    # (an editor truncates, then writes; a copy grows for a while).
                    stop.wait(SETTLE_SECONDS)
                    settled = _signature(builder.watched())
                    if settled != current:
                        continue
                    seen = current
                    started = time.perf_counter()
                    try:
                        title, content = builder.build()
                    except Exception as error:  # noqa: BLE001 (any failure keeps the last good page)
                        # the files were the same twice a beat apart: not a save in progress, so the
                        # notice says what is wrong rather than "maybe half-saved"
                        notice = ("Chưa cập nhật được: " + _failure_text(error)
                                  + ". Đang hiển thị bản lập thành công gần nhất; sửa rồi lưu lại tệp để thử lại.")
                        page.update(notice=notice)
                        log(notice)
                        if not isinstance(error, AnalysisError):
                            log("".join(traceback.format_exception(error)).rstrip())
                    else:
                        builder.had_good_page = True
                        page.update(title=title, content=content)
                        log(f"Đã cập nhật ({time.perf_counter() - started:.2f} s).")
                stop.wait(POLL_SECONDS)
        finally:
            server.shutdown()
            server.server_close()
