"""CSV tables that Excel opens as they are and never evaluates: UTF-8 with a BOM (Excel then reads
the letters right), every field quoted, and a field that a spreadsheet would take for a formula
("=…", "+…", "-…", "@…", a tab or a carriage return first) written with a leading apostrophe,
Excel's mark for text. A field that itself starts with an apostrophe gets one more, so that
`read_rows` gives back exactly what `write_rows` was given.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from analysis.outputs import write_atomically

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'", "＝", "＋", "－", "＠")


def guarded(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def unguarded(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([guarded(str(h)) for h in header])
    for row in rows:
        writer.writerow([guarded(str(v)) for v in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def write_rows(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Write the table atomically (a temporary file beside it, then renamed)."""
    write_atomically(path, csv_bytes(header, rows))


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of a table written by `write_rows`, every field as it was given."""
    text = Path(path).read_bytes().decode("utf-8-sig")  # not read_text: a carriage return inside a field stays
    rows = [[unguarded(v) for v in row] for row in csv.reader(io.StringIO(text, newline=""))]
    return (rows[0], rows[1:]) if rows else ([], [])
