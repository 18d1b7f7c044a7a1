from email import policy
from email.parser import BytesParser
from pathlib import Path

from report_fixture import make_report

from analysis.render.eml import attachments, write_eml


def test_message_has_body_alternatives_inline_charts_and_identical_attachments(tmp_path: Path):
    html, pdf = tmp_path / "bao-cao.html", tmp_path / "bao-cao.pdf"
    html.write_bytes("<html><body>Báo cáo</body></html>".encode())
    pdf.write_bytes(b"%PDF-1.7 test \x00\xff")
    report = make_report()
    write_eml(report, tmp_path / "thu.eml", {"html": html, "pdf": pdf})
    message = BytesParser(policy=policy.default).parsebytes((tmp_path / "thu.eml").read_bytes())
    assert message["Subject"].startswith("Báo cáo: Sơ kết 2 năm thực hiện Cuộc vận động")
    assert "(2021–2023) – Thành phố Kon Tum" in message["Subject"]
    plain = message.get_body(("plain",)).get_content()
    assert "Hộ thay đổi nếp nghĩ, cách làm: 98,8% (+48,1 điểm phần trăm so với năm 2021)" in plain
    body = message.get_body(("html",)).get_content()
    assert "<script" not in body and len(body.encode()) < 100 * 1024
    related = [p for p in message.walk() if p.get_content_type() == "image/png"]
    assert len(related) == 1 and f"cid:{related[0]['Content-ID'][1:-1]}" in body
    assert related[0].get_payload(decode=True) == report.figures()[0].png
    assert attachments(message) == {"bao-cao.html": html.read_bytes(), "bao-cao.pdf": pdf.read_bytes()}


def test_form_text_cannot_break_the_subject_line(tmp_path: Path):
    from dataclasses import replace

    report = make_report()
    report = replace(report, meta=replace(report.meta, unit_name="Xã A\r\nBcc: ke-xau@example.invalid"))
    html, pdf = tmp_path / "a.html", tmp_path / "a.pdf"
    html.write_bytes(b"x")
    pdf.write_bytes(b"y")
    write_eml(report, tmp_path / "thu.eml", {"html": html, "pdf": pdf})
    message = BytesParser(policy=policy.default).parsebytes((tmp_path / "thu.eml").read_bytes())
    assert message["Bcc"] is None
    assert "Xã A Bcc: ke-xau@example.invalid" in message["Subject"]
