"""Read: a folder of forms -> one record per table row (and year) with its values as typed.

`read_folder` parses nothing and judges nothing: a value is kept as typed, in a column of its
field, and where it is can always be said (file › sheet › cell: the record's row and the column
`Reading.address` gives). Every non-empty cell of a table, and below it, is in the sheet's
ledger (analysis.read.ledger); a figure nobody reads is a problem naming its cells. What could
not be read at all (a file, a sheet, a header) is returned as problems too: rule codes with their
location and values; check/ turns them into findings with the messages of the rules file.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as _default
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.errors import UsageError
from analysis.read.aliases import Aliases, default_aliases
from analysis.read.collect import AsOf, Collector, Problem, year_in
from analysis.read.files import (
    list_folder,
    read_sheets,
    safe_name,
    sha256_bytes,
    sha256_file,
)
from analysis.read.ledger import Ledger
from analysis.read.sheet import FileProblem, address, column_letter
from analysis.outputs import why

if TYPE_CHECKING:  # pandas is imported when a folder is read: the up-to-date check (which hashes
    import pandas as pd  # the forms through read.files) stays free of the data stack

__all__ = ["AsOf", "Problem", "Reading", "address", "input_files", "read_folder", "year_in"]


@dataclass
class Reading:
    form01: pd.DataFrame                # one record per form 01 table row and year (FORM01_META, then the fields)
    models: pd.DataFrame                # one record per form 02 row (FORM02_META, then the fields)
    sources: pd.DataFrame               # file, sha256, bytes
    problems: list[Problem]
    tables: pd.DataFrame                # table, file, sheet, form, header_row, fields, headers, is_csv, unit_text
    columns: dict[tuple[int, int, str, str], int]  # (table, slot, field, "count"|"percent"|"text") -> column
    as_of: list[AsOf] = _default(default_factory=list)
    ledgers: list[Ledger] = _default(default_factory=list)
    unvalued: set[tuple[int, int, int, str]] = _default(default_factory=set)  # (table, slot, row, field)

    def address(self, table: int, slot: int, field: str, measure: str, row: int, is_csv: bool) -> str:
        """The cell of a value ("E9"), or "" in a CSV or when the table has no column for it."""
        column = self.columns.get((table, slot, field, measure))
        if column is None and measure == "text":
            column = self.columns.get((table, 0, field, measure))
        return "" if is_csv or column is None else f"{column_letter(column)}{row}"


def input_files(data_dir: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise UsageError(f"không tìm thấy thư mục số liệu “{safe_name(str(data_dir))}”")
    files, refused = list_folder(data_dir)
    if not files and not refused:
        raise UsageError(f"thư mục “{safe_name(str(data_dir))}” không có tệp biểu mẫu nào (.xlsx, .xls, .csv)")
    return files, refused


REFUSED = {"link": "là liên kết trỏ ra ngoài thư mục số liệu; chép chính tệp biểu vào thư mục",
           "special": "không phải tệp thông thường",
           "unreadable": "không đọc được (không có quyền hoặc liên kết hỏng)"}


def read_folder(data_dir: Path, *, units_in_names=lambda text, prefix_required=True: None,
                aliases: Aliases | None = None, keep_ledgers: bool = False) -> Reading:
    """Every form in `data_dir`; `units_in_names(text)` finds a unit named in a title or file name
    (for a file per unit). `keep_ledgers`: keep each sheet's ledger (and so its cells) in the reading."""
    files, refused = input_files(data_dir)
    collector = Collector(aliases or default_aliases(), units_in_names, keep_ledgers=keep_ledgers)
    for path, reason in refused:
        collector.problems.append(Problem("E-FILE", safe_name(path.name), values={"reason": REFUSED[reason]}))
    sources = []
    for path in files:
        name = safe_name(path.name)
        try:
            data, sheets = read_sheets(path)
        except FileProblem as problem:
            collector.problems.append(Problem(problem.code, name, values=problem.values))
            sources.append((name, sha256_file(path), path.stat().st_size))
            continue
        except OSError as error:
            collector.problems.append(Problem("E-FILE", name, values={"reason": f"không đọc được ({why(error)})"}))
            continue
        sources.append((name, sha256_bytes(data), len(data)))
        collector.file(path.name, name, sheets)
    import pandas as pd  # noqa: PLC0415 (lazy: see the note at the imports)

    return Reading(
        form01=collector.frame("01"), models=collector.frame("02"),
        sources=pd.DataFrame.from_records(sources, columns=["file", "sha256", "bytes"]),
        problems=collector.problems, tables=collector.tables_frame(), columns=collector.columns,
        as_of=collector.as_of, ledgers=collector.ledgers, unvalued=collector.unvalued,
    )
