"""The staging folder of a run (files are moved into place only when every one is ready), its owner
(pid and start time), the removal of the staging folders of runs that are gone, and the signals
that wait while files are moved into place.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path

from analysis.terminal import visible


STAGING_PREFIX = ".staging-"
OWNER_FILE = "owner"


def _start_time(pid: int) -> str:
    """The start time of process `pid` (Linux: /proc), to tell it from a later process with its pid."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        return ""


def _alive(pid: int, started: str) -> bool:
    if os.name != "posix":  # Windows: os.kill(pid, 0) would send Ctrl+C, not test the pid
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's process: it exists
    return not started or _start_time(pid) in ("", started)


def _age(folder: Path) -> float:
    try:
        return time.time() - folder.stat().st_mtime
    except OSError:
        return 0.0


def make_staging(out_dir: Path) -> Path:
    staging = Path(tempfile.mkdtemp(dir=out_dir, prefix=f"{STAGING_PREFIX}{os.getpid()}-"))
    (staging / OWNER_FILE).write_text(f"{os.getpid()} {_start_time(os.getpid())}\n", encoding="ascii")
    return staging


def remove_stale_staging(out_dir: Path, *, log=lambda message: None) -> list[Path]:
    """Remove the staging folders of runs that are gone (killed: nothing else leaves one)."""
    removed: list[Path] = []
    try:
        entries = list(Path(out_dir).glob(f"{STAGING_PREFIX}*"))
    except OSError:
        return removed
    for folder in entries:
        if folder.is_symlink() or not folder.is_dir():
            continue
        try:
            pid_text, _, started = (folder / OWNER_FILE).read_text(encoding="ascii").strip().partition(" ")
            pid = int(pid_text)
        except (OSError, ValueError):  # no owner yet (a run starting now) or an older version's folder
            pid_part = folder.name[len(STAGING_PREFIX):].split("-", 1)[0]
            pid, started = (int(pid_part), "") if pid_part.isdigit() else (0, "")
            if not pid and _age(folder) < 3600:
                continue
        if pid and _alive(pid, started) and not (os.name != "posix" and _age(folder) > 86400):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            removed.append(folder)
            log(f"Đã xóa thư mục tạm “{visible(folder.name)}” của một lần chạy bị dừng.")
    return removed


@contextlib.contextmanager
def signals_deferred():
    """Ctrl+C and SIGTERM wait until the block is done (moving files into place, cleaning up)."""
    block = {signal.SIGINT, signal.SIGTERM}
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, block)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
