"""`python -m analysis` ends without the interpreter's teardown (analysis.cli.end_process), yet
with what the teardown did that matters: atexit handlers run, the output flushed, the exit code
kept, and a thread still working waited for."""

import os
import subprocess
import sys
from pathlib import Path

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
if os.environ.get("LATE_THREAD"):
    def late():
        threading.main_thread().join()  # returns once the interpreter's exit has begun
        mark("thread")
    threading.Thread(target=late).start()
"""


def _command(tmp_path: Path, *arguments: str, late_thread: bool = False) -> tuple[subprocess.CompletedProcess, list]:
    (tmp_path / "sitecustomize.py").write_text(PROBE, encoding="utf-8")
    marks = tmp_path / "marks.txt"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(Path(config.PACKAGE_DIR).parent)]),
           "MARKS": str(marks)}
    if late_thread:
        env["LATE_THREAD"] = "1"
    done = subprocess.run([sys.executable, "-m", "analysis", *arguments], cwd=config.ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
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
    done, marks = _command(tmp_path, "units", late_thread=True)
    assert done.returncode == 0, done.stderr
    assert "thread" in marks and "atexit" in marks
