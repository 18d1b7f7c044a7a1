import os

from analysis.terminal import visible, xml_safe


def test_control_characters_are_written_out_not_executed():
    assert visible("Đang\x1b[2J duy trì\x07") == "Đang\\x1b[2J duy trì\\x07"
    assert visible("a\r\nb\tc\x9b") == "a\\x0d\\x0ab\\x09c\\x9b"
    assert visible("tên\u202eexe.txt") == "tên\\u202eexe.txt"  # a right-to-left override
    assert visible("dòng 1\ndòng 2\x1b", keep_newlines=True) == "dòng 1\ndòng 2\\x1b"
    assert visible("Xã Ia Chim — 12.291 hộ") == "Xã Ia Chim — 12.291 hộ"


def test_bytes_of_a_non_utf8_file_name_are_shown_as_bytes():
    name = os.fsdecode(b"Bieu02_M\xf4Hinh.csv")
    assert visible(name) == "Bieu02_M\\xf4Hinh.csv"
    assert visible(name).encode("utf-8")  # printable on any UTF-8 terminal


def test_xml_safe_keeps_tab_and_newline_and_writes_out_the_rest():
    assert xml_safe("a\tb\nc\x1b\x00d") == "a\tb\nc\\x1b\\x00d"


def test_every_writer_takes_a_report_whose_cells_hold_control_characters(tmp_path, monkeypatch):
    import dataclasses

    from pypdf import PdfReader
    from report_fixture import make_report

    from analysis.render.docx import write_docx
    from analysis.render.html import write_html
    from analysis.render.pdf import write_pdf
    from analysis.render.xlsx import write_xlsx
    from analysis.terminal import made_visible

    report = make_report()
    hostile = "Xã \x1b[2J\x00Ia\u202e Chim\ud800\uffff"
    meta = dataclasses.replace(report.meta, unit_name=hostile, signer_name="Y \x1b]0;x\x07Hồng Hà")
    safe = made_visible(dataclasses.replace(report, meta=meta))
    assert safe.meta.unit_name == "Xã \\x1b[2J\\x00Ia\\u202e Chim\\ud800\\uffff"
    assert safe.sections == report.sections  # ordinary text (markup, formulas included) unchanged
    for name, write in (("html", write_html), ("docx", write_docx), ("xlsx", write_xlsx), ("pdf", write_pdf)):
        write(safe, tmp_path / f"r.{name}", {})
    assert "Y \\x1b]0;x\\x07Hồng Hà" in (tmp_path / "r.html").read_text(encoding="utf-8")
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "r.pdf").pages)
    assert "\\x1b]0;x\\x07" in text
