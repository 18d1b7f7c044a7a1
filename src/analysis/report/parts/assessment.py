"""III. Assessment (what the figures show as strengths and limits, with the analyst's text);
IV. directions and V. proposals (the analyst's text, numbered).
"""

from __future__ import annotations

from analysis.compute.computed import CAMPAIGN, CITY, DECIMALS
from analysis.formatting import (
    fmt_int,
    fmt_number,
    fmt_percent,
    round_half_up,
)
from analysis.report.document import (
    BulletList,
    Heading,
    Paragraph,
)
from analysis.report.parts.base import (
    ASSESSMENT_PARTS,
    Part,
    _join,
    _moved,
    _numbered,
    _subsections,
)


class Assessment(Part):
    """Parts III, IV and V."""

    def assessment(self, narrative) -> tuple:
        intro, parts = _subsections(narrative.get("Đánh giá chung", ()))
        strengths, limits = self.data_strengths(), self.data_limits()
        blocks: list = list(intro)
        for title in ASSESSMENT_PARTS:
            written = parts.pop(title, [])
            data = strengths if title == "Ưu điểm" else limits if title == "Hạn chế" else []
            if written or data:
                blocks += [Heading(title), *written, *([BulletList(tuple(data))] if data else [])]
        for title, written in parts.items():  # any other sub-heading the analyst wrote, in order
            blocks += [Heading(title), *written]
        return _numbered(blocks)

    def data_strengths(self) -> list[Paragraph]:
        y, items = self.year, []
        if self.is_city:
            ranked = self.c.indicators[(self.c.indicators["indicator"] == "changed_mindset_rate")
                                       & (self.c.indicators["year"] == y) & (self.c.indicators["unit_code"] != CITY)]
            city = round_half_up(self.value("changed_mindset_rate", y), DECIMALS)
            ahead = ranked.dropna(subset=["value"]).sort_values("value", ascending=False)
            ahead = [r for r in ahead.itertuples()
                     if city is not None and (rate := round_half_up(r.value, DECIMALS)) is not None
                     and rate > city and self.material("changed_mindset_rate", rate - city)][:3]
            if ahead:
                items.append(Paragraph.of(
                    f"Dẫn đầu về tỉ lệ hộ thay đổi nếp nghĩ, cách làm năm {y} là "
                    + _join([f"{self.c.names_in_text[r.unit_code]} ({fmt_percent(r.value)})" for r in ahead])
                    + f", đều cao hơn mức chung của {self.area.in_text} ({fmt_percent(city)})."))
            met = self.c.falls[(self.c.falls["unit_code"] != CITY) & self.c.falls["judged"]]
            all_met = met.groupby("unit_code")["meets_target"].all()
            if len(all_met) and all_met.sum():
                items.append(Paragraph.of(
                    f"Có {fmt_int(int(all_met.sum()))}/{fmt_int(len(all_met))} {self.area.units_word} đạt mục tiêu giảm tỉ lệ hộ "
                    f"nghèo và cận nghèo ở tất cả các năm đã đánh giá."))
        else:
            above = [i for i in CAMPAIGN[1:] if (g := self.gap(i)) is not None and g > 0 and self.material(i, g)]
            if above:
                items.append(Paragraph.of(
                    f"Năm {y}, tỉ lệ hộ " + _join([self.what(i) for i in above]) + f" của {self.in_text} cao hơn mức "
                    f"chung của {self.area.in_text} (" + "; ".join(self.gap_text(i) for i in above) + ")."))
            judged = self.unit_falls()[lambda f: f["judged"]]
            good = [r for r in judged.itertuples() if r.meets_target]
            if good:
                items.append(Paragraph.of(
                    "Tỉ lệ hộ nghèo và cận nghèo đạt mục tiêu giảm trên "
                    f"{fmt_number(self.c.target, 0)} điểm phần trăm " + _join([f"năm {r.year} ({_moved(r)})"
                                                                             for r in good]) + "."))
        return items

    def data_limits(self) -> list[Paragraph]:
        y, items, target = self.year, [], fmt_number(self.c.target, 0)
        if self.is_city:
            behind = self.c.falls[(self.c.falls["unit_code"] != CITY) & self.c.falls["judged"]
                                  & (self.c.falls["meets_target"] == False)]  # noqa: E712
            for year, group in behind.sort_values(["year", "fall"]).groupby("year"):
                items.append(Paragraph.of(
                    f"Năm {year} có {fmt_int(len(group))} {self.area.units_word} chưa đạt mục tiêu giảm tỉ lệ hộ nghèo và cận "
                    f"nghèo trên {target} điểm phần trăm: "
                    + "; ".join(f"{self.c.names_in_text[r.unit_code]} ({_moved(r)})"
                                for r in group.itertuples()) + "."))
        else:
            below = [i for i in CAMPAIGN[1:] if (g := self.gap(i)) is not None and g < 0 and self.material(i, g)]
            if below:
                items.append(Paragraph.of(
                    f"Năm {y}, tỉ lệ hộ " + _join([self.what(i) for i in below]) + f" còn thấp hơn mức chung của "
                    f"{self.area.in_text} (" + "; ".join(self.gap_text(i) for i in below) + ")."))
            judged = self.unit_falls()[lambda f: f["judged"]]
            bad = [r for r in judged.itertuples() if not r.meets_target]
            if bad:
                items.append(Paragraph.of(
                    f"Tỉ lệ hộ nghèo và cận nghèo chưa đạt mục tiêu giảm trên {target} điểm phần trăm "
                    + _join([f"năm {r.year} ({_moved(r)})" for r in bad]) + "."))
        return items

    def material(self, indicator: str, gap: float) -> bool:
        """Whether a printed gap is large enough to be called a strength or a limit (indicators.yaml
        `materiality`); a smaller one is "tương đương"."""
        return round(abs(gap), DECIMALS) >= self.c.definitions[indicator].materiality

    def narrative_part(self, narrative, title: str) -> tuple:
        blocks = [Heading(b.text, 2) if isinstance(b, Heading) else b for b in narrative.get(title, ())]
        return _numbered(blocks)
