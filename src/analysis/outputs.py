"""Output folders: checked before anything is computed, created with a Vietnamese reason when
they cannot be. A folder that cannot serve (a file, the data folder or inside it) is a usage
error (exit 2); one that cannot be written (read-only, disk full) is exit 3.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from analysis.errors import RenderError, UsageError
from analysis.terminal import visible


# The system's reasons, in Vietnamese (the system's own text is English: "No such file or directory").
REASONS = {
    errno.ENOENT: "không có tệp hoặc thư mục này",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.EISDIR: "đây là một thư mục, không phải tệp",
    errno.EEXIST: "đã có tệp hoặc thư mục cùng tên",
    errno.ENAMETOOLONG: "tên tệp hoặc đường dẫn quá dài",
    errno.ELOOP: "đường dẫn vòng lặp (liên kết trỏ về chính nó)",
    errno.EBUSY: "tệp đang được một chương trình khác dùng",
    errno.EMFILE: "mở quá nhiều tệp cùng lúc",
    errno.EIO: "lỗi đọc, ghi ổ đĩa",
    errno.EADDRINUSE: "cổng đang được một chương trình khác dùng",
    errno.EADDRNOTAVAIL: "địa chỉ không có trên máy này",
    errno.ECONNREFUSED: "máy chủ từ chối kết nối",
    errno.ETIMEDOUT: "hết thời gian chờ",
}


def why(error: OSError) -> str:
    """Why reading or writing failed, in Vietnamese."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "đĩa đầy (hoặc vượt hạn mức dung lượng)"
    if error.errno == errno.EROFS:
        return "ổ đĩa chỉ đọc"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "không có quyền truy cập (đọc, ghi)"
    if error.errno in REASONS:
        return REASONS[error.errno]
    if getattr(error, "winerror", None) == 32:  # Windows: ERROR_SHARING_VIOLATION (a file open in Excel)
        return "tệp đang được một chương trình khác mở (ví dụ Excel)"
    name = errno.errorcode.get(error.errno or 0, error.__class__.__name__)
    return f"lỗi của hệ điều hành ({visible(name)})"


def check_output_dir(out_dir: Path, data_dir: Path | None = None, *, option: str = "--out",
                     what: str = "thư mục báo cáo") -> Path:
    """The output folder, usable as one (exit 2 otherwise): not a file, not the data folder or in it."""
    out_dir = Path(out_dir)
    shown = visible(str(out_dir))
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{what} “{shown}” ({option}) là một tệp, không phải thư mục")
    for parent in out_dir.absolute().parents:
        if parent.exists() and not parent.is_dir():
            raise UsageError(f"{what} “{shown}” ({option}) nằm dưới “{visible(str(parent))}”, "
                             "là một tệp, không phải thư mục")
    if data_dir is None:
        return out_dir
    out_real, data_real = out_dir.resolve(), Path(data_dir).resolve()
    if out_real == data_real or data_real in out_real.parents:
        raise UsageError(f"{what} “{shown}” ({option}) không được là thư mục số liệu “{visible(str(data_dir))}” "
                         "(--data) hay nằm trong đó: lần chạy sau sẽ đọc báo cáo như một biểu; chọn thư mục khác")
    return out_dir


def make_output_dir(out_dir: Path, option: str = "--out", what: str = "thư mục báo cáo") -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except (NotADirectoryError, FileExistsError):
        raise UsageError(f"không tạo được {what} “{visible(str(out_dir))}” ({option}): "
                         "một phần đường dẫn là tệp") from None
    except OSError as error:
        raise RenderError(f"không tạo được {what} “{visible(str(out_dir))}” ({option}): {why(error)}") from None


def write_atomically(path: Path, data: bytes) -> Path:
    """Write `data` to `path` through a temporary file beside it, renamed into place: a reader
    sees the old file or the new one, never half of one. The file gets the permissions any new
    file gets here (the umask's), not the temporary file's owner-only ones."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o666 & ~_UMASK)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()  # read once, as the process starts (setting it is not thread-safe)
