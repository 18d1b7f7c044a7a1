"""The appendices: Phụ lục I (results by unit, or by year for a unit), Phụ lục II (models).
"""

from __future__ import annotations

import pandas as pd

from analysis.compute.computed import CAMPAIGN, CITY, DECIMALS
from analysis.compute.retention import by_group, cohort_table
from analysis.formatting import (
    fmt_number,
    fmt_short_date,
    round_half_up,
)
from analysis.report.document import (
    Column,
    Paragraph,
    Section,
)
from analysis.report.parts.base import (
    Part,
    _capital,
)
from analysis.vocabulary import STATUSES, measure, measure_line, sector_labels, status_label


class Appendices(Part):
    """The appendices: Phụ lục I (results by unit, or by year for a unit), Phụ lục II (models)."""

    def appendix_results(self) -> Section:
        y = self.year
        columns = [Column("Đơn vị"), Column("Tổng số hộ ĐBDTTS", "count")]
        for label in ("Được tuyên truyền", "Thay đổi nếp nghĩ", "Áp dụng khoa học - kỹ thuật", "Đời sống cải thiện"):
            columns += [Column(f"{label} (hộ)", "count"), Column(f"{label} (%)", "rate", 1)]
        columns += [Column("Tham gia tổ hợp tác, hợp tác xã (hộ)", "count"),
                    Column("Tham gia tổ hợp tác, hợp tác xã (%)", "rate", 1), Column("Hộ nghèo và cận nghèo (%)", "rate", 1)]
        note = "Các tỉ lệ tính trên tổng số hộ ĐBDTTS của đơn vị trong cùng năm."

        def row(unit: str, year: int, label: str) -> tuple:
            values: list = [label, self.count("households", year, unit)]
            for indicator in CAMPAIGN:
                values += [self.count(indicator, year, unit), self.value(indicator, year, unit)]
            return tuple(values + [self.count("coop_rate", year, unit), self.value("coop_rate", year, unit),
                                   self.value("poor_near_poor_rate", year, unit)])

        if self.is_city:
            codes = list(self.c.units["code"])
            rows = [row(code, y, self.c.unit_names[code]) for code in codes]
            main = self.table(f"Kết quả thực hiện Cuộc vận động theo {self.area.units_word} năm {y}", columns, rows,
                              unit=measure_line("households", "percent"), source=self.source01, totals=row(CITY, y, _capital(self.area.whole)),
                              note=note, wide=True)
        else:
            columns[0] = Column("Năm")
            rows = [row(self.unit, year, str(year)) for year in range(self.first, y + 1)]
            rows.append(row(CITY, y, f"{_capital(self.area.whole)} năm {y}"))
            main = self.table(f"Kết quả thực hiện Cuộc vận động của {self.in_text} qua các năm, so với "
                              f"{self.area.whole}", columns, rows, unit=measure_line("households", "percent"), source=self.source01,
                              note=note, wide=True)
        title = f"KẾT QUẢ THỰC HIỆN THEO {self.area.units_word.upper()}" if self.is_city else "KẾT QUẢ THỰC HIỆN QUA CÁC NĂM"
        over_years = None
        if self.is_city:  # the area's own figures year by year: what the text compares the last year with
            columns[0] = Column("Năm")
            over_years = self.table(f"Kết quả thực hiện Cuộc vận động của {self.area.whole} qua các năm", columns,
                                    [row(CITY, year, str(year)) for year in range(self.first, y + 1)],
                                    unit=measure_line("households", "percent"), source=self.source01, note=note,
                                    wide=True)
        poverty = self.appendix_poverty()
        return Section("Phụ lục I", title, (main, poverty) if over_years is None else (main, over_years, poverty))

    def appendix_poverty(self):
        """The poor and near-poor rate of each unit by year, its yearly change and the target."""
        y = self.year
        years = list(range(self.base, y + 1))
        mid = self.c.mid_years  # mid-year figures are marked, and the changes they enter are not judged
        star = lambda yr: "*" if yr in mid else ""  # noqa: E731
        poverty_columns = [Column("Đơn vị")] + [Column(f"Năm {yr}" + star(yr), "rate", 1) for yr in years]
        change_years = years[1:]
        # "Năm 2021 so với năm 2020 (điểm phần trăm)": shorter than "Thay đổi so với năm trước, năm 2021 (…)"
        poverty_columns += [Column(f"Năm {yr}" + star(yr) + f" so với năm {yr - 1}" + star(yr - 1) + " (điểm phần trăm)",
                                   "points", 1) for yr in change_years]
        judged = [yr for yr in change_years if yr not in mid and yr - 1 not in mid]
        span = _years_span(judged)
        poverty_columns += [Column(f"Đạt mục tiêu ({span})" if span else "Đạt mục tiêu")]
        codes = list(self.c.units["code"]) if self.is_city else [self.unit]
        poverty_rows = []
        for code in codes + [CITY]:
            falls = self.c.falls[self.c.falls["unit_code"] == code].set_index("year")
            values = [round_half_up(self.value("poor_near_poor_rate", yr, code), DECIMALS) for yr in years]
            changes = [None if yr not in falls.index or pd.isna(falls.at[yr, "change"]) else float(falls.at[yr, "change"])
                       for yr in change_years]
            met = [falls.at[yr, "meets_target"] for yr in change_years if yr in falls.index and falls.at[yr, "judged"]]
            verdict = "–" if not met or any(pd.isna(m) for m in met) else ("Đạt" if all(met) else "Chưa đạt")
            label = _capital(self.area.whole) if code == CITY else self.c.unit_names[code]
            poverty_rows.append(tuple([label, *values, *changes, verdict]))
        totals = poverty_rows.pop() if self.is_city else None
        poverty = self.table(
            f"Tỉ lệ hộ nghèo và cận nghèo ĐBDTTS và thay đổi so với năm trước, {self.base}–{y}", poverty_columns,
            poverty_rows, unit=measure_line("percent", f"thay đổi so với năm trước: {measure('points')} (số âm là giảm)"),
            source=self.source01, totals=totals, key="poverty",
            note=(self.mid_year_note(years) + f"Mục tiêu: mỗi năm giảm trên {fmt_number(self.c.target, 0)} điểm "
                  "phần trăm. Mức thay đổi là hiệu của hai tỉ lệ đã làm tròn in trong bảng."))
        return poverty

    def mid_year_note(self, years: list[int]) -> str:
        """"(*) Năm 2023: số liệu đến ngày 15/6/2023, chưa đánh giá theo mục tiêu năm. " (a year inside
        the period: the change after it is not judged either)."""
        notes = []
        for yr in [yr for yr in self.c.mid_years if yr in years]:
            day = fmt_short_date(self.c.as_of(yr))
            if yr == years[-1]:
                notes.append(f"(*) Năm {yr}: số liệu đến ngày {day}, chưa đánh giá theo mục tiêu năm. ")
            else:
                notes.append(f"(*) Năm {yr}: số liệu đến ngày {day} (số giữa năm); mức thay đổi năm {yr} và năm "
                             f"{yr + 1} chưa đánh giá theo mục tiêu năm. ")
        return "".join(notes)

    def appendix_models(self) -> Section:
        models, y = self.models, self.year
        status_columns = [Column("Xây dựng", "count"), *(Column(status_label(s), "count") for s in STATUSES),
                          Column("Tỉ lệ duy trì (%)", "rate", 1), Column("Tỉ lệ nhân rộng (%)", "rate", 1)]
        values = _status_values
        note = (f"Tỉ lệ duy trì: số mô hình đang duy trì hoặc đã nhân rộng trên số mô hình xây dựng trước năm {y}; "
                f"tỉ lệ nhân rộng: số mô hình đã nhân rộng trên số mô hình xây dựng trước năm {y}. Mô hình xây dựng năm "
                f"{y} chưa đủ thời gian để đánh giá: tỉ lệ của năm đó ghi dấu “–”.")
        if models.empty:
            return Section("Phụ lục II", "MÔ HÌNH PHÁT TRIỂN KINH TẾ",
                           (Paragraph.of(f"{_capital(self.in_text)} chưa có mô hình nào trong danh sách theo dõi."),))
        blocks: list = []
        all_rates = _status_values(next(by_group(models.assign(everything="all"), "everything").itertuples()))
        cohorts = cohort_table(models, report_year=y)
        blocks.append(self.table("Mô hình theo năm xây dựng", [Column("Năm xây dựng"), *status_columns],
                                 [(str(r.year_built), *values(r)) for r in cohorts.itertuples()],
                                 unit=measure_line("models", "percent"), source=self.source02, totals=("Tổng cộng", *all_rates),
                                 note=note))
        labels = sector_labels()
        sectors = by_group(models, "sector")
        sectors = sectors.sort_values("sector", key=lambda s: s.map(list(labels).index), kind="stable")  # "Khác" last
        blocks.append(self.table("Mô hình theo lĩnh vực", [Column("Lĩnh vực"), *status_columns],
                                 [(labels.get(r.sector, r.sector), *values(r)) for r in sectors.itertuples()],
                                 unit=measure_line("models", "percent"), source=self.source02, totals=("Tổng cộng", *all_rates)))
        if self.is_city:
            units = by_group(models, "unit_code").set_index("unit_code").reindex(self.c.units["code"])
            units.index.name = "unit_code"
            rows = [(self.c.unit_names[r.unit_code], 0, 0, 0, 0, 0, None, None) if pd.isna(r.built)
                    else (self.c.unit_names[r.unit_code], *values(r)) for r in units.reset_index().itertuples()]
            blocks.append(self.table(f"Mô hình theo {self.area.units_word}", [Column("Đơn vị"), *status_columns], rows,
                                     unit=measure_line("models", "percent"), source=self.source02,
                                     totals=(_capital(self.area.whole), *all_rates)))
        return Section("Phụ lục II", "MÔ HÌNH PHÁT TRIỂN KINH TẾ", tuple(blocks))


def _years_span(years: list[int]) -> str:
    """"2021–2022", "2021–2022, 2025", "2021": the years judged, runs joined by a dash."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


def _status_values(row) -> tuple:
    """A row of the model tables: counts by status and the judged cohorts' rates."""
    return (row.built, row.maintained, row.replicated, row.stopped, row.new,
            None if pd.isna(row.retention_rate) else row.retention_rate,
            None if pd.isna(row.replication_rate) else row.replication_rate)
