"""The report as plain data: built once, rendered by every format (HTML, PDF, Word, Excel, email).

Nothing here knows about a format. Text is plain text, never markup: every renderer escapes
it. Tables keep raw values beside how they are shown, so Excel gets numbers and HTML gets
"12.291"; figures keep the chart as one PNG (200 dpi) that every format embeds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Literal

from analysis.reference import ascii_slug
from analysis.report.changes import Amendment

ColumnKind = Literal["text", "count", "rate", "points", "number"]
# "opening": the paragraphs before part I (no first-line indent in print)
ParagraphStyle = Literal["body", "note", "center", "quote", "opening"]


@dataclass(frozen=True)
class Run:
    """A piece of a paragraph with one style."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    style: ParagraphStyle = "body"

    @classmethod
    def of(cls, text: str, style: ParagraphStyle = "body", *, bold: bool = False, italic: bool = False) -> Paragraph:
        return cls((Run(text, bold=bold, italic=italic),), style)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Heading:
    """A heading inside a section, e.g. "1. Công tác tuyên truyền" (level 2) or "a) ..." (level 3)."""

    text: str
    level: int = 2


@dataclass(frozen=True)
class BulletList:
    items: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Column:
    label: str
    kind: ColumnKind = "text"
    decimals: int = 0


@dataclass(frozen=True)
class Table:
    """A numbered table ("Bảng 1"). `rows` hold raw values (None = no data); `text` the same
    cells as readers see them (Vietnamese numbers, "–" for no data). `totals` is the totals
    row, in both forms, or None."""

    number: int
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]
    text: tuple[tuple[str, ...], ...]
    unit: str
    source: str
    totals: tuple | None = None
    totals_text: tuple[str, ...] | None = None
    note: str = ""
    wide: bool = False  # many columns: print it on a landscape page
    key: str = ""       # what the table is, for a format that picks tables (the deck): "poverty"; "" for others

    @property
    def caption(self) -> str:
        return f"Bảng {self.number}. {self.title}"


@dataclass(frozen=True)
class Figure:
    """A numbered chart ("Hình 1") with its alternative text, rendered once (PNG, 200 dpi).
    `redraw(style=…)` draws the same chart from the same data in another style (the conference
    deck's projector variant, analysis.report.chart_theme.projector); None for a picture without one."""

    number: int
    title: str
    alt: str
    png: bytes
    unit: str
    source: str
    width_px: int = 0
    height_px: int = 0
    png_narrow: bytes = b""     # the same chart laid out for a phone screen (HTML only); b"" when none
    narrow_width_px: int = 0
    narrow_height_px: int = 0
    redraw: Callable[..., Any] | None = field(default=None, compare=False, repr=False)
    # What the pictures are drawn from (analysis.report.chart_theme.to_figure_block); "" when unnamed.
    # Two figures with the same `drawn_from` have the same pictures (DRAWN: compared by it alone).
    drawn_from: str = ""

    DRAWN: ClassVar[tuple[str, ...]] = ("png", "width_px", "height_px", "png_narrow", "narrow_width_px",
                                        "narrow_height_px")

    @property
    def caption(self) -> str:
        return f"Hình {self.number}. {self.title}"


Block = Paragraph | Heading | BulletList | Table | Figure


@dataclass(frozen=True)
class Section:
    """A numbered part of the report ("I", "II", ...) or an appendix ("Phụ lục I")."""

    number: str
    title: str
    blocks: tuple[Block, ...]
    key: str = ""   # which part it is, for a format that picks parts (the deck): one of PART_KEYS, or ""


# The parts of the report a format can pick by key (Section.key), in the order of a báo cáo sơ kết.
PART_KEYS = ("leadership", "results", "assessment", "directions", "proposals")


@dataclass(frozen=True)
class KeyFigure:
    """A headline number for the email body and the summary box."""

    label: str
    value: str
    note: str = ""
    count: str = ""             # the households or models behind a rate, e.g. "12.145 hộ"


