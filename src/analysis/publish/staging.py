"""The staging folder of a run (files are moved into place only when every one is ready), its owner
(pid and start time, from psutil: the same on Linux, macOS and Windows), the removal of the staging
folders of runs that are gone, and the signals that wait while files are moved into place.
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

import psutil

from analysis.terminal import visible


STAGING_PREFIX = ".staging-"
OWNER_FILE = "owner"


def _start_time(pid: int) -> str:
    """When process `pid` started (psutil, on every system), to tell it from a later process that
    got its pid; "" when there is no such process."""
    try:
        return f"{psutil.Process(pid).create_time():.2f}"
    except (psutil.Error, OSError):
        return ""


def _alive(pid: int, started: str) -> bool:
    """The owner of a staging folder is still running: a process with its pid that started when it
    did (not a later process that got the same pid, nor one that ended and waits to be reaped)."""
    try:
        if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:  # ended, not yet reaped by its parent
            return False
    except (psutil.Error, OSError):
        return False
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
        if folder.is_symlink() or not folder.is_dir() or (folder / "giu-lai").exists():
            continue  # "giu-lai": old files a failed rollback left for the user (analysis.publish.switch)
        try:
            pid_text, _, started = (folder / OWNER_FILE).read_text(encoding="ascii").strip().partition(" ")
            pid = int(pid_text)
        except (OSError, ValueError):  # no owner yet (a run starting now) or an older version's folder
            pid_part = folder.name[len(STAGING_PREFIX):].split("-", 1)[0]
            pid, started = (int(pid_part), "") if pid_part.isdigit() else (0, "")
            if not pid and _age(folder) < 3600:
                continue
        if pid and _alive(pid, started):
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
