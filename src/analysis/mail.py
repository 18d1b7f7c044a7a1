"""Send a report message (.eml) over SMTP.

Settings come from a YAML file (default mail.yaml at the project root, git-ignored; see
mail.example.yaml) and the environment (ANALYSIS_SMTP_HOST, _PORT, _SECURITY, _USER, _FROM,
_TO), the environment winning. The password comes only from ANALYSIS_SMTP_PASSWORD and is
never printed or logged, and it travels only over TLS (starttls or tls): with `security: none`
a user is refused unless mail.yaml itself says `send_password_unencrypted: có` (then a warning
each time; no environment variable can say it).

Up to `MAX_VISIBLE_RECIPIENTS` recipients are named in the To header; more are sent as blind
copies (the To header is "undisclosed-recipients:;") in messages of at most `BATCH_RECIPIENTS`
envelope recipients each; more than `MAX_RECIPIENTS` is refused. A server that does not answer
within `timeout` seconds (mail.yaml `timeout`, default 30) is reported as a time-out.
"""

from __future__ import annotations

import base64
import os
import re
import smtplib
import ssl
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from analysis import config
from analysis.errors import DeliveryError, UsageError
from analysis.formatting import fmt_int
from analysis.safe_files import read_regular_file
from analysis.safe_yaml import load_yaml_file
from analysis.terminal import visible
from analysis.typed_config import Boolean, Invalid, Text, build, checked, integer, located, text

DEFAULT_CONFIG = config.ROOT / "mail.yaml"
SECURITY = ("starttls", "tls", "none")
MAX_MESSAGE_BYTES = 64 << 20  # a report message with its HTML and PDF is a few MB
MAX_VISIBLE_RECIPIENTS = 10  # a leadership group sees who else received it; more are blind copies
BATCH_RECIPIENTS = 50  # envelope recipients per message (servers commonly accept 100)
MAX_RECIPIENTS = 500
UNDISCLOSED = "undisclosed-recipients:;"
ENV_KEYS = {"host": "HOST", "port": "PORT", "security": "SECURITY", "user": "USER", "from": "FROM", "to": "TO"}
_ADDRESS = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


def valid_address(address: str) -> bool:
    return bool(_ADDRESS.match(address))


def _port(value) -> int:
    port = integer(value)
    if not 0 < port < 65536:
        raise Invalid("một số cổng từ 1 đến 65535")
    return port


def _security(value) -> str:
    word = text(value).strip().lower()
    if word not in SECURITY:
        raise Invalid(f"một trong {', '.join(SECURITY)}")
    return word


def _address(value) -> str:
    address = text(value).strip()
    if address and not valid_address(address):
        raise Invalid("một địa chỉ thư, ví dụ vanphong@example.vn")
    return address


def _addresses(value) -> tuple[str, ...]:
    """A list of addresses, or one string (several separated by commas): never its characters."""
    if isinstance(value, str):
        items = [a for a in value.split(",") if a.strip()]
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        raise Invalid("một địa chỉ thư hoặc một danh sách địa chỉ")
    addresses = []
    for index, item in enumerate(items, start=1):
        try:
            addresses.append(_address(item))
        except Invalid:
            raise Invalid(f"một danh sách địa chỉ thư; phần tử thứ {index} không phải địa chỉ thư") from None
    return tuple(a for a in addresses if a)


def _timeout(value) -> float:
    seconds = integer(value)
    if not 1 <= seconds <= 600:
        raise Invalid("số giây chờ máy chủ trả lời, từ 1 đến 600")
    return float(seconds)


class Signature(BaseModel):
    """The sender's signature block under a report's email (mail.yaml `signature`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Text = ""
    office: Text = ""
    phone: Text = ""

    def lines(self) -> tuple[str, ...]:
        return tuple(line for line in (self.name, self.office, f"Điện thoại: {self.phone}" if self.phone else "")
                     if line.strip())


class MailFile(BaseModel):
    """The schema of mail.yaml (and of the ANALYSIS_SMTP_* variables): values are never shown."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    host: Text = ""
    port: Annotated[int | None, checked(_port)] = None
    security: Annotated[str, checked(_security)] = "starttls"
    user: Text = ""
    sender: Annotated[str, checked(_address)] = Field(default="", alias="from")
    to: Annotated[tuple[str, ...], checked(_addresses)] = ()
    timeout: Annotated[float, checked(_timeout)] = 30.0
    # said in so many words, in mail.yaml only: the password may go over a connection without TLS
    send_password_unencrypted: Boolean = False


    signature: Signature = Signature()


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    security: str
    user: str
    sender: str
    recipients: tuple[str, ...]
    timeout: float = 30.0
    password_unencrypted: bool = False  # security none with a user, allowed by mail.yaml

    @property
    def blind(self) -> bool:
        """More recipients than a To header shows: each receives a blind copy."""
        return len(self.recipients) > MAX_VISIBLE_RECIPIENTS

    @property
    def password(self) -> str:
        return os.environ.get("ANALYSIS_SMTP_PASSWORD", "")


