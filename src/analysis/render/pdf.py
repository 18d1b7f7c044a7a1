"""The print-ready PDF: the report's HTML laid out by WeasyPrint on A4 with the package's font.

The font (Liberation Serif 2.x, SIL OFL, shipped in src/analysis/fonts/) is given to WeasyPrint
under a family name of its own, so a system copy of Liberation Serif 1.07, which lacks most
precomposed Vietnamese letters, can never stand in for it. Before rendering, every character
of the document is checked against the font: a missing glyph stops the run with a clear
message instead of printing a box.
"""

from __future__ import annotations

import html as html_module
import logging
import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from analysis import config
from analysis.errors import RenderError
from analysis.render.html import render_document
from analysis.render.templates import render
from analysis.report.document import Report

FAMILY = "BaoCao Serif"
FACES = {
    ("normal", "normal"): "LiberationSerif-Regular.ttf",
    ("bold", "normal"): "LiberationSerif-Bold.ttf",
    ("normal", "italic"): "LiberationSerif-Italic.ttf",
    ("bold", "italic"): "LiberationSerif-BoldItalic.ttf",
}
_TAGS = re.compile(r"<(script|style|svg)\b.*?</\1>|<[^>]+>", re.S | re.I)


def pdf_css() -> str:
    faces = "".join(
        f'@font-face {{ font-family: "{FAMILY}"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{(config.FONTS_DIR / name).as_uri()}"); }}\n'
        for (weight, style), name in FACES.items()
    )
    # !important in a user stylesheet (_stylesheet): the HTML's own font stack never wins for the PDF.
    return faces + f'html, body, body * {{ font-family: "{FAMILY}" !important; }}\n'



@lru_cache(maxsize=4)
def _font_characters(name: str) -> frozenset[int]:
    with TTFont(config.FONTS_DIR / name, lazy=True) as font:
        return frozenset(font.getBestCmap())


def missing_glyphs(text: str) -> dict[str, str]:
    """Characters of `text` that some face of the font cannot draw: {character: context}."""
    covered = frozenset.intersection(*(_font_characters(name) for name in FACES.values()))
    missing: dict[str, str] = {}
    for match in re.finditer(r"\S", unicodedata.normalize("NFC", text)):
        char = match.group(0)
        if ord(char) not in covered and char not in missing:
            start = max(0, match.start() - 30)
            missing[char] = text[start:match.end() + 30].replace("\n", " ")
    return missing


_WARM_UP_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8//8/AwMDEwMDAwMDAwAkBgMB/DXemwAAAABJRU5ErkJggg=="  # 2 x 2 white, RGB


def warm_up() -> None:
    """Import WeasyPrint, read the font tables and lay out a small page with the package's fonts
    now: a worker does this while the report is validated and built, so that the report's own
    layout starts warm."""
    # The report's figures unpickle through the charts module (Figure.redraw): import it while waiting.
    import analysis.report.charts  # noqa: F401, PLC0415  (lazy: only a PDF worker needs it, and only here)

    for name in FACES.values():
        _font_characters(name)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    HTML(string=render("pdf_warm_up.html.j2", png=_WARM_UP_PNG)).write_pdf(stylesheets=[_stylesheet()],
                                                                          font_config=_fonts())


@lru_cache(maxsize=1)
def _fonts() -> FontConfiguration:
    """One font configuration per process: the worker's warm-up loads the faces the report then uses."""
    return FontConfiguration()


@lru_cache(maxsize=1)
def _stylesheet() -> CSS:
    """pdf_css as the PDF's own stylesheet, given to WeasyPrint beside the page (the HTML is not edited)."""
    return CSS(string=pdf_css(), font_config=_fonts())


def visible_text(page: str) -> str:
    return html_module.unescape(_TAGS.sub(" ", page))


def check_glyphs(page: str) -> None:
    missing = missing_glyphs(visible_text(page))
    if missing:
        listed = "; ".join(f"“{c}” (U+{ord(c):04X}) trong “…{context}…”" for c, context in missing.items())
        raise RenderError(
            f"phông chữ của bản PDF ({FACES[('normal', 'normal')]}) không có {len(missing)} ký tự: {listed}. "
            "Sửa ký tự đó trong biểu hoặc tệp nhận định (thường do gõ nhầm bảng mã), rồi chạy lại."
        )


def html_to_pdf(page: str, path: Path) -> None:
    """Lay out `page` (the report's HTML) as a PDF at `path`."""
    check_glyphs(page)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    HTML(string=page, base_url=str(config.ROOT)).write_pdf(str(path), stylesheets=[_stylesheet()], font_config=_fonts(),
                                                           finisher=_no_software_name)


def _no_software_name(document, pdf) -> None:
    """The signed report names no software: WeasyPrint writes its name as the PDF's Producer."""
    pdf.info.pop("Producer", None)


def write_pdf(report: Report, path: Path, artifacts: Mapping[str, Path] | None = None) -> None:
    """The PDF of the same HTML as the report's HTML file when there is one in this run."""
    if artifacts and "html" in artifacts:
        page = Path(artifacts["html"]).read_text(encoding="utf-8")
    else:
        page = render_document(report)
    html_to_pdf(page, Path(path))
