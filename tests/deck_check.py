"""Checks of a conference deck as its reader meets it, written apart from the writer.

A deck is opened with python-pptx (and as a zip of XML parts) and every text box is measured here,
with its own wrapping between words and the metrics of Times New Roman (analysis.render.textwidth,
the measure every Office writer of the project uses): a text frame's lines, at the sizes its runs
carry, must fit its shape (a table cell: its column and row) inside its insets. PowerPoint's single
line is 1,2 times the font size; nothing may rely on auto-fit.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import fields, is_dataclass

from pptx import Presentation
from pptx.oxml.ns import qn

from analysis.formatting import fmt_place_date
from analysis.render.textwidth import text_width_pt

EMU_PER_PT = 12700
LINE = 1.2
FONT = "Times New Roman"
NUMBER = re.compile(r"[−+]?\d+(?:[.,]\d+)*%?")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
ACTIVE = ("hlinkClick", "hlinkMouseOver", "hlinkHover", "oleObj", "control", "snd", "externalData", "embed ")


def open_deck(data: bytes):
    return Presentation(io.BytesIO(data))


def _pieces(paragraph) -> list[tuple[str, float | None, bool, bool]]:
    """(text, size, bold, italic) of each run and field of a paragraph."""
    out = []
    for element in paragraph._p:
        if element.tag not in (qn("a:r"), qn("a:fld")):
            continue
        properties = element.find(qn("a:rPr"))
        size = properties.get("sz") if properties is not None else None
        bold = properties is not None and properties.get("b") == "1"
        italic = properties is not None and properties.get("i") == "1"
        text = element.find(qn("a:t")).text or ""
        out.append((text, int(size) / 100 if size else None, bold, italic))
    return out


def _lines(pieces, width: float) -> tuple[int, float]:
    """Lines the pieces take in `width` points, wrapped at spaces, and the tallest size."""
    chars = [(char, size, bold, italic) for text, size, bold, italic in pieces for char in text]
    tallest = max((size for _, size, _, _ in pieces if size), default=0.0)
    words: list[tuple[float, float]] = []  # (word width, space width after it)
    word = space = 0.0
    for char, size, bold, italic in chars:
        advance = text_width_pt(char, size or tallest, bold=bold, italic=italic)
        if char.isspace():
            space += advance
        else:
            if space and (word or words):
                words.append((word, space))
                word = space = 0.0
            elif space:
                space = 0.0
            word += advance
    if word:
        words.append((word, space))
    lines, x = 1, 0.0
    for word_width, space_width in words:
        if x and x + word_width > width:
            lines, x = lines + 1, 0.0
        while word_width > width:  # a word wider than the line breaks where it must
            lines, word_width = lines + 1, word_width - width
        x += word_width + space_width
    return lines, tallest


def _insets(body_pr, default_x: float = 7.2, default_y: float = 3.6) -> tuple[float, float, float, float]:
    def inset(name: str, default: float) -> float:
        value = body_pr.get(name) if body_pr is not None else None
        return int(value) / EMU_PER_PT if value is not None else default

    return inset("lIns", default_x), inset("tIns", default_y), inset("rIns", default_x), inset("bIns", default_y)


def frame_height(frame, width: float, insets) -> float:
    """The height (points) a text frame's paragraphs take in a box `width` points wide."""
    left, top, right, bottom = insets
    total = top + bottom
    for paragraph in frame.paragraphs:
        properties = paragraph._p.find(qn("a:pPr"))
        margin = int(properties.get("marL", "0")) / EMU_PER_PT if properties is not None else 0.0
        before = properties.find(qn("a:spcBef") + "/" + qn("a:spcPts")) if properties is not None else None
        pieces = _pieces(paragraph)
        end = paragraph._p.find(qn("a:endParaRPr"))
        empty_size = int(end.get("sz")) / 100 if end is not None and end.get("sz") else 18.0
        lines, tallest = _lines(pieces, width - left - right - margin)
        total += (int(before.get("val")) / 100 if before is not None else 0.0) + lines * (tallest or empty_size) * LINE
    return total


def overflows(prs) -> list[str]:
    """Every text frame (text boxes, placeholders, table cells) whose measured text is taller than its
    box, and every shape outside the slide."""
    problems = []
    slide_w, slide_h = prs.slide_width / EMU_PER_PT, prs.slide_height / EMU_PER_PT
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            box = [v / EMU_PER_PT for v in (shape.left, shape.top, shape.width, shape.height)]
            if box[0] < -0.5 or box[1] < -0.5 or box[0] + box[2] > slide_w + 0.5 or box[1] + box[3] > slide_h + 0.5:
                problems.append(f"slide {number}: {shape.name} outside the slide {box}")
            if shape.has_text_frame and shape.text_frame.text.strip():
                frame = shape.text_frame
                if frame._bodyPr.get("wrap") == "none":
                    problems.append(f"slide {number}: {shape.name} does not wrap")
                if frame._bodyPr.find(qn("a:normAutofit")) is not None or frame._bodyPr.find(qn("a:spAutoFit")) is not None:
                    problems.append(f"slide {number}: {shape.name} relies on auto-fit")
                need = frame_height(frame, box[2], _insets(frame._bodyPr))
                if need > box[3] + 0.01:
                    problems.append(f"slide {number}: {shape.name} needs {need:.1f} pt, has {box[3]:.1f}: {frame.text[:60]!r}")
            if shape.has_table:
                problems += _table_overflows(number, shape)
    return problems


