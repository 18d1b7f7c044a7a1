"""A ready-to-send email (.eml) of the report: a short HTML body with a greeting, the key figures
with their counts and two small charts (inline CID images inside multipart/related), a plain-text
alternative, and the full HTML report and the PDF attached byte for byte.

It is a draft a clerk opens, checks and sends: `X-Unsent: 1` makes Outlook open it as a message
to send, not as one received; there is no Date, and a From only when one is configured
(mail.yaml or ANALYSIS_SMTP_FROM), so the mail client fills in its own. The subject is short
(at most SUBJECT_LIMIT characters) and starts with "[DỰ THẢO]" for a draft. `python -m analysis
send` sends it as it is.

A version that corrects an issued report (`Report.amendment`, analysis.archive.revision) is
marked so: its subject reads "Bản sửa đổi, bổ sung Báo cáo số 127-BC/TU (…) – …", and its body
says which issued report it replaces and lists what differs (each changed figure, issued and new
value and the difference, with the form cells changed since; the changed sentences).
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Mapping
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from analysis.render.templates import render
from analysis.report.changes import SentenceChange
from analysis.report.comparison import word_diff
from analysis.report.document import Report
from analysis.errors import UsageError
from analysis.formatting import fmt_date, fmt_number

WARN_BYTES = 18 * 1024 * 1024  # mail services stop at 20-25 MB; base64 adds a third
BODY_LIMIT = 100 * 1024  # webmail clips longer HTML bodies
SUBJECT_LIMIT = 100  # characters; longer subjects are cut in mail lists and phone notifications
DRAFT_MARK = "[DỰ THẢO]"
AMENDED = "Bản sửa đổi, bổ sung"
LISTED = 15  # changed figures (and sentences) the body lists; the companion file lists them all


def one_line(text: str) -> str:
    """Header text: no line breaks, whatever a form contained."""
    return " ".join(str(text).split())


def _sentence_start(text: str) -> str:
    """"Tổng kết 5 năm ..." inside a sentence after "Báo cáo": "tổng kết 5 năm ..."."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return cut + "…"


def in_text(name: str) -> str:
    """A unit's name inside a sentence: "Thành phố X" -> "thành phố X", "Xã Ia Chim" -> "xã Ia Chim"."""
    return name[:1].lower() + name[1:]


def subject(report: Report) -> str:
    """"[DỰ THẢO] Báo cáo <review> thực hiện Cuộc vận động (<start>–<end>) – <unit>": the
    title up to the campaign's quoted name, the period and the unit, at most SUBJECT_LIMIT characters."""
    m = report.meta
    start, end = m.period
    prefix = f"{DRAFT_MARK} " if m.draft else ""
    short_title = one_line(m.title).split("“")[0].split('"')[0].strip(" ,:")
    tail = " " + one_line(f"({start}–{end}) – {m.unit_name}")
    head = one_line(f"{m.doc_type.capitalize()} {_sentence_start(short_title)}")
    if report.amendment is not None:  # the issued number says which report; the title would not fit
        head = one_line(f"{AMENDED} {report.amendment.replaced}")
    room = SUBJECT_LIMIT - len(prefix) - len(tail)
    if room < 20:  # an unusually long unit name: shorten the whole line instead
        return _shorten(prefix + head + tail, SUBJECT_LIMIT)
    if len(head) > room:
        # never "… Cuộc vận…": first drop the whole "thực hiện …" phrase ("Báo cáo tổng kết 5 năm")
        review_only = head.split(" thực hiện ")[0].strip(" ,:")
        head = review_only if len(review_only) < len(head) else head
    return prefix + _shorten(head, room) + tail


def _charts(report: Report) -> list[tuple[str, bytes, object]]:
    """The two charts of the body, (caption numbered in the body's own order, PNG, figure): the
    phone-width variant where the chart has one (mail apps ignore <picture>: the desktop image
    shrunk to a phone's width had labels of about 5 px)."""
    figures = report.figures()
    chosen = figures[:1] + figures[-1:] if len(figures) > 1 else figures
    return [(f"Hình {i}. {figure.title}", figure.png_narrow or figure.png, figure)
            for i, figure in enumerate(chosen, start=1)]


