"""A Ctrl+C is never lost and decides the exit (analysis.interrupts): dropped by Python inside a
finalizer it is raised again at the next checkpoint, an error the run then meets still ends in 130,
and a Ctrl+C pressed again while the command exits changes nothing."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ctrl_c_as_a_terminal_gives_it

from analysis import config, interrupts

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="signal.raise_signal(SIGINT) on POSIX")


class _DroppingCtrlC:
    """A finalizer that receives Ctrl+C: Python cannot raise it there, it drops it."""

    def __del__(self):
        signal.raise_signal(signal.SIGINT)


@pytest.fixture
def ctrl_c_raises(monkeypatch):
    """Python's own Ctrl+C handler in this process, as in a terminal (not a background job's SIG_IGN)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_a_ctrl_c_dropped_in_a_finalizer_is_raised_again_at_the_next_checkpoint(ctrl_c_raises):
    with interrupts.install(process=False):
        _DroppingCtrlC()  # made and collected at once: its __del__ runs here, and nothing is raised
        assert interrupts.received() == signal.SIGINT
        with pytest.raises(KeyboardInterrupt):
            interrupts.checkpoint()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # a test's process gets its own back
    interrupts.checkpoint()  # outside the command: the stages called directly never inherit it


def test_no_checkpoint_raises_without_a_signal(ctrl_c_raises):
    with interrupts.install(process=False):
        interrupts.checkpoint()
        assert interrupts.received() is None


def _run_module(tmp_path: Path, command_body: str, after_main: str = "") -> subprocess.CompletedProcess:
    """`python -m` (as `python -m analysis` runs) a module that gives the command `validate` the
    body `command_body`, then runs the command line's main."""
    (tmp_path / "stopped_command.py").write_text(
        "import os, signal, sys\n"
        "import analysis.cli.validate as validate\n"
        "def run(args):\n"
        f"    {command_body}\n"
        "validate.run = run\n"
        "sys.argv = ['analysis', 'validate']\n"
        "from analysis.cli import main\n"
        "code = main()\n"
        f"{after_main}\n"
        "raise SystemExit(code)\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(Path(config.PACKAGE_DIR).parent)])}
    return subprocess.run([sys.executable, "-m", "stopped_command"], cwd=config.ROOT, env=env, capture_output=True,
                          text=True, timeout=120, preexec_fn=ctrl_c_as_a_terminal_gives_it)


@pytest.mark.parametrize("where", ["exec", "eval"])
def test_a_ctrl_c_inside_a_string_exec_still_exits_130(tmp_path: Path, where):
    # As when Ctrl+C falls inside the exec that dataclasses runs to make a class: CPython notes
    # it and, under `python -m`, ended the process by SIGINT (-2) whatever the command returned.
    done = _run_module(tmp_path, f"{where}('signal.raise_signal(signal.SIGINT)')")
    assert done.returncode == 130, (done.returncode, done.stderr)
    assert done.stderr == "Đã dừng theo yêu cầu (Ctrl+C); các báo cáo cũ giữ nguyên.\n"


@pytest.mark.parametrize("then", ["raise RenderError('không ghi được báo cáo: lỗi của hệ điều hành (EPIPE)')",
                                  "raise BrokenPipeError"])
def test_a_run_that_fails_after_a_dropped_ctrl_c_ends_as_ctrl_c_without_a_traceback(tmp_path: Path, then):
    # Its PDF worker died of the same Ctrl+C, and the run then failed to write (or stdout was closed).
    done = _run_module(tmp_path, "class Dropping:\n"
                                 "        def __del__(self):\n"
                                 "            signal.raise_signal(signal.SIGINT)\n"
                                 "    Dropping()\n"
                                 "    from analysis.errors import RenderError\n"
                                 f"    {then}")
    assert done.returncode == 130, (done.returncode, done.stderr)
    # said as the Ctrl+C it was; the exception Python dropped is not printed ("Exception ignored …")
    assert done.stderr == "Đã dừng theo yêu cầu (Ctrl+C); các báo cáo cũ giữ nguyên.\n"


def test_a_ctrl_c_while_the_command_exits_does_not_kill_it(tmp_path: Path):
    # The command stops for Ctrl+C, then a second one arrives as the process exits.
    done = _run_module(tmp_path, "raise KeyboardInterrupt", after_main=(
        "os.kill(os.getpid(), signal.SIGINT)\nprint(signal.getsignal(signal.SIGINT) == signal.SIG_IGN)"))
    assert (done.returncode, done.stdout.strip()) == (130, "True"), done.stderr
    assert done.stderr == "Đã dừng theo yêu cầu (Ctrl+C); các báo cáo cũ giữ nguyên.\n"
