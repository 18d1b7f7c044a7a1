"""The report's content, built once as plain data (analysis.report.document) for every format.

`compute_all` does the arithmetic once per data set (a batch of 22 reports shares it);
`build_report` turns it into sections, data-driven sentences, tables and figures for the city
or for one ward or commune. Numbers come from the computing modules and are shown only
through analysis.formatting.
"""

from __future__ import annotations

import datetime as dt
import platform
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from analysis import __version__, config
from analysis.report import charts
from analysis.dataset import Dataset
from analysis.report.document import (
    BulletList,
    Column,
    Heading,
    KeyFigure,
    Meta,
    Paragraph,
    Provenance,
    Report,
    Run,
    Section,
    Table,
)
from analysis.errors import UsageError
from analysis.formatting import fmt_cell, fmt_int, fmt_number, fmt_percent, fmt_points, fmt_short_date
from analysis.compute.indicators import compute_indicators, count_of, load_definitions, value_of
from analysis.report.narrative import load_narrative
from analysis.report.params import ReportParams
from analysis.compute.reconcile import load_published, reconcile
from analysis.reference import load_units
from analysis.vocabulary import AREA_CODE, AREA_NAME, sector_labels
from analysis.compute.retention import by_group, cohort_table, retention_summary, status_shares, survival_table
from analysis.compute.trends import compute_changes, compute_poverty_falls, rank_units, units_behind

CITY = AREA_CODE
CAMPAIGN = ("informed_rate", "changed_mindset_rate", "applied_science_rate", "improved_life_rate")
NARRATIVE_SECTIONS = ("Đánh giá chung", "Phương hướng, nhiệm vụ", "Đề xuất, kiến nghị")
ILLUSTRATIVE = ("Số liệu theo từng xã, phường trong bộ số liệu mẫu là số liệu minh họa; chỉ số liệu toàn thành phố "
                "trùng với số liệu đã công bố.")


@dataclass
class Computed:
    """Everything computed from one data set, shared by every report of a batch."""

    dataset: Dataset

    @property
    def period(self) -> tuple[int, int]:
        return self.dataset.period

    @cached_property
    def definitions(self):
        return load_definitions()

    @cached_property
    def indicators(self) -> pd.DataFrame:
        return compute_indicators(self.dataset.form01, self.definitions)

    @cached_property
    def changes(self) -> pd.DataFrame:
        return compute_changes(self.indicators, indicator_ids=[*CAMPAIGN, "coop_rate"], base_year=self.period[0])

    @cached_property
    def target(self) -> float:
        return float(self.definitions["poor_near_poor_rate"].target["value"])

    @cached_property
    def falls(self) -> pd.DataFrame:
        return compute_poverty_falls(self.indicators, report_year=self.period[1], target=self.target)

    @cached_property
    def units(self) -> pd.DataFrame:
        return load_units()

    @cached_property
    def unit_names(self) -> dict[str, str]:
        return {CITY: AREA_NAME, **dict(zip(self.units["code"], self.units["full_name"]))}

    @cached_property
    def reconciliation(self) -> pd.DataFrame:
        return reconcile(load_published(), self.indicators, self.dataset.models, base_year=self.period[0])


def compute_all(dataset: Dataset) -> Computed:
    """Everything the reports need, computed now, so that a batch shares it."""
    computed = Computed(dataset)
    for name in ("definitions", "indicators", "changes", "falls", "units", "unit_names", "reconciliation"):
        getattr(computed, name)
    return computed


