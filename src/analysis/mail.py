"""Send a report message (.eml) over SMTP.

Settings come from a YAML file (default mail.yaml at the project root, git-ignored; see
mail.example.yaml) and the environment (ANALYSIS_SMTP_HOST, _PORT, _SECURITY, _USER, _FROM,
_TO), the environment winning. The password comes only from ANALYSIS_SMTP_PASSWORD and is
never printed or logged.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import formatdate, make_msgid
from pathlib import Path

import yaml

from analysis import config
from analysis.errors import DeliveryError, UsageError
from analysis.render.eml import valid_address

DEFAULT_CONFIG = config.ROOT / "mail.yaml"
SECURITY = ("starttls", "tls", "none")


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    security: str
    user: str
    sender: str
    recipients: tuple[str, ...]
    timeout: float = 30.0

    @property
    def password(self) -> str:
        return os.environ.get("ANALYSIS_SMTP_PASSWORD", "")


def load_settings(path: Path | None = None, *, to: list[str] | None = None) -> MailSettings:
    data: dict = {}
    file = Path(path) if path else DEFAULT_CONFIG
    if file.exists():
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise UsageError(f"tệp cấu hình thư “{file}” sai cú pháp: {error}") from None
    elif path:
        raise UsageError(f"không tìm thấy tệp cấu hình thư “{file}”")
    if "password" in data:
        raise UsageError("không ghi mật khẩu trong tệp cấu hình; đặt biến môi trường ANALYSIS_SMTP_PASSWORD")
    env = {k: os.environ.get(f"ANALYSIS_SMTP_{k.upper()}") for k in ("host", "port", "security", "user", "from", "to")}
    value = lambda key, default="": env[key] or data.get(key, default)  # noqa: E731
    recipients = list(to or []) or [a.strip() for a in (env["to"] or "").split(",") if a.strip()] or list(data.get("to") or [])
    security = str(value("security", "starttls")).lower()
    if security not in SECURITY:
        raise UsageError(f"security = “{security}” không hợp lệ; chọn {', '.join(SECURITY)}")
    try:
        port = int(value("port", 465 if security == "tls" else 587))
    except ValueError:
        raise UsageError(f"cổng SMTP “{value('port')}” không phải số") from None
    bad = [a for a in recipients if not valid_address(a)]
    if bad:
        raise UsageError(f"địa chỉ thư không hợp lệ: {', '.join(bad)}")
    if not recipients:
        raise UsageError("chưa có người nhận: dùng --to ĐỊA_CHỈ hoặc khóa to trong tệp cấu hình thư")
    return MailSettings(host=str(value("host", "")), port=port, security=security, user=str(value("user", "")),
                        sender=str(value("from", value("user", ""))), recipients=tuple(recipients))


def configured_sender(path: Path | None = None) -> str:
    """The From address of the mail settings (ANALYSIS_SMTP_FROM or _USER, or from / user in mail.yaml),
    or "" when none is configured: a draft message then leaves From to the mail client."""
    env = os.environ.get("ANALYSIS_SMTP_FROM") or os.environ.get("ANALYSIS_SMTP_USER")
    if env:
        return env.strip()
    file = Path(path) if path else DEFAULT_CONFIG
    if not file.exists():
        return ""
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise UsageError(f"tệp cấu hình thư “{file}” sai cú pháp: {error}") from None
    return str(data.get("from") or data.get("user") or "").strip()


def read_message(path: Path) -> EmailMessage:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise UsageError(f"không tìm thấy tệp thư “{path}”") from None
    message = BytesParser(policy=policy.SMTP).parsebytes(data)
    if not message["Subject"] or not message.is_multipart():
        raise UsageError(f"“{path}” không phải thư báo cáo (.eml) do lệnh report tạo")
    return message


def prepare(message: EmailMessage, settings: MailSettings) -> EmailMessage:
    for header in ("From", "To", "Date", "Message-ID", "X-Unsent"):
        del message[header]  # X-Unsent: a sent message must not open as a draft for its readers
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=settings.sender.split("@")[-1] or "bao-cao.local")
    return message


def send(message: EmailMessage, settings: MailSettings) -> None:
    if not settings.host:
        raise UsageError("chưa có máy chủ SMTP: khóa host trong tệp cấu hình thư hoặc ANALYSIS_SMTP_HOST")
    if not valid_address(settings.sender):
        raise UsageError(f"địa chỉ gửi “{settings.sender}” không hợp lệ (khóa from)")
    try:
        if settings.security == "tls":
            client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with client:
            if settings.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings.user:
                client.login(settings.user, settings.password)
            refused = client.send_message(prepare(message, settings), settings.sender, list(settings.recipients))
    except smtplib.SMTPAuthenticationError:
        raise DeliveryError("máy chủ thư từ chối đăng nhập: kiểm tra tên đăng nhập và biến ANALYSIS_SMTP_PASSWORD") from None
    except smtplib.SMTPRecipientsRefused as error:
        raise DeliveryError(f"máy chủ thư từ chối mọi người nhận: {', '.join(error.recipients)}") from None
    except smtplib.SMTPException as error:
        raise DeliveryError(f"máy chủ thư từ chối thư: {error}") from None
    except (OSError, ssl.SSLError) as error:
        raise DeliveryError(f"không kết nối được máy chủ thư {settings.host}:{settings.port} ({error.__class__.__name__}: "
                            f"{error})") from None
    if refused:
        raise DeliveryError(f"máy chủ thư từ chối một số người nhận: {', '.join(refused)}")
