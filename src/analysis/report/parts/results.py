"""I. Leadership and organisation; II. results: the campaign's indicators, cooperatives, then
the models and poverty parts.
"""

from __future__ import annotations

from analysis.compute.computed import CAMPAIGN, CITY, DECIMALS
from analysis.formatting import (
    fmt_change,
    fmt_int,
    fmt_number,
    fmt_percent,
    fmt_rate,
    fmt_short_date,
    printed_difference,
)
from analysis.report import charts
from analysis.report.document import (
    Heading,
    Paragraph,
    Run,
)
from analysis.report.narrative import RESULT_TOPICS
from analysis.report.parts.base import (
    LEADERSHIP,
    RESULTS,
    _capital,
    _numbered,
    _subsections,
)
from analysis.report.parts.models import Models
from analysis.report.parts.poverty import Poverty


class Results(Models, Poverty):
    """Parts I and II (II takes the models and poverty parts after the campaign's indicators)."""

    def leadership(self, narrative) -> tuple:
        blocks: list = list(narrative.get(LEADERSHIP, ()))
        blocks = [Heading(b.text, 3) if isinstance(b, Heading) else b for b in blocks]
        y, f = self.year, self.first
        informed_now, informed_then = self.value("informed_rate", y), self.value("informed_rate", f)
        households = self.count("households", y)
        if informed_now is None or households is None:
            text = f"Năm {y}, {self.scope} chưa có số liệu về số hộ được tuyên truyền, phổ biến nội dung Cuộc vận động"
            extra = _subsections(narrative.get(RESULTS, ()))[1].get("Công tác tuyên truyền, phổ biến", [])
            heading = [Heading("Công tác tuyên truyền, phổ biến")] if blocks else []
            return _numbered(([Heading("Công tác lãnh đạo, chỉ đạo")] + blocks if blocks else [])
                             + heading + [Paragraph.of(text + "."), *extra])
        informed = self.count("informed_rate", y)
        reached = (f"toàn bộ {fmt_int(households)}" if informed == households and households is not None
                   else f"{fmt_int(informed)} trong tổng số {fmt_int(households)}")
        text = (f"Đến ngày {fmt_short_date(self.c.as_of(y))}, nội dung Cuộc vận động đã được tuyên truyền, phổ biến "
                f"đến {reached} hộ đồng bào dân tộc thiểu số (ĐBDTTS) của {self.scope}, đạt {fmt_rate(informed_now)}"
                f"{self.city_aside('informed_rate', y)}")  # the area's figure of the same year, beside it
        if informed_then is not None:
            text += f"; năm {f}, tỉ lệ này là {fmt_rate(informed_then)}"
        text += "."
        extra = _subsections(narrative.get(RESULTS, ()))[1].get("Công tác tuyên truyền, phổ biến", [])
        heading = [Heading("Công tác tuyên truyền, phổ biến")] if blocks else []
        return _numbered(([Heading("Công tác lãnh đạo, chỉ đạo")] + blocks if blocks else [])
                         + heading + [Paragraph.of(text), *extra])

    def results(self, narrative) -> tuple:
        y, f = self.year, self.first
        intro, extras = _subsections(narrative.get(RESULTS, ()))
        blocks: list = list(intro)
        mindset = "changed_mindset_rate"
        for indicator, heading, what, lead, variant in (
            (mindset, "Thay đổi nếp nghĩ, cách làm", "thay đổi nếp nghĩ, cách làm",
             "nhiều hộ đồng bào đã bỏ dần tập quán sản xuất lạc hậu, chủ động vươn lên: ", 0),
            ("applied_science_rate", "Ứng dụng khoa học - kỹ thuật vào sản xuất", "biết áp dụng khoa học - kỹ thuật",
             "việc đưa tiến bộ khoa học - kỹ thuật vào trồng trọt, chăn nuôi được đồng bào đón nhận; ", 1),
            ("improved_life_rate", "Đời sống vật chất, tinh thần", "có đời sống được cải thiện",
             "đời sống vật chất, tinh thần của đồng bào từng bước được nâng lên. ", 2),
        ):
            blocks += [Heading(heading), self.topic(indicator, what, lead, variant), *extras.get(heading, [])]
        labels = {k: self.c.definitions[k].short_label for k in CAMPAIGN}
        blocks.append(self.figure(charts.rates_by_year(self.c.indicators, labels, years=(f, y), city_code=self.unit,
                                                       source=self.source01)))
        if self.is_city:
            ranked = self.c.indicators[(self.c.indicators["indicator"] == mindset) & (self.c.indicators["year"] == y)
                                       & (self.c.indicators["unit_code"] != CITY)].dropna(subset=["value"])
            if len(ranked) > 1:
                ranked = ranked.sort_values("value")
                bottom, top = ranked.iloc[0], ranked.iloc[-1]
                # The facts and the gap; whether that is uneven is the analyst's judgement (narrative), not
                # the program's: a 0,4-point gap among rates of 99% was printed as "chưa đồng đều".
                gap = printed_difference(top["value"], bottom["value"])
                blocks.append(Paragraph.of(
                    f"Năm {y}, tỉ lệ hộ thay đổi nếp nghĩ, cách làm của các {self.area.units_word} đều ở mức "
                    f"{fmt_percent(top['value'])}." if gap == 0 else
                    f"Giữa các {self.area.units_word}, tỉ lệ hộ thay đổi nếp nghĩ, cách làm năm {y} cao "
                    f"nhất ở {self.c.names_in_text[top['unit_code']]} ({fmt_percent(top['value'])}), thấp nhất ở "
                    f"{self.c.names_in_text[bottom['unit_code']]} ({fmt_percent(bottom['value'])}), chênh lệch "
                    f"{fmt_number(gap, DECIMALS)} điểm phần trăm."))
                blocks.append(self.figure(charts.unit_rates(
                    self.c.indicators, indicator=mindset, label="Tỉ lệ hộ ĐBDTTS thay đổi nếp nghĩ, cách làm",
                    year=y, unit_names=self.c.unit_names, source=self.source01, area=self.area)))
        coop_now, coop_then = self.count("coop_rate", y), self.count("coop_rate", f)
        coop_change = self.change("coop_rate")
        if coop_now is None or self.value("coop_rate", y) is None:
            coop = f"Năm {y}, {self.scope} chưa có số liệu về số hộ tham gia tổ hợp tác, hợp tác xã"
        else:
            lead = "Việc liên kết trong sản xuất có chuyển biến: " if coop_change is not None and coop_change > 0 else ""
            coop = _capital(f"{lead}{fmt_int(coop_now)} hộ ĐBDTTS đã tham gia tổ hợp tác, hợp tác xã, chiếm "
                            f"{fmt_percent(self.value('coop_rate', y))} số hộ") if lead else (
                f"Số hộ ĐBDTTS tham gia tổ hợp tác, hợp tác xã là {fmt_int(coop_now)}, chiếm "
                f"{fmt_percent(self.value('coop_rate', y))} số hộ")
            if coop_then is not None and self.value("coop_rate", f) is not None:
                coop += (f"; năm {f} có {fmt_int(coop_then)} hộ ({fmt_percent(self.value('coop_rate', f))}), tỉ lệ "
                         f"{fmt_change(coop_change)}")
        blocks += [Heading("Tham gia tổ hợp tác, hợp tác xã"), Paragraph.of(coop + "."),
                   *extras.get("Tham gia tổ hợp tác, hợp tác xã", [])]
        blocks += self.models_blocks() + extras.get("Xây dựng, duy trì và nhân rộng mô hình phát triển kinh tế", [])
        blocks += self.poverty_blocks() + extras.get("Giảm nghèo", [])
        for title, written in extras.items():  # a sub-heading of the author's own (the reader warned of it)
            if title not in RESULT_TOPICS and written:
                blocks += [Heading(title), *written]
        return _numbered(blocks)

    def topic(self, indicator: str, what: str, lead: str, variant: int) -> Paragraph:
        """One campaign indicator in words: its rate, the count, the city's rate (in a unit's
        report) and the change since the first year. The encouraging `lead` only when the rate
        rose; three sentence shapes so that the parts do not read alike."""
        y, f = self.year, self.first
        now, then, count = self.value(indicator, y), self.value(indicator, f), self.count(indicator, y)
        if now is None:
            return Paragraph.of(f"Năm {y}, {self.scope} chưa có số liệu về số hộ {what}.")
        change = self.change(indicator)
        lead = lead if change is not None and change > 0 else ""
        rate = Run(fmt_percent(now), bold=True)
        if variant == 0:
            since = (f" So với năm {f} ({fmt_percent(then)}), tỉ lệ này {fmt_change(change)}." if then is not None
                     else f" Năm {f} chưa có số liệu để so sánh.")
            runs = (Run(_capital(f"{lead}có {fmt_int(count)} hộ {what}, chiếm ")), rate,
                    Run(f" số hộ ĐBDTTS{self.city_aside(indicator, y)}.{since}"))
        elif variant == 1:
            since = (f"{fmt_change(change)} so với năm {f} ({fmt_percent(then)})" if then is not None
                     else f"năm {f} chưa có số liệu để so sánh")
            runs = (Run(_capital(f"{lead}năm {y}, tỉ lệ hộ {what} là ")), rate,
                    Run(f" ({fmt_int(count)} hộ{self.city_aside(indicator, y, inside=True)}), {since}."))
        else:
            since = (f"mức năm {f} là {fmt_percent(then)}, như vậy tỉ lệ {fmt_change(change)}" if then is not None
                     else f"năm {f} chưa có số liệu để so sánh")
            runs = (Run(_capital(f"{lead}Tính đến ngày {fmt_short_date(self.c.as_of(y))}, {fmt_int(count)} hộ {what}, "
                                 "bằng ")), rate,
                    Run(f" số hộ ĐBDTTS{self.city_aside(indicator, y)}; {since}."))
        return Paragraph(runs)
