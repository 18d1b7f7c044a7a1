"""Ctrl+C, SIGTERM and SIGKILL sent to a real `python -m analysis report` on the bundled data: the
exit code, the message, no staging folder left, no worker process left. Every wait is for an event
(a line the command prints, a folder it makes, a process ending) under a generous guard that only
catches a hang: no test here measures how fast anything is."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from conftest import GUARD_SECONDS, ctrl_c_as_a_terminal_gives_it

from analysis.publish.lock import LOCK_FILE
from analysis import config
from analysis.publish.staging import remove_stale_staging

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform != "linux", reason="process groups: Linux")]


def start(out: Path, *args: str, **variables: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(config.PACKAGE_DIR.parent), **variables}
    return subprocess.Popen([sys.executable, "-m", "analysis", "report", "--out", str(out), *args], cwd=config.ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True,  # its own process group, as a terminal gives it
                            preexec_fn=ctrl_c_as_a_terminal_gives_it)


def read_until(process: subprocess.Popen, text: str) -> str:
    """stderr, line by line, until the line that holds `text` (the command says what it does)."""
    seen = []
    for line in process.stderr:
        seen.append(line)
        if text in line:
            return "".join(seen)
    raise AssertionError(f"the command ended without saying “{text}”: {''.join(seen)}")


def wait_until_rendering(process: subprocess.Popen, out: Path) -> None:
    """The command says it makes the reports, then a report's own folder appears in the staging
    folder: its notebook is running. The folder is looked for until it is there, under the guard."""
    read_until(process, "Đang lập")
    guard = time.monotonic() + GUARD_SECONDS
    while not any(p.is_dir() for s in out.glob(".staging-*") for p in s.iterdir()):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < guard, "no report started rendering (a hang)"
        time.sleep(0.05)


def group(leader: int) -> list[psutil.Process]:
    """The processes of the run's process group that are still running (zombies excluded)."""
    found = []
    for proc in psutil.process_iter(["status"]):
        try:
            if os.getpgid(proc.pid) == leader and proc.info["status"] != psutil.STATUS_ZOMBIE:
                found.append(proc)
        except (ProcessLookupError, psutil.Error):
            continue
    return found


def stop(process: subprocess.Popen, how) -> tuple[int, str]:
    how()
    _, err = process.communicate(timeout=GUARD_SECONDS)
    return process.returncode, err


def assert_no_process_left(process: subprocess.Popen) -> None:
    """Every process of the run ends (workers die with their parent): waited for, under the guard."""
    _, alive = psutil.wait_procs(group(process.pid), timeout=GUARD_SECONDS)
    assert alive == []


def assert_clean(process: subprocess.Popen, out: Path, err: str) -> None:
    assert "Traceback" not in err
    assert list(out.glob(".staging-*")) == []
    assert_no_process_left(process)


def test_sigterm_during_a_batch_exits_143_and_leaves_nothing(tmp_path: Path):
    process = start(tmp_path, "--unit", "all", "--format", "html", "--workers", "2")
    wait_until_rendering(process, tmp_path)
    code, err = stop(process, lambda: process.send_signal(signal.SIGTERM))
    assert code == 143 and "Đã dừng theo yêu cầu (SIGTERM)" in err
    assert_clean(process, tmp_path, err)
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_during_a_batch_stops_it_and_its_workers(tmp_path: Path):
    process = start(tmp_path, "--unit", "all", "--format", "html", "--workers", "2")
    wait_until_rendering(process, tmp_path)
    code, err = stop(process, lambda: os.killpg(process.pid, signal.SIGINT))  # a terminal's Ctrl+C
    assert code == 130 and "Đã dừng theo yêu cầu (Ctrl+C)" in err
    assert_clean(process, tmp_path, err)


@pytest.mark.parametrize("when", ["starting", "rendering"])
def test_ctrl_c_in_a_single_report_exits_130_not_3(tmp_path: Path, when):
    process = start(tmp_path, "--format", "html,pdf")
    if when == "starting":  # the command runs and is checking the forms: nothing rendered yet
        read_until(process, "Đang kiểm tra số liệu")
    else:
        wait_until_rendering(process, tmp_path)
    code, err = stop(process, lambda: os.killpg(process.pid, signal.SIGINT))
    assert code == 130 and "sổ báo cáo dừng" not in err, err
    assert_clean(process, tmp_path, err)


def test_a_killed_batch_leaves_no_worker_and_the_next_run_removes_its_staging(tmp_path: Path):
    process = start(tmp_path, "--unit", "all", "--format", "html", "--workers", "2")
    wait_until_rendering(process, tmp_path)
    code, _ = stop(process, lambda: process.send_signal(signal.SIGKILL))
    assert code == -signal.SIGKILL
    assert_no_process_left(process)  # the workers died with their parent
    (stale,) = tmp_path.glob(".staging-*")
    assert remove_stale_staging(tmp_path) == [stale]
    # a killed run cannot remove its lock file; its lock went with it, and the next run takes the
    # file over and removes it as it ends (tests/test_output_lock.py)
    assert [p.name for p in tmp_path.iterdir()] == [LOCK_FILE]


def test_a_killed_single_report_leaves_no_worker_and_no_lock_held(tmp_path: Path):
    # A single report has a PDF worker and a process running its analysis notebooks, both forked
    # with the lock on the output folder open: they die with the command, and the lock with them.
    process = start(tmp_path, "--format", "html,pdf")
    wait_until_rendering(process, tmp_path)
    guard = time.monotonic() + GUARD_SECONDS
    while len(group(process.pid)) < 3:  # the command, its PDF worker, its notebooks' process
        assert process.poll() is None and time.monotonic() < guard, "the notebooks' process did not start"
        time.sleep(0.05)
    code, _ = stop(process, lambda: process.send_signal(signal.SIGKILL))
    assert code == -signal.SIGKILL
    # the next run at once, told not to wait for a lock: it finds none held
    again = start(tmp_path, "--format", "html", ANALYSIS_LOCK_WAIT="0")
    _, err = again.communicate(timeout=GUARD_SECONDS)
    assert again.returncode == 0 and "Traceback" not in err, err
    assert_no_process_left(process)


def test_ctrl_c_while_the_command_is_still_loading_exits_130_without_a_traceback():
    # The interrupt arrives as `python -m analysis` imports its command-line module (a loaded
    # machine can take over a second to get there).
    code = ("import builtins, os, runpy, signal, sys\n"
            "real = builtins.__import__\n"
            "def importing(name, *args, **kwargs):\n"
            "    if name == 'analysis.cli':\n"
            "        os.kill(os.getpid(), signal.SIGINT)\n"
            "    return real(name, *args, **kwargs)\n"
            "builtins.__import__ = importing\n"
            "sys.argv = ['analysis', 'report', '--help']\n"
            "runpy.run_module('analysis', run_name='__main__')\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=GUARD_SECONDS,
                            preexec_fn=ctrl_c_as_a_terminal_gives_it)
    assert result.returncode == 130, result.stderr
    assert "Traceback" not in result.stderr and "Đã dừng theo yêu cầu (Ctrl+C)" in result.stderr
