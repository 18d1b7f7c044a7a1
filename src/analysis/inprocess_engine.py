"""A papermill engine that runs the report notebook inside the calling process.

Papermill still reads the notebook, injects the parameters and writes the executed notebook;
only the kernel is replaced by an IPython shell in this process. The report command then pays
for neither a second process nor a second import of pandas and matplotlib, and a batch worker
keeps them loaded from one report to the next. Analysts in JupyterLab, and `papermill` on the
command line, use the ordinary kernel: the notebook is the same.

Rich outputs (display(HTML(...))) are collected as notebook outputs, so the nbconvert template
renders them exactly as it renders a kernel's. An error in a cell becomes an error output and
papermill raises PapermillExecutionError, as with a kernel; an AnalysisError (a Vietnamese
message for the analyst) is raised as it is, so the command keeps its exit code.
"""

from __future__ import annotations

import base64
import contextlib
import io
import sys
import traceback

import nbformat
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from papermill.engines import Engine, papermill_engines

from analysis.errors import AnalysisError

ENGINE_NAME = "analysis-inprocess"


class _Collector(DisplayPublisher):
    """Keeps what the cells display, as notebook outputs."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.outputs: list = []

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs) -> None:
        # Binary data (a chart's PNG) is stored as base64 text, as a kernel sends it.
        data = {key: base64.b64encode(value).decode("ascii") if isinstance(value, bytes) else value
                for key, value in data.items()}
        self.outputs.append(nbformat.v4.new_output("display_data", data=data, metadata=metadata or {}))

    def clear_output(self, wait=False) -> None:
        self.outputs.clear()


def _shell() -> tuple[InteractiveShell, _Collector]:
    # No output cache (Out[n], _): a notebook's results are its outputs, and resetting the shell
    # between notebooks then does not run the full garbage collection that flushing the cache
    # does (a tenth of a second each, after the data stack is loaded: 8 % of a batch's CPU).
    shell = InteractiveShell.instance(cache_size=0)
    if not isinstance(shell.display_pub, _Collector):
        shell.display_pub = _Collector(shell=shell)
    return shell, shell.display_pub


def warm_up() -> None:
    """Make the shell now (a process that will run notebooks, while it waits for them)."""
    main = sys.modules.get("__main__")
    try:
        _shell()
    finally:
        if main is not None:
            sys.modules["__main__"] = main


class InProcessEngine(Engine):
    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        # IPython's shell puts its own namespace module in sys.modules["__main__"]; the command's own
        # goes back afterwards, or a process pool spawned later (Windows, macOS) cannot start.
        main = sys.modules.get("__main__")
        try:
            cls._execute(nb_man)
        finally:
            if main is not None:
                sys.modules["__main__"] = main

    @classmethod
    def _execute(cls, nb_man):
        shell, collector = _shell()
        shell.reset(new_session=False)  # a fresh namespace for every notebook
        count = 0
        for index, cell in enumerate(nb_man.nb.cells):
            if cell.cell_type != "code":
                continue
            nb_man.cell_start(cell, index)
            count += 1
            cell.execution_count = count  # as a kernel numbers them: the kept notebook shows [1], [2], …
            collector.outputs = []
            stdout = io.StringIO()
            with contextlib.redirect_stdout(stdout):
                result = shell.run_cell(cell.source, store_history=False, silent=False)
            outputs = list(collector.outputs)
            if stdout.getvalue():
                outputs.insert(0, nbformat.v4.new_output("stream", name="stdout", text=stdout.getvalue()))
            error = result.error_in_exec or result.error_before_exec
            if error is not None:
                if isinstance(error, (AnalysisError, KeyboardInterrupt)):  # Ctrl+C, SIGTERM: stop the run
                    raise error
                outputs.append(nbformat.v4.new_output(
                    "error", ename=type(error).__name__, evalue=str(error),
                    traceback=traceback.format_exception(type(error), error, error.__traceback__)))
                cell.outputs = outputs
                nb_man.cell_exception(cell, index, exception=error)
                nb_man.cell_complete(cell, index)
                break
            cell.outputs = outputs
            nb_man.cell_complete(cell, index)


papermill_engines.register(ENGINE_NAME, InProcessEngine)
