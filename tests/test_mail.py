"""Sending: against a real SMTP server started on 127.0.0.1 by the test (aiosmtpd)."""

import socket
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from report_fixture import make_report

from analysis.cli import main
from analysis.render.eml import attachments, write_eml


class Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:  # nothing listens there once the probe is closed
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


@pytest.fixture
def message_file(tmp_path: Path) -> Path:
    html, pdf = tmp_path / "bao-cao.html", tmp_path / "bao-cao.pdf"
    html.write_bytes("<p>Báo cáo đầy đủ</p>".encode())
    pdf.write_bytes(b"%PDF-1.7\n\x00\x01binary\xff")
    write_eml(make_report(), tmp_path / "thu.eml", {"html": html, "pdf": pdf})
    return tmp_path / "thu.eml"


def settings_env(monkeypatch, port: int) -> None:
    for key, value in {"HOST": "127.0.0.1", "PORT": str(port), "SECURITY": "none", "FROM": "vanphong@example.vn"}.items():
        monkeypatch.setenv(f"ANALYSIS_SMTP_{key}", value)
    monkeypatch.delenv("ANALYSIS_SMTP_USER", raising=False)
    monkeypatch.setenv("ANALYSIS_SMTP_PASSWORD", "mat-khau-bi-mat")


def test_dry_run_prints_and_sends_nothing(smtp_server, message_file, monkeypatch, capsys):
    port, inbox = smtp_server
    settings_env(monkeypatch, port)
    assert main(["send", str(message_file), "--to", "lanhdao@example.vn"]) == 0
    out = capsys.readouterr().out
    assert "Người nhận: lanhdao@example.vn" in out and "Chạy thử: chưa gửi" in out
    assert "Đính kèm: bao-cao.pdf" in out and "mat-khau-bi-mat" not in out
    assert inbox.envelopes == []


def test_sent_message_arrives_whole(smtp_server, message_file, monkeypatch, capsys):
    port, inbox = smtp_server
    settings_env(monkeypatch, port)
    assert main(["send", str(message_file), "--to", "a@example.vn", "b@example.vn", "--yes"]) == 0
    assert "mat-khau-bi-mat" not in capsys.readouterr().out
    (envelope,) = inbox.envelopes
    assert envelope.mail_from == "vanphong@example.vn" and envelope.rcpt_tos == ["a@example.vn", "b@example.vn"]
    received = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
    sent = BytesParser(policy=policy.default).parsebytes(message_file.read_bytes())
    assert received["Subject"] == sent["Subject"] and received["To"] == "a@example.vn, b@example.vn"
    assert received["From"] == "vanphong@example.vn" and received["Message-ID"] and received["Date"]
    assert sent["X-Unsent"] == "1" and received["X-Unsent"] is None  # a draft here, a message for its readers
    assert received.get_body(("plain",)).get_content() == sent.get_body(("plain",)).get_content()
    assert received.get_body(("html",)).get_content() == sent.get_body(("html",)).get_content()
    assert attachments(received) == attachments(sent)
    assert attachments(received)["bao-cao.pdf"] == b"%PDF-1.7\n\x00\x01binary\xff"


def test_unreachable_server_exits_4_without_traceback(message_file, monkeypatch, capsys):
    settings_env(monkeypatch, free_port())
    assert main(["send", str(message_file), "--to", "a@example.vn", "--yes"]) == 4
    err = capsys.readouterr().err
    assert "không kết nối được máy chủ thư 127.0.0.1" in err and "Traceback" not in err


def test_usage_errors_exit_2(message_file, tmp_path: Path, monkeypatch, capsys):
    monkeypatch.delenv("ANALYSIS_SMTP_TO", raising=False)
    monkeypatch.setattr("analysis.mail.DEFAULT_CONFIG", tmp_path / "none.yaml")
    assert main(["send", str(tmp_path / "none.eml"), "--to", "a@example.vn"]) == 2
    assert main(["send", str(message_file), "--to", "khong-phai-dia-chi"]) == 2
    assert main(["send", str(message_file)]) == 2  # no recipient anywhere
    bad = tmp_path / "mail.yaml"
    bad.write_text("host: x\npassword: lo\n", encoding="utf-8")
    assert main(["send", str(message_file), "--to", "a@example.vn", "--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "không ghi mật khẩu trong tệp cấu hình" in err and "Traceback" not in err