def _read_config(file: Path) -> tuple[dict, dict[str, str]]:
    where = f"tệp cấu hình thư “{visible(str(file))}”"
    data, lines = load_yaml_file(file, what="tệp cấu hình thư", secret=True, max_bytes=64 << 10)
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise UsageError(f"{where} phải gồm các dòng “khóa: giá trị” (xem mail.example.yaml)")
    if "password" in data:
        raise UsageError("không ghi mật khẩu trong tệp cấu hình; đặt biến môi trường ANALYSIS_SMTP_PASSWORD")
    return {str(k): v for k, v in data.items()}, located(lines, where)


def load_settings(path: Path | None = None, *, to: list[str] | None = None) -> MailSettings:
    file = Path(path) if path else DEFAULT_CONFIG
    if path or os.path.lexists(file):
        data, places = _read_config(file)
    else:
        data, places = {}, {}
    for key, suffix in ENV_KEYS.items():
        value = os.environ.get(f"ANALYSIS_SMTP_{suffix}")
        if value:
            data[key] = value
            places[key] = f"biến môi trường ANALYSIS_SMTP_{suffix}"
    settings = build(MailFile, data, places, title="cấu hình thư", secret=True)
    recipients = tuple(dict.fromkeys(list(to or []) or list(settings.to)))  # each address once
    bad = [visible(a) for a in (to or []) if not valid_address(a)]
    if bad:
        raise UsageError(f"địa chỉ thư không hợp lệ: {', '.join(bad)}")
    if not recipients:
        raise UsageError("chưa có người nhận: dùng --to ĐỊA_CHỈ hoặc khóa to trong tệp cấu hình thư")
    if len(recipients) > MAX_RECIPIENTS:
        raise UsageError(f"quá nhiều người nhận ({fmt_int(len(recipients))}; tối đa {MAX_RECIPIENTS} một lần gửi): "
                         "gửi qua một hộp thư nhóm (danh sách thư) của cơ quan")
    if settings.user and settings.security == "none" and not settings.send_password_unencrypted:
        raise UsageError("security: none mà có user: mật khẩu sẽ đi qua mạng không mã hóa. Dùng security: starttls "
                         "hoặc tls; chỉ khi thật sự chấp nhận điều đó, ghi send_password_unencrypted: có trong "
                         "tệp cấu hình thư")
    port = settings.port or (465 if settings.security == "tls" else 587)
    return MailSettings(host=settings.host, port=port, security=settings.security, user=settings.user,
                        sender=settings.sender or settings.user, recipients=recipients, timeout=settings.timeout,
                        password_unencrypted=bool(settings.user) and settings.security == "none")


def plain_password_warning(settings: MailSettings) -> str | None:
    """The warning said every time a password goes over a connection without TLS (allowed by mail.yaml)."""
    if not settings.password_unencrypted:
        return None
    return (f"Cảnh báo: mật khẩu đăng nhập máy chủ thư {visible(settings.host)} đi qua kết nối không mã hóa "
            "(security: none, send_password_unencrypted: có); ai nghe được mạng đều đọc được mật khẩu.")


def configured_sender(path: Path | None = None) -> str:
    """The From address of the mail settings (ANALYSIS_SMTP_FROM or _USER, or from / user in mail.yaml),
    or "" when none is configured: a draft message then leaves From to the mail client."""
    env = os.environ.get("ANALYSIS_SMTP_FROM") or os.environ.get("ANALYSIS_SMTP_USER")
    if env:
        return env.strip()
    file = Path(path) if path else DEFAULT_CONFIG
    if not os.path.lexists(file):
        return ""
    data, places = _read_config(file)
    settings = build(MailFile, data, places, title="cấu hình thư", secret=True)
    return (settings.sender or settings.user).strip()


def configured_signature(path: Path | None = None) -> tuple[str, ...]:
    """The lines of the signature block (mail.yaml `signature`: name, office, phone), or () when
    none is configured."""
    file = Path(path) if path else DEFAULT_CONFIG
    if not os.path.lexists(file):
        return ()
    data, places = _read_config(file)
    return build(MailFile, data, places, title="cấu hình thư", secret=True).signature.lines()


def read_message(path: Path) -> EmailMessage:
    data = read_regular_file(path, what="tệp thư", max_bytes=MAX_MESSAGE_BYTES)
    try:
        message = BytesParser(policy=policy.SMTP).parsebytes(data)
        subject = message["Subject"]
        multipart = message.is_multipart()
    except (ValueError, TypeError, IndexError, AttributeError, LookupError):
        subject, multipart = None, False
    if not subject or not multipart:
        raise UsageError(f"“{visible(str(path))}” không phải thư báo cáo (.eml) do lệnh report tạo")
    return message


