"""How wide a text prints in Times New Roman, to size table columns and rows (Word, Excel) and
to fit the conference deck's text in its boxes (PowerPoint).

Measured with the package's Liberation Serif 2.x, which has the metrics of Times New Roman.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from fontTools.ttLib import TTFont

from analysis import config


@lru_cache(maxsize=4)
def _advances(bold: bool, italic: bool = False) -> tuple[dict[int, int], int, int]:
    name = f"LiberationSerif-{'Bold' if bold else ''}{'Italic' if italic else ''}.ttf".replace("-.", "-Regular.")
    with TTFont(config.FONTS_DIR / name, lazy=True) as font:
        cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
        widths = {code: metrics[glyph][0] for code, glyph in cmap.items()}
        return widths, font["head"].unitsPerEm, metrics.get(".notdef", (1000, 0))[0]


def text_width_pt(text: str, size: float, *, bold: bool = False, italic: bool = False) -> float:
    """The width of `text` on one line at `size` points, in points."""
    widths, per_em, fallback = _advances(bold, italic)
    units = sum(widths.get(ord(char), fallback) for char in unicodedata.normalize("NFC", text))
    return units * size / per_em
