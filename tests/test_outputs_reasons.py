"""The system's reasons for a failed read or write, said in Vietnamese (never "No such file or
directory" inside a Vietnamese message)."""

import errno
import os

import pytest

from analysis.outputs import why


@pytest.mark.parametrize("number", sorted(errno.errorcode))
def test_no_system_reason_reaches_the_reader_in_english(number: int):
    english = os.strerror(number)
    reason = why(OSError(number, english, "tệp.xlsx"))
    assert reason and english not in reason


def test_the_common_reasons_read_as_a_person_would_say_them():
    assert why(FileNotFoundError(errno.ENOENT, "No such file or directory")) == "không có tệp hoặc thư mục này"
    assert why(PermissionError(errno.EACCES, "Permission denied")) == "không có quyền truy cập (đọc, ghi)"
    assert why(IsADirectoryError(errno.EISDIR, "Is a directory")) == "đây là một thư mục, không phải tệp"
    assert why(OSError(errno.EPROTO, "Protocol error")) == "lỗi của hệ điều hành (EPROTO)"
