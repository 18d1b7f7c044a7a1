"""`python -m analysis preview`: served on 127.0.0.1, rebuilt when the narrative or a form is
saved, the last good page kept when a file is caught half-saved, stopped cleanly by Ctrl+C.
Everything runs on copies in tmp_path; data/ is never touched."""

import http.client
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
from browser import Browser, find_browser
from conftest import GUARD_SECONDS
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import config
from analysis.preview import Page, serve

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
    assert 'fetch("/__version"' in text and 'var version = "2";' in text  # text, as /__version answers
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


class Preview:
    """`python -m analysis preview` on copies in `folder`: the forms, the narrative, a parameters file."""

    def __init__(self, folder: Path):
        self.raw = folder / "raw"
        shutil.copytree(config.RAW_DIR, self.raw)
        self.narrative = folder / "nhan-dinh.md"
        shutil.copy(config.DATA_DIR / "narrative" / "so-ket-2021-2023.md", self.narrative)
        params = folder / "tham-so.yaml"
        params.write_text(f"narrative: {self.narrative}\n", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "analysis", "preview", "--port", "0", "--data", str(self.raw), "-f", str(params)],
            cwd=config.ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        first = self.process.stdout.readline()
        assert first.startswith("Xem trước tại http://127.0.0.1:"), first
        self.url = first.split()[3]
        self.log = Log(self.process.stderr)
        self.log.wait_for("Đã cập nhật")  # the first build

    def add_to_narrative(self, text: str) -> None:
        self.narrative.write_text(self.narrative.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


@pytest.mark.slow
def test_preview_end_to_end(tmp_path: Path):
    before_start = set(config.ROOT.glob("reports/*"))
    preview = Preview(tmp_path)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    url, raw, narrative, log, process = preview.url, preview.raw, preview.narrative, preview.log, preview.process
    try:
        page = _get(url)
        assert "THÀNH PHỐ KON TUM" in page.upper() and 'fetch("/__version"' in page

        # The narrative saved: the page shows it, with no notice.
        preview.add_to_narrative(MARKER)
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
        preview.kill()
    # Nothing written beside the copies (the preview builds in a temporary folder), nor into reports/.
    after = sorted(p.name for p in tmp_path.rglob("*"))
    assert after == sorted([*before, "Bieu01_2024.xlsx"])
    assert set(config.ROOT.glob("reports/*")) == before_start


POLLS_WHILE_STILL = 20  # the page asks /__version every 0,5 s: about 10 s of a page left open


@pytest.mark.slow
@pytest.mark.skipif(find_browser() is None, reason="no Chromium or Chrome on this machine")
def test_in_a_real_browser_the_page_stays_still_and_reloads_once_after_a_save(tmp_path: Path):
    preview = Preview(tmp_path / "data")
    (tmp_path / "profile").mkdir()
    browser = Browser(find_browser(), tmp_path / "profile")
    try:
        browser.call("Network.enable")
        browser.call("Page.navigate", url=preview.url)
        browser.wait_until(lambda: len(browser.requests("Fetch", "/__version")) >= POLLS_WHILE_STILL,
                           f"{POLLS_WHILE_STILL} questions to /__version")
        # Nothing changed: the page asked many times and never loaded itself again.
        assert len(browser.requests("Document", "/")) == 1
        assert MARKER not in browser.text()

        preview.add_to_narrative(MARKER)
        preview.log.wait_for("Đã cập nhật")
        browser.wait_until(lambda: len(browser.requests("Document", "/")) >= 2, "reload after the save")
        reloaded_at = len(browser.requests("Fetch", "/__version"))
        browser.wait_until(lambda: len(browser.requests("Fetch", "/__version")) >= reloaded_at + POLLS_WHILE_STILL // 2,
                           "questions after the reload")
        assert len(browser.requests("Document", "/")) == 2  # exactly one reload for one save
        browser.wait_until(lambda: MARKER in browser.text(), "the saved paragraph on the page")
    finally:
        browser.close()
        preview.kill()


@given(host=st.one_of(
    st.sampled_from(["evil.example", "evil.example:{port}", "127.0.0.1", "localhost", "127.0.0.1:1",
                     "127.0.0.2:{port}", "[::1]:{port}", "0.0.0.0:{port}", "localhost.evil.example:{port}",
                     "127.0.0.1:{port}.evil.example", ""]),
    st.from_regex(r"[a-z0-9.-]{1,30}(:[0-9]{1,5})?", fullmatch=True)))
@settings(max_examples=40, deadline=None)
def test_only_this_machines_own_name_for_the_preview_is_answered(served_page, host: str):
    port = served_page.server_address[1]
    host = host.format(port=port)
    allowed = host in (f"127.0.0.1:{port}", f"localhost:{port}")
    for path in ("/", "/__version"):
        status, body = _get_with_host(port, path, host)
        if allowed:
            assert status == 200
        else:
            assert status == 403 and "Báo cáo nháp" not in body and "Chỉ mở được tại 127.0.0.1" in body


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"])
def test_the_preview_answers_at_127_0_0_1_and_localhost(served_page, host: str):
    port = served_page.server_address[1]
    status, body = _get_with_host(port, "/", host.format(port=port))
    assert status == 200 and "Báo cáo nháp" in body
    assert _get_with_host(port, "/__version", host.format(port=port)) == (200, "1")


def test_a_request_without_a_host_is_refused(served_page):
    connection = http.client.HTTPConnection("127.0.0.1", served_page.server_address[1], timeout=GUARD_SECONDS)
    connection.putrequest("GET", "/", skip_host=True)
    connection.endheaders()
    assert connection.getresponse().status == 403


@pytest.fixture(scope="module")
def served_page():
    page = Page()
    page.update(title="Báo cáo nháp", content="<p>Báo cáo nháp</p>")
    server = serve(page, 0)
    yield server
    server.shutdown()
    server.server_close()


def _get_with_host(port: int, path: str, host: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=GUARD_SECONDS)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", host)
    connection.endheaders()
    response = connection.getresponse()
    return response.status, response.read().decode("utf-8")
