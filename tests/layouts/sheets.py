"""Typing values and headers as offices do, into sheets that remember what each typed cell is.

Every cell a generator types gets the role the reader's ledger must give it (analysis.read.ledger):
title, header, column_number, data, percent, total, subtotal, group, note, ignored or unread.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from openpyxl.utils import get_column_letter

from analysis.reference import ascii_slug
from layouts.data import ALIASES, UNITS
from layouts.layout import Layout


@dataclass
class Sheet:
    name: str
    rows: list[list] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)   # (row1, col1, row2, col2), 1-based
    percent_cells: set[tuple[int, int]] = field(default_factory=set)        # cells under a "0.0%" format
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)      # cells typed as a formula (with its value)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    hidden: bool = False
    roles: dict[tuple[int, int], str] = field(default_factory=dict)         # what the ledger must say of each cell

    def add(self, values: list, role: str | list | None = None) -> int:
        """Append a row; `role` for every typed cell, or one per cell."""
        self.rows.append(list(values))
        r = len(self.rows)
        for c, value in enumerate(values, start=1):
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            which = role[c - 1] if isinstance(role, list) else role
            if which:
                self.roles[(r, c)] = which
        return r

    def mark(self, first: int, last: int, role: str) -> None:
        """Give `role` to every typed cell of rows first..last."""
        for r in range(first, last + 1):
            for c, value in enumerate(self.rows[r - 1], start=1):
                if value is not None and not (isinstance(value, str) and not value.strip()):
                    self.roles[(r, c)] = role


@dataclass
class Book:
    stem: str            # file name without suffix
    sheets: list[Sheet]


# --- values -------------------------------------------------------------------------------------


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def percent_of(part: int | None, whole: int | None) -> Decimal | None:
    """The rate an office types: half-up to one decimal."""
    if part is None or not whole:
        return None
    return round_half_up(Decimal(part) * 100 / Decimal(whole), 1)


def type_count(value: int | None, style: str, missing: str):
    if value is None:
        return None if missing == "empty" else "-"
    digits = str(value)
    grouped = f"{value:,}"
    return {
        "int": value,
        "text": digits,
        "dot": grouped.replace(",", "."),
        "comma": grouped,
        "space": grouped.replace(",", " "),
        "nbsp": grouped.replace(",", "\u00a0"),
        "thin": grouped.replace(",", "\u2009"),
        "padded": f" {digits} ",
    }[style]


def type_percent(value: Decimal | None, style: str, missing: str):
    """A percent cell; "fraction" is returned as the float Excel stores under a "0.0%" format."""
    if value is None:
        return None if missing == "empty" else "-"
    text = f"{value:.1f}"
    return {
        "number": float(value),
        "text": text.replace(".", ","),
        "text_dot": text,
        "text_sign": text.replace(".", ",") + "%",
        "fraction": float(value / 100),
    }[style]


def spell_unit(code: str, style: str, rng: random.Random) -> str:
    """A unit name as an office types it; every spelling resolves through data/reference/units.csv."""
    unit = UNITS.loc[code]
    name, full = unit["name"], unit["full_name"]
    prefix = "Phường" if unit["type"] == "phường" else "Xã"
    short = "P." if unit["type"] == "phường" else "X."
    spellings = {
        "official": lambda: name, "full": lambda: full, "short_prefix": lambda: f"{short}{rng.choice(['', ' '])}{name}",
        "upper": lambda: full.upper(), "lower": lambda: full.lower(), "nfd": lambda: unicodedata.normalize("NFD", full),
        "alias": lambda: rng.choice(list(unit["aliases"]) or [name]),
        "dak": lambda: f"{prefix} " + re.sub("Đắk|Đăk", lambda m: rng.choice(
            ["Đăk", "Dak"] if m.group(0) == "Đắk" else ["Đắk", "Dak"]), name),
        "hoa": lambda: f"{prefix} {name.replace('Hòa', 'Hoà')}",
        "spaces": lambda: f"  {prefix}  {'  '.join(name.split())} ",
    }
    return spellings[style]()


def compact_name(code: str) -> str:
    """"Ia Chim" -> "IaChim": a unit in a file name, as offices write it."""
    return "".join(part.capitalize() for part in ascii_slug(UNITS.loc[code, "name"]).split("-"))


def header_text(form: str, name: str, rng: random.Random | None) -> str:
    options = ALIASES[form][name]
    return options[0] if rng is None else rng.choice(options)


class Typist:
    """Per-cell choices of one layout, from its seed."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self.rng = random.Random(layout.seed)
        self.alias_rng = random.Random(layout.alias_seed) if layout.alias_seed else None

    def count(self, value: int | None):
        layout = self.layout
        return type_count(value, self.rng.choice(layout.number_styles), self.rng.choice(layout.missing_styles))

    def percent(self, value: Decimal | None):
        style = self.rng.choice(self.layout.percent_styles)
        return type_percent(value, style, self.rng.choice(self.layout.missing_styles)), style == "fraction"

    def unit(self, code: str) -> str:
        return spell_unit(code, self.rng.choice(self.layout.unit_styles), self.rng)

    def year(self, year: int):
        return self.rng.choice([year, str(year)]) if "text" in self.layout.number_styles else year

    def header(self, form: str, name: str) -> str:
        return header_text(form, name, self.alias_rng)


