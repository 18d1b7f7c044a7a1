"""How wide a text prints in Times New Roman, to size table columns and rows (Word, Excel).

Measured with the package's Liberation Serif 2.x, which has the metrics of Times New Roman.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from fontTools.ttLib import TTFont

from analysis import config


@lru_cache(maxsize=2)
def _advances(bold: bool) -> tuple[dict[int, int], int, int]:
    name = "LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf"
    with TTFont(config.FONTS_DIR / name, lazy=True) as font:
        cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
        widths = {code: metrics[glyph][0] for code, glyph in cmap.items()}
        return widths, font["head"].unitsPerEm, metrics.get(".notdef", (1000, 0))[0]


def text_width_pt(text: str, size: float, *, bold: bool = False) -> float:
    """The width of `text` on one line at `size` points, in points."""
    widths, per_em, fallback = _advances(bold)
    units = sum(widths.get(ord(char), fallback) for char in unicodedata.normalize("NFC", text))
    return units * size / per_em
