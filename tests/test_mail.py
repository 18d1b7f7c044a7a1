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


def write_message(folder: Path) -> Path:
    """A report message (.eml) with its HTML and PDF attached, in `folder`."""
    html, pdf = folder / "bao-cao.html", folder / "bao-cao.pdf"
    html.write_bytes("<p>Báo cáo đầy đủ</p>".encode())
    pdf.write_bytes(b"%PDF-1.7\n\x00\x01binary\xff")
    write_eml(make_report(), folder / "thu.eml", {"html": html, "pdf": pdf})
    return folder / "thu.eml"


@pytest.fixture
def message_file(tmp_path: Path) -> Path:
    return write_message(tmp_path)


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


PASSWORD = "Mật-khẩu-bí-mật ẩn"  # not ASCII: smtplib's login() cannot send it


class Accounts:
    """An authenticator for aiosmtpd: one user, the password compared as UTF-8 bytes."""

    def __init__(self):
        self.attempts = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        self.attempts.append((mechanism, auth_data.login, auth_data.password))
        ok = auth_data.login == b"vanphong@example.vn" and auth_data.password == PASSWORD.encode("utf-8")
        return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp_with_auth():
    inbox, accounts, port = Inbox(), Accounts(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=accounts, auth_require_tls=False)
    controller.start()
    try:
        yield port, inbox, accounts
    finally:
        controller.stop()


def plain_allowed(tmp_path: Path) -> str:
    """A mail.yaml that says in so many words that the password may go without TLS (the test
    servers here speak plain SMTP); the rest of the settings come from the environment."""
    allow = tmp_path / "mail-plain.yaml"
    allow.write_text("send_password_unencrypted: có\n", encoding="utf-8")
    return str(allow)


def test_a_utf8_password_logs_in_and_sends(smtp_with_auth, message_file, monkeypatch, capsys, tmp_path):
    port, inbox, accounts = smtp_with_auth
    settings_env(monkeypatch, port)
    monkeypatch.setenv("ANALYSIS_SMTP_USER", "vanphong@example.vn")
    monkeypatch.setenv("ANALYSIS_SMTP_PASSWORD", PASSWORD)
    assert main(["send", str(message_file), "--to", "a@example.vn", "--yes", "--config", plain_allowed(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and PASSWORD not in captured.out + captured.err
    assert "Cảnh báo: mật khẩu đăng nhập máy chủ thư 127.0.0.1 đi qua kết nối không mã hóa" in captured.err
    assert accounts.attempts == [("PLAIN", b"vanphong@example.vn", PASSWORD.encode("utf-8"))]
    assert len(inbox.envelopes) == 1


def test_a_wrong_password_exits_4_and_is_not_shown(smtp_with_auth, message_file, monkeypatch, capsys, tmp_path):
    port, inbox, _ = smtp_with_auth
    settings_env(monkeypatch, port)
    monkeypatch.setenv("ANALYSIS_SMTP_USER", "vanphong@example.vn")
    monkeypatch.setenv("ANALYSIS_SMTP_PASSWORD", "Sai-mật-khẩu")
    assert main(["send", str(message_file), "--to", "a@example.vn", "--yes", "--config", plain_allowed(tmp_path)]) == 4
    err = capsys.readouterr().err
    assert "từ chối đăng nhập" in err and "Sai-mật-khẩu" not in err and inbox.envelopes == []


def send_with_config(tmp_path: Path, message_file: Path, text: str, monkeypatch, capsys, *extra: str):
    for key in ("HOST", "PORT", "SECURITY", "USER", "FROM", "TO"):
        monkeypatch.delenv(f"ANALYSIS_SMTP_{key}", raising=False)
    config_file = tmp_path / "mail.yaml"
    config_file.write_text(text, encoding="utf-8")
    code = main(["send", str(message_file), "--config", str(config_file), *extra])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured


def test_a_yaml_error_in_mail_yaml_shows_the_line_number_never_the_line(tmp_path, message_file, monkeypatch, capsys):
    text = 'host: smtp.example.vn\nuser: "vanphong@example.vn\npassword_hint: Mật-khẩu-bí-mật\nto: [a@example.vn]\n'
    code, captured = send_with_config(tmp_path, message_file, text, monkeypatch, capsys)
    assert code == 2
    assert "sai cú pháp YAML ở dòng" in captured.err
    assert "Mật-khẩu" not in captured.err and "vanphong" not in captured.err and "password_hint" not in captured.err


@pytest.mark.parametrize("text, expected", [
    ("- host: smtp.example.vn\n", "phải gồm các dòng “khóa: giá trị”"),
    ("port: [1, 2]\nto: a@example.vn\n", "khóa port (tệp cấu hình thư"),
    ("port: 70000\nto: a@example.vn\n", "một số cổng từ 1 đến 65535"),
    ("security: Mật-khẩu-bí-mật\nto: a@example.vn\n", "khóa security"),
    ("to: [a@example.vn, Mật-khẩu-bí-mật]\n", "phần tử thứ 2 không phải địa chỉ thư"),
    ("Mật-khẩu-bí-mật: 1\nto: a@example.vn\n", "(một khóa không hợp lệ)"),
])
def test_a_badly_typed_mail_yaml_exits_2_without_echoing_values(tmp_path, message_file, monkeypatch, capsys, text,
                                                                   expected):
    code, captured = send_with_config(tmp_path, message_file, text, monkeypatch, capsys)
    assert code == 2 and expected in captured.err
    assert "Mật-khẩu" not in captured.err and "[1, 2]" not in captured.err and "70000" not in captured.err


def test_to_as_one_string_is_one_recipient(tmp_path, message_file, monkeypatch, capsys):
    code, captured = send_with_config(tmp_path, message_file, "to: lanhdao@example.vn\n", monkeypatch, capsys)
    assert code == 0 and "Người nhận: lanhdao@example.vn\n" in captured.out


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no FIFOs here")
def test_a_fifo_as_the_message_is_refused_without_waiting_for_a_writer(tmp_path, monkeypatch, capsys, no_hang):
    import os

    fifo = tmp_path / "thu.eml"
    os.mkfifo(fifo)  # opened for reading, it would block until a writer comes: no_hang fails the test then
    assert main(["send", str(fifo), "--to", "a@example.vn"]) == 2
    assert "không phải tệp thông thường" in capsys.readouterr().err


def test_escape_sequences_in_the_subject_are_shown_not_executed(tmp_path, message_file, monkeypatch, capsys):
    settings_env(monkeypatch, free_port())
    data = message_file.read_bytes()
    subject_at = data.index(b"Subject:")
    end = data.index(b"\n", subject_at)
    message_file.write_bytes(data[:subject_at] + b"Subject: =?utf-8?q?B=C3=A1o_c=C3=A1o_=1B[2J=1B]0;pwned=07?="
                             + data[end:])
    assert main(["send", str(message_file), "--to", "a@example.vn"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "Báo cáo \\x1b[2J\\x1b]0;pwned\\x07" in out