# --- headers ------------------------------------------------------------------------------------


@dataclass
class Leaf:
    kind: str            # stt | unit | year | count | percent | notes | extra | unknown | a form 02 field
    name: str = ""       # the field, for count and percent
    header: str = ""
    year: int | None = None  # years across columns: the year of the column


@dataclass
class Block:
    """A header cell and what it spans: a leaf, a field over "Số hộ" | "Tỉ lệ (%)", or a group title."""
    title: str | int
    children: list        # Leaf or Block; empty for a lone leaf
    leaf: Leaf | None = None

    def leaves(self) -> list[Leaf]:
        return [self.leaf] if self.leaf else [x for c in self.children for x in c.leaves()]


def lone(leaf: Leaf) -> Block:
    return Block(leaf.header, [], leaf)


def levels(block: Block) -> int:
    return 1 if block.leaf else 1 + max(levels(c) for c in block.children)


def write_header(sheet: Sheet, blocks: list[Block], depth: int, *, merged: bool) -> list[Leaf]:
    """Header rows (text in the top-left cell of each merge) and return the leaves in column order."""
    top = len(sheet.rows) + 1
    leaves = [leaf for block in blocks for leaf in block.leaves()]
    for _ in range(depth):
        sheet.add([None] * len(leaves))

    def place(block: Block, row: int, col: int) -> int:
        width = len(block.leaves())
        bottom = top + depth - 1
        last_row = bottom - (levels(block) - 1)      # a block with sub-levels keeps the rows under it for them
        sheet.rows[row - 1][col - 1] = block.title if block.leaf is None else block.leaf.header
        if merged and (last_row > row or width > 1):
            sheet.merges.append((row, col, last_row, col + width - 1))
        c = col
        for child in block.children:
            c = place(child, last_row + 1, c)
        return col + width

    col = 1
    for block in blocks:
        col = place(block, top, col)
    sheet.mark(top, top + depth - 1, "header")
    return leaves


def column_number_row(style: str, leaves: list[Leaf], rng: random.Random) -> list:
    n = len(leaves)
    if style == "paren":
        return [f"({i})" for i in range(1, n + 1)]
    if style == "digits":
        return list(range(1, n + 1))
    if style == "digit_text":
        return [str(i) for i in range(1, n + 1)]
    if style == "letters":
        return [get_column_letter(i) for i in range(1, n + 1)]
    if style == "letters_then_digits":
        text = [i for i, leaf in enumerate(leaves) if leaf.kind in ("stt", "unit", "year", "model_name")]
        numbers = iter(range(1, n + 1))
        return ["ABC"[text.index(i)] if i in text[:3] else f"({next(numbers)})" for i in range(n)]
    if style == "formula":
        row = [f"({i})" for i in range(1, n + 1)]
        if n >= 3:
            k = rng.randrange(0, n - 2)
            row[k] = f"({k + 1})=({k + 2})+({k + 3})"
        return row
    raise ValueError(style)


def title_block(layout: Layout, *, required: list[str], pool: list[str], lines: int | None = None) -> list[list]:
    """`lines` title rows (at least the required ones), then maybe a blank row."""
    count = max(layout.title_lines if lines is None else lines, len(required))
    rows = [[text] for text in (required + [p for p in pool if p not in required])[:count]]
    # Keep the required lines in the order offices put them: agency first, period last.
    rows.sort(key=lambda r: 1 if r[0].upper().startswith("NĂM") or r[0].startswith("GIAI ĐOẠN") else 0)
    if rows and layout.blank_rows:
        rows.append([])
    return rows


def add_titles(sheet: Sheet, rows: list[list], *, merged_width: int = 0) -> None:
    """Title rows; in a workbook each merged across the table."""
    for row in rows:
        r = sheet.add(row, "title")
        if row and merged_width > 1:
            sheet.rows[r - 1] = row + [None] * (merged_width - 1)
            sheet.merges.append((r, 1, r, merged_width))
