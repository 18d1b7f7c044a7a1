"""What changed between two versions of a report, as plain data (like analysis.report.document):
the changed figures and sentences, the form cells behind them, and the amendment a corrected
version carries (`Report.amendment`). Built by analysis.report.comparison; shown by the companion,
the email, the terminal and the `diff` page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NONE_TEXT = "(không có)"


@dataclass(frozen=True)
class CellChange:
    """One cell of a form whose value differs between two folders of forms."""

    file: str
    sheet: str
    cell: str
    then: str                   # the value as typed, "" when the cell was empty or absent
    now: str
    unit_code: str = ""         # the unit (on the report's map) its row feeds; "" when it feeds none
    unit_name: str = ""
    year: int | None = None     # the year of its row (a model: the year it was built)
    what: str = ""              # the field's label ("Số hộ tham gia tổ hợp tác, HTX")
    feeds: bool = False         # the value is data the report uses (not a totals row, nor a typed percent)

    @property
    def where(self) -> str:
        return f"{self.file} › {self.sheet} › ô {self.cell}"

    @property
    def change(self) -> str:
        return f"{self.then or '(trống)'} → {self.now or '(trống)'}"

    @property
    def text(self) -> str:
        return f"{self.where}: {self.change}"


@dataclass(frozen=True)
class FigureChange:
    label: str
    place: str                  # where it is printed now (or was, when it is gone)
    then: str                   # printed text in the earlier version; NONE_TEXT when it was not printed
    now: str
    difference: str             # "giảm 1,4 điểm phần trăm", "tăng 10"; "" for a text or a missing side
    cells: tuple[CellChange, ...] = ()


@dataclass(frozen=True)
class SentenceChange:
    place: str
    then: str                   # "" when the sentence is new
    now: str                    # "" when it was removed
    cells: tuple[CellChange, ...] = ()


@dataclass(frozen=True)
class Comparison:
    then: str                                   # the two versions' names
    now: str
    figures: tuple[FigureChange, ...]
    sentences: tuple[SentenceChange, ...]
    header: tuple[SentenceChange, ...] = ()
    cells: tuple[CellChange, ...] = ()          # every changed cell of the forms
    compared: int = 0                           # figures compared
    notes: tuple[str, ...] = field(default=())  # anything a reader must know about the two versions

    @property
    def same(self) -> bool:
        """Nothing printed differs (header and signature aside: a draft differs there by design)."""
        return not self.figures and not self.sentences


def bare_number(number: str) -> str:
    """"Số 127-BC/TU" -> "127-BC/TU": a document number inside a sentence ("Báo cáo số 127-BC/TU")."""
    return re.sub(r"^\s*[Ss]ố\s*[.:]?\s*", "", " ".join(str(number).split()))


@dataclass(frozen=True)
class Amendment:
    """A version that corrects an issued report (same period, unit and map of units): which one,
    and what differs from it. Carried by `Report.amendment` to the email and the companion."""

    replaces: str               # the issued number, as printed: "Số 127-BC/TU"
    issued_on: str              # its date, as printed: "23/6/2023"
    comparison: Comparison

    @property
    def replaced(self) -> str:
        """"Báo cáo số 127-BC/TU"."""
        return f"Báo cáo số {bare_number(self.replaces)}"

    @property
    def reference(self) -> str:
        """"Báo cáo số 127-BC/TU ngày 23/6/2023"."""
        return f"{self.replaced} ngày {self.issued_on}"
