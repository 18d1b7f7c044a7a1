"""Sending, issue 26: the password only over TLS (or where mail.yaml allows a plain connection in so
many words, with a warning each time), many recipients as blind copies in bounded messages, a
server that never answers reported as a time-out. Against real SMTP servers on 127.0.0.1 (aiosmtpd;
the TLS one with a certificate made by the openssl command, skipped where it is absent)."""

import shutil
import socket
import ssl
import subprocess
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from test_mail import PASSWORD, Accounts, Inbox, free_port, settings_env, write_message

from analysis.cli import main


@pytest.fixture
def eml(tmp_path: Path) -> Path:
    return write_message(tmp_path)


def serve(handler, **options):
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
    controller.start()
    return port, controller


def test_a_password_is_never_sent_without_tls_unless_mail_yaml_says_so(eml, monkeypatch, capsys, tmp_path):
    inbox, accounts = Inbox(), Accounts()
    port, controller = serve(inbox, authenticator=accounts, auth_require_tls=False)
    try:
        settings_env(monkeypatch, port)  # security: none
        monkeypatch.setenv("ANALYSIS_SMTP_USER", "vanphong@example.vn")
        monkeypatch.setenv("ANALYSIS_SMTP_PASSWORD", PASSWORD)
        # neither the dry run nor --yes goes on: exit 2 before any connection
        assert main(["send", str(eml), "--to", "a@example.vn"]) == 2
        assert main(["send", str(eml), "--to", "a@example.vn", "--yes"]) == 2
        err = capsys.readouterr().err
        assert "mật khẩu sẽ đi qua mạng không mã hóa" in err and "send_password_unencrypted: có" in err
        assert accounts.attempts == [] and inbox.envelopes == []
        # an environment variable cannot allow it: only the words in mail.yaml
        monkeypatch.setenv("ANALYSIS_SMTP_SEND_PASSWORD_UNENCRYPTED", "có")
        assert main(["send", str(eml), "--to", "a@example.vn", "--yes"]) == 2
        said = tmp_path / "mail.yaml"
        said.write_text("send_password_unencrypted: có\n", encoding="utf-8")
        for _ in range(2):  # the warning each time
            assert main(["send", str(eml), "--to", "a@example.vn", "--yes", "--config", str(said)]) == 0
            err = capsys.readouterr().err
            assert err.count("Cảnh báo: mật khẩu đăng nhập máy chủ thư 127.0.0.1 đi qua kết nối không mã hóa") == 1
        assert len(accounts.attempts) == 2 and len(inbox.envelopes) == 2
    finally:
        controller.stop()


@pytest.fixture
def certificate(tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("no openssl command here to make a test certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    made = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                           "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                           "-addext", "subjectAltName=IP:127.0.0.1"], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip("this openssl cannot make a certificate with an IP address")
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts this certificate only
    return key, cert


def test_starttls_carries_the_password_and_the_message(eml, monkeypatch, capsys, certificate):
    key, cert = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox, accounts = Inbox(), Accounts()
    port, controller = serve(inbox, authenticator=accounts, tls_context=context, require_starttls=True,
                             auth_require_tls=True)
    try:
        settings_env(monkeypatch, port)
        monkeypatch.setenv("ANALYSIS_SMTP_SECURITY", "starttls")
        monkeypatch.setenv("ANALYSIS_SMTP_USER", "vanphong@example.vn")
        monkeypatch.setenv("ANALYSIS_SMTP_PASSWORD", PASSWORD)
        assert main(["send", str(eml), "--to", "a@example.vn", "--yes"]) == 0
        err = capsys.readouterr().err
        assert "Cảnh báo" not in err and "Traceback" not in err
        assert accounts.attempts == [("PLAIN", b"vanphong@example.vn", PASSWORD.encode("utf-8"))]
        (envelope,) = inbox.envelopes
        assert envelope.rcpt_tos == ["a@example.vn"]
    finally:
        controller.stop()


@pytest.mark.parametrize("count, batches", [(10, [10]), (11, [11]), (120, [50, 50, 20]), (500, [50] * 10)])
def test_many_recipients_get_blind_copies_in_bounded_messages(eml, monkeypatch, capsys, count, batches):
    inbox = Inbox()
    port, controller = serve(inbox)
    addresses = [f"xa{i:03d}@example.vn" for i in range(count)]
    try:
        settings_env(monkeypatch, port)
        assert main(["send", str(eml), "--to", *addresses, "--yes"]) == 0
        out = capsys.readouterr().out
        assert [len(e.rcpt_tos) for e in inbox.envelopes] == batches
        assert [a for e in inbox.envelopes for a in e.rcpt_tos] == addresses  # each once, in order
        for envelope in inbox.envelopes:
            to = BytesParser(policy=policy.default).parsebytes(envelope.original_content)["To"]
            if count <= 10:
                assert to == ", ".join(addresses)
            else:  # nobody sees the others' addresses
                assert "@" not in str(to) and "bản sao ẩn (Bcc)" in out
    finally:
        controller.stop()


class Refusing(Inbox):
    """Refuses one address: the messages before it and the rest of its own go out."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == "xa054@example.vn":
            return "550 khong co hop thu nay"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_a_refused_recipient_says_how_far_the_send_went(eml, monkeypatch, capsys):
    inbox = Refusing()
    port, controller = serve(inbox)
    addresses = [f"xa{i:03d}@example.vn" for i in range(120)]
    try:
        settings_env(monkeypatch, port)
        assert main(["send", str(eml), "--to", *addresses, "--yes"]) == 4
        err = capsys.readouterr().err
        # the first message (50) and the second without the refused one (49) went; the third did not
        assert "từ chối một số người nhận: xa054@example.vn (đã gửi cho 99 trong 120 người nhận trước khi lỗi)" in err
        assert [len(e.rcpt_tos) for e in inbox.envelopes] == [50, 49]
    finally:
        controller.stop()


def test_more_recipients_than_the_limit_is_refused_before_sending(eml, monkeypatch, capsys):
    inbox = Inbox()
    port, controller = serve(inbox)
    try:
        settings_env(monkeypatch, port)
        addresses = [f"ho{i}@example.vn" for i in range(501)]
        assert main(["send", str(eml), "--to", *addresses, "--yes"]) == 2
        assert "quá nhiều người nhận (501; tối đa 500" in capsys.readouterr().err and inbox.envelopes == []
    finally:
        controller.stop()


def test_a_server_that_never_answers_is_a_time_out(eml, monkeypatch, capsys, tmp_path, no_hang):
    with socket.socket() as silent:  # accepts connections (the backlog) and never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        port = silent.getsockname()[1]
        settings_env(monkeypatch, port)
        settings = tmp_path / "mail.yaml"
        settings.write_text("timeout: 1\n", encoding="utf-8")
        assert main(["send", str(eml), "--to", "a@example.vn", "--yes", "--config", str(settings)]) == 4
    err = capsys.readouterr().err
    assert f"máy chủ thư 127.0.0.1:{port} không trả lời sau 1 giây (hết thời gian chờ" in err
    assert "từ chối" not in err and "Traceback" not in err
