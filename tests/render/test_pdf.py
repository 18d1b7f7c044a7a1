from pathlib import Path

import pytest
from pypdf import PdfReader
from report_fixture import make_report

from analysis.errors import RenderError
from analysis.render.html import render_document
from analysis.render.pdf import check_glyphs, html_to_pdf, missing_glyphs


def test_a_character_the_font_lacks_stops_the_render_with_its_context():
    assert missing_glyphs("đồng bào dân tộc thiểu số Ngọk Bay Đắk Rơ Wa") == {}
    with pytest.raises(RenderError) as error:
        check_glyphs("<p>Xã Ia Chim ก</p>")
    assert "U+0E01" in str(error.value) and "Xã Ia Chim" in str(error.value)


def test_pdf_is_a4_with_embedded_fonts_and_extractable_vietnamese(tmp_path: Path):
    path = tmp_path / "report.pdf"
    html_to_pdf(render_document(make_report()), path)
    reader = PdfReader(path)
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor  # embedded
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert fonts and all(name.startswith("BaoCao-Serif") for name in fonts)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Toàn thành phố có 12.291 hộ đồng bào dân tộc thiểu số" in " ".join(text.split())


def test_the_pdf_names_no_software_in_its_properties(tmp_path: Path):
    path = tmp_path / "report.pdf"
    html_to_pdf(render_document(make_report()), path)
    info = PdfReader(path).metadata or {}
    assert "/Producer" not in info and "/Creator" not in info
    assert not any("weasyprint" in str(value).lower() for value in info.values())
    assert "weasyprint" not in path.read_bytes().lower().decode("latin-1")
