"""The one way the package reads a file of its own (settings, reference data, the narrative, the
figures of an earlier report, the record of the output folder): bounded and regular.

`read_regular_file` opens without waiting (a FIFO is never waited on: O_NONBLOCK, then fstat
refuses it), accepts only a regular file (not a directory, FIFO, socket or device such as
/dev/zero), at most `max_bytes` (checked on the size and again on what is read, so a file growing
while read is still bounded), and, with `within`, refuses a symbolic link whose target leaves that
folder (the project). Every refusal is a `UsageError` (exit 2) naming the file in Vietnamese;
`error=` gives another class (for example a `RenderError`, exit 3, for a file we wrote ourselves).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from analysis.errors import AnalysisError, UsageError
from analysis.outputs import why
from analysis.terminal import visible

MAX_BYTES = 64 << 10  # a settings file (YAML): the largest reference file is 3 KB
MAX_TEXT_BYTES = 1 << 20  # a narrative, a reference CSV: the largest is a few KB
MAX_TABLE_BYTES = 16 << 20  # a CSV of figures an analyst supplies (earlier_figures)
MISSING = "không tồn tại"  # what file_problem says of a path with nothing there


def _shown(path: Path) -> str:
    return visible(str(path))


def _bytes(count: int) -> str:
    from analysis.formatting import fmt_int  # noqa: PLC0415 (lazy: babel only when a message is said)

    return f"{fmt_int(count)} byte"


def link_problem(path: Path, within: Path | None) -> str | None:
    """Why `path` may not be read when it is a symbolic link whose target leaves `within`."""
    if within is None or not os.path.islink(path):
        return None
    target = Path(os.path.realpath(path))
    root = Path(os.path.realpath(within))
    if target != root and root not in target.parents:
        return "là liên kết (symlink) trỏ ra ngoài thư mục dự án"
    return None


def file_problem(path: Path, *, within: Path | None = None) -> str | None:
    """Why `path` is not a readable regular file (without opening it), or None; a missing file
    is `MISSING`. For checking a path named in a settings file before it is used."""
    problem = link_problem(path, within)
    if problem:
        return problem
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return MISSING
    except OSError as error:
        return f"không đọc được ({why(error)})"
    if stat.S_ISDIR(mode):
        return "là một thư mục, không phải tệp"
    if not stat.S_ISREG(mode):
        return "không phải tệp thông thường (ống, thiết bị…)"
    return None


def read_regular_file(path: Path, *, what: str, max_bytes: int = MAX_BYTES, within: Path | None = None,
                      error: type[AnalysisError] = UsageError) -> bytes:
    """The bytes of a regular file (not a directory, FIFO or device), at most `max_bytes`."""
    path = Path(path)
    problem = link_problem(path, within)
    if problem:
        raise error(f"{what} “{_shown(path)}” {problem}")
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise error(f"không tìm thấy {what} “{_shown(path)}”") from None
    except IsADirectoryError:
        raise error(f"{what} “{_shown(path)}” là một thư mục, không phải tệp") from None
    except (OSError, ValueError) as failure:  # ValueError: a NUL byte in the path
        raise error(f"không đọc được {what} “{_shown(path)}” ({why(failure) if isinstance(failure, OSError) else failure})") \
            from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise error(f"{what} “{_shown(path)}” là một thư mục, không phải tệp")
        if not stat.S_ISREG(info.st_mode):
            raise error(f"{what} “{_shown(path)}” không phải tệp thông thường (ống, thiết bị…)")
        if info.st_size > max_bytes:
            raise error(f"{what} “{_shown(path)}” quá lớn ({_bytes(info.st_size)}; tối đa {_bytes(max_bytes)})")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise error(f"{what} “{_shown(path)}” quá lớn (tối đa {_bytes(max_bytes)})")
        return data
    except OSError as failure:
        raise error(f"không đọc được {what} “{_shown(path)}” ({why(failure)})") from None
    finally:
        os.close(fd)


def read_text_file(path: Path, *, what: str, max_bytes: int = MAX_BYTES, within: Path | None = None,
                   error: type[AnalysisError] = UsageError) -> str:
    """A regular UTF-8 text file (see `read_regular_file`); a located message when it is not UTF-8."""
    data = read_regular_file(path, what=what, max_bytes=max_bytes, within=within, error=error)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as failure:
        line = data[: failure.start].count(b"\n") + 1
        raise error(f"{what} “{_shown(path)}” không phải văn bản UTF-8 (dòng {line}): "
                    "lưu lại tệp với bảng mã UTF-8") from None
