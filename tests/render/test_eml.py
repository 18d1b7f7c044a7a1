from dataclasses import replace
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from report_fixture import make_report

from analysis import mail
from analysis.publish import formats
from analysis.render.eml import attachments, subject, write_eml


@pytest.fixture(autouse=True)
def no_mail_settings(monkeypatch, tmp_path):
    """No mail.yaml and no ANALYSIS_SMTP_* variables unless a test sets them."""
    monkeypatch.setattr(mail, "DEFAULT_CONFIG", tmp_path / "mail.yaml")
    for name in ("FROM", "USER"):
        monkeypatch.delenv(f"ANALYSIS_SMTP_{name}", raising=False)


def _write(tmp_path: Path, report=None, writer=write_eml):
    html, pdf = tmp_path / "bao-cao.html", tmp_path / "bao-cao.pdf"
    html.write_bytes("<html><body>Báo cáo</body></html>".encode())
    pdf.write_bytes(b"%PDF-1.7 test \x00\xff")
    writer(report or make_report(), tmp_path / "thu.eml", {"html": html, "pdf": pdf})
    return BytesParser(policy=policy.default).parsebytes((tmp_path / "thu.eml").read_bytes()), html, pdf


def test_message_is_a_draft_to_send_without_date_or_sender(tmp_path: Path):
    message, _, _ = _write(tmp_path)
    assert message["X-Unsent"] == "1"
    assert message["Date"] is None and message["From"] is None and message["To"] is None


def test_configured_sender_becomes_the_from_header(tmp_path: Path, monkeypatch):
    (tmp_path / "mail.yaml").write_text("from: vanphong@example.vn\n", encoding="utf-8")
    message, _, _ = _write(tmp_path, writer=formats.write_eml)  # the report command's writer reads the settings
    assert message["From"] == "vanphong@example.vn" and message["Date"] is None


def test_subject_is_short_and_marks_a_draft(tmp_path: Path):
    message, _, _ = _write(tmp_path)
    expected = "[DỰ THẢO] Báo cáo sơ kết 2 năm thực hiện Cuộc vận động (2021–2023) – Thành phố Kon Tum"
    assert message["Subject"] == expected and len(expected) == 86
    final = make_report(draft=False)
    assert subject(final) == "Báo cáo sơ kết 2 năm thực hiện Cuộc vận động (2021–2023) – Thành phố Kon Tum"
    long_title = replace(final, meta=replace(final.meta, title="Sơ kết " + "rất dài " * 30))
    assert len(subject(long_title)) <= 100 and subject(long_title).endswith("… (2021–2023) – Thành phố Kon Tum")


def test_a_subject_too_long_for_the_campaign_drops_the_whole_phrase_never_half_a_word():
    # 10 ("[DỰ THẢO] ") + 15 (" (2021–2023) – ") + 48 (the name) leave 27 characters: too few for
    # "Báo cáo sơ kết 2 năm thực hiện Cuộc vận động" (44), enough for "Báo cáo sơ kết 2 năm" (20).
    report = make_report()
    name = "Địa bàn thành phố Kon Tum trước sắp xếp năm 2025"
    assert len(name) == 48
    long_name = replace(report, meta=replace(report.meta, unit_name=name))
    assert subject(long_name) == ("[DỰ THẢO] Báo cáo sơ kết 2 năm (2021–2023) – "
                                  "Địa bàn thành phố Kon Tum trước sắp xếp năm 2025")
    assert "…" not in subject(long_name)


def test_body_greets_and_gives_the_key_figures_with_their_counts(tmp_path: Path):
    message, _, _ = _write(tmp_path)
    plain = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert plain.startswith("DỰ THẢO\n\nKính gửi các đồng chí,\n")
    assert "Hộ thay đổi nếp nghĩ, cách làm: 98,8% (12.145 hộ); +48,1 điểm phần trăm so với năm 2021" in plain
    assert "số liệu đến ngày 15 tháng 6 năm 2023" in plain
    body = message.get_body(("html",)).get_content()
    assert "Kính gửi các đồng chí," in body and "12.145 hộ" in body and "98,8%" in body
    assert "<script" not in body and len(body.encode()) < 100 * 1024


def test_charts_are_inline_parts_of_the_html_and_attachments_are_byte_identical(tmp_path: Path):
    message, html, pdf = _write(tmp_path)
    report = make_report()
    body = message.get_body(("html",)).get_content()
    related = next(p for p in message.walk() if p.get_content_type() == "multipart/related")
    images = [p for p in related.iter_parts() if p.get_content_type() == "image/png"]
    assert len(images) == 1 and [p for p in message.walk() if p.get_content_type() == "image/png"] == images
    assert images[0].get_content_disposition() == "inline"
    assert f"cid:{images[0]['Content-ID'][1:-1]}" in body
    assert images[0].get_payload(decode=True) == report.figures()[0].png
    assert attachments(message) == {"bao-cao.html": html.read_bytes(), "bao-cao.pdf": pdf.read_bytes()}


def test_form_text_cannot_break_the_subject_line(tmp_path: Path):
    report = make_report()
    report = replace(report, meta=replace(report.meta, unit_name="Xã A\r\nBcc: ke-xau@example.invalid"))
    message, _, _ = _write(tmp_path, report)
    assert message["Bcc"] is None
    assert "Xã A Bcc: ke-xau@example.invalid" in message["Subject"]


