"""`python -m analysis preview`: served on 127.0.0.1, rebuilt when the narrative or a form is
saved, the last good page kept when a file is caught half-saved, stopped cleanly by Ctrl+C.
Everything runs on copies in tmp_path; data/ is never touched."""

import os
import shutil
import signal
import subprocess
import sys
import queue
import threading
import urllib.request
from pathlib import Path

import pytest
from conftest import GUARD_SECONDS

from analysis import config
from analysis.preview import Page

MARKER = "Đoạn thử của xem trước: năm 2024 tiếp tục nhân rộng mô hình."


def test_the_served_page_carries_the_reload_script_and_the_notice_but_the_report_does_not():
    page = Page()
    page.update(title="Báo cáo", content="<p>Báo cáo</p>")  # the content as the report's templates make it
    page.update(notice="Chưa cập nhật được <b>không phải thẻ</b>")
    served, version = page.served()
    text = served.decode("utf-8")
    assert version == 2
    assert text.index("<body><p role=\"alert\"") < text.index("<main class=\"report\">\n<p>Báo cáo</p>")
    assert "Chưa cập nhật được &lt;b&gt;không phải thẻ&lt;/b&gt;" in text  # the notice is text, never markup
    assert 'fetch("/__version"' in text and "var version = 2;" in text
    assert text.endswith("</script></body>\n</html>\n")
    assert "<script" not in page.content  # the page as built stays as the report command writes it


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


class Log:
    """The preview's stderr, read line by line on a thread: every rebuild says there how it ended
    ("Đã cập nhật", or the notice of a failure). The tests wait for those lines, not for a time."""

    def __init__(self, stream):
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, text: str) -> str:
        while True:
            line = self.lines.get(timeout=GUARD_SECONDS)  # queue.Empty after the guard: a hang, never slowness
            assert line is not None, f"the preview ended before saying “{text}”"
            if text in line:
                return line


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
        log = Log(process.stderr)
        log.wait_for("Đã cập nhật")  # the first build
        page = _get(url)
        assert "THÀNH PHỐ KON TUM" in page.upper() and 'fetch("/__version"' in page

        # The narrative saved: the page shows it, with no notice.
        narrative.write_text(narrative.read_text(encoding="utf-8") + f"\n{MARKER}\n", encoding="utf-8")
        log.wait_for("Đã cập nhật")
        page = _get(url)
        assert MARKER in page and 'role="alert"' not in page

        # Caught half-saved (a multi-byte letter cut in two): the last good page stays, with a notice.
        narrative.write_bytes(narrative.read_bytes()[:-3] + "Đ".encode()[:1])
        log.wait_for("Chưa cập nhật được")
        page = _get(url)
        assert 'role="alert"' in page and MARKER in page and "Chưa cập nhật được" in page

        # A form with errors: the errors, located as `validate` prints them, in place of the report.
        shutil.copy(raw / "Bieu01_2023.xlsx", raw / "Bieu01_2024.xlsx")
        log.wait_for("Đã cập nhật")
        page = _get(url)
        assert "Số liệu có lỗi" in page and "Bieu01_2024.xlsx › Biểu 01 › dòng 9: số liệu năm 2024 (21 dòng) nằm ngoài kỳ báo cáo 2021–2023" in page
        assert MARKER not in page

        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=GUARD_SECONDS)
        assert process.returncode == 0
        assert "Đã dừng xem trước." in out
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    # Nothing written beside the copies (the preview builds in a temporary folder).
    after = sorted(p.name for p in tmp_path.rglob("*"))
    assert after == sorted([*before, "Bieu01_2024.xlsx"])
