"""A ready-to-send email (.eml) of the report: a short HTML body with the key figures and two
small charts (inline CID images), a plain-text alternative, and the full HTML report and the
PDF attached byte for byte. Any mail client opens it; `python -m analysis send` sends it.
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Mapping
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import make_msgid
from pathlib import Path

from analysis.report.document import Report
from analysis.errors import UsageError
from analysis.formatting import fmt_date, fmt_number

WARN_BYTES = 18 * 1024 * 1024  # mail services stop at 20-25 MB; base64 adds a third
BODY_LIMIT = 100 * 1024  # webmail clips longer HTML bodies


def one_line(text: str) -> str:
    """Header text: no line breaks, whatever a form contained."""
    return " ".join(str(text).split())


def subject(report: Report) -> str:
    m = report.meta
    start, end = m.period
    return one_line(f"{m.doc_type.capitalize()}: {m.title} ({start}–{end}) – {m.unit_name}")


def _charts(report: Report):
    figures = report.figures()
    return figures[:1] + figures[-1:] if len(figures) > 1 else figures


def body_html(report: Report, cids: list[str]) -> str:
    e = lambda text: html.escape(str(text), quote=True)  # noqa: E731
    m = report.meta
    rows = "".join(
        f"<tr><td style=\"padding:4px 8px;border-bottom:1px solid #ddd\">{e(k.label)}</td>"
        f"<td style=\"padding:4px 8px;border-bottom:1px solid #ddd;text-align:right;font-weight:bold\">{e(k.value)}</td>"
        f"<td style=\"padding:4px 8px;border-bottom:1px solid #ddd;color:#444\">{e(k.note)}</td></tr>"
        for k in report.key_figures)
    images = "".join(
        f"<p style=\"margin:16px 0 4px;font-weight:bold\">{e(f.caption)}</p>"
        f"<img src=\"cid:{cid[1:-1]}\" alt=\"{e(f.alt)}\" width=\"560\" "
        f"style=\"max-width:100%;height:auto;background:#ffffff;display:block\">"
        f"<p style=\"margin:2px 0;font-size:12px;color:#444\">{e(f.unit)}. {e(f.source)}.</p>"
        for f, cid in zip(_charts(report), cids))
    draft = "<p style=\"font-weight:bold\">(Bản dự thảo)</p>" if m.draft else ""
    return (
        "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head>"
        "<body style=\"margin:0;background:#ffffff;color:#111111\">"
        "<div style=\"max-width:640px;margin:0 auto;padding:12px;font-family:'Times New Roman',Tinos,serif;"
        "font-size:16px;line-height:1.45;background:#ffffff\">"
        f"<p style=\"margin:0\">{e(m.issuer)}</p>"
        f"<h1 style=\"font-size:18px;margin:8px 0\">{e(m.doc_type)} {e(m.title)}</h1>{draft}"
        f"<p>{e(m.unit_name)}, số liệu đến {e(fmt_date(m.data_as_of))}. Số liệu chính:</p>"
        f"<table style=\"border-collapse:collapse;width:100%;font-size:15px\">{rows}</table>{images}"
        "<p style=\"margin-top:16px\">Toàn văn báo cáo ở tệp đính kèm: bản HTML (mở bằng trình duyệt, đọc được trên "
        "điện thoại) và bản PDF (để in, ký).</p></div></body></html>"
    )


def body_text(report: Report) -> str:
    m = report.meta
    lines = [m.issuer, f"{m.doc_type} {m.title}", "(Bản dự thảo)" if m.draft else "",
             f"{m.unit_name}, số liệu đến {fmt_date(m.data_as_of)}.", "", "Số liệu chính:"]
    lines += [f"- {k.label}: {k.value} ({k.note})" if k.note else f"- {k.label}: {k.value}" for k in report.key_figures]
    lines += ["", "Toàn văn báo cáo ở tệp đính kèm: bản HTML (mở bằng trình duyệt) và bản PDF (để in, ký)."]
    return "\n".join(line for line in lines if line is not None) + "\n"


def build_message(report: Report, html_report: bytes, pdf: bytes, *, html_name: str, pdf_name: str) -> EmailMessage:
    message = EmailMessage(policy=SMTP)
    message["Subject"] = subject(report)
    message["X-Report-Unit"] = one_line(report.meta.unit_code)
    message.set_content(body_text(report))
    charts = _charts(report)
    cids = [make_msgid(domain="bao-cao.local") for _ in charts]
    body = body_html(report, cids)
    if len(body.encode("utf-8")) > BODY_LIMIT:
        raise UsageError("phần nội dung HTML của thư vượt 100 KB")
    message.add_alternative(body, subtype="html")
    related = message.get_payload()[1]
    for figure, cid in zip(charts, cids):
        related.add_related(figure.png, maintype="image", subtype="png", cid=cid, filename=f"hinh-{figure.number}.png")
    message.add_attachment(html_report, maintype="text", subtype="html", filename=html_name)
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_name)
    return message


def write_eml(report: Report, path: Path, artifacts: Mapping[str, Path]) -> None:
    try:
        html_path, pdf_path = Path(artifacts["html"]), Path(artifacts["pdf"])
    except KeyError:
        raise UsageError("thư (.eml) cần bản HTML và PDF của cùng lần chạy") from None
    message = build_message(report, html_path.read_bytes(), pdf_path.read_bytes(),
                            html_name=html_path.name, pdf_name=pdf_path.name)
    data = message.as_bytes()
    if len(data) > WARN_BYTES:
        print(f"Cảnh báo: thư {Path(path).name} nặng {fmt_number(len(data) / 2**20, 1)} MB, vượt 18 MB; nhiều dịch vụ "
              "thư từ chối thư trên 20–25 MB.", file=sys.stderr)
    Path(path).write_bytes(data)


def attachments(message: EmailMessage) -> dict[str, bytes]:
    """Attached files by name (for checks and for `send`)."""
    return {part.get_filename(): part.get_payload(decode=True) for part in message.iter_attachments()}


_ADDRESS = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


def valid_address(address: str) -> bool:
    return bool(_ADDRESS.match(address))