def _greeting(report: Report) -> tuple[str, str]:
    m = report.meta
    what = f"{m.doc_type.capitalize()} {_sentence_start(one_line(m.title))}"
    amendment = report.amendment
    if amendment is not None:
        about = f"({in_text(m.unit_name)}; số liệu đến {fmt_date(m.data_as_of)})"
        if m.draft:
            return "Kính gửi các đồng chí,", (f"Xin gửi các đồng chí dự thảo bản sửa đổi, bổ sung {amendment.reference} "
                                              f"về {_sentence_start(one_line(m.title))} {about} để xem và cho ý kiến.")
        number = f" ({one_line(m.number)})" if m.number.strip() else ""
        return "Kính gửi các đồng chí,", (f"Xin gửi các đồng chí {what}{number} {about}, sửa đổi, bổ sung và thay thế "
                                          f"{amendment.reference}.")
    if m.draft:
        text = (f"Xin gửi các đồng chí dự thảo {what} ({in_text(m.unit_name)}; số liệu đến {fmt_date(m.data_as_of)}) "
                "để xem và cho ý kiến.")
    else:
        number = f" ({one_line(m.number)})" if m.number.strip() else ""
        text = f"Xin gửi các đồng chí {what}{number} ({in_text(m.unit_name)}; số liệu đến {fmt_date(m.data_as_of)})."
    return "Kính gửi các đồng chí,", text


def _figure_value(k) -> str:
    return f"{k.value} ({k.count})" if k.count else k.value


# A line of the changes: its lead text, and the sentence it quotes (side "now" or "then") or None.
Line = tuple[str, SentenceChange | None, str]


def _changes(report: Report) -> list[tuple[Line, list[Line]]]:
    """What the corrected version changes, as (line, sub-lines) for the body: each changed figure
    (where, issued → new, difference) with the form cells changed since; then the sentences."""
    amendment = report.amendment
    if amendment is None:
        return []
    comparison = amendment.comparison
    out: list[tuple[Line, list[Line]]] = []
    for change in comparison.figures[:LISTED]:
        difference = f" ({change.difference})" if change.difference else ""
        out.append(((f"{change.place}: {change.then} → {change.now}{difference}", None, ""),
                    [(f"ô đã sửa: {cell.text}", None, "") for cell in change.cells]))
    if len(comparison.figures) > LISTED:
        out.append(((f"… và {len(comparison.figures) - LISTED} số liệu khác.", None, ""), []))
    if not comparison.figures:
        out.append((("Các số liệu không thay đổi; sửa đổi, bổ sung câu chữ:", None, ""), []))
    for sentence in comparison.sentences[:LISTED]:
        if sentence.then and sentence.now:
            out.append(((f"Câu ở {sentence.place}, nay là: ", sentence, "now"), [("trước đây: ", sentence, "then")]))
        elif sentence.now:
            out.append(((f"Câu mới ở {sentence.place}: ", sentence, "now"), []))
        else:
            out.append(((f"Bỏ câu ở {sentence.place}: ", sentence, "then"), []))
    if len(comparison.sentences) > LISTED:
        out.append(((f"… và {len(comparison.sentences) - LISTED} câu khác.", None, ""), []))
    return out


def _plain(line: Line) -> str:
    lead, sentence, side = line
    return lead + (f"“{getattr(sentence, side)}”" if sentence is not None else "")


# A run of text in the body, and whether it is bold.
Run = tuple[str, bool]


def _runs(line: Line) -> list[Run]:
    """A line as runs of text; the words a changed sentence gained (or lost) in bold."""
    lead, sentence, side = line
    if sentence is None:
        return [(lead, False)]
    if not (sentence.then and sentence.now):
        return [(_plain(line), False)]
    keep = "new" if side == "now" else "gone"
    shown = [(text, kind == keep) for kind, text in word_diff(sentence.then, sentence.now) if kind in ("same", keep)]
    runs: list[Run] = [(f"{lead}“", False)]
    for index, run in enumerate(shown):
        runs += [(" ", False), run] if index else [run]
    return [*runs, ("”", False)]


def _changes_title(report: Report) -> str:
    amendment = report.amendment
    return "" if amendment is None else f"Những điểm sửa đổi, bổ sung so với {amendment.reference}:"


ATTACHED = ("Toàn văn báo cáo ở tệp đính kèm: bản HTML (mở bằng trình duyệt, đọc được trên điện thoại) và "
            "bản PDF (để in, ký).")


def body_html(report: Report, cids: list[str], signature: tuple[str, ...] = ()) -> str:
    """The HTML body (templates/html/email.html.j2), its charts referring to the message's inline images."""
    m = report.meta
    greeting, intro = _greeting(report)
    amendment = report.amendment
    changes = [(_runs(line), [_runs(sub) for sub in subs]) for line, subs in _changes(report)]
    return render("email.html.j2", draft=m.draft, greeting=greeting, intro=intro, unit=in_text(m.unit_name),
                  year=m.period[1], key_figures=report.key_figures,
                  amended=AMENDED.upper() if amendment is not None else "",
                  replaces=amendment.reference if amendment is not None else "",
                  changes_title=_changes_title(report), changes=changes,
                  charts=[(caption, figure, cid[1:-1]) for (caption, _, figure), cid in zip(_charts(report), cids)],
                  attached=ATTACHED, signature=signature)


