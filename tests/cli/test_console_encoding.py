"""Output to a console or a file whose code page cannot write Vietnamese never crashes.

The commands run as subprocesses with PYTHONIOENCODING set to the code page of an English
Windows (cp1252) and of cmd.exe (cp437), as output redirected to a file there would be.
"""

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import config
from analysis.cli.console import error_handler, prepare_stream


def run(encoding: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, encoding=encoding,
                          env=env, cwd=config.ROOT, timeout=300)


def written(encoding: str, text: str, utf8_console: bool = False) -> bytes:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=encoding)
    prepare_stream(stream, utf8_console)
    stream.write(text)
    stream.flush()
    return raw.getvalue()


def test_cp1258_writes_vietnamese_exactly_with_combining_marks():
    # ô is 0xF4 and the combining tilde 0xDE in Windows-1258; đ is 0xF0, ơ 0xF5
    assert written("cp1258", "Lỗi đơn") == b"L\xf4\xdei \xf0\xf5n"


def test_cp437_and_cp1252_drop_only_the_diacritics_they_lack():
    assert written("cp437", "Lỗi: đơn vị “Phòng”").decode("cp437") == 'Loi: don vi "Phòng"'
    assert written("cp1252", "Lỗi: đơn vị “Phòng”").decode("cp1252") == "Loi: don vi “Phòng”"
    assert written("ascii", "Tổng hợp… ก") == b"Tong hop... \\u0e01"


def test_a_stream_that_writes_vietnamese_is_left_alone_and_a_utf8_console_gets_utf8():
    assert written("utf-8", "Lỗi") == "Lỗi".encode()
    assert written("cp437", "Lỗi", utf8_console=True) == "Lỗi".encode()
    assert "Lỗi".encode("cp437", error_handler("cp437")) == b"Loi"


@pytest.fixture(scope="module")
def bad_data(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("bieu") / "dữ liệu"
    shutil.copytree(config.RAW_DIR, data)
    (data / "ghi-chú.txt").write_text("không phải biểu", encoding="utf-8")
    return data


SUMMARY = "1 loi, 3 canh báo trong 6 tep. Có loi: chua lap duoc báo cáo."


@pytest.mark.parametrize("encoding", ["cp1252", "cp437"])
def test_validate_on_bad_data_prints_readable_findings_and_exits_1(encoding: str, bad_data: Path):
    result = run(encoding, "validate", "--data", str(bad_data))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "E-FILE" in result.stdout and "ghi-chú.txt" in result.stdout
    assert result.stdout.splitlines()[-1] == SUMMARY


def test_validate_json_stays_exact_on_cp437(bad_data: Path):
    result = run("cp437", "validate", "--data", str(bad_data), "--format", "json")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    findings = json.loads(result.stdout)
    assert [f["code"] for f in findings if f["code"].startswith("E-")] == ["E-FILE"]
    assert any("ghi-chú.txt" in f["file"] for f in findings)
    assert any("tỉ lệ" in f["message"] for f in findings)


@pytest.mark.parametrize("encoding", ["cp1252", "cp437"])
def test_report_help_prints_without_a_traceback(encoding: str):
    result = run(encoding, "report", "--help")
    assert result.returncode == 0, result.stderr
    assert "--unit DON_VI [DON_VI ...]" in result.stdout and "-f TEP.yaml" in result.stdout
    assert "city (toàn dia bàn, mac dinh)" in result.stdout


@pytest.mark.parametrize("encoding, message", [
    ("cp1252", "Loi: không có don vi “99999”"),
    ("cp437", 'Loi: không có don vi "99999"'),
])
def test_usage_errors_exit_2_with_a_readable_message(encoding: str, message: str, tmp_path: Path):
    result = run(encoding, "report", "--unit", "99999", "--out", str(tmp_path))
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    result = run(encoding, "report", "--khong-co")
    assert result.returncode == 2 and "loi: không hieu: --khong-co" in result.stderr  # on a cp1252/cp437 console
    assert "LENH" in result.stderr and "Traceback" not in result.stderr