@dataclass(frozen=True)
class Meta:
    """The header and signature of a Party report (Hướng dẫn 36-HD/VPTW)."""

    issuer_parent: str          # "ĐẢNG BỘ TỈNH …" (the parent body)
    issuer: str                 # "THÀNH ỦY …", "ĐẢNG ỦY XÃ …" (the issuing body)
    number: str                 # "Số 127-BC/TU"
    place: str                  # the place on the date line
    date: dt.date               # the review date, printed "ngày 23 tháng 6 năm 2023"
    doc_type: str               # "BÁO CÁO"
    title: str                  # "<review> thực hiện Cuộc vận động ...", review from the period
    period: tuple[int, int]
    unit_code: str              # "608" for the city, a GSO code for a ward or commune
    unit_name: str              # the area's name, or a unit's full name ("Xã Ia Chim")
    data_as_of: dt.date
    signer_on_behalf: str       # "T/M BAN THƯỜNG VỤ"
    signer_title: str           # "PHÓ BÍ THƯ THƯỜNG TRỰC"
    signer_name: str
    recipients: tuple[str, ...]  # "Nơi nhận" list, each line as printed
    draft: bool = True
    review_kind: str = "sơ kết"  # "sơ kết" (mid-term) or "tổng kết" (the campaign's end)


@dataclass(frozen=True)
class Provenance:
    """Where the figures come from: for the analyst's companion file, never the signed report."""

    inputs: tuple[tuple[str, str], ...]   # (file name, SHA-256)
    parameters: tuple[tuple[str, str], ...]
    software: str
    generated_at: dt.datetime
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Companion:
    """The analyst's check material that goes with one report, in a file of its own
    ("kiem-tra-so-lieu-…"): warnings with their locations and codes, the reconciliation,
    provenance. Nothing of it is printed in the report an office signs."""

    title: str
    unit_name: str
    period: tuple[int, int]
    sections: tuple[Section, ...]
    provenance: Provenance
    slug: str = ""

    def tables(self) -> list[Table]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]

    def file_stem(self) -> str:
        start, end = self.period
        return f"kiem-tra-so-lieu-{start}-{end}-{self.slug}"


@dataclass(frozen=True)
class Report:
    meta: Meta
    key_figures: tuple[KeyFigure, ...]
    sections: tuple[Section, ...]
    appendices: tuple[Section, ...]
    companion: Companion | None = None
    slug: str = ""              # ASCII file-name part, e.g. "thanh-pho-kon-tum"
    opening: tuple[Block, ...] = ()   # the paragraph(s) before part I ("Thực hiện Kế hoạch số …")
    # set when this version corrects an issued report (analysis.archive.revision): the email and
    # the companion say so; the signed document itself does not change
    amendment: Amendment | None = None

    def tables(self) -> list[Table]:
        return [b for s in (*self.sections, *self.appendices) for b in s.blocks if isinstance(b, Table)]

    def figures(self) -> list[Figure]:
        return [b for s in (*self.sections, *self.appendices) for b in s.blocks if isinstance(b, Figure)]

    def with_figures(self, change: Callable[[Figure], Figure]) -> Report:
        """The same report with every figure replaced by `change(figure)` (its pictures drawn)."""
        def blocks(found: tuple) -> tuple:
            return tuple(change(block) if isinstance(block, Figure) else block for block in found)

        def sections(found: tuple[Section, ...]) -> tuple[Section, ...]:
            return tuple(replace(section, blocks=blocks(section.blocks)) for section in found)

        return replace(self, sections=sections(self.sections), appendices=sections(self.appendices),
                       opening=blocks(self.opening))

    @property
    def generated_at(self) -> dt.datetime:
        """When the report was made (the files' properties carry it)."""
        if self.companion is not None:
            return self.companion.provenance.generated_at
        return dt.datetime.now().replace(microsecond=0)

    def file_stem(self) -> str:
        start, end = self.meta.period
        kind = ascii_slug(self.meta.review_kind)  # "so-ket", "tong-ket"
        return f"bao-cao-{kind}-{start}-{end}-{self.slug}"
