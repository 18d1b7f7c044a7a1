"""`python -m analysis COMMAND`: one sub-module per command, loaded only when it is used.

Each command module defines `add_arguments(parser)` and `run(args) -> int`. Errors from the
package (`analysis.errors`) become a Vietnamese message on stderr and their exit code:
0 done, 1 data errors, 2 usage error, 3 rendering failure, 4 delivery failure, 130 interrupted
(Ctrl+C), 143 terminated (SIGTERM, handled like Ctrl+C: staging removed, workers stopped).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import importlib
import os
import signal
import sys
import threading
from typing import NoReturn

from analysis import __version__, config, interrupts
from analysis.cli.console import prepare_streams
from analysis.cli.vietnamese import VERSION_HELP, name_values, use_vietnamese
from analysis.errors import AnalysisError, Terminated

EXIT_CODES = {0: "xong", 1: "số liệu có lỗi", 2: "sai cách dùng", 3: "không lập được báo cáo",
              4: "không gửi được thư", 130: "dừng bởi Ctrl+C", 143: "dừng bởi SIGTERM"}

# name -> (module, one-line help shown by `python -m analysis --help`)
COMMANDS = {
    "sample-data": ("analysis.cli.sample_data", "viết bộ số liệu mẫu (biểu 01, biểu 02) vào một thư mục"),
    "validate": ("analysis.cli.validate", "kiểm tra các biểu, liệt kê lỗi và cảnh báo"),
    "report": ("analysis.cli.report", "tạo báo cáo sơ kết, tổng kết (HTML, PDF, ...)"),
    "narrative": ("analysis.cli.narrative", "viết sẵn tệp nhận định của từng đơn vị (đủ các phần I–V, chỗ đơn vị cần "
                                            "viết được đánh dấu)"),
    "send": ("analysis.cli.send", "gửi thư báo cáo (.eml) qua SMTP"),
    "preview": ("analysis.cli.preview", "xem trước báo cáo trên trình duyệt, tự cập nhật khi lưu biểu, nhận định, tham số"),
    "issued": ("analysis.cli.issued", "sổ đăng ký các báo cáo đã ban hành (bản chính thức có số văn bản)"),
    "units": ("analysis.cli.units", "các xã, phường của một bản đồ đơn vị: mã, tên, đơn vị cũ nhập vào đơn vị mới"),
    "lab": ("analysis.cli.lab", "cài nhân Python của các sổ tính và mở JupyterLab ở thư mục dự án"),
    "diff": ("analysis.cli.diff", "so sánh hai bản báo cáo (số đã ban hành, thư mục, du-thao): số liệu, câu chữ, "
                                  "ô biểu đã sửa"),
}


def build_parser(argv: list[str]) -> argparse.ArgumentParser:
    from analysis.vocabulary import AREA_NAME  # here, not above: main checks ANALYSIS_ROOT before it loads

    use_vietnamese()  # argparse's own words ("usage:", "options", its errors) in Vietnamese
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description=f"Báo cáo sơ kết, tổng kết Cuộc vận động ĐBDTTS: {AREA_NAME}.",
    )
    parser.add_argument("--version", action="version", version=f"analysis {__version__}", help=VERSION_HELP)
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", required=True)
    # Only the command being run is imported: `validate` must not pay for matplotlib.
    wanted = next((a for a in argv if not a.startswith("-")), None)
    for name, (module_name, help_text) in COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        if name == wanted:
            module = importlib.import_module(module_name)
            module.add_arguments(command_parser)
            name_values(command_parser)
            command_parser.set_defaults(run=module.run)
    return parser


def _stopped(signum: int) -> int:
    """The command was stopped by Ctrl+C (130) or SIGTERM (143): the old reports are untouched."""
    if signum == signal.SIGTERM:
        print("Đã dừng theo yêu cầu (SIGTERM); các báo cáo cũ giữ nguyên.", file=sys.stderr)
        return 143
    print("Đã dừng theo yêu cầu (Ctrl+C); các báo cáo cũ giữ nguyên.", file=sys.stderr)
    return 130


def main(argv: list[str] | None = None) -> int:
    process = argv is None  # the command of this process (a test passes its arguments)
    argv = sys.argv[1:] if argv is None else argv
    prepare_streams()  # Vietnamese never crashes a cp1252 or cp437 console (analysis.cli.console)
    problem = config.root_problem()  # before anything reads data/reference/ (the vocabulary does on import)
    if problem:
        print(f"Lỗi: {problem}", file=sys.stderr)
        return 2
    try:
        with interrupts.install(process=process):
            args = build_parser(argv).parse_args(argv)
            return int(args.run(args) or 0)
    except KeyboardInterrupt as interrupt:  # Ctrl+C; SIGTERM raises Terminated, a KeyboardInterrupt
        return _stopped(signal.SIGTERM if isinstance(interrupt, Terminated) else signal.SIGINT)
    except AnalysisError as error:
        if (signum := interrupts.received()) is not None:  # the run met this error because it was stopped
            return _stopped(signum)
        from analysis.terminal import visible

        print(f"Lỗi: {visible(error, keep_newlines=True)}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:
        if (signum := interrupts.received()) is not None:
            return _stopped(signum)
        return 0


def entry() -> NoReturn:
    """`python -m analysis` and the `analysis` script: the command, then the process ends (end_process)."""
    end_process(main())


def end_process(code: int) -> NoReturn:
    """End the command's process with `code` without the interpreter's teardown, which frees every
    object one by one (pandas, matplotlib, papermill: 0,2-0,4 s after a report, for nothing the
    system does not free at once); mypy ends the same way. What the teardown would do that matters
    is done first: the atexit handlers (multiprocessing reaps its processes, temporary folders go),
    and the streams are flushed. The interpreter's own exit is kept where it does more: a thread
    still running (not a daemon) is waited for, a profiler or debugger writes its results, `python -i`
    opens its prompt, and a stream that cannot be flushed (a full disk) is reported, and the exit is
    120, as Python does."""
    if _watched() or sys.flags.inspect or os.environ.get("PYTHONINSPECT") or any(
            thread.is_alive() and not thread.daemon for thread in threading.enumerate()
            if thread is not threading.main_thread()):
        raise SystemExit(code)
    try:
        atexit._run_exitfuncs()  # what the interpreter does first on an exit
        flushed = _flushed()
    except KeyboardInterrupt:  # Ctrl+C while the output is still being written: ended as interrupted
        with contextlib.suppress(OSError):
            os.write(2, "\nĐã dừng theo yêu cầu (Ctrl+C) khi đang in kết quả.\n".encode())
        os._exit(130)
    if not flushed:
        raise SystemExit(code)
    os._exit(code)


def _watched() -> bool:
    """A profiler or a debugger watches the process: it writes its results at the normal exit
    (`python -m cProfile`: sys.setprofile up to Python 3.11, sys.monitoring from 3.12)."""
    if sys.getprofile() is not None or sys.gettrace() is not None:
        return True
    monitoring = getattr(sys, "monitoring", None)
    return monitoring is not None and any(monitoring.get_tool(tool) is not None
                                          for tool in (monitoring.DEBUGGER_ID, monitoring.PROFILER_ID))


def _flushed() -> bool:
    """stdout and stderr flushed; False when one could not be for a reason the reader must hear."""
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # closed when the command started, or pythonw (Windows)
            continue
        try:
            stream.flush()
        except BrokenPipeError:  # the reader has gone (`| head`): what it did not read is no one's
            pass
        except ValueError:  # closed by the command: nothing is waiting in it
            pass
        except OSError:
            return False
    return True
