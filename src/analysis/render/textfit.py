"""Text in a box, measured: how many lines a paragraph takes and whether paragraphs fit a box.

Widths come from the metrics of Times New Roman (analysis.render.textwidth, as the Word and Excel
writers measure); a paragraph wraps between words as PowerPoint wraps it (a word wider than the
line is broken); a line is LINE times its font size (PowerPoint's single spacing; LibreOffice's
is 1,15 for this font). The deck (analysis.render.pptx) sizes and splits its text with this and
never leaves it to auto-fit; it fits text in SLACK of what it measures, so that a renderer's
rounding never pushes a line out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from analysis.render.ooxml import clean
from analysis.render.textwidth import text_width_pt

Box = tuple[float, float, float, float]   # left, top, width, height in points
LINE = 1.2
INSET_X, INSET_Y = 7.2, 3.6   # a text box's default insets (0,1 in and 0,05 in), in points
SLACK = 0.97
BLACK = "000000"


@dataclass(frozen=True)
class Para:
    """A paragraph to lay out: runs of (text, bold, italic), its size, and how it sits."""

    runs: tuple[tuple[str, bool, bool], ...]
    size: float
    bullet: bool = False
    before: float = 0.0          # space before, in points
    align: str = "l"             # l, ctr, r
    colour: str = BLACK

    @property
    def indent(self) -> float:
        """The hanging indent of a bullet (its text starts here)."""
        return round(self.size * 0.9, 1) if self.bullet else 0.0


def plain(text: str) -> str:
    """A run's text as a slide shows it on one paragraph: line breaks and tabs are spaces."""
    return clean(re.sub(r"[\n\r\t\v\f]", " ", text))


def _words(runs: Iterable[tuple[str, bool, bool]], size: float) -> list[list[float]]:
    """[width of a word, width of the spaces after it], words running across runs of other styles."""
    words: list[list[float]] = []
    current, in_word = 0.0, False
    for text, bold, italic in runs:
        for piece in re.findall(r"\S+|\s+", plain(text)):
            width = text_width_pt(piece, size, bold=bold, italic=italic)
            if piece.isspace():
                if in_word:
                    words.append([current, 0.0])
                    current, in_word = 0.0, False
                if words:
                    words[-1][1] += width
            else:
                current, in_word = current + width, True
    if in_word:
        words.append([current, 0.0])
    return words


def line_count(runs: Iterable[tuple[str, bool, bool]], size: float, width: float) -> int:
    """Lines a paragraph takes in `width` points, wrapped between words (a word wider than the line
    is broken, as PowerPoint does)."""
    lines, x = 1, 0.0
    for word, space in _words(runs, size):
        if x > 0 and x + word > width:
            lines, x = lines + 1, 0.0
        if word > width:
            extra = math.ceil(word / width) - 1
            lines, x = lines + extra, word - extra * width
        else:
            x += word
        x += space
    return lines


def text_height(paras: Sequence[Para], width: float, *, slack: float = SLACK) -> float:
    """The height, insets included, that `paras` take in a box `width` points wide."""
    inner = (width - 2 * INSET_X) * slack
    total = 2 * INSET_Y
    for para in paras:
        total += para.before + line_count(para.runs, para.size, inner - para.indent) * para.size * LINE
    return total


def fits(paras: Sequence[Para], box: Box) -> bool:
    return text_height(paras, box[2]) <= box[3] * SLACK


def first_fit(make: Callable[[float], list[Para]], sizes: Sequence[float], box: Box) -> list[Para]:
    """The paragraphs `make(size)` at the largest of `sizes` that fits `box` (the smallest otherwise:
    the caller splits what a slide cannot hold, so this happens only for one-line boxes)."""
    for size in sizes:
        paras = make(size)
        if fits(paras, box):
            return paras
    return make(sizes[-1])
