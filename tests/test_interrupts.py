"""A Ctrl+C is never lost and decides the exit (analysis.interrupts): dropped by Python inside a
finalizer it is raised again at the next checkpoint, an error the run then meets still ends in 130,
and a Ctrl+C pressed again while the command exits changes nothing."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import config, interrupts
from analysis.cli import main
from analysis.errors import RenderError

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="signal.raise_signal(SIGINT) on POSIX")


class _DroppingCtrlC:
    """A finalizer that receives Ctrl+C: Python cannot raise it there, it drops it."""

    def __del__(self):
        signal.raise_signal(signal.SIGINT)


def test_a_ctrl_c_dropped_in_a_finalizer_is_raised_again_at_the_next_checkpoint(capfd):
    with interrupts.install(process=False):
        _DroppingCtrlC()  # made and collected at once: its __del__ runs here, and nothing is raised
        assert interrupts.received() == signal.SIGINT
        with pytest.raises(KeyboardInterrupt):
            interrupts.checkpoint()
    assert "KeyboardInterrupt" not in capfd.readouterr().err  # recorded, not printed as a traceback
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # a test's process gets its own back


def test_no_checkpoint_raises_without_a_signal():
    with interrupts.install(process=False):
        interrupts.checkpoint()
        assert interrupts.received() is None


def test_an_error_met_after_a_dropped_ctrl_c_ends_as_ctrl_c(monkeypatch, capsys):
    import analysis.cli.validate as validate

    def run(args):  # the PDF worker died of the same Ctrl+C: the run then fails to write
        _DroppingCtrlC()
        raise RenderError("không ghi được báo cáo: lỗi của hệ điều hành (EPIPE)")

    monkeypatch.setattr(validate, "run", run)
    assert main(["validate"]) == 130
    err = capsys.readouterr().err
    assert "Đã dừng theo yêu cầu (Ctrl+C)" in err and "EPIPE" not in err


def test_a_ctrl_c_while_the_command_exits_does_not_kill_it():
    # The command stops for Ctrl+C, then a second one arrives as the process exits (Python's
    # shutdown gives the signal its default action: the process would die of it, exit -2).
    code = ("import os, signal, sys\n"
            "import analysis.cli.validate as validate\n"
            "def run(args):\n"
            "    raise KeyboardInterrupt\n"
            "validate.run = run\n"
            "sys.argv = ['analysis', 'validate']\n"
            "from analysis.cli import main\n"
            "code = main()\n"
            "os.kill(os.getpid(), signal.SIGINT)\n"
            "print(signal.getsignal(signal.SIGINT) == signal.SIG_IGN)\n"
            "raise SystemExit(code)\n")
    env = {**os.environ, "PYTHONPATH": str(Path(config.PACKAGE_DIR).parent)}
    done = subprocess.run([sys.executable, "-c", code], cwd=config.ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert (done.returncode, done.stdout.strip()) == (130, "True"), done.stderr
    assert "Traceback" not in done.stderr and "Đã dừng theo yêu cầu (Ctrl+C)" in done.stderr