class _Builder:
    """Builds one report; numbers tables and figures in order of appearance."""

    def __init__(self, computed: Computed, params: ReportParams, unit_code: str):
        self.c = computed
        self.p = params
        self.unit = unit_code
        self.is_city = unit_code == CITY
        self.name = computed.unit_names[unit_code]
        self.first, self.year = params.period
        self.base = self.first - 1
        self.tables = 0
        self.figures = 0
        self.models = computed.dataset.models if self.is_city else \
            computed.dataset.models[computed.dataset.models["unit_code"] == unit_code]
        source_units = "21 xã, phường" if self.is_city else self.name
        self.source01 = f"Nguồn: Biểu 01 của {source_units}; năm {self.year} tính đến ngày {fmt_short_date(params.data_as_of)}"
        self.source02 = f"Nguồn: Biểu 02 (danh sách mô hình) của {source_units}"

    # -- small helpers --
    def value(self, indicator: str, year: int, unit: str | None = None) -> float | None:
        return value_of(self.c.indicators, indicator, year, unit or self.unit)

    def count(self, indicator: str, year: int, unit: str | None = None) -> float | None:
        return count_of(self.c.indicators, indicator, year, unit or self.unit)

    def change(self, indicator: str) -> float | None:
        now, then = self.value(indicator, self.year), self.value(indicator, self.first)
        return None if now is None or then is None else now - then

    @property
    def scope(self) -> str:
        return "toàn thành phố" if self.is_city else self.name

    def table(self, title: str, columns: list[Column], rows: list[tuple], *, unit: str, source: str,
              totals: tuple | None = None, note: str = "", wide: bool = False) -> Table:
        self.tables += 1
        text = tuple(tuple(fmt_cell(v, col.kind, col.decimals) for v, col in zip(row, columns)) for row in rows)
        totals_text = None if totals is None else tuple(fmt_cell(v, col.kind, col.decimals) for v, col in zip(totals, columns))
        if any("–" in cell for row in text for cell in row) and "–" not in note:
            note = (note + " " if note else "") + "Dấu “–”: không có số liệu."
        return Table(self.tables, title, tuple(columns), tuple(rows), text, unit, source, totals, totals_text, note, wide)

    def figure(self, chart: charts.Chart):
        self.figures += 1
        return charts.to_figure_block(chart, self.figures)

    # -- the report --
    def build(self, generated_at: dt.datetime) -> Report:
        narrative = load_narrative(self.p.narrative)
        missing = [title for title in NARRATIVE_SECTIONS if title not in narrative]
        if missing:
            raise UsageError(f"tệp nhận định “{self.p.narrative}” thiếu mục: "
                             + ", ".join(f"“## {m}”" for m in missing))
        sections = (
            Section("I", "KẾT QUẢ THỰC HIỆN", self.results()),
            Section("II", "ĐÁNH GIÁ CHUNG", self.assessment() + narrative["Đánh giá chung"]),
            Section("III", "PHƯƠNG HƯỚNG, NHIỆM VỤ", narrative["Phương hướng, nhiệm vụ"]),
            Section("IV", "ĐỀ XUẤT, KIẾN NGHỊ", narrative["Đề xuất, kiến nghị"]),
        )
        appendices = (self.appendix_units(), self.appendix_models(), self.appendix_quality())
        unit_title = "" if self.is_city else f" ({self.name})"
        meta = Meta(
            issuer_parent=self.p.issuer_parent, issuer=self.p.issuer, number=self.p.number, place=self.p.place,
            date=self.p.review_date, doc_type=self.p.doc_type, title=self.p.title + unit_title, period=self.p.period,
            unit_code=self.unit, unit_name=self.name, data_as_of=self.p.data_as_of,
            signer_on_behalf=self.p.signer_on_behalf, signer_title=self.p.signer_title, signer_name=self.p.signer_name,
            recipients=self.p.recipients, draft=self.p.draft,
        )
        sources = self.c.dataset.sources
        provenance = Provenance(
            inputs=tuple(zip(sources["file"], sources["sha256"])),
            parameters=self.p.as_pairs() + (("unit_code", self.unit),),
            software=f"analysis {__version__} (Python {platform.python_version()}, pandas {pd.__version__})",
            generated_at=generated_at,
            notes=(ILLUSTRATIVE, f"Số liệu năm {self.year} tính đến ngày {fmt_short_date(self.p.data_as_of)}; "
                   f"các năm trước tính đến ngày 31/12."),
        )
        slug = "thanh-pho-kon-tum" if self.is_city else self.c.units.set_index("code").at[self.unit, "slug"]
        return Report(meta, self.key_figures(), sections, appendices, provenance, slug)

    def key_figures(self) -> tuple[KeyFigure, ...]:
        figures = [KeyFigure("Hộ ĐBDTTS được tuyên truyền, phổ biến", fmt_int(self.count("informed_rate", self.year)),
                             fmt_percent(self.value("informed_rate", self.year)))]
        for indicator, label in (("changed_mindset_rate", "Hộ thay đổi nếp nghĩ, cách làm"),
                                 ("applied_science_rate", "Hộ áp dụng khoa học - kỹ thuật"),
                                 ("improved_life_rate", "Hộ có đời sống được cải thiện")):
            figures.append(KeyFigure(label, fmt_percent(self.value(indicator, self.year)),
                                     f"{fmt_points(self.change(indicator))} so với năm {self.first}",
                                     count=f"{fmt_int(self.count(indicator, self.year))} hộ"))
        figures.append(KeyFigure("Mô hình kinh tế đã xây dựng", fmt_int(len(self.models)),
                                 f"{fmt_int((self.models['status'] == 'maintained').sum())} đang duy trì, "
                                 f"{fmt_int((self.models['status'] == 'replicated').sum())} đã nhân rộng"))
        falls = self.unit_falls()
        judged = falls[falls["judged"]]
        if len(judged):
            figures.append(KeyFigure("Tỉ lệ hộ nghèo và cận nghèo giảm",
                                     "; ".join(f"{fmt_number(r.fall, 1)} điểm ({r.year})" for r in judged.itertuples()),
                                     f"mục tiêu: giảm trên {fmt_number(self.c.target, 0)} điểm phần trăm mỗi năm"))
        return tuple(figures)

    def unit_falls(self) -> pd.DataFrame:
        return self.c.falls[self.c.falls["unit_code"] == self.unit].dropna(subset=["fall"]).sort_values("year")

    # -- I. results --
    def results(self) -> tuple:
        y, f = self.year, self.first
        as_of = f"Đến ngày {fmt_short_date(self.p.data_as_of)}"
        households = self.count("households", y)
        blocks: list = [
            Paragraph.of(f"{as_of}, {self.scope} có {fmt_int(households)} hộ đồng bào dân tộc thiểu số (ĐBDTTS); "
                         f"đây là mẫu số của mọi tỉ lệ hộ trong báo cáo này."),
            Heading("1. Công tác tuyên truyền, phổ biến Cuộc vận động"),
            Paragraph.of(f"Cấp ủy, chính quyền và các đoàn thể đã tuyên truyền, phổ biến nội dung Cuộc vận động đến "
                         f"{fmt_int(self.count('informed_rate', y))} hộ ĐBDTTS, đạt {fmt_percent(self.value('informed_rate', y))} "
                         f"(năm {f}: {fmt_percent(self.value('informed_rate', f))})."),
        ]
        topics = (
            ("changed_mindset_rate", "2. Thay đổi nếp nghĩ, cách làm",
             "hộ ĐBDTTS đã thay đổi nếp nghĩ, cách làm, bỏ dần tập quán lạc hậu, chủ động vươn lên"),
            ("applied_science_rate", "3. Ứng dụng khoa học - kỹ thuật vào sản xuất",
             "hộ biết áp dụng tiến bộ khoa học - kỹ thuật vào trồng trọt, chăn nuôi"),
            ("improved_life_rate", "4. Đời sống vật chất, tinh thần",
             "hộ có đời sống vật chất, tinh thần được cải thiện"),
        )
        for indicator, heading, what in topics:
            blocks += [Heading(heading), Paragraph((
                Run(f"Có {fmt_int(self.count(indicator, y))} {what}, chiếm "),
                Run(fmt_percent(self.value(indicator, y)), bold=True),
                Run(f" tổng số hộ ĐBDTTS; so với năm {f} ({fmt_percent(self.value(indicator, f))}), tỉ lệ này tăng "
                    f"{fmt_points(self.change(indicator), sign=False)}."),
            ))]
        labels = {k: self.c.definitions[k].short_label for k in CAMPAIGN}
        blocks.append(self.figure(charts.rates_by_year(self.c.indicators, labels, years=(f, y), city_code=self.unit,
                                                       source=self.source01)))
        if self.is_city:
            ranked = rank_units(self.c.indicators, indicator="changed_mindset_rate", year=y).dropna(subset=["value"])
            if len(ranked):
                top, bottom = ranked.iloc[0], ranked.iloc[-1]
                blocks.append(Paragraph.of(
                    f"Giữa các xã, phường, tỉ lệ hộ thay đổi nếp nghĩ, cách làm năm {y} dao động từ "
                    f"{fmt_percent(bottom['value'])} ({self.c.unit_names[bottom['unit_code']]}) đến "
                    f"{fmt_percent(top['value'])} ({self.c.unit_names[top['unit_code']]})."))
                blocks.append(self.figure(charts.unit_rates(
                    self.c.indicators, indicator="changed_mindset_rate", label="Tỉ lệ hộ ĐBDTTS thay đổi nếp nghĩ, cách làm",
                    year=y, unit_names=self.c.unit_names, source=self.source01)))
        coop_now, coop_then = self.count("coop_rate", y), self.count("coop_rate", f)
        blocks += [Heading("5. Tham gia tổ hợp tác, hợp tác xã"), Paragraph.of(
            f"{fmt_int(coop_now)} hộ ĐBDTTS tham gia tổ hợp tác, hợp tác xã, chiếm {fmt_percent(self.value('coop_rate', y))} "
            f"số hộ ĐBDTTS (năm {f}: {fmt_int(coop_then)} hộ, {fmt_percent(self.value('coop_rate', f))}).")]
        blocks += self.models_blocks()
        blocks += self.poverty_blocks()
        return tuple(blocks)

    def models_blocks(self) -> list:
        models, y, f = self.models, self.year, self.first
        blocks: list = [Heading("6. Xây dựng, duy trì và nhân rộng mô hình phát triển kinh tế")]
        if models.empty:
            return blocks + [Paragraph.of(f"Từ năm {f} đến nay, {self.scope} chưa có mô hình nào trong danh sách Biểu 02.")]
        shares = status_shares(models).set_index("status")
        summary = retention_summary(models, report_year=y).set_index("measure")

        def part(status: str, label: str) -> str:
            return f"{fmt_int(shares.at[status, 'count'])} mô hình {label} ({fmt_percent(shares.at[status, 'share'])})"

        blocks.append(Paragraph.of(
            f"Từ năm {f} đến ngày {fmt_short_date(self.p.data_as_of)}, {self.scope} đã xây dựng {fmt_int(len(models))} "
            f"mô hình phát triển kinh tế; trong đó {part('maintained', 'đang được duy trì')}, "
            f"{part('replicated', 'đã được nhân rộng')}, {part('new', f'xây dựng mới trong năm {y}')}"
            + (f" và {part('stopped', 'ngừng hoạt động')}" if shares.at["stopped", "count"] else
               "; chưa có mô hình nào ngừng hoạt động")
            + f". Các tỉ lệ tính trên tổng số {fmt_int(len(models))} mô hình."))
        retention, replication = summary.loc["retention_rate"], summary.loc["replication_rate"]
        if retention["denominator"]:
            blocks.append(Paragraph((
                Run(f"Trong {retention['denominator_text']} (đủ thời gian để đánh giá), "
                    f"{fmt_int(retention['numerator'])} mô hình vẫn hoạt động, "),
                Run(f"tỉ lệ duy trì {fmt_percent(retention['value'])}", bold=True),
                Run(f"; {fmt_int(replication['numerator'])} mô hình được nhân rộng, tỉ lệ nhân rộng "
                    f"{fmt_percent(replication['value'])}. Tỉ lệ duy trì = {retention['definition']}; tỉ lệ nhân rộng = "
                    f"{replication['definition']}."),
            )))
        stopped = int((models["status"] == "stopped").sum())
        if stopped:
            survival = survival_table(models, report_year=y)
            blocks.append(Paragraph.of(
                "Ước lượng Kaplan–Meier tỉ lệ mô hình còn hoạt động theo số năm kể từ khi xây dựng: "
                + "; ".join(f"sau {int(r.years_since_built)} năm: {fmt_percent(r.survival)}"
                            for r in survival.itertuples() if r.years_since_built > 0) + "."))
        cohorts = cohort_table(models, report_year=y)
        blocks.append(self.figure(charts.model_cohorts(cohorts, source=self.source02)))
        return blocks

    def poverty_blocks(self) -> list:
        y = self.year
        falls = self.unit_falls()
        judged = falls[falls["judged"]]
        rate_base, rate_last = self.value("poor_near_poor_rate", self.base), self.value("poor_near_poor_rate", y - 1)
        target = fmt_number(self.c.target, 0)
        text = (f"Tỉ lệ hộ nghèo và cận nghèo ĐBDTTS của {self.scope} giảm từ {fmt_percent(rate_base)} (năm {self.base}) "
                f"xuống {fmt_percent(rate_last)} (năm {y - 1}). ")
        if len(judged):
            parts = [f"năm {r.year} giảm {fmt_points(r.fall, sign=False)}" for r in judged.itertuples()]
            met = bool(judged["meets_target"].all())
            verdict = ("đều đạt mục tiêu" if met else "chưa đạt mục tiêu ở năm "
                       + ", ".join(str(r.year) for r in judged.itertuples() if not r.meets_target))
            text += f"{'; '.join(parts).capitalize()}; {verdict} giảm trên {target} điểm phần trăm mỗi năm. "
        mid = falls[~falls["judged"]]
        if len(mid):
            text += (f"Đến ngày {fmt_short_date(self.p.data_as_of)}, tỉ lệ là {fmt_percent(self.value('poor_near_poor_rate', y))} "
                     f"(số liệu giữa năm, chưa đánh giá theo mục tiêu năm).")
        blocks: list = [Heading("7. Giảm nghèo"), Paragraph.of(text.strip())]
        blocks.append(self.figure(charts.poverty_trend(self.c.indicators, self.c.falls, target=self.c.target,
                                                       report_year=y, city_code=self.unit, source=self.source01)))
        return blocks

    # -- II. assessment (data-driven part) --
    def assessment(self) -> tuple:
        y = self.year
        blocks: list = [Heading("1. Những kết quả nổi bật qua số liệu")]
        items = []
        if self.is_city:
            ranked = rank_units(self.c.indicators, indicator="changed_mindset_rate", year=y).dropna(subset=["value"])
            ahead = ranked[ranked["gap_to_city"] > 0].head(3)
            if len(ahead):
                items.append(Paragraph.of(
                    "Các đơn vị dẫn đầu về tỉ lệ hộ thay đổi nếp nghĩ, cách làm: "
                    + "; ".join(f"{self.c.unit_names[r.unit_code]} ({fmt_percent(r.value)}, cao hơn toàn thành phố "
                                f"{fmt_points(r.gap_to_city, sign=False)})" for r in ahead.itertuples()) + "."))
            behind = units_behind(self.c.falls)
            if len(behind):
                for year, group in behind.groupby("year"):
                    items.append(Paragraph.of(
                        f"Năm {year}, {len(group)} đơn vị có tỉ lệ hộ nghèo và cận nghèo giảm không quá "
                        f"{fmt_number(self.c.target, 0)} điểm phần trăm (chưa đạt mục tiêu): "
                        + "; ".join(f"{self.c.unit_names[r.unit_code]} ({_fall_text(r.fall)}, thiếu "
                                    f"{fmt_points(r.shortfall, sign=False)} so với mục tiêu)" for r in group.itertuples()) + "."))
            else:
                items.append(Paragraph.of("Tất cả các xã, phường đều đạt mục tiêu giảm tỉ lệ hộ nghèo và cận nghèo."))
        else:
            for indicator in CAMPAIGN[1:]:
                mine, city = self.value(indicator, y), self.value(indicator, y, CITY)
                if mine is not None and city is not None:
                    side = "cao hơn" if mine > city else ("thấp hơn" if mine < city else "bằng")
                    label = self.c.definitions[indicator].label
                    items.append(Paragraph.of(f"{label} năm {y}: {fmt_percent(mine)}, {side} toàn thành phố "
                                              f"({fmt_percent(city)})"
                                              + (f" {fmt_points(abs(mine - city), sign=False)}." if side != "bằng" else ".")))
            for r in self.unit_falls()[lambda f: f["judged"]].itertuples():
                state = "đạt" if r.meets_target else f"chưa đạt (thiếu {fmt_points(r.shortfall, sign=False)})"
                items.append(Paragraph.of(f"Năm {r.year}, tỉ lệ hộ nghèo và cận nghèo {_fall_text(r.fall)}: {state} "
                                          f"mục tiêu giảm trên {fmt_number(self.c.target, 0)} điểm phần trăm."))
        warnings = self.unit_warnings()
        if len(warnings):
            items.append(Paragraph.of(f"Khi tổng hợp có {fmt_int(len(warnings))} điểm số liệu cần các đơn vị kiểm tra lại "
                                      "(xem Phụ lục III)."))
        return tuple(blocks + [BulletList(tuple(items))] + [Heading("2. Nhận định của Ban Thường vụ")])

    def unit_warnings(self) -> pd.DataFrame:
        warnings = self.c.dataset.warnings
        return warnings if self.is_city else warnings[warnings["unit_code"] == self.unit]

    # -- appendices --
    def appendix_units(self) -> Section:
        y = self.year
        columns = [Column("Đơn vị"), Column("Tổng số hộ ĐBDTTS", "count")]
        for indicator, label in (("informed_rate", "Được tuyên truyền"), ("changed_mindset_rate", "Thay đổi nếp nghĩ"),
                                 ("applied_science_rate", "Áp dụng KHKT"), ("improved_life_rate", "Đời sống cải thiện")):
            columns += [Column(f"{label} (hộ)", "count"), Column(f"{label} (%)", "rate", 1)]
        columns += [Column("Tham gia THT, HTX (hộ)", "count"), Column("Hộ nghèo và cận nghèo (%)", "rate", 1)]

        def row(unit: str, year: int, label: str) -> tuple:
            values: list = [label, self.count("households", year, unit)]
            for indicator in CAMPAIGN:
                values += [self.count(indicator, year, unit), self.value(indicator, year, unit)]
            return tuple(values + [self.count("coop_rate", year, unit), self.value("poor_near_poor_rate", year, unit)])

        if self.is_city:
            codes = list(self.c.units["code"])
            rows = [row(code, y, self.c.unit_names[code]) for code in codes]
            totals = row(CITY, y, "Toàn thành phố")
            main = self.table(f"Kết quả thực hiện Cuộc vận động theo xã, phường năm {y}", columns, rows,
                              unit="Đơn vị tính: hộ; %", source=self.source01, totals=totals, wide=True)
        else:
            columns[0] = Column("Năm")
            rows = [row(self.unit, year, str(year)) for year in range(self.first, y + 1)]
            main = self.table(f"Kết quả thực hiện Cuộc vận động của {self.name} qua các năm", columns, rows,
                              unit="Đơn vị tính: hộ; %", source=self.source01, wide=True)
        years = list(range(self.base, y + 1))
        poverty_columns = [Column("Đơn vị")] + [Column(f"Năm {yr}" + ("*" if yr == y else ""), "rate", 1) for yr in years]
        judged_years = list(range(self.first, y))
        poverty_columns += [Column(f"Giảm năm {yr} (điểm)", "points", 1) for yr in judged_years] + [Column("Đạt mục tiêu")]
        codes = list(self.c.units["code"]) if self.is_city else []
        poverty_rows = []
        for code in codes + [self.unit]:
            falls = self.c.falls[(self.c.falls["unit_code"] == code)].set_index("year")
            values = [self.value("poor_near_poor_rate", yr, code) for yr in years]
            drops = [-falls.at[yr, "fall"] if yr in falls.index and not pd.isna(falls.at[yr, "fall"]) else None for yr in judged_years]
            met = [falls.at[yr, "meets_target"] for yr in judged_years if yr in falls.index]
            verdict = "–" if not met or any(pd.isna(m) for m in met) else ("Đạt" if all(met) else "Chưa đạt")
            label = "Toàn thành phố" if code == CITY else self.c.unit_names[code]
            poverty_rows.append(tuple([label, *values, *drops, verdict]))
        totals = poverty_rows.pop() if self.is_city else None
        poverty = self.table(f"Tỉ lệ hộ nghèo và cận nghèo ĐBDTTS và mức thay đổi hằng năm, {self.base}–{y}",
                             poverty_columns, poverty_rows, unit="Đơn vị tính: %; điểm phần trăm (số âm là giảm)",
                             source=self.source01, totals=totals,
                             note=f"(*) Năm {y}: số liệu đến ngày {fmt_short_date(self.p.data_as_of)}, chưa đánh giá theo "
                                  f"mục tiêu năm. Mục tiêu: giảm trên {fmt_number(self.c.target, 0)} điểm phần trăm mỗi năm.")
        note = Paragraph.of(ILLUSTRATIVE, "note")
        return Section("Phụ lục I", "SỐ LIỆU THEO ĐƠN VỊ", (main, poverty, note))

    def appendix_models(self) -> Section:
        models, y = self.models, self.year
        status_columns = [Column("Xây dựng", "count"), Column("Đang duy trì", "count"), Column("Đã nhân rộng", "count"),
                          Column("Ngừng hoạt động", "count"), Column("Mới xây dựng", "count"),
                          Column("Tỉ lệ duy trì (%)", "rate", 1), Column("Tỉ lệ nhân rộng (%)", "rate", 1)]

        values = _status_values
        note = (f"Tỉ lệ duy trì = số mô hình đang duy trì hoặc đã nhân rộng / số mô hình xây dựng trước năm {y}; "
                f"tỉ lệ nhân rộng = số mô hình đã nhân rộng / số mô hình xây dựng trước năm {y}. Mô hình xây dựng năm {y} "
                "chưa đủ thời gian để đánh giá.")
        blocks: list = []
        if models.empty:
            return Section("Phụ lục II", "MÔ HÌNH PHÁT TRIỂN KINH TẾ",
                           (Paragraph.of(f"{self.name} chưa có mô hình nào trong Biểu 02."),))
        all_rates = _status_values(next(by_group(models.assign(everything="all"), "everything").itertuples()))
        cohorts = cohort_table(models, report_year=y)
        blocks.append(self.table("Mô hình theo năm xây dựng", [Column("Năm xây dựng"), *status_columns],
                                 [(str(r.year_built), *values(r)) for r in cohorts.itertuples()],
                                 unit="Đơn vị tính: mô hình; %", source=self.source02, totals=("Tổng cộng", *all_rates),
                                 note=note))
        labels = sector_labels()
        sectors = by_group(models, "sector")
        blocks.append(self.table("Mô hình theo lĩnh vực", [Column("Lĩnh vực"), *status_columns],
                                 [(labels.get(r.sector, r.sector), *values(r)) for r in sectors.itertuples()],
                                 unit="Đơn vị tính: mô hình; %", source=self.source02, totals=("Tổng cộng", *all_rates)))
        if self.is_city:
            units = by_group(models, "unit_code").set_index("unit_code").reindex(self.c.units["code"])
            units.index.name = "unit_code"
            rows = [(self.c.unit_names[r.unit_code], 0, 0, 0, 0, 0, None, None) if pd.isna(r.built)
                    else (self.c.unit_names[r.unit_code], *values(r)) for r in units.reset_index().itertuples()]
            blocks.append(self.table("Mô hình theo xã, phường", [Column("Đơn vị"), *status_columns], rows,
                                     unit="Đơn vị tính: mô hình; %", source=self.source02,
                                     totals=("Toàn thành phố", *all_rates)))
        return Section("Phụ lục II", "MÔ HÌNH PHÁT TRIỂN KINH TẾ", tuple(blocks))

    def appendix_quality(self) -> Section:
        warnings = self.unit_warnings()
        blocks: list = [Heading("1. Kết quả kiểm tra số liệu", level=3)]
        files = len(self.c.dataset.sources)
        if len(warnings):
            blocks.append(Paragraph.of(
                f"Kiểm tra {files} tệp biểu mẫu theo các quy tắc trong data/reference/validation_rules.yaml: không có lỗi; "
                f"có {fmt_int(len(warnings))} cảnh báo dưới đây. Các cảnh báo không làm thay đổi số liệu báo cáo (báo cáo "
                "dùng số liệu của từng đơn vị, tự tính lại tổng và tỉ lệ), nhưng cần đơn vị kiểm tra lại."))
            blocks.append(self.table("Cảnh báo khi kiểm tra số liệu", [Column("Mã"), Column("Vị trí và nội dung")],
                                     [(r.code, r.message) for r in warnings.itertuples()], unit="",
                                     source="Nguồn: kết quả kiểm tra tự động các biểu mẫu"))
        else:
            blocks.append(Paragraph.of(f"Kiểm tra {files} tệp biểu mẫu: không có lỗi, không có cảnh báo."))
        if self.is_city:
            result = self.c.reconciliation
            differing = result[result["status"] != "match"]
            blocks += [Heading("2. Đối chiếu với số liệu đã công bố", level=3), Paragraph.of(
                f"Đối chiếu {len(result)} số liệu đã công bố (bài viết ngày 24/6/2023) với số liệu tính lại từ các biểu: "
                f"{fmt_int((result['status'] == 'match').sum())} số liệu khớp"
                + ("" if differing.empty else "; " + "; ".join(
                    f"{r.label} năm {r.year}: đã công bố {r.published_text}, tính lại {r.recomputed_text} "
                    f"({r.status_label.lower()}: {r.arithmetic})" for r in differing.itertuples()))
                + ". Báo cáo này in số liệu tính lại, làm tròn theo quy tắc làm tròn thông thường (từ 5 trở lên làm tròn lên).")]
            blocks.append(self.table(
                "Đối chiếu số liệu đã công bố với số liệu tính lại",
                [Column("Chỉ tiêu"), Column("Năm"), Column("Đã công bố"), Column("Tính lại"), Column("Kết quả"),
                 Column("Cách tính")],
                [(r.label, str(r.year), r.published_text, r.recomputed_text, r.status_label, r.arithmetic)
                 for r in result.itertuples()],
                unit="", source="Nguồn: data/reference/published_figures.csv; Biểu 01, Biểu 02", wide=True))
        return Section("Phụ lục III", "CHẤT LƯỢNG SỐ LIỆU", tuple(blocks))


def _fall_text(fall: float) -> str:
    return f"giảm {fmt_points(fall, sign=False)}" if fall > 0 else f"tăng {fmt_points(-fall, sign=False)}" if fall < 0 \
        else "không đổi"


def _status_values(row) -> tuple:
    """A row of the model tables: counts by status and the judged cohorts' rates."""
    return (row.built, row.maintained, row.replicated, row.stopped, row.new,
            None if pd.isna(row.retention_rate) else row.retention_rate,
            None if pd.isna(row.replication_rate) else row.replication_rate)


def build_report(computed: Computed, params: ReportParams, unit_code: str = CITY, *,
                 generated_at: dt.datetime | None = None) -> Report:
    """The report of `unit_code` (the city by default) as plain data."""
    if unit_code not in computed.unit_names:
        raise UsageError(f"không có đơn vị mã “{unit_code}”; dùng city, all hoặc mã của một trong 21 xã, phường")
    return _Builder(computed, params, unit_code).build(generated_at or dt.datetime.now().replace(microsecond=0))
