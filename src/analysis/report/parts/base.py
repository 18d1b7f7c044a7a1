"""The report being built, shared by every part (analysis.report.parts): its numbers (through
the Lookup of the computed indicators), its settings, its tables and figures (numbered in order
of appearance), and the small wording helpers of the parts.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import pandas as pd

from analysis.compute.computed import CITY, Computed
from analysis.compute.indicators import Lookup
from analysis.formatting import (
    fmt_cell,
    fmt_change,
    fmt_percent,
    fmt_rate,
    fmt_short_date,
    printed_difference,
)
from analysis.report import chart_theme
from analysis.report.document import (
    Column,
    Heading,
    Table,
)
from analysis.report.narrative import ASSESSMENT_PARTS, LEADERSHIP, RESULTS  # noqa: F401 (the parts' names)
from analysis.report.params import ReportParams, narrative_file_for



def _moved(fall) -> str:
    """A row of printed_falls in words, with the two printed rates it is the difference of:
    "giảm 4,3 điểm phần trăm, từ 22,0% xuống 17,7%"; "không đổi, ở mức 5,4%"."""
    if fall.change == 0:
        return f"không đổi, ở mức {fmt_percent(fall.rate)}"
    direction = "lên" if fall.change > 0 else "xuống"
    return f"{fmt_change(fall.change)}, từ {fmt_percent(fall.previous_rate)} {direction} {fmt_percent(fall.rate)}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(parts: list[str]) -> str:
    """"a", "a và b", "a, b và c"."""
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " và " + parts[-1]


def as_of_text(computed: Computed) -> str:
    """"năm 2023 tính đến ngày 15/6/2023": the days of the mid-year years and of the last year."""
    end = computed.period[1]
    years = [*[y for y in computed.mid_years if y < end], end]
    return "; ".join(f"năm {y} tính đến ngày {fmt_short_date(computed.as_of(y))}" for y in years)


def _subsections(blocks: tuple) -> tuple[list, dict[str, list]]:
    """A narrative section split at its "### …" headings: (blocks before the first, {title: blocks})."""
    intro: list = []
    parts: dict[str, list] = {}
    current = intro
    for block in blocks:
        if isinstance(block, Heading):
            current = parts.setdefault(block.text.strip(), [])
        else:
            current.append(block)
    return intro, parts


def _numbered(blocks: list) -> tuple:
    """Number the headings of a part as a Party document does: "1.", "2." (level 2) and "a)",
    "b)" under each (level 3)."""
    out, major, minor = [], 0, 0
    for block in blocks:
        if isinstance(block, Heading) and block.level == 2:
            major, minor = major + 1, 0
            out.append(Heading(f"{major}. {block.text}", 2))
        elif isinstance(block, Heading):
            minor += 1
            out.append(Heading(f"{chr(ord('a') + minor - 1)}) {block.text}", 3))
        else:
            out.append(block)
    return tuple(out)


class Part:
    """Builds one report; numbers tables and figures in order of appearance."""

    def __init__(self, computed: Computed, params: ReportParams, unit_code: str):
        self.c = computed
        self.area = computed.area
        self.p = params
        self.unit = unit_code
        self.is_city = unit_code == CITY
        self.name = computed.unit_names[unit_code]
        self.in_text = computed.names_in_text[unit_code]
        self.first, self.year = params.period
        self.base = self.first - 1
        self.tables = 0
        self.figures = 0
        self.models = computed.models if self.is_city else computed.models[computed.models["unit_code"] == unit_code]
        self.settings = {} if self.is_city else params.unit_settings(unit_code)
        self.narrative_file = self._narrative_file()
        self.narrative_warnings: tuple[str, ...] = ()
        self.narrative_missing: tuple[str, ...] = ()
        source_units = f"các {self.area.units_word}" if self.is_city else self.in_text
        self.source01 = f"Nguồn: Biểu 01 của {source_units}; {as_of_text(computed)}"
        self.source02 = f"Nguồn: Biểu 02 (danh sách mô hình) của {source_units}"
        self.review = params.review_for(computed.last_year_complete)  # "Sơ kết 2 năm": as the forms' dates say
        self.title = params.title_for(computed.last_year_complete)

    def value(self, indicator: str, year: int, unit: str | None = None) -> float | None:
        return self.cells.value(indicator, year, unit or self.unit)

    def count(self, indicator: str, year: int, unit: str | None = None) -> float | None:
        return self.cells.count(indicator, year, unit or self.unit)

    @cached_property
    def cells(self) -> Lookup:
        return Lookup(self.c.indicators)

    def change(self, indicator: str, unit: str | None = None) -> float | None:
        """The change since the first year of the period, from the printed rates."""
        return printed_difference(self.value(indicator, self.year, unit), self.value(indicator, self.first, unit))

    def _fill(self, text: object) -> str:
        """{UNIT} ("XÃ IA CHIM"), {unit} ("xã Ia Chim"), {name} ("Ia Chim"), {AREA} and {review}
        ("Sơ kết 2 năm") filled in."""
        short = dict(zip(self.c.units["code"], self.c.units["name"])).get(self.unit, self.name)
        return str(text).format(UNIT=self.name.upper(), unit=self.in_text, name=short, AREA=self.area.name.upper(),
                                review=self.review)

    def setting(self, name: str, default: str = "") -> str:
        """A unit report's setting, its placeholders filled in (_fill)."""
        return self._fill(self.settings.get(name, default))

    def setting_lines(self, name: str) -> tuple[str, ...]:
        """A unit report's setting that is a list of lines ("recipients"), each filled in."""
        value = self.settings.get(name, ())
        return tuple(self._fill(v) for v in value) if isinstance(value, tuple) else (self._fill(value),)

    def _narrative_file(self) -> Path | None:
        return narrative_file_for(self.p, self.c.units, self.unit)

    @property
    def scope(self) -> str:
        return self.area.whole if self.is_city else self.in_text

    def table(self, title: str, columns: list[Column], rows: list[tuple], *, unit: str, source: str,
              totals: tuple | None = None, note: str = "", wide: bool = False, key: str = "") -> Table:
        self.tables += 1
        text = tuple(tuple(fmt_cell(v, col.kind, col.decimals) for v, col in zip(row, columns)) for row in rows)
        totals_text = None if totals is None else tuple(fmt_cell(v, col.kind, col.decimals) for v, col in zip(totals, columns))
        if any("–" in cell for row in text for cell in row) and "–" not in note:
            note = (note + " " if note else "") + "Dấu “–”: không có số liệu."
        return Table(self.tables, title, tuple(columns), tuple(rows), text, unit, source, totals, totals_text, note, wide,
                     key)

    def figure(self, chart: chart_theme.Chart):
        self.figures += 1
        return chart_theme.to_figure_block(chart, self.figures)

    def unit_falls(self, unit: str | None = None) -> pd.DataFrame:
        return self.c.falls[self.c.falls["unit_code"] == (unit or self.unit)].dropna(subset=["change"]).sort_values("year")

    def city_aside(self, indicator: str, year: int, *, inside: bool = False) -> str:
        """" (toàn thành phố: 98,8%)" in a unit's report, or "; toàn thành phố: 98,8%" `inside`
        a parenthesis already open; nothing in the area's own report."""
        if self.is_city:
            return ""
        text = f"{self.area.whole}: {fmt_rate(self.value(indicator, year, CITY))}"
        return f"; {text}" if inside else f" ({text})"

    def gap(self, indicator: str) -> float | None:
        return printed_difference(self.value(indicator, self.year), self.value(indicator, self.year, CITY))

    def gap_text(self, indicator: str) -> str:
        return (f"{fmt_percent(self.value(indicator, self.year))} so với "
                f"{fmt_percent(self.value(indicator, self.year, CITY))}")

    @staticmethod
    def what(indicator: str) -> str:
        return {"changed_mindset_rate": "thay đổi nếp nghĩ, cách làm",
                "applied_science_rate": "áp dụng khoa học - kỹ thuật",
                "improved_life_rate": "có đời sống được cải thiện"}[indicator]
