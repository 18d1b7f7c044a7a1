"""`python -m analysis preview`: served on 127.0.0.1, rebuilt when the narrative or a form is
saved, the last good page kept when a file is caught half-saved, stopped cleanly by Ctrl+C.
Everything runs on copies in tmp_path; data/ is never touched."""

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from analysis import config
from analysis.preview import Page

MARKER = "Đoạn thử của xem trước: năm 2024 tiếp tục nhân rộng mô hình."


def test_the_served_page_carries_the_reload_script_and_the_notice_but_the_report_does_not():
    page = Page()
    report = '<!DOCTYPE html><html lang="vi"><head></head><body class="doc"><p>Báo cáo</p></body></html>'
    page.update(body=report)
    page.update(notice="Chưa cập nhật được")
    served, version = page.served()
    text = served.decode("utf-8")
    assert version == 2
    assert text.index('<body class="doc"><p role="alert"') < text.index("<p>Báo cáo</p>")
    assert "Chưa cập nhật được" in text and 'fetch("/__version"' in text and "var version = 2;" in text
    assert text.endswith("</script></body></html>")
    assert "<script" not in page.body  # the page as built stays as the report command writes it


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def _wait_for(url: str, condition, timeout: float) -> tuple[str, float]:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        page = _get(url)
        if condition(page):
            return page, time.perf_counter() - started
        time.sleep(0.05)
    raise AssertionError(f"the page did not change within {timeout} s:\n{page[:2000]}")


@pytest.mark.slow
def test_preview_end_to_end(tmp_path: Path):
    raw = tmp_path / "raw"
    shutil.copytree(config.RAW_DIR, raw)
    narrative = tmp_path / "nhan-dinh.md"
    shutil.copy(config.DATA_DIR / "narrative" / "so-ket-2021-2023.md", narrative)
    params = tmp_path / "tham-so.yaml"
    params.write_text(f"narrative: {narrative}\n", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    process = subprocess.Popen([sys.executable, "-m", "analysis", "preview", "--port", "0", "--data", str(raw),
                                "-f", str(params)], cwd=config.ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        first = process.stdout.readline()
        assert first.startswith("Xem trước tại http://127.0.0.1:"), first
        url = first.split()[3]
        page, _ = _wait_for(url, lambda p: "Đang lập báo cáo" not in p, 180)
        assert "THÀNH PHỐ KON TUM" in page.upper() and 'fetch("/__version"' in page

        # The narrative saved: the page shows it, with no notice.
        narrative.write_text(narrative.read_text(encoding="utf-8") + f"\n{MARKER}\n", encoding="utf-8")
        page, seconds = _wait_for(url, lambda p: MARKER in p, 60)
        print(f"narrative saved -> page served in {seconds:.2f} s")
        assert 'role="alert"' not in page

        # Caught half-saved (a multi-byte letter cut in two): the last good page stays, with a notice.
        narrative.write_bytes(narrative.read_bytes()[:-3] + "Đ".encode("utf-8")[:1])
        page, _ = _wait_for(url, lambda p: 'role="alert"' in p, 60)
        assert MARKER in page and "Chưa cập nhật được" in page

        # A form with errors: the errors, located as `validate` prints them, in place of the report.
        shutil.copy(raw / "Bieu01_2023.xlsx", raw / "Bieu01_2024.xlsx")
        page, _ = _wait_for(url, lambda p: "Số liệu có lỗi" in p, 60)
        assert "Bieu01_2024.xlsx › Biểu 01 › dòng 9: số liệu năm 2024 (21 dòng) nằm ngoài kỳ báo cáo 2021–2023" in page
        assert MARKER not in page

        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
        assert process.returncode == 0, err
        assert "Đã dừng xem trước." in out
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    # Nothing written beside the copies (the preview builds in a temporary folder).
    after = sorted(p.name for p in tmp_path.rglob("*"))
    assert after == sorted([*before, "Bieu01_2024.xlsx"])