def _table_overflows(number: int, shape) -> list[str]:
    table = shape.table
    widths = [c.width / EMU_PER_PT for c in table.columns]
    heights = [r.height / EMU_PER_PT for r in table.rows]
    problems = []
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            if cell.is_spanned or not cell.text_frame.text.strip():
                continue
            width = sum(widths[c:c + cell.span_width])
            height = sum(heights[r:r + cell.span_height])
            tc_pr = cell._tc.tcPr
            insets = (cell.margin_left / EMU_PER_PT, cell.margin_top / EMU_PER_PT, cell.margin_right / EMU_PER_PT,
                      cell.margin_bottom / EMU_PER_PT) if tc_pr is not None else _insets(None, 7.2, 3.6)
            need = frame_height(cell.text_frame, width, insets)
            if need > height + 0.01:
                problems.append(f"slide {number}: table cell ({r}, {c}) needs {need:.1f} pt, has {height:.1f}")
    return problems


def active_content(data: bytes) -> list[str]:
    """Anything in the package that acts: links, actions, fields other than the slide number,
    embedded or external objects, macros, controls."""
    problems = []
    package = zipfile.ZipFile(io.BytesIO(data))
    types = package.read("[Content_Types].xml").decode()
    if re.search(r"macroEnabled|vbaProject|activeX|oleObject", types, re.IGNORECASE):
        problems.append("content types name macros, controls or objects")
    for name in package.namelist():
        if re.search(r"vbaProject|activeX|embeddings/|oleObject", name, re.IGNORECASE):
            problems.append(name)
        xml = package.read(name).decode("utf-8", "replace") if name.endswith((".xml", ".rels")) else ""
        if 'TargetMode="External"' in xml:
            problems.append(f"{name}: an external relationship")
        for tag in ACTIVE:
            if re.search(rf"<(\w+:)?{tag.strip()}\b", xml):
                problems.append(f"{name}: <{tag.strip()}>")
        for kind in re.findall(r"<a:fld\b[^>]*\btype=\"([^\"]*)\"", xml):
            if kind != "slidenum":
                problems.append(f"{name}: a field of type {kind}")
        if re.search(r"<a:fld\b(?![^>]*\btype=)", xml):
            problems.append(f"{name}: a field without a type")
    return problems


def run_problems(prs) -> list[str]:
    """Every run of the slides and their notes: Times New Roman, a size, proofing vi-VN, text in NFC
    without control characters."""
    problems = []
    for number, slide in enumerate(prs.slides, start=1):
        frames = [s.text_frame for s in slide.shapes if s.has_text_frame]
        frames += [cell.text_frame for s in slide.shapes if s.has_table for row in s.table.rows for cell in row.cells]
        frames.append(slide.notes_slide.notes_text_frame)
        for frame in frames:
            for paragraph in frame.paragraphs:
                for run in paragraph.runs:
                    text = run.text
                    properties = run._r.find(qn("a:rPr"))
                    latin = properties.find(qn("a:latin")) if properties is not None else None
                    if latin is None or latin.get("typeface") != FONT:
                        problems.append(f"slide {number}: {text[:30]!r} not in {FONT}")
                    if properties is None or properties.get("lang") != "vi-VN" or not properties.get("sz"):
                        problems.append(f"slide {number}: {text[:30]!r} without vi-VN or size")
                    if unicodedata.normalize("NFC", text) != text or CONTROL.search(text):
                        problems.append(f"slide {number}: {text[:30]!r} not NFC or with a control character")
    return problems


def slide_texts(slide, *, footer: bool = False) -> list[str]:
    """The texts a slide shows (shapes and table cells), without its footer unless asked."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    texts = []
    for shape in slide.shapes:
        if shape.is_placeholder and shape.placeholder_format.type in (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER):
            if footer:
                texts.append(shape.text_frame.text)
            continue
        if shape.has_text_frame:
            texts += [p.text for p in shape.text_frame.paragraphs if p.text]
        if shape.has_table:
            texts += [cell.text for row in shape.table.rows for cell in row.cells if cell.text]
    return texts


def notes_text(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def printed_texts(report) -> list[str]:
    """Every text the report prints (what a reader of the PDF sees), captions and the date line included."""
    found: list[str] = [fmt_place_date(report.meta.place, report.meta.date)]

    def walk(value) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, (tuple, list)):
            for item in value:
                walk(item)
        elif is_dataclass(value) and not isinstance(value, type):
            for field in fields(value):
                if field.name not in ("companion", "png", "png_narrow", "redraw"):
                    walk(getattr(value, field.name))
            if hasattr(value, "caption"):
                found.append(value.caption)

    walk(report)
    return found


def numbers(text: str) -> set[str]:
    return set(NUMBER.findall(text))


def unprinted_figures(prs, report) -> list[str]:
    """Numbers on the slides or in their notes that the report does not print."""
    printed = set().union(*(numbers(text) for text in printed_texts(report)))
    problems = []
    for number, slide in enumerate(prs.slides, start=1):
        shown = " ".join(slide_texts(slide)) + " " + notes_text(slide)
        problems += [f"slide {number}: {figure}" for figure in sorted(numbers(shown) - printed)]
    return problems
