"""What a report prints, as the issued folder keeps it: the figures table (`so-lieu-in.csv`) and
the sentences (`cau-van.csv`, the header and signature lines included), both in the open CSV form
of analysis.archive.textcsv; and the digest that says whether two versions are the same document.

Two versions are "identical" when they print the same thing from the same forms: the same
header and signature lines (number, date, issuer, signer, recipients), the same figures (place,
label and printed text), the same sentences, and the same forms (names and SHA-256). When a
version was made, with which software, in which formats, and the bytes of its PDF or charts are
not part of it: a re-run with nothing changed is the same document.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

from analysis.archive.textcsv import read_rows, write_rows
from analysis.report.comparison import Version
from analysis.report.document import Report
from analysis.report.figures import HEADER_PART, PrintedFigure, Sentence, header_lines, printed_figures, sentences

FIGURES_FILE = "so-lieu-in.csv"
SENTENCES_FILE = "cau-van.csv"
FIGURE_COLUMNS = ("Vị trí", "Nhãn", "Số liệu in", "Giá trị", "Loại", "Chữ số thập phân", "Nguồn", "Bảng", "Dòng",
                  "Cột")
SENTENCE_COLUMNS = ("Vị trí", "Câu", "Phần")
KINDS = {"count": "số lượng", "rate": "tỉ lệ (%)", "points": "điểm phần trăm", "number": "số", "text": "chữ"}
ORIGINS = {"table": "bảng", "key": "số liệu chính", "sentence": "câu"}


def _value_text(figure: PrintedFigure) -> str:
    if figure.value is None:
        return ""
    return repr(figure.value) if isinstance(figure.value, float) else str(figure.value)


def figure_rows(figures: tuple[PrintedFigure, ...]) -> list[list[str]]:
    return [[f.place, f.label, f.text, _value_text(f), KINDS[f.kind], str(f.decimals), ORIGINS[f.origin], f.table,
             f.row, f.column] for f in figures]


def _figure(row: list[str]) -> PrintedFigure:
    place, label, text, value, kind, decimals, origin, table, line, column = row
    kind_id = {v: k for k, v in KINDS.items()}[kind]
    raw: float | str | None = value if kind_id == "text" else (float(value) if value else None)
    return PrintedFigure(place, label, text, raw, kind_id, int(decimals),  # type: ignore[arg-type]
                         {v: k for k, v in ORIGINS.items()}[origin], table, line, column)  # type: ignore[arg-type]


def write_printed(folder: Path, report: Report) -> None:
    """The report's figures and sentences (header lines first) as the two CSV files in `folder`."""
    write_rows(Path(folder) / FIGURES_FILE, FIGURE_COLUMNS, figure_rows(printed_figures(report)))
    lines = (*header_lines(report), *sentences(report))
    write_rows(Path(folder) / SENTENCES_FILE, SENTENCE_COLUMNS, [[s.place, s.text, s.part] for s in lines])


def read_version(folder: Path, name: str) -> Version:
    """A version read back from the two CSV files of `folder` (an issued folder)."""
    header, rows = read_rows(Path(folder) / FIGURES_FILE)
    if tuple(header) != FIGURE_COLUMNS:
        raise ValueError(f"{FIGURES_FILE}: unexpected columns")
    figures = tuple(_figure(row) for row in rows)
    header, rows = read_rows(Path(folder) / SENTENCES_FILE)
    if tuple(header) != SENTENCE_COLUMNS:
        raise ValueError(f"{SENTENCES_FILE}: unexpected columns")
    lines = [Sentence(place, text, part) for place, text, part in rows]
    return Version(name, figures, tuple(s for s in lines if s.part != HEADER_PART),
                   tuple(s for s in lines if s.part == HEADER_PART))


def version_of(report: Report, name: str) -> Version:
    return Version(name, printed_figures(report), sentences(report), header_lines(report))


def content_digest(version: Version, forms: Mapping[str, str]) -> str:
    """SHA-256 of what the version prints and the forms it was made from (name -> SHA-256)."""
    payload = {
        "header": [[s.place, s.text] for s in version.header],
        "figures": [[f.place, f.label, f.text] for f in version.figures],
        "sentences": [[s.place, s.text] for s in version.sentences],
        "forms": sorted([name, digest] for name, digest in forms.items()),
    }
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
