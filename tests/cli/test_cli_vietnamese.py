"""Every word a command prints about itself is Vietnamese: argparse's own ("usage:", "options",
"show this help message and exit", its errors) and the names of option values."""

import re

import pytest

from analysis.cli import COMMANDS, main

ENGLISH = ("usage:", "options:", "positional arguments", "show this help", "error:", "unrecognized", "invalid",
           "required", "expected", "choose from", "version number")


@pytest.mark.parametrize("command", [[], *([name] for name in COMMANDS)])
def test_help_is_vietnamese(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("cách dùng: python -m analysis") and "in hướng dẫn này rồi thoát" in text
    assert not [word for word in ENGLISH if word in text.lower()]
    # the value of an option is named in Vietnamese ("--out THƯ_MỤC"), never argparse's "--out OUT"
    for option, value in re.findall(r"(--[a-z-]+) ([A-Z_]{2,})\b", text):
        assert value != option[2:].upper().replace("-", "_"), (option, value)


@pytest.mark.parametrize("argv, said", [
    (["report", "--khong-co"], "python -m analysis: lỗi: không hiểu: --khong-co"),
    (["preview", "--port", "abc"], "lỗi: --port: “abc” không phải số cổng"),  # the port's own check (cli/preview.py)
    (["khong-co"], "lỗi: LỆNH: không có lựa chọn 'khong-co' (chọn một trong: 'sample-data'"),
    (["report", "--period"], "lỗi: --period: cần một giá trị"),
    (["diff"], "lỗi: thiếu:"),
])
def test_usage_errors_are_vietnamese_and_exit_2(argv, said, capsys):
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert said in err and err.startswith("cách dùng: ")
    assert not [word for word in ENGLISH if word in err.lower()]
