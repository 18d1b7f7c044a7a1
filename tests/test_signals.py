"""Ctrl+C, SIGTERM and SIGKILL sent to a real `python -m analysis report` on the bundled data:
the exit code, no staging folder left, no worker process left, all within a bounded time."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis import config
from analysis.publish.staging import remove_stale_staging

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(sys.platform != "linux", reason="process groups and /proc: Linux")]


def start(out: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(config.PACKAGE_DIR.parent)}
    return subprocess.Popen([sys.executable, "-m", "analysis", "report", "--out", str(out), *args], cwd=config.ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # its own process group, as a terminal gives it


def wait_until_rendering(process: subprocess.Popen, out: Path, timeout: float = 120) -> None:
    """Until a report's own folder exists in the staging folder: its notebook is running."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        if any(p.is_dir() for s in out.glob(".staging-*") for p in s.iterdir()):
            return
        time.sleep(0.05)
    raise AssertionError("the report never started rendering")


def living(group: int) -> list[int]:
    """Processes of the run's process group that are still running (zombies excluded)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == group and fields[0] != "Z":
                pids.append(int(entry.name))
    return pids


def stop(process: subprocess.Popen, how) -> tuple[int, str, float]:
    sent = time.monotonic()
    how()
    _, err = process.communicate(timeout=30)
    return process.returncode, err, time.monotonic() - sent


def assert_clean(process: subprocess.Popen, out: Path, err: str) -> None:
    assert "Traceback" not in err
    assert list(out.glob(".staging-*")) == []
    deadline = time.monotonic() + 2
    while living(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert living(process.pid) == []


def test_sigterm_during_a_batch_exits_143_and_leaves_nothing(tmp_path: Path):
    process = start(tmp_path, "--unit", "all", "--format", "html", "--workers", "2")
    wait_until_rendering(process, tmp_path)
    code, err, took = stop(process, lambda: process.send_signal(signal.SIGTERM))
    assert code == 143 and "Đã dừng theo yêu cầu (SIGTERM)" in err and took < 3
    assert_clean(process, tmp_path, err)
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_during_a_batch_stops_within_2_seconds(tmp_path: Path):
    process = start(tmp_path, "--unit", "all", "--format", "html", "--workers", "2")
    wait_until_rendering(process, tmp_path)
    code, err, took = stop(process, lambda: os.killpg(process.pid, signal.SIGINT))  # a terminal's Ctrl+C
    assert code == 130 and "Đã dừng theo yêu cầu (Ctrl+C)" in err and took < 2.5
    assert_clean(process, tmp_path, err)


@pytest.mark.parametrize("when", ["starting", "rendering"])
def test_ctrl_c_in_a_single_report_exits_130_not_3(tmp_path: Path, when):
    process = start(tmp_path, "--format", "html,pdf")
    if when == "starting":  # the command runs (a cold interpreter on a loaded machine can take over a second)
        first = process.stderr.readline()
        assert "Đang kiểm tra số liệu" in first, first  # and is checking the forms: nothing rendered yet
    else:
        wait_until_rendering(process, tmp_path)
    code, err, took = stop(process, lambda: os.killpg(process.pid, signal.SIGINT))
    assert code == 130 and "sổ báo cáo dừng" not in err and took < 3
    assert_clean(process, tmp_path, err)


def test_a_killed_batch_leaves_no_worker_and_the_next_run_removes_its_staging(tmp_path: Path):
    process = start(tmp_path, "--unit", "all", "--format", "html", "--workers", "2")
    wait_until_rendering(process, tmp_path)
    code, err, _ = stop(process, lambda: process.send_signal(signal.SIGKILL))
    assert code == -signal.SIGKILL
    deadline = time.monotonic() + 3
    while living(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert living(process.pid) == []  # the workers died with their parent
    (stale,) = tmp_path.glob(".staging-*")
    assert remove_stale_staging(tmp_path) == [stale] and list(tmp_path.iterdir()) == []


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
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 130, result.stderr
    assert "Traceback" not in result.stderr and "Đã dừng theo yêu cầu (Ctrl+C)" in result.stderr