def _amended(report, *, figures=True):
    from analysis.report.changes import Amendment, CellChange, Comparison, FigureChange, SentenceChange

    cell = CellChange("Bieu01_2023.xlsx", "Biểu 01", "L24", "76", '<b>86</b> =SUM(A1)', "23326", "Xã Ia Chim", 2023,
                      "số hộ tham gia tổ hợp tác, hợp tác xã", feeds=True)
    changes = (FigureChange("Bảng 1: Xã Ia Chim, Tham gia (hộ)", "Bảng 1, dòng Xã Ia Chim, cột Tham gia (hộ)", "76",
                            "86", "tăng 10", (cell,)),) if figures else ()
    sentence = SentenceChange("Mục II › 4. Tham gia tổ hợp tác, đoạn 1", "Có 551 hộ, chiếm 4,5% số hộ.",
                              "Có 561 hộ, chiếm 4,6% số hộ.", (cell,))
    comparison = Comparison("Báo cáo số 127-BC/TU ngày 23/6/2023", "Bản này", changes, (sentence,), cells=(cell,),
                            compared=600)
    return replace(report, amendment=Amendment("Số 127-BC/TU", "23/6/2023", comparison))


def test_a_corrected_version_is_marked_in_its_subject_and_body_and_lists_the_changes(tmp_path: Path):
    message, _, _ = _write(tmp_path, _amended(make_report()))
    assert message["Subject"] == "[DỰ THẢO] Bản sửa đổi, bổ sung Báo cáo số 127-BC/TU (2021–2023) – Thành phố Kon Tum"
    assert subject(_amended(make_report(draft=False))) == ("Bản sửa đổi, bổ sung Báo cáo số 127-BC/TU (2021–2023) – "
                                                           "Thành phố Kon Tum")
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "BẢN SỬA ĐỔI, BỔ SUNG\nThay thế Báo cáo số 127-BC/TU ngày 23/6/2023 đã ban hành." in text
    assert ("Những điểm sửa đổi, bổ sung so với Báo cáo số 127-BC/TU ngày 23/6/2023:\n"
            "- Bảng 1, dòng Xã Ia Chim, cột Tham gia (hộ): 76 → 86 (tăng 10)\n"
            "    ô đã sửa: Bieu01_2023.xlsx › Biểu 01 › ô L24: 76 → <b>86</b> =SUM(A1)\n"
            "- Câu ở Mục II › 4. Tham gia tổ hợp tác, đoạn 1, nay là: “Có 561 hộ, chiếm 4,6% số hộ.”\n"
            "    trước đây: “Có 551 hộ, chiếm 4,5% số hộ.”\n") in text
    html = message.get_body(("html",)).get_content()
    assert "&lt;b&gt;86&lt;/b&gt; =SUM(A1)" in html and "<b>86</b>" not in html  # a cell is text, never markup
    assert "nay là: “Có <b>561</b> hộ, chiếm <b>4,6%</b> số hộ.”" in html
    assert "trước đây: “Có <b>551</b> hộ, chiếm <b>4,5%</b> số hộ.”" in html


def test_a_wording_change_alone_says_no_figure_changed(tmp_path: Path):
    message, _, _ = _write(tmp_path, _amended(make_report(), figures=False))
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "- Các số liệu không thay đổi; sửa đổi, bổ sung câu chữ:\n- Câu ở Mục II" in text


def test_the_body_shows_the_phone_width_charts_numbered_in_order(tmp_path: Path):
    from analysis.report.document import Figure

    report = make_report()
    first = report.figures()[0]
    later = replace(first, number=4, title="Mô hình theo năm xây dựng", png=b"\x89PNG wide", png_narrow=b"\x89PNG narrow")
    first = replace(first, png_narrow=b"\x89PNG first narrow")
    section = report.sections[0]
    blocks = [b for b in section.blocks if not isinstance(b, Figure)] + [first, later]
    report = replace(report, sections=(replace(section, blocks=tuple(blocks)), *report.sections[1:]))
    message, _, _ = _write(tmp_path, report)
    images = [p for p in message.walk() if p.get_content_type() == "image/png"]
    assert [p.get_payload(decode=True) for p in images] == [b"\x89PNG first narrow", b"\x89PNG narrow"]
    assert [p.get_filename() for p in images] == ["hinh-1.png", "hinh-2.png"]
    body = message.get_body(("html",)).get_content()
    assert f"Hình 1. {first.title}" in body and "Hình 2. Mô hình theo năm xây dựng" in body and "Hình 4" not in body


def test_a_configured_signature_block_closes_the_body(tmp_path: Path):
    (tmp_path / "mail.yaml").write_text('signature:\n  name: Nguyễn Văn <b>A</b>\n  office: Văn phòng Thành ủy\n'
                                        '  phone: "0260 3 862 000"\n', encoding="utf-8")
    message, _, _ = _write(tmp_path, writer=formats.write_eml)
    plain = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert plain.endswith("Trân trọng.\n\nNguyễn Văn <b>A</b>\nVăn phòng Thành ủy\nĐiện thoại: 0260 3 862 000\n")
    body = message.get_body(("html",)).get_content()
    assert "<b>Nguyễn Văn &lt;b&gt;A&lt;/b&gt;</b><br>Văn phòng Thành ủy<br>Điện thoại: 0260 3 862 000" in body


def test_without_a_signature_the_body_ends_with_the_closing(tmp_path: Path):
    message, _, _ = _write(tmp_path, writer=formats.write_eml)
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n").endswith("Trân trọng.\n")
