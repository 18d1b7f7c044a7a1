"""The processes that make reports: for a single report, the PDF worker (WeasyPrint warmed up on
the spare core) and the process that runs the analyst's notebooks beside the report notebook
(Aside); for a batch, the pool: its workers die with the parent, and Ctrl+C stops them within
2 s. Every process comes from analysis.processes.context() (spawn on Windows).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path

from analysis.errors import RenderError
from analysis.processes import context

STOP_GRACE = 1.0  # seconds a terminated worker gets before it is killed


def _pdf_worker(requests, own_end) -> None:
    """The PDF worker's process: import WeasyPrint and read the fonts, wait for one request,
    lay out that PDF. It answers by its exit status only: on an error the parent renders again
    to raise it, so nothing (no traceback) is printed here."""
    try:
        worker_init()  # Ctrl+C is the parent's (it stops this worker); dies with the parent
        own_end.close()  # a forked child inherits the parent's end: the request pipe must see EOF
        from analysis.render import pdf as render_pdf  # noqa: PLC0415 (lazy: WeasyPrint loads in the worker, not the parent)

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


def _aside(answer, own_end, requests, request_end, warm_up, work) -> None:
    """The process of an Aside: `warm_up()` first (what the work will import), then the work,
    given at once or later through `requests`: `target(*args)`, answered through the pipe as
    ("done", result) or ("error", the exception, raised again in the parent as if it had run
    there). Like a pool's worker it leaves Ctrl+C to the parent and dies with it (worker_init);
    stopped, or never given work, it ends without a word."""
    try:
        worker_init()
        own_end.close()  # a forked child inherits the parent's ends: the parent must see EOF if this one dies,
        request_end.close()  # and this one when the parent closes its end without sending work
        if warm_up is not None:
            with contextlib.suppress(Exception):  # what fails here fails again in the work, and is raised there
                warm_up()
        if work is None:
            try:
                work = requests.recv()
            except EOFError:  # the run needed no work from it
                return
        target, args = work
        try:
            outcome = ("done", target(*args))
        except Exception as error:  # noqa: BLE001 (raised again in the parent: an OSError becomes its message there)
            outcome = ("error", error)
        try:
            answer.send(outcome)
        except Exception:  # noqa: BLE001 (an exception that does not pickle: its type and message)
            failed = outcome[1]
            answer.send(("error", RenderError(f"{type(failed).__name__}: {failed}")))
    except BaseException:  # noqa: BLE001 (SIGTERM, a closed pipe: the parent is stopping it)
        sys.exit(1)


class Aside:
    """`target(*args)` run in another process while this one goes on (a single report: the spare
    core); `result()` waits for it and raises its exception here. Started without a target, with a
    `warm_up`, it imports what the work needs at once, and gets the work later (`run`): a single
    report starts it before it checks the forms. The result and any exception go through a pipe
    (they must pickle), and so do the target and its arguments when processes are spawned or the
    work is given later; a forked process starts at once with what this one has imported."""

    def __init__(self, target=None, *args, name: str = "analysis-aside", warm_up=None):
        ctx = context()
        self._answers, answer = ctx.Pipe(duplex=False)
        requests, self._requests = ctx.Pipe(duplex=False)
        work = (target, args) if target is not None else None
        # every concrete context (fork, spawn, forkserver) has Process; typeshed's BaseContext does not
        self._process = ctx.Process(target=_aside, args=(answer, self._answers, requests, self._requests,  # type: ignore[attr-defined]
                                                         warm_up, work), daemon=True, name=name)
        self._process.start()
        answer.close()
        requests.close()
        self.given = work is not None
        if self.given:
            self._requests.close()

    def run(self, target, *args) -> None:
        """Give it its work (an Aside started without a target runs one)."""
        if self.given:
            raise RuntimeError("an Aside runs one target")
        self.given = True
        try:
            self._requests.send((target, args))
        except OSError:  # it died while warming up: result() says so, as for a death while working
            pass
        finally:
            self._requests.close()

    def result(self):
        try:
            kind, value = self._answers.recv()
        except EOFError:  # it died without answering (killed, out of memory)
            self._process.join()
            raise RenderError("một tiến trình lập báo cáo bị dừng đột ngột (hết bộ nhớ hoặc bị tắt); "
                              "các báo cáo cũ giữ nguyên") from None
        finally:
            self._answers.close()
        self._process.join()
        if kind == "error":
            raise value
        return value

    def stop(self) -> None:
        """End it now, whatever it is doing, and reap it (the run failed or was interrupted, or
        it was never given work)."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._answers.close()
        self._requests.close()


def worker_init() -> None:
    """In a pool worker: the parent handles Ctrl+C and stops the workers; SIGTERM ends a worker at
    once; and a worker dies with its parent even if the parent is killed (Linux)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent is already gone
            os._exit(1)


def stop_pool(pool: ProcessPoolExecutor) -> None:
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
