"""One run per output folder (analysis.publish.lock), with real processes, and the record read only
from a regular file of a sane size (analysis.incremental.read_record): a link, a pipe, a device, a
folder or a huge file in its place stops `report` with exit 3 and a message, never a hang."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import config
from analysis.incremental import RECORD_FILE, RECORD_LIMIT
from analysis.publish.lock import LOCK_FILE

HOLD = """
import sys, time
from pathlib import Path
from analysis.publish.lock import OutputLock
lock = OutputLock(Path(sys.argv[1]))
lock.acquire(wait=float(sys.argv[3]), log=lambda m: print(m, file=sys.stderr, flush=True))
print("held", flush=True)
time.sleep(float(sys.argv[2]))
lock.release()
print("released", flush=True)
"""


def holder(out: Path, seconds: float, wait: float = 0.0) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(out), str(seconds), str(wait)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "held\n"
    return process


def report(out: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", "report", "--data", str(config.RAW_DIR), "--out", str(out),
                           "--unit", "city", "--format", "html"], capture_output=True, text=True, timeout=600,
                          cwd=config.ROOT, env={**os.environ, **env})


@pytest.mark.slow
def test_a_second_run_into_a_busy_folder_stops_naming_the_running_one(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    first = holder(out, 600)
    try:
        second = report(out, ANALYSIS_LOCK_WAIT="1")
    finally:
        first.kill()
        first.wait()
    assert second.returncode == 3, second.stderr
    assert f"tiến trình {first.pid}" in second.stderr and "đang được một lần chạy khác dùng" in second.stderr
    assert "Traceback" not in second.stderr and sorted(p.name for p in out.iterdir()) == [LOCK_FILE]


def test_a_second_run_waits_for_the_first(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    first = holder(out, 600)
    second = subprocess.Popen([sys.executable, "-c", HOLD, str(out), "0", "600"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    assert second.stderr is not None
    waiting = second.stderr.readline()  # it says whom it waits for, then waits
    first.kill()  # the first run ends: its lock goes with it
    first.wait()
    stdout, _ = second.communicate(timeout=120)
    assert f"tiến trình {first.pid}" in waiting and "Đang chờ" in waiting
    assert second.returncode == 0 and stdout.split() == ["held", "released"]


def test_a_run_that_ends_leaves_no_lock_and_the_waiting_one_locks_anew(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    first = holder(out, 10)  # holds the folder 10 s, then ends normally: it removes the file it locked
    second = subprocess.Popen([sys.executable, "-c", HOLD, str(out), "0", "600"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    assert second.stderr is not None and "Đang chờ" in second.stderr.readline()  # waiting on the first's file
    assert first.communicate(timeout=120)[0].split() == ["released"]
    # the second locked the first's file as it was removed, saw it gone, and locked a new one
    assert second.communicate(timeout=120)[0].split() == ["held", "released"]
    assert list(out.iterdir()) == []  # nothing left in the folder


def test_the_lock_of_a_killed_run_is_taken_over(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    first = holder(out, 600)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    assert (out / LOCK_FILE).read_text(encoding="utf-8").startswith(f"tiến trình {first.pid},")  # left behind
    second = subprocess.run([sys.executable, "-c", HOLD, str(out), "0", "0"], capture_output=True, text=True,
                            timeout=120)
    assert second.returncode == 0 and second.stdout.split() == ["held", "released"], second.stderr


def _link_to_zero(record: Path) -> None:
    record.symlink_to("/dev/zero")


def _fifo(record: Path) -> None:
    os.mkfifo(record)


def _folder(record: Path) -> None:
    record.mkdir()


def _huge(record: Path) -> None:
    with open(record, "wb") as handle:
        handle.truncate(RECORD_LIMIT + 1)  # sparse: no disk used


@pytest.mark.slow
@pytest.mark.parametrize("make", [_link_to_zero, _fifo, _folder, _huge], ids=["link", "fifo", "folder", "huge"])
def test_a_record_that_is_not_a_regular_file_stops_the_run(tmp_path: Path, make):
    if make in (_link_to_zero, _fifo) and not hasattr(os, "mkfifo"):
        pytest.skip("no FIFO or /dev/zero here")
    out = tmp_path / "out"
    out.mkdir()
    make(out / RECORD_FILE)
    result = report(out)
    assert result.returncode == 3, result.stderr
    assert "bản ghi" in result.stderr and "xóa nó rồi chạy lại" in result.stderr and "Traceback" not in result.stderr


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=12)


@settings(max_examples=60, deadline=None)
@given(body=st.one_of(st.binary(max_size=200), JSON.map(lambda v: json.dumps(
    {"format": "analysis-ban-ghi/2", "reports": {"2021-2023/608": v}}).encode())))
def test_any_record_is_read_or_ignored_never_raised(tmp_path_factory, body: bytes):
    """A fuzz target for the record: whatever bytes it holds, the reader keeps only well-formed
    entries (each output a dict of strings) and never fails."""
    from analysis.incremental import Plan
    from analysis.report.params import load_params

    folder = tmp_path_factory.mktemp("record")
    (folder / RECORD_FILE).write_bytes(body)
    entries = Plan(out_dir=folder, params=load_params(), formats=("html",), codes=[]).entries
    for entry in entries.values():
        assert all(isinstance(output.get("file"), str) for output in entry["outputs"].values())
