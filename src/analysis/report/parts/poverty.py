"""II. Poverty reduction: the poor and near-poor rate and its yearly fall against the target.
"""

from __future__ import annotations

from analysis.formatting import (
    fmt_number,
    fmt_percent,
    fmt_short_date,
    printed_difference,
)
from analysis.report import charts
from analysis.report.document import (
    Heading,
    Paragraph,
)
from analysis.report.parts.base import (
    Part,
    _capital,
    _join,
    _moved,
)


class Poverty(Part):
    """II. Poverty reduction: the poor and near-poor rate and its yearly fall against the target."""

    def poverty_blocks(self) -> list:
        y = self.year
        falls = self.unit_falls()
        judged = falls[falls["judged"]]
        target = fmt_number(self.c.target, 0)
        last = y if self.p.last_year_complete else y - 1  # the last full year
        rate_base, rate_last = self.value("poor_near_poor_rate", self.base), self.value("poor_near_poor_rate", last)
        blocks: list = [Heading("Giảm nghèo")]
        overall = printed_difference(rate_last, rate_base)
        if rate_base is None or rate_last is None or overall is None:
            text = (f"Số liệu về tỉ lệ hộ nghèo và cận nghèo ĐBDTTS của {self.scope} chưa đủ các năm từ {self.base} "
                    f"đến {last}. ")
        else:
            moved = ("vẫn ở mức" if overall == 0 else "giảm từ" if overall < 0 else "tăng từ")
            text = (f"Tỉ lệ hộ nghèo và cận nghèo ĐBDTTS của {self.scope} {moved} {fmt_percent(rate_base)} cuối năm "
                    f"{self.base}" + ("" if overall == 0 else f" xuống {fmt_percent(rate_last)}" if overall < 0
                                       else f" lên {fmt_percent(rate_last)}") + f" cuối năm {last}. ")
        if len(judged):
            pieces = [f"năm {r.year} {_moved(r)}" for r in judged.itertuples()]
            failed = [str(r.year) for r in judged.itertuples() if not r.meets_target]
            if not failed:
                verdict = ("Cả hai năm đều đạt" if len(judged) == 2 else "Các năm đều đạt" if len(judged) > 2
                           else "Kết quả này đạt") + f" mục tiêu giảm trên {target} điểm phần trăm mỗi năm"
            else:
                verdict = f"Mục tiêu giảm trên {target} điểm phần trăm mỗi năm chưa đạt ở năm {_join(failed)}"
            text += _capital("; ".join(pieces)) + f". {verdict}. "
        mid = falls[~falls["judged"]]
        if len(mid) and self.value("poor_near_poor_rate", y) is not None:
            text += (f"Số liệu đến ngày {fmt_short_date(self.p.data_as_of)} cho tỉ lệ "
                     f"{fmt_percent(self.value('poor_near_poor_rate', y))}; đây là số giữa năm, chưa so với mục tiêu "
                     "cả năm.")
        blocks.append(Paragraph.of(text.strip()))
        blocks.append(self.figure(charts.poverty_trend(self.c.indicators, self.c.falls, target=self.c.target,
                                                       report_year=y, city_code=self.unit, source=self.source01,
                                                       mid_year=not self.p.last_year_complete)))
        return blocks