def prepare(message: EmailMessage, settings: MailSettings) -> EmailMessage:
    for header in ("From", "To", "Cc", "Bcc", "Date", "Message-ID", "X-Unsent"):
        del message[header]  # X-Unsent: a sent message must not open as a draft for its readers
    message["From"] = settings.sender
    message["To"] = UNDISCLOSED if settings.blind else ", ".join(settings.recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=settings.sender.split("@")[-1] or "bao-cao.local")
    return message


def batches(settings: MailSettings) -> list[tuple[str, ...]]:
    """The envelope recipients of each message: all at once when the To header names them, else
    blind copies in groups of BATCH_RECIPIENTS."""
    if not settings.blind:
        return [settings.recipients]
    return [settings.recipients[i:i + BATCH_RECIPIENTS] for i in range(0, len(settings.recipients), BATCH_RECIPIENTS)]


def _connect(settings: MailSettings) -> smtplib.SMTP:
    if settings.security == "tls":
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                context=ssl.create_default_context())
    return smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)


def _timed_out(error: BaseException) -> bool:
    """A time-out, raised as such or under smtplib's "Connection unexpectedly closed: timed out"."""
    return any(isinstance(e, TimeoutError) for e in (error, error.__cause__, error.__context__))


def send(message: EmailMessage, settings: MailSettings) -> None:
    if not settings.host:
        raise UsageError("chưa có máy chủ SMTP: khóa host trong tệp cấu hình thư hoặc ANALYSIS_SMTP_HOST")
    if not valid_address(settings.sender):
        raise UsageError(f"địa chỉ gửi “{settings.sender}” không hợp lệ (khóa from)")
    if settings.user and settings.security == "none" and not settings.password_unencrypted:
        raise UsageError("mật khẩu chỉ gửi qua kết nối mã hóa: security starttls hoặc tls")
    prepared, sent = prepare(message, settings), 0
    try:
        with _connect(settings) as client:
            if settings.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings.user:
                authenticate(client, settings.user, settings.password)
            for group in batches(settings):
                refused = client.send_message(prepared, settings.sender, list(group))
                sent += len(group) - len(refused)
                if refused:
                    raise DeliveryError(f"máy chủ thư từ chối một số người nhận: {visible(', '.join(refused))}"
                                        + _progress(sent, settings))
    except smtplib.SMTPAuthenticationError:
        raise DeliveryError("máy chủ thư từ chối đăng nhập: kiểm tra tên đăng nhập và biến ANALYSIS_SMTP_PASSWORD") from None
    except smtplib.SMTPRecipientsRefused as error:
        raise DeliveryError(f"máy chủ thư từ chối mọi người nhận: {visible(', '.join(error.recipients))}"
                            + _progress(sent, settings)) from None
    except (smtplib.SMTPException, OSError) as error:  # ssl.SSLError is an OSError
        if _timed_out(error):
            raise DeliveryError(f"máy chủ thư {visible(settings.host)}:{settings.port} không trả lời sau "
                                f"{settings.timeout:g} giây (hết thời gian chờ; khóa timeout của tệp cấu hình thư)"
                                + _progress(sent, settings)) from None
        if isinstance(error, smtplib.SMTPException):
            raise DeliveryError(f"máy chủ thư từ chối thư: {visible(error)}" + _progress(sent, settings)) from None
        raise DeliveryError(f"không kết nối được máy chủ thư {visible(settings.host)}:{settings.port} "
                            f"({error.__class__.__name__}: {visible(error)})" + _progress(sent, settings)) from None


def _progress(sent: int, settings: MailSettings) -> str:
    """How far a send in several messages went before it failed."""
    if not sent:
        return ""
    return f" (đã gửi cho {fmt_int(sent)} trong {fmt_int(len(settings.recipients))} người nhận trước khi lỗi)"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def authenticate(client: smtplib.SMTP, user: str, password: str) -> None:
    """AUTH PLAIN or LOGIN with the user name and password in UTF-8 (RFC 4616), not ASCII only.

    smtplib's login() encodes its credentials as ASCII: a password such as "Mật-khẩu" would stop
    the command with a UnicodeEncodeError. The server's reply never carries the password.
    """
    client.ehlo_or_helo_if_needed()
    if not client.has_extn("auth"):
        raise DeliveryError("máy chủ thư không cho đăng nhập (không có AUTH); bỏ khóa user hoặc dùng security starttls/tls")
    mechanisms = client.esmtp_features["auth"].upper().split()
    user_bytes, password_bytes = user.encode("utf-8"), password.encode("utf-8")
    if "PLAIN" in mechanisms:
        code, _ = client.docmd("AUTH", "PLAIN " + _b64(b"\0" + user_bytes + b"\0" + password_bytes))
    elif "LOGIN" in mechanisms:
        code, _ = client.docmd("AUTH", "LOGIN " + _b64(user_bytes))
        if code == 334:
            code, _ = client.docmd(_b64(password_bytes))
    else:
        raise DeliveryError("máy chủ thư không nhận cách đăng nhập PLAIN hay LOGIN")
    if code not in (235, 503):  # 503: already authenticated
        raise smtplib.SMTPAuthenticationError(code, b"")