def body_text(report: Report, signature: tuple[str, ...] = ()) -> str:
    m = report.meta
    greeting, intro = _greeting(report)
    lines = (["DỰ THẢO", ""] if m.draft else [])
    if report.amendment is not None:
        lines += [AMENDED.upper(), f"Thay thế {report.amendment.reference} đã ban hành.", ""]
    lines += [greeting, "", intro, ""]
    changes = _changes(report)
    if changes:
        lines += [_changes_title(report)]
        for line, subs in changes:
            lines += [f"- {_plain(line)}", *(f"    {_plain(sub)}" for sub in subs)]
        lines.append("")
    lines += [f"Số liệu chính ({in_text(m.unit_name)}, năm {m.period[1]}):"]
    lines += [f"- {k.label}: {_figure_value(k)}" + (f"; {k.note}" if k.note else "") for k in report.key_figures]
    lines += ["", ATTACHED, "", "Trân trọng.", *([""] + list(signature) if signature else [])]
    return "\n".join(lines) + "\n"


def build_message(report: Report, html_report: bytes, pdf: bytes, *, html_name: str, pdf_name: str,
                  sender: str = "", signature: tuple[str, ...] = ()) -> EmailMessage:
    message = EmailMessage(policy=SMTP)
    if sender:
        message["From"] = one_line(sender)
    message["Subject"] = subject(report)
    message["X-Unsent"] = "1"  # Outlook opens it as a draft to send
    message["X-Report-Unit"] = one_line(report.meta.unit_code)
    message.set_content(body_text(report, signature))
    charts = _charts(report)
    # named by their content (not random): the same report makes the same message (analysis.publish.cutoff)
    cids = [f"<hinh-{number}.{hashlib.sha256(png).hexdigest()[:24]}@bao-cao.local>"
            for number, (_, png, _) in enumerate(charts, start=1)]
    body = body_html(report, cids, signature)
    if len(body.encode("utf-8")) > BODY_LIMIT:
        raise UsageError("phần nội dung HTML của thư vượt 100 KB")
    message.add_alternative(body, subtype="html")
    related = next(part for part in message.iter_parts() if part.get_content_type() == "text/html")
    for number, ((_, png, _), cid) in enumerate(zip(charts, cids), start=1):
        related.add_related(png, maintype="image", subtype="png", cid=cid, disposition="inline",
                            filename=f"hinh-{number}.png")
    message.add_attachment(html_report, maintype="text", subtype="html", filename=html_name)
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_name)
    _fixed_boundaries(message)
    return message


def _fixed_boundaries(message: EmailMessage) -> None:
    """Each multipart's boundary made from the message's content instead of a random number: the
    same report is the same bytes. A SHA-256 of the parts cannot occur inside them."""
    seed = hashlib.sha256()
    for part in message.walk():
        if not part.is_multipart():
            seed.update(part.as_bytes())
    for number, part in enumerate(p for p in message.walk() if p.is_multipart()):
        part.set_boundary(f"=_bao-cao-{number}-{seed.hexdigest()[:32]}")


def write_eml(report: Report, path: Path, artifacts: Mapping[str, Path], *, sender: str = "",
              signature: tuple[str, ...] = ()) -> None:
    """The message with the HTML and PDF of the same run attached; From is `sender` when one is
    configured (the application reads the mail settings: analysis.mail.configured_sender), and the
    signature block's lines under the body when one is (analysis.mail.configured_signature)."""
    try:
        html_path, pdf_path = Path(artifacts["html"]), Path(artifacts["pdf"])
    except KeyError:
        raise UsageError("thư (.eml) cần bản HTML và PDF của cùng lần chạy") from None
    message = build_message(report, html_path.read_bytes(), pdf_path.read_bytes(),
                            html_name=html_path.name, pdf_name=pdf_path.name, sender=sender, signature=signature)
    data = message.as_bytes()
    if len(data) > WARN_BYTES:
        print(f"Cảnh báo: thư {Path(path).name} nặng {fmt_number(len(data) / 2**20, 1)} MB, vượt 18 MB; nhiều dịch vụ "
              "thư từ chối thư trên 20–25 MB.", file=sys.stderr)
    Path(path).write_bytes(data)


def attachments(message: EmailMessage) -> dict[str, bytes]:
    """Attached files by name (for checks and for `send`)."""
    found = {}
    for part in message.iter_attachments():
        name, data = part.get_filename(), part.get_payload(decode=True)
        if name and isinstance(data, bytes):
            found[name] = data
    return found
