"""A table's rows: units (or models), totals, group subtotals and headings, notes; and the ledger.

Rows below the header are units of form 01 or models of form 02, totals rows ("Tổng cộng",
"Cộng", "Toàn thành phố", whichever column holds the words, with other texts and formulas beside
them: "Tổng cộng | 211 mô hình | =SUM(E6:E216)"), group subtotals ("Cộng khối phường"), group
headings ("I. KHỐI PHƯỜNG"), rows that only carry their STT number, stray remarks, up to the
notes and signatures. A cell merged down over several rows of the body (a unit typed once over its
models) gives its value to each row. Every non-empty cell ends up in the sheet's ledger.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.read.aliases import Aliases, default_aliases, is_column_number_row, is_number, is_text, normalize_header
from analysis.read.header import Table
from analysis.read.ledger import Ledger


_NUMBERING = re.compile(r"^\s*([IVX]{1,4}|\d{1,2})\s*[.)]\s*")


@dataclass
class Row:
    row: int
    kind: str            # unit | model | total | subtotal
    group: int           # index of the group heading above it (0: none)
    label: str           # the words that made it a total or subtotal, or the group's heading


def fill_merged_body(table: Table) -> None:
    """Give each row of a merge that runs down the body (a unit, sector or status typed once over
    several rows) the merged value."""
    sheet = table.sheet
    for r1, c1, r2, c2 in sheet.merges:
        if r1 <= table.header_bottom or r2 == r1 or c1 != c2:
            continue
        value = sheet.cell(r1, c1)
        if value is None:
            continue
        for r in range(r1 + 1, min(r2, len(sheet.rows)) + 1):
            row = sheet.rows[r - 1]
            if len(row) < c1:
                row.extend([""] * (c1 - len(row)))
            if row[c1 - 1] in ("", None):
                row[c1 - 1] = value
                sheet.origins[(r, c1)] = (r1, c1)


def data_columns(table: Table) -> list[int]:
    if table.form == "02":
        return [c for f, c in table.columns.items() if f in ("households", "year_built", "year_stopped")]
    return [c for slot in table.slots for c in (*slot.counts.values(), *slot.percents.values())]


class _Reader:
    def __init__(self, table: Table, aliases: Aliases):
        self.table, self.aliases = table, aliases
        self.sheet = table.sheet
        self.label_col = table.columns.get("model_name" if table.form == "02" else "unit")
        self.data_cols = data_columns(table)
        self.model_cols = [table.columns[f] for f in ("sector", "status") if f in table.columns]
        self.stt_cols = {c for c, role in table.roles.items() if role.reason == "số thứ tự"}
        self.out: list[Row] = []
        self.ledger = Ledger(self.sheet, table.header_top, table.header_bottom, len(self.sheet.rows),
                             dict(table.roles), header_numbers=set(table.number_rows))
        self.group, self.group_label = 0, ""
        self.notes: list[str] = []   # the texts of the notes rows (an as-of day may be stated there)

    def read(self) -> tuple[list[Row], Ledger]:
        sheet = self.sheet
        for r in range(self.table.header_bottom + 1, len(sheet.rows) + 1):
            values = sheet.rows[r - 1]
            if all(v is None or v == "" or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if is_column_number_row(values):
                self.ledger.rows[r] = "column_number"
                continue
            if self._unit_row(r, values) or self._model_row(r, values):
                continue
            if not self._row(r, values):
                self.ledger.end = r - 1
                self.notes += [v for values in sheet.rows[r - 1:] for v in values if is_text(v)]
                break
        return self.out, self.ledger

    def _model_row(self, r: int, values: list) -> bool:
        """The common case of form 02, decided cheaply: a sector and a status typed as words, and
        figures (a totals row leaves its sector and status empty)."""
        if self.table.form != "02" or not self.model_cols:
            return False
        if not all(c <= len(values) and is_text(values[c - 1]) for c in self.model_cols):
            return False
        if not any(c <= len(values) and is_number(values[c - 1]) for c in self.data_cols):
            return False
        self.out.append(Row(r, "model", self.group, self.group_label))
        self.ledger.rows[r] = "model"
        return True

    def _unit_row(self, r: int, values: list) -> bool:
        """The common case of form 01, decided cheaply: figures, and a label that is no total, group
        or note, with no note before it."""
        if self.table.form != "01" or not self.label_col or self.label_col > len(values):
            return False
        label = values[self.label_col - 1]
        if not isinstance(label, str) or self.aliases.kind(label.strip()) or not is_text(label):
            return False
        first = next((v for v in values if is_text(v)), label)
        if first is not label and self.aliases.kind(first.strip()) == "footer":
            return False
        if not any(c <= len(values) and is_number(values[c - 1]) for c in self.data_cols):
            return False
        self.out.append(Row(r, "unit", self.group, self.group_label))
        self.ledger.rows[r] = "unit"
        return True

    def _row(self, r: int, values: list) -> bool:
        """Classify one row; False when it starts the notes and signatures."""
        texts = [v.strip() for v in values if is_text(v)]
        label_value = values[self.label_col - 1] if self.label_col and self.label_col <= len(values) else None
        label = label_value.strip() if isinstance(label_value, str) and is_text(label_value) else ""
        has_data = any(c <= len(values) and is_number(values[c - 1]) for c in self.data_cols)
        words = label or (texts[0] if texts else "")
        footer = any(self.aliases.kind(t) == "footer" for t in {words, texts[0] if texts else ""} if t)
        if footer and (not has_data or len(texts) == 1):
            return False
        kind = self._kind02(values, texts, has_data) if self.table.form == "02" else \
            self._kind01(label, texts, has_data)
        if kind == "total" and self._closes_group(self._total_word(label, texts)):
            kind = "subtotal"
        if kind in ("total", "subtotal"):
            self.out.append(Row(r, kind, self.group, self._total_word(label, texts)))
        elif kind == "group":
            self.group, self.group_label = self.group + 1, words
        elif kind in ("unit", "model"):
            self.out.append(Row(r, kind, self.group, self.group_label))
        elif kind == "note":
            self.notes += texts
        self.ledger.rows[r] = kind
        return True

    def _closes_group(self, words: str) -> bool:
        """"Cộng trồng trọt: 12 mô hình" under the heading "I. TRỒNG TRỌT": the group's subtotal."""
        if not self.group_label:
            return False
        rest = normalize_header(words).split(":")[0].split(" ", 1)
        heading = normalize_header(_NUMBERING.sub("", self.group_label))
        return len(rest) == 2 and rest[1].strip() == heading

    def _total_word(self, label: str, texts: list[str]) -> str:
        candidates = [label] if label and self.aliases.kind(label) in ("total", "subtotal") else texts
        return next((t for t in candidates if self.aliases.kind(t) in ("total", "subtotal")), texts[0] if texts else "")

    def _kind01(self, label: str, texts: list[str], has_data: bool) -> str:
        candidates = [label] if label else texts
        first = self.aliases.kind(candidates[0]) if candidates else ""
        if first in ("subtotal", "total"):
            return first
        words = label or (texts[0] if texts else "")
        if not has_data and words and first == "group":
            return "group"
        if not has_data and not label and self.label_col is not None:
            return "note" if texts else "empty"  # text with no unit and no figures: a stray note inside the table
        return "unit"

    def _kind02(self, values: list, texts: list[str], has_data: bool) -> str:
        kinds = [self.aliases.kind(t) for t in texts[:3]]
        filled = [c for c in self.model_cols if c <= len(values) and values[c - 1] not in ("", None)]
        totals = [k for k in kinds if k in ("total", "subtotal")]
        if totals and len(filled) < len(self.model_cols or [0]):
            return totals[0]
        if len(texts) == 1 and not has_data and not filled and kinds[0] == "group":
            return "group"
        if not texts and not has_data and not filled:
            return "empty"
        return "model"


def table_rows(table: Table, aliases: Aliases | None = None) -> tuple[list[Row], Ledger, list[str]]:
    """The rows under the header, up to the notes; the sheet's ledger; the texts of the notes."""
    fill_merged_body(table)
    reader = _Reader(table, aliases or default_aliases())
    rows, ledger = reader.read()
    return rows, ledger, reader.notes
