"""Every figure a report prints, with its label and its place, and every sentence: a pure function
of the `Report` model (analysis.report.document), for anything that must know what a report says.

`printed_figures(report)` returns one `PrintedFigure` per number or verdict a reader sees:

* each cell of each table except the row's own label (the totals row too), with the table's raw
  value (unrounded, as computed) beside its printed text: place "Bảng 2, dòng Xã Ia Chim, cột
  Năm 2023", label "<table title>: Xã Ia Chim, Năm 2023";
* each key figure (the email's "Số liệu chính"): its value and the count behind it, the raw value
  read back from the printed text (the model keeps only the text);
* each number inside a sentence (`numbers_in`): "98,8%" in "… chiếm 98,8% số hộ ĐBDTTS."; its
  label is the sentence, its place the sentence's place and its order in it.

`sentences(report)` returns the running text sentence by sentence, each with its place ("Mục II ›
1. Thay đổi nếp nghĩ, cách làm, đoạn 1, câu 2"): the opening, headings, paragraphs, list items,
key figures' notes, and tables' and charts' captions, unit lines, sources and notes.
`header_lines(report)` returns the document's header and signature as printed (number, date,
issuer, signer, recipients), kept apart: a draft and its issued version always differ there.

A table cell's label is unique in a report (a repeated one gets " (2)"), and does not depend on
the table's number: two versions of a report are matched figure by figure on it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Literal

from analysis.formatting import fmt_date, fmt_place_date
from analysis.report.document import (
    Block,
    BulletList,
    Figure,
    Heading,
    KeyFigure,
    Paragraph,
    Report,
    Section,
    Table,
)

FigureKind = Literal["count", "rate", "points", "number", "text"]
Origin = Literal["table", "key", "sentence"]
KEY_PLACE = "Số liệu chính"
OPENING_PLACE = "Mở đầu"
HEADER_PART = "Phần đầu và chữ ký"


@dataclass(frozen=True)
class PrintedFigure:
    """A figure as printed. `value` is the raw value: a float for a number (None when the cell
    says there is no data), the text itself for a verdict or any other text cell."""

    place: str
    label: str
    text: str
    value: float | str | None
    kind: FigureKind
    decimals: int = 0
    origin: Origin = "table"
    table: str = ""      # a table cell's table title, row label and column label ("" elsewhere)
    row: str = ""
    column: str = ""


@dataclass(frozen=True)
class Sentence:
    """A sentence of the report's text with its place; `part` is the part of the report it is in
    (the place without its paragraph and sentence: "Mục II › 1. Thay đổi nếp nghĩ, cách làm")."""

    place: str
    text: str
    part: str


# --- numbers in running text ----------------------------------------------------------------------

# d/m/yyyy dates are not figures; "a/b xã" (a of b units) is two counts.
_DATE = re.compile(r"(?<![\d/])\d{1,2}/\d{1,2}/\d{4}(?![\d/])")
_RATIO = re.compile(r"(?<![\w/])(\d+)/(\d+)(?![\w/])")
# "12.291", "98,8", "4", "−0,2": thousands "." by threes, decimal ","; not glued to letters, other
# digits, "/" or "-" (a document number "127-BC/TU", "1677/NQ-UBTVQH15").
_NUMBER = re.compile(r"(?<![\w.,/\-−+])([−+-]?)(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(?![\w/\-]|[.,]\d)")
_RATE = re.compile(r"\s*%")
_POINTS = re.compile(r"\s*điểm phần trăm")
_REFERENCE = re.compile(r"(?:Hình|Bảng|Biểu|Phụ lục|Mục|số)\s*$", re.IGNORECASE)


def parse_number(text: str) -> float | None:
    """A number as Vietnamese print writes it ("12.291", "98,8%", "−0,2", "+48,1") -> float; None
    when `text` is not one number (a "–" for no data, a word)."""
    cleaned = text.strip().removesuffix("%").strip()
    match = _NUMBER.fullmatch(cleaned)
    if not match:
        return None
    sign, whole, fraction = match.groups()
    value = float(whole.replace(".", "") + (f".{fraction}" if fraction else ""))
    return -value if sign in ("−", "-") else value


def numbers_in(text: str) -> tuple[tuple[str, float, FigureKind, int], ...]:
    """The figures of a sentence, in order: (printed text, value, kind, decimals). Years (four
    digits without a thousands mark), dates, document numbers and references ("Bảng 2") are not
    figures. A number followed by "%" is a rate, by "điểm phần trăm" a difference of rates."""
    masked = _RATIO.sub(r"\1 \2", _DATE.sub(lambda m: " " * len(m.group()), text))
    found = []
    for match in _NUMBER.finditer(masked):
        sign, whole, fraction = match.groups()
        if not fraction and "." not in whole and len(whole) == 4 and 1900 <= int(whole) <= 2100:
            continue  # a year
        if _REFERENCE.search(masked[:match.start()]):
            continue
        after = masked[match.end():]
        printed = match.group()
        kind: FigureKind = "number" if fraction else "count"
        if (rate := _RATE.match(after)) is not None:
            kind, printed = "rate", printed + rate.group().strip()
        elif _POINTS.match(after):
            kind = "points"
        value = float(whole.replace(".", "") + (f".{fraction}" if fraction else ""))
        found.append((printed, -value if sign in ("−", "-") else value, kind, len(fraction or "")))
    return tuple(found)


def split_sentences(text: str) -> tuple[str, ...]:
    """A paragraph's sentences: split after ".", "!" or "?" followed by a space and a capital
    letter or a digit (never inside "12.291" or "15/6/2023")."""
    parts, start = [], 0
    for match in re.finditer(r"[.!?]\s+", text):
        following = text[match.end():match.end() + 1]
        if following and (following.isupper() or following.isdigit() or following in "“\"("):
            parts.append(text[start:match.end()].strip())
            start = match.end()
    parts.append(text[start:].strip())
    return tuple(p for p in parts if p)


# --- sentences --------------------------------------------------------------------------------------


def _section_name(section: Section) -> str:
    return section.number if section.number.startswith("Phụ lục") else f"Mục {section.number}"


TextKind = Literal["text", "line", "heading"]  # running text (split into sentences), one line, a heading


def _table_lines(table: Table) -> list[tuple[str, str]]:
    place = f"Bảng {table.number}"
    return [(f"{place}, tên bảng", table.caption), (f"{place}, đơn vị tính", table.unit),
            (f"{place}, nguồn", table.source), (f"{place}, ghi chú", table.note)]


def _chart_lines(figure: Figure) -> list[tuple[str, str]]:
    place = f"Hình {figure.number}"
    return [(f"{place}, tên hình", figure.caption), (f"{place}, đơn vị tính", figure.unit),
            (f"{place}, nguồn", figure.source)]


def _block_texts(blocks: tuple[Block, ...], part: str) -> list[tuple[str, str, str, TextKind]]:
    """(part, place, text, kind) of every piece of text in `blocks`, paragraph by paragraph."""
    out: list[tuple[str, str, str, TextKind]] = []
    current, paragraph = part, 0
    headings: dict[int, str] = {}  # level -> the heading in force (a level 3 sits under its level 2)
    for block in blocks:
        if isinstance(block, Heading):
            headings = {level: text for level, text in headings.items() if level < block.level}
            headings[block.level] = block.text
            current, paragraph = " › ".join([part, *(headings[level] for level in sorted(headings))]), 0
            out.append((current, f"{current}, đề mục", block.text, "heading"))
        elif isinstance(block, (Paragraph, BulletList)):
            for item in (block,) if isinstance(block, Paragraph) else block.items:
                paragraph += 1
                out.append((current, f"{current}, đoạn {paragraph}", item.text, "text"))
        elif isinstance(block, Table):
            out += [(current, place, text, "line") for place, text in _table_lines(block)]
        elif isinstance(block, Figure):
            out += [(current, place, text, "line") for place, text in _chart_lines(block)]
    return out


def _texts(report: Report) -> list[tuple[str, str, str, TextKind]]:
    texts = _block_texts(report.opening, OPENING_PLACE)
    for section in (*report.sections, *report.appendices):
        name = _section_name(section)
        texts.append((name, f"{name}, tên mục", section.title, "heading"))
        texts += _block_texts(section.blocks, name)
    texts += [(KEY_PLACE, f"{KEY_PLACE}: {k.label}, ghi chú", k.note, "text") for k in report.key_figures]
    return texts


def _sentences(report: Report) -> list[tuple[Sentence, TextKind]]:
    out = []
    for part, place, text, kind in _texts(report):
        text = " ".join(text.split())
        pieces = split_sentences(text) if kind == "text" else ((text,) if text else ())
        for number, piece in enumerate(pieces, 1):
            out.append((Sentence(f"{place}, câu {number}" if len(pieces) > 1 else place, piece, part), kind))
    return out


def sentences(report: Report) -> tuple[Sentence, ...]:
    """The report's text, one sentence at a time, each with its place: paragraphs and list items
    split into sentences; headings, captions, unit lines, sources and notes one line each."""
    return tuple(sentence for sentence, _ in _sentences(report))


def header_lines(report: Report) -> tuple[Sentence, ...]:
    """The header and signature block as printed (not running text: a draft differs here by design)."""
    m = report.meta
    part = HEADER_PART
    lines = [("cơ quan cấp trên", m.issuer_parent), ("cơ quan ban hành", m.issuer), ("số, ký hiệu", m.number),
             ("địa danh, ngày tháng", fmt_place_date(m.place, m.date)), ("loại văn bản", m.doc_type),
             ("trích yếu", m.title), ("dấu dự thảo", "DỰ THẢO" if m.draft else ""),
             ("quyền hạn ký", m.signer_on_behalf), ("chức vụ người ký", m.signer_title),
             ("người ký", m.signer_name), ("nơi nhận", " ".join(m.recipients)),
             ("số liệu tính đến", fmt_date(m.data_as_of))]
    return tuple(Sentence(f"{part}: {name}", text.strip(), part) for name, text in lines)


# --- figures ----------------------------------------------------------------------------------------


def _raw(value: object, kind: str) -> float | str | None:
    if kind == "text":
        return "" if value is None else str(value)
    try:
        number = float(value)  # type: ignore[arg-type]  # a count, a numpy number, pd.NA, None
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def _table_figures(table: Table) -> list[PrintedFigure]:
    rows = list(zip(table.rows, table.text))
    if table.totals is not None and table.totals_text is not None:
        rows.append((table.totals, table.totals_text))
    labelled = bool(table.columns) and table.columns[0].kind == "text"
    out = []
    for index, (raw, printed) in enumerate(rows, 1):
        row = " ".join(printed[0].split()) if labelled and printed[0].strip() else f"dòng {index}"
        for column, value, text in list(zip(table.columns, raw, printed))[1 if labelled else 0:]:
            out.append(PrintedFigure(
                place=f"Bảng {table.number}, dòng {row}, cột {column.label}",
                label=f"{table.title}: {row}, {column.label}", text=text, value=_raw(value, column.kind),
                kind=column.kind, decimals=column.decimals, table=table.title, row=row, column=column.label))
    return out


def _key_figures(key: KeyFigure) -> list[PrintedFigure]:
    out = []
    for name, text in (("", key.value), (" (số lượng)", key.count)):
        if not text:
            continue
        numbers = numbers_in(text)
        kind: FigureKind = numbers[0][2] if len(numbers) == 1 else "text"
        value: float | str | None = numbers[0][1] if len(numbers) == 1 else text
        out.append(PrintedFigure(place=f"{KEY_PLACE}: {key.label}{name}", label=f"{KEY_PLACE}: {key.label}{name}",
                                 text=text, value=value, kind=kind,
                                 decimals=numbers[0][3] if len(numbers) == 1 else 0, origin="key"))
    return out


def _unique(figures: list[PrintedFigure]) -> list[PrintedFigure]:
    seen: Counter[str] = Counter()
    out = []
    for figure in figures:
        seen[figure.label] += 1
        if seen[figure.label] > 1:
            figure = replace(figure, label=f"{figure.label} ({seen[figure.label]})")
        out.append(figure)
    return out


def printed_figures(report: Report) -> tuple[PrintedFigure, ...]:
    """Every figure the report prints: tables, key figures, then the numbers of its sentences."""
    figures = _unique([f for table in report.tables() for f in _table_figures(table)]
                      + [f for key in report.key_figures for f in _key_figures(key)])
    for sentence, text_kind in _sentences(report):
        if text_kind == "heading":  # "1. Thay đổi nếp nghĩ, cách làm": the 1 numbers the heading
            continue
        for order, (text, value, kind, decimals) in enumerate(numbers_in(sentence.text), 1):
            figures.append(PrintedFigure(f"{sentence.place}, số thứ {order}", sentence.text, text, value, kind,
                                         decimals, "sentence"))
    return tuple(figures)
