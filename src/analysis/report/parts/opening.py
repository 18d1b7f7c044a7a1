"""The header of the document (Meta), its opening paragraph(s) and the key figures.
"""

from __future__ import annotations

from analysis.formatting import (
    fmt_change,
    fmt_int,
    fmt_number,
    fmt_percent,
    fmt_rate,
    fmt_short_date,
)
from analysis.maps import load_crosswalk, map_for_year
from analysis.report.document import (
    KeyFigure,
    Meta,
    Paragraph,
)
from analysis.report.parts.base import (
    Part,
    _capital,
    _join,
)
from analysis.vocabulary import area_on, citation, province_merger


class Opening(Part):
    """The header of the document (Meta), its opening paragraph(s) and the key figures."""

    def meta(self) -> Meta:
        p = self.p
        if self.is_city:
            return Meta(issuer_parent=p.issuer_parent, issuer=p.issuer, number=p.number, place=p.place,
                        date=p.review_date, doc_type=p.doc_type, title=self.title, period=p.period, unit_code=self.unit,
                        unit_name=self.name, data_as_of=self.c.as_of(self.year), signer_on_behalf=p.signer_on_behalf,
                        signer_title=p.signer_title, signer_name=p.signer_name, recipients=p.recipients, draft=p.draft,
                        review_kind=p.review_kind)
        return Meta(
            issuer_parent=self.setting("issuer_parent", f"ĐẢNG BỘ {self.area.name.upper()}"),
            issuer=self.setting("issuer", "ĐẢNG ỦY {UNIT}"),
            number=self.setting("number", "Số       -BC/ĐU"),
            place=self.setting("place", p.place), date=p.review_date, doc_type=p.doc_type,
            title=self.setting("title", self.title), period=p.period, unit_code=self.unit, unit_name=self.name,
            data_as_of=self.c.as_of(self.year), signer_on_behalf=self.setting("signer_on_behalf", "T/M ĐẢNG ỦY"),
            signer_title=self.setting("signer_title", "BÍ THƯ"), signer_name=self.setting("signer_name", ""),
            recipients=self.setting_lines("recipients") or ("- Lưu Văn phòng Đảng ủy.",),
            draft=p.draft, review_kind=p.review_kind,
        )

    def opening(self, meta: Meta) -> tuple:
        basis = self.setting("basis", self.p.basis) if not self.is_city else self.p.basis
        reporter = self.setting("reporter", self.p.reporter) if not self.is_city else self.p.reporter
        campaign = f"Cuộc vận động “{self.p.campaign}” (sau đây gọi là Cuộc vận động)" if self.p.campaign \
            else "Cuộc vận động"
        lead = f"Thực hiện {basis}, " if basis else ""
        who = reporter or meta.issuer.capitalize()
        where = self.in_text
        if self.is_city and self.area.scope_note:
            where += " – " + self.area.scope_note.format(count=fmt_int(len(self.c.units)),
                                                         units_word=self.area.units_word) + " –"
        until = (f"đến hết năm {self.year}" if self.c.last_year_complete
                 else f"đến tháng {self.c.as_of(self.year).month} năm {self.year}")
        text = (f"{lead}{who} báo cáo {self.review.lower()} thực hiện {campaign} trên địa bàn "
                f"{where}{'' if where.endswith('–') else ','} từ năm {self.first} {until}, như sau:")
        blocks = [Paragraph.of(_capital(text))]
        if self.c.regrouped:
            blocks.append(Paragraph.of(self.regrouped_note()))
        return tuple(blocks)

    def regrouped_note(self) -> str:
        """The reorganisation in administrative words, each resolution with its date and issuer
        (legal.yaml), and which years were summed from the units of the older map. How the rates
        were made again is the companion's (method_note)."""
        years = self.regrouped_years()
        if not years:
            return ""
        crosswalk = load_crosswalk()
        numbers = [r for r in dict.fromkeys(crosswalk["resolution"]) if r]
        span = f"các năm {years[0]}–{years[-1]}" if len(years) > 1 else f"năm {years[0]}"
        older = map_for_year(years[-1])
        old_word = area_on(older["valid_to"].max().date()).units_word if older["valid_to"].notna().any() \
            else self.area.units_word
        since = fmt_short_date(crosswalk["effective"].max().date())
        merger = province_merger()
        text = f"Theo {merger[0]}, từ ngày {since}, {merger[1]}; " if merger and merger[1] else ""
        by = _join([citation(n) for n in numbers])
        if self.is_city:
            text += (f"theo {by}, {fmt_int(len(older))} {old_word} của {self.area.in_text} được sắp xếp "
                     f"thành {fmt_int(len(self.c.units))} {self.area.units_word}. Số liệu {span} của từng "
                     f"{self.area.units_word} hiện nay là tổng số liệu của các {old_word} cũ hợp thành.")
        else:
            members = set(crosswalk[crosswalk["new_code"] == self.unit]["old_code"])
            older = older[older["code"].isin(members)]
            names = _join([f"{kind.lower()} {name}" for kind, name in zip(older["type"], older["name"])])
            text += (f"theo {by}, {self.in_text} được sắp xếp từ {fmt_int(len(older))} đơn vị cũ "
                     f"({names}). Số liệu {span} của {self.in_text} là tổng số liệu của các đơn vị đó.")
        return _capital(text)

    def regrouped_years(self) -> list[int]:
        own = set(zip(self.c.units["code"], self.c.units["name"]))
        return [yr for yr in range(self.base, self.year + 1)
                if set(zip(map_for_year(yr)["code"], map_for_year(yr)["name"])) != own]

    def method_notes(self) -> tuple[str, ...]:
        """How the figures were made, for the companion: never in the signed text."""
        if not self.c.regrouped or not self.regrouped_years():
            return ()
        return ("Số liệu các năm trước ngày sắp xếp được cộng theo bảng chuyển đổi đơn vị (data/reference/"
                "crosswalk.csv); các tỉ lệ được tính lại từ tổng số hộ, không lấy bình quân các tỉ lệ.",)

    def key_figures(self) -> tuple[KeyFigure, ...]:
        figures = [KeyFigure("Hộ ĐBDTTS được tuyên truyền, phổ biến", fmt_int(self.count("informed_rate", self.year)),
                             fmt_rate(self.value("informed_rate", self.year)))]
        for indicator, label in (("changed_mindset_rate", "Hộ thay đổi nếp nghĩ, cách làm"),
                                 ("applied_science_rate", "Hộ áp dụng khoa học - kỹ thuật"),
                                 ("improved_life_rate", "Hộ có đời sống được cải thiện")):
            figures.append(KeyFigure(label, fmt_percent(self.value(indicator, self.year)),
                                     f"{fmt_change(self.change(indicator))} so với năm {self.first}",
                                     count=f"{fmt_int(self.count(indicator, self.year))} hộ"))
        figures.append(KeyFigure("Mô hình kinh tế đã xây dựng", fmt_int(len(self.models)),
                                 f"{fmt_int((self.models['status'] == 'maintained').sum())} đang duy trì, "
                                 f"{fmt_int((self.models['status'] == 'replicated').sum())} đã nhân rộng"))
        judged = self.unit_falls()[lambda f: f["judged"]]
        poverty, base = self.value("poor_near_poor_rate", self.year), self.value("poor_near_poor_rate", self.base)
        if len(judged) and poverty is not None:
            # the headline rate, where it started, and how many judged years met the target: read at a
            # glance on a phone (one clause per year made a bold paragraph of five clauses)
            since = f"năm {self.base}: {fmt_percent(base)}; " if base is not None else ""
            met = int(judged["meets_target"].fillna(False).sum())
            figures.append(KeyFigure("Tỉ lệ hộ nghèo và cận nghèo", fmt_percent(poverty),
                                     f"{since}đạt mục tiêu giảm trên {fmt_number(self.c.target, 0)} điểm phần trăm "
                                     f"{fmt_int(met)}/{fmt_int(len(judged))} năm"))
        return tuple(figures)
