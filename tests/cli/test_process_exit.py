"""`python -m analysis` ends without the interpreter's teardown (analysis.cli.end_process), yet
with what the teardown did that matters: atexit handlers run, the output flushed, the exit code
kept, a thread still working waited for, a profiler's results written, an output that cannot be
written reported, and a Ctrl+C while the output is written ends as interrupted, not as a traceback."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from analysis import config

# Put on PYTHONPATH as sitecustomize: it runs in the command's process before the command. It notes
# in MARKS what happens at the end: an atexit handler ran ("atexit"), the interpreter's teardown
# freed a module's object ("teardown"), a thread that was still working finished ("thread").
PROBE = """
import atexit, os, threading
MARKS = os.environ["MARKS"]

def mark(word):
    with open(MARKS, "a", encoding="utf-8") as handle:
        handle.write(word + "\\n")

class Freed:
    def __del__(self, write=os.write, flags=os.O_WRONLY | os.O_APPEND | os.O_CREAT, path=MARKS, opened=os.open,
                close=os.close):  # all it needs at hand: by then the modules' names may be gone
        handle = opened(path, flags)
        write(handle, b"teardown\\n")
        close(handle)

KEPT = Freed()  # freed only when the interpreter tears its modules down
atexit.register(mark, "atexit")
if os.environ.get("CTRL_C_ON_FLUSH"):  # Ctrl+C pressed while the last output is being written
    import io, sys
    ending = []
    atexit.register(ending.append, True)  # the command is over: the process is ending

    class Interrupted(io.TextIOWrapper):
        def flush(self):
            if ending:
                raise KeyboardInterrupt
            super().flush()

    sys.stdout = Interrupted(sys.stdout.detach(), encoding="utf-8")
if os.environ.get("LATE_THREAD"):
    def late():
        threading.main_thread().join()  # returns once the interpreter's exit has begun
        mark("thread")
    threading.Thread(target=late).start()
"""


def _command(tmp_path: Path, *arguments: str, before: tuple[str, ...] = (), probe: tuple[str, ...] = (),
             **run) -> tuple[subprocess.CompletedProcess, list]:
    """`python [before] -m analysis arguments` with the probe; `probe`: its switches to turn on."""
    (tmp_path / "sitecustomize.py").write_text(PROBE, encoding="utf-8")
    marks = tmp_path / "marks.txt"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(Path(config.PACKAGE_DIR).parent)]),
           "MARKS": str(marks), **dict.fromkeys(probe, "1")}
    env.pop("PYTHONUNBUFFERED", None)  # stdout a pipe, buffered: only the last flush sends what is left
    run = {"capture_output": True, **run} if "stdout" not in run else {"stderr": subprocess.PIPE, **run}
    done = subprocess.run([sys.executable, *before, "-m", "analysis", *arguments], cwd=config.ROOT, env=env,
                          text=True, timeout=120, **run)
    return done, marks.read_text(encoding="utf-8").split() if marks.exists() else []


def test_the_command_ends_without_the_teardown_its_output_flushed_and_atexit_run(tmp_path: Path):
    done, marks = _command(tmp_path, "units")
    assert done.returncode == 0, done.stderr
    assert marks == ["atexit"]  # no "teardown": the objects were left to the system
    # stdout is a pipe here, so buffered: its last line reached the reader all the same
    lines = done.stdout.splitlines()
    assert lines[1].split() == ["23281", "Phường", "Quang", "Trung"]
    assert len(lines) == 22 and lines[-1].split() == ["23338", "Xã", "Hòa", "Bình"]  # the 21 units, in code order


def test_an_error_keeps_its_exit_code_and_its_message(tmp_path: Path):
    done, marks = _command(tmp_path, "validate", "--data", str(tmp_path / "khong-co"))
    assert done.returncode == 2
    assert done.stderr.startswith("Lỗi: không tìm thấy thư mục số liệu")
    assert marks == ["atexit"]


def test_a_thread_still_working_is_waited_for_as_usual(tmp_path: Path):
    done, marks = _command(tmp_path, "units", probe=("LATE_THREAD",))
    assert done.returncode == 0, done.stderr
    assert "thread" in marks and "atexit" in marks


def test_the_script_ends_the_same_way():
    scripts = tomllib.loads((config.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["analysis"] == "analysis.cli:entry"


def test_a_profiler_still_writes_its_results(tmp_path: Path):
    done, marks = _command(tmp_path, "units", before=("-m", "cProfile", "-o", str(tmp_path / "units.prof")))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "units.prof").stat().st_size > 0


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="/dev/full: Linux")
def test_an_output_that_cannot_be_written_is_reported_and_fails(tmp_path: Path):
    with open("/dev/full", "w") as full:  # every write: "No space left on device"
        done, marks = _command(tmp_path, "units", stdout=full)
    assert done.returncode == 120  # Python's exit when it cannot flush its output
    assert "No space left on device" in done.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="a closed descriptor 1 (POSIX)")
def test_a_closed_stdout_is_no_error(tmp_path: Path):
    done, marks = _command(tmp_path, "units", stdout=None, preexec_fn=lambda: os.close(1))
    assert (done.returncode, done.stderr) == (0, "")
    assert marks == ["atexit"]


def test_a_ctrl_c_while_the_output_is_written_ends_as_interrupted(tmp_path: Path):
    done, marks = _command(tmp_path, "units", probe=("CTRL_C_ON_FLUSH",))
    assert (done.returncode, done.stderr) == (130, "\nĐã dừng theo yêu cầu (Ctrl+C) khi đang in kết quả.\n")  # no traceback


def test_python_i_still_opens_its_prompt(tmp_path: Path):
    done, marks = _command(tmp_path, "units", before=("-i",), input="print('lời nhắc ' + 'đã mở')\n")
    assert done.returncode == 0, done.stderr
    assert "lời nhắc đã mở" in done.stdout
