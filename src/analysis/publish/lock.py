"""One run per output folder at a time: a lock on `<out>/.dang-chay` held for the whole run.

The lock is the operating system's (fcntl.flock on Linux and macOS, msvcrt.locking on Windows): it
goes with the process that holds it, so a run that was killed leaves no lock behind, only the file,
which the next run takes over; a run that ends removes the file (nothing is left in the folder). The file names the run that holds it (pid, start time, command),
for the message of a second run, which waits up to LOCK_WAIT seconds (ANALYSIS_LOCK_WAIT) and then
stops with exit 3.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import time
from pathlib import Path

from analysis.errors import RenderError, UsageError
from analysis.outputs import why
from analysis.terminal import visible

LOCK_FILE = ".dang-chay"
LOCK_WAIT = 30.0    # seconds a second run waits for the first to finish
_POLL = 0.2

if sys.platform == "win32":  # pragma: no cover (the CI runs on Linux)
    import msvcrt

    def _try_lock(handle: int) -> bool:
        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
else:
    import fcntl

    def _try_lock(handle: int) -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


def lock_wait() -> float:
    text = os.environ.get("ANALYSIS_LOCK_WAIT", "").strip()
    if not text:
        return LOCK_WAIT
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 86400:
        raise UsageError(f"ANALYSIS_LOCK_WAIT = “{visible(text)}”: cần một số giây từ 0 đến 86400")
    return value


def _holder(path: Path) -> str:
    try:
        with open(path, "rb") as stream:
            text = stream.read(4096).decode("utf-8", "replace").strip()
    except OSError:
        return ""
    return text


class OutputLock:
    """Held while a run uses an output folder (a context manager)."""

    def __init__(self, out_dir: Path):
        self.path = Path(out_dir) / LOCK_FILE
        self._handle: int | None = None

    def acquire(self, *, wait: float | None = None, log=lambda message: None) -> None:
        wait = lock_wait() if wait is None else wait
        deadline, said = time.monotonic() + wait, False
        while True:
            handle = self._open()
            if _try_lock(handle):
                if self._still_there(handle):
                    break
                os.close(handle)  # the holder removed the file as it finished: lock the new one
                continue
            os.close(handle)
            if time.monotonic() >= deadline:
                raise RenderError(f"thư mục báo cáo “{visible(str(self.path.parent))}” đang được một lần chạy "
                                  f"khác dùng ({visible(_holder(self.path)) or 'không rõ tiến trình'}); đã chờ "
                                  f"{wait:g} giây; chạy lại khi lần kia xong, các báo cáo cũ giữ nguyên")
            if not said:
                log(f"Đang chờ lần chạy khác vào cùng thư mục xong ({visible(_holder(self.path))}) …")
                said = True
            time.sleep(_POLL)
        self._handle = handle
        os.ftruncate(handle, 0)
        started = dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")
        command = " ".join(sys.argv[1:4])
        os.write(handle, f"tiến trình {os.getpid()}, bắt đầu lúc {started}, lệnh: {command}\n".encode())

    def _open(self) -> int:
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        try:
            return os.open(self.path, flags, 0o644)
        except OSError as error:
            raise RenderError(f"không tạo được tệp khóa “{visible(str(self.path))}”: {why(error)}") from None

    def _still_there(self, handle: int) -> bool:
        """The locked file is still the one at the path (not one a finishing run removed)."""
        try:
            return os.path.samestat(os.fstat(handle), os.lstat(self.path))
        except OSError:
            return False

    def release(self) -> None:
        """The file removed while still locked (a run leaves nothing in the folder), then the lock
        released; a run waiting on the removed file sees it gone and locks a new one (_still_there).
        On Windows an open file cannot be removed: there it is emptied and left."""
        if self._handle is not None:
            if sys.platform == "win32":  # pragma: no cover (the CI runs on Linux)
                with contextlib.suppress(OSError):
                    os.ftruncate(self._handle, 0)
            else:
                with contextlib.suppress(OSError):
                    os.unlink(self.path)
            os.close(self._handle)  # closing the file releases the lock
            self._handle = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def __enter__(self) -> OutputLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()
