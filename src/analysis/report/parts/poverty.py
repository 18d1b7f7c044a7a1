"""II. Poverty reduction: the poor and near-poor rate and its yearly fall against the target.
"""

from __future__ import annotations

import pandas as pd

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
        full = [yr for yr in range(self.base, y + 1) if yr not in self.c.mid_years]
        last = full[-1] if full else y  # the last full year
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
            inner = [yr for yr in falls.loc[~falls["judged"], "year"] if yr < y]  # a mid-year figure inside the period
            if not failed and inner:
                verdict = (f"Các năm {_join([str(r.year) for r in judged.itertuples()])} đều đạt" if len(judged) > 1
                           else "Kết quả này đạt") + f" mục tiêu giảm trên {target} điểm phần trăm mỗi năm"
            elif not failed:
                verdict = ("Cả hai năm đều đạt" if len(judged) == 2 else "Các năm đều đạt" if len(judged) > 2
                           else "Kết quả này đạt") + f" mục tiêu giảm trên {target} điểm phần trăm mỗi năm"
            else:
                verdict = f"Mục tiêu giảm trên {target} điểm phần trăm mỗi năm chưa đạt ở năm {_join(failed)}"
            text += _capital("; ".join(pieces)) + f". {verdict}. "
        text += self.mid_year_words(falls)
        blocks.append(Paragraph.of(text.strip()))
        blocks.append(self.figure(charts.poverty_trend(self.c.indicators, self.c.falls, target=self.c.target,
                                                       city_code=self.unit, source=self.source01,
                                                       mid_years=self.c.mid_years)))
        return blocks

    def mid_year_words(self, falls: pd.DataFrame) -> str:
        """What the mid-year figures are and which changes they leave unjudged, year by year."""
        text = ""
        for yr in [yr for yr in self.c.mid_years if yr >= self.first]:
            rate = self.value("poor_near_poor_rate", yr)
            if rate is None or yr not in set(falls["year"]) and yr + 1 not in set(falls["year"]):
                continue
            day = fmt_short_date(self.c.as_of(yr))
            if yr == self.year:
                text += (f"Số liệu đến ngày {day} cho tỉ lệ {fmt_percent(rate)}; đây là số giữa năm, chưa so với mục "
                         "tiêu cả năm. ")
            else:
                text += (f"Số liệu năm {yr} là số đến ngày {day} (tỉ lệ {fmt_percent(rate)}), là số giữa năm: mức "
                         f"thay đổi năm {yr} và năm {yr + 1} không so với mục tiêu cả năm. ")
        return text
