"""The report's content, built once as plain data (analysis.report.document) for every format.

`compute_all` does the arithmetic once per data set and map of units (a batch of reports shares
it); `build_report` turns it into the parts of a báo cáo sơ kết or tổng kết (an opening, I. leadership and
organisation, II. results, III. assessment, IV. directions, V. proposals, appendices) for the
area or for one of its units, and the analyst's check material into a companion
(analysis.report.companion) that is written to a file of its own.

Every change printed is the difference of the two printed (rounded) values beside it and is
worded by formatting.fmt_change; a target is judged on the printed value. Numbers are shown
only through analysis.formatting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis.compute.indicators import Lookup, compute_indicators, load_definitions
from analysis.compute.retention import by_group, cohort_table, retention_summary, status_shares, survival_table
from analysis.compute.trends import compute_changes
from analysis.dataset import Dataset
from analysis.errors import UsageError
from analysis.formatting import (
    fmt_cell,
    fmt_change,
    fmt_int,
    fmt_number,
    fmt_percent,
    fmt_rate,
    fmt_short_date,
    printed_difference,
    round_half_up,
)
from analysis.reference import load_units
from analysis.report import charts
from analysis.report.document import (
    BulletList,
    Column,
    Heading,
    KeyFigure,
    Meta,
    Paragraph,
    Report,
    Run,
    Section,
    Table,
)
from analysis.report.narrative import load_narrative
from analysis.report.params import ReportParams
from analysis.vocabulary import AREA_CODE, Area, area_on, sector_labels

CITY = AREA_CODE
CAMPAIGN = ("informed_rate", "changed_mindset_rate", "applied_science_rate", "improved_life_rate")
NARRATIVE_SECTIONS = ("Đánh giá chung", "Phương hướng, nhiệm vụ", "Đề xuất, kiến nghị")
LEADERSHIP = "Công tác lãnh đạo, chỉ đạo"
RESULTS = "Kết quả thực hiện"
ASSESSMENT_PARTS = ("Ưu điểm", "Hạn chế", "Nguyên nhân", "Bài học kinh nghiệm")
DECIMALS = 1  # rates and changes are printed with one decimal
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


@dataclass
class Computed:
    """Everything computed from one data set, shared by every report of a batch, on one map of
    units: `map_day` (None: the map the data set's last year is on). Form 01 of years on an
    older map is summed onto that map's units through the crosswalk (counts summed; every rate
    is then computed from the summed counts, never averaged); a model keeps its unit of origin
    (origin_unit_code) and is counted under the unit it is in on that map.
    How far each year's figures go is what the forms say (Dataset.as_of): a year whose figures
    stop before 31/12 is a mid-year year (`mid_years`), starred and never judged against the
    yearly target, nor the change that follows it."""

    dataset: Dataset
    map_day: dt.date | None = None

    @property
    def mid_years(self) -> tuple[int, ...]:
        return self.dataset.mid_years

    @property
    def last_year_complete(self) -> bool:
        """The figures of the period's last year are as of its 31 December (its fall is judged)."""
        return self.period[1] not in self.mid_years

    def as_of(self, year: int) -> dt.date:
        """The day a year's figures are as of (31/12 unless its forms say earlier)."""
        return self.dataset.as_of_date(year)

    @property
    def models_as_of(self) -> dt.date:
        """The day the register's statuses are as of."""
        return self.dataset.models_as_of()

    @property
    def period(self) -> tuple[int, int]:
        return self.dataset.period

    @cached_property
    def day(self) -> dt.date:
        """The day whose units the reports are on."""
        from analysis.compute.crosswalk import reference_date

        return self.map_day or reference_date(self.period[1])

    @cached_property
    def area(self) -> Area:
        return area_on(self.day)

    @cached_property
    def regrouped(self) -> bool:
        """Some year's forms are on another map than the reports: their figures are summed."""
        from analysis.compute.crosswalk import map_for_year

        keys = set(zip(self.units["code"], self.units["name"]))
        return any(set(zip(map_for_year(year)["code"], map_for_year(year)["name"])) != keys
                   for year in sorted(set(self.dataset.form01["year"])) or [self.period[1]])

    @cached_property
    def form01(self) -> pd.DataFrame:
        """Form 01 on the reports' map (the data set's rows as they are when nothing is regrouped)."""
        if not self.regrouped:
            return self.dataset.form01
        from analysis.compute.crosswalk import load_crosswalk, reaggregate

        return reaggregate(self.dataset.form01, load_crosswalk(), on=self.day)

    @cached_property
    def models(self) -> pd.DataFrame:
        """Form 02 on the reports' map: unit_code is the unit a model is in now, origin_unit_code where it was built."""
        models = self.dataset.models
        if not self.regrouped or models.empty:
            return models.assign(origin_unit_code=models["unit_code"])
        from analysis.compute.crosswalk import assign_new_units, load_crosswalk

        return assign_new_units(models, load_crosswalk(), on=self.day)

    @cached_property
    def owners(self) -> dict[tuple[str, int], str]:
        """(code as typed, year) -> the unit of the reports' map its rows are summed into, when the
        forms of some years are on an older map (Computed.form01 `members`); else empty (and for a
        data set with errors, shown as it is read)."""
        if not self.regrouped or len(self.dataset.errors):
            return {}
        return {(member, int(year)): code for code, year, members in zip(self.form01["unit_code"], self.form01["year"],
                                                                          self.form01["members"])
                for member in str(members).split("; ") if member}

    def rows_of(self, frame: pd.DataFrame, unit_code: str, *, year: str = "year",
                with_no_unit: bool = False) -> pd.DataFrame:
        """The rows of `frame` (as read: form rows, models by `year` = "year_built", findings) that
        feed `unit_code` on the reports' map: all of them for the area; a unit's own, and on a
        regrouped map those of the units summed into it that year (codes are reused across maps).
        `with_no_unit`: also the rows about no unit (a finding on a whole file)."""
        if unit_code == CITY:
            return frame
        owners = self.owners
        keep = pd.Series([owners.get((code, int(when)) if not pd.isna(when) else None, code) == unit_code
                          for code, when in zip(frame["unit_code"], frame[year])], index=frame.index, dtype=bool)
        if with_no_unit:
            keep |= frame["unit_code"] == ""
        return frame[keep]

    @cached_property
    def definitions(self):
        return load_definitions()

    @cached_property
    def indicators(self) -> pd.DataFrame:
        return compute_indicators(self.form01, self.definitions)

    @cached_property
    def changes(self) -> pd.DataFrame:
        return compute_changes(self.indicators, indicator_ids=[*CAMPAIGN, "coop_rate"], base_year=self.period[0])

    @cached_property
    def target(self) -> float:
        return float(self.definitions["poor_near_poor_rate"].target["value"])

    @cached_property
    def falls(self) -> pd.DataFrame:
        return printed_falls(self.indicators, mid_years=self.mid_years, target=self.target)

    @cached_property
    def units(self) -> pd.DataFrame:
        return load_units(on=self.day)

    @cached_property
    def unit_names(self) -> dict[str, str]:
        return {CITY: self.area.name, **dict(zip(self.units["code"], self.units["full_name"]))}

    @cached_property
    def names_in_text(self) -> dict[str, str]:
        """How running text names each unit: "phường Duy Tân", "xã Ia Chim" (type in lower case)."""
        return {CITY: self.area.in_text, **{code: f"{kind.lower()} {name}" for code, kind, name
                                            in zip(self.units["code"], self.units["type"], self.units["name"])}}


def compute_all(dataset: Dataset, *, map_day: dt.date | None = None) -> Computed:
    """Everything the reports need, computed now, so that a batch shares it (see Computed)."""
    computed = Computed(dataset, map_day)
    for name in ("day", "area", "units", "regrouped", "form01", "models", "owners", "definitions", "indicators",
                 "changes", "falls", "unit_names", "names_in_text"):
        getattr(computed, name)
    return computed


def compute_for(dataset: Dataset, params: ReportParams) -> Computed:
    """compute_all on the parameters' map."""
    return compute_all(dataset, map_day=params.map_day)


def printed_falls(indicators: pd.DataFrame, *, mid_years=(), target: float,
                  indicator: str = "poor_near_poor_rate") -> pd.DataFrame:
    """The yearly change of the poor + near-poor rate per unit, as a reader of the report sees
    it: both rates rounded to the printed decimal, `change` their difference (negative = a
    fall), `fall` = −change. A change between two full years is judged (neither year in
    `mid_years`): the target is met when the printed fall is above `target`. Missing rates leave
    the change missing, never 0."""
    subset = indicators[indicators["indicator"] == indicator]
    wide = subset.pivot_table(index="unit_code", columns="year", values="value", aggfunc="first", dropna=False)
    rows = []
    for year in sorted(wide.columns):
        if year - 1 not in wide.columns:
            continue
        for unit_code in wide.index:
            now, then = wide.at[unit_code, year], wide.at[unit_code, year - 1]
            change = printed_difference(now, then, DECIMALS)
            judged = year not in mid_years and year - 1 not in mid_years
            fall = None if change is None else round_half_up(-change, DECIMALS)
            meets = pd.NA if (not judged or fall is None) else bool(fall > target)
            rows.append({"unit_code": unit_code, "year": int(year), "rate": round_half_up(now, DECIMALS),
                         "previous_rate": round_half_up(then, DECIMALS),
                         "change": np.nan if change is None else change, "fall": np.nan if fall is None else fall,
                         "judged": judged, "target": target, "meets_target": meets})
    frame = pd.DataFrame(rows, columns=["unit_code", "year", "rate", "previous_rate", "change", "fall", "judged",
                                        "target", "meets_target"])
    return frame.astype({"meets_target": "boolean", "rate": float, "previous_rate": float})


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


def narrative_file_for(params: ReportParams, units: pd.DataFrame, unit_code: str) -> Path | None:
    """The analyst's text of a report: the area's from the parameters; a unit's own file
    (`units[code].narrative`, else `<narrative_dir>/<slug>.md`) if it exists, else None."""
    if unit_code == CITY:
        return params.narrative
    settings = params.unit_settings(unit_code)
    slug = units.set_index("code").at[unit_code, "slug"]
    folder = Path(str(settings.get("narrative_dir") or config.NARRATIVE_DIR))
    folder = folder if folder.is_absolute() else config.ROOT / folder
    own = settings.get("narrative")
    path = Path(str(own)) if own else folder / f"{slug}.md"
    path = path if path.is_absolute() else config.ROOT / path
    return path if path.exists() else None


class _Builder:
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
        source_units = f"các {self.area.units_word}" if self.is_city else self.in_text
        self.source01 = f"Nguồn: Biểu 01 của {source_units}; {as_of_text(computed)}"
        self.source02 = f"Nguồn: Biểu 02 (danh sách mô hình) của {source_units}"
        self.review = params.review_for(computed.last_year_complete)  # "Sơ kết 2 năm": as the forms' dates say
        self.title = params.title_for(computed.last_year_complete)

    # -- small helpers --
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

    def setting(self, name: str, default: str = "") -> object:
        """A unit report's setting with {UNIT} ("XÃ IA CHIM"), {unit} ("xã Ia Chim") and {name} ("Ia Chim") filled in."""
        value = self.settings.get(name, default)
        short = dict(zip(self.c.units["code"], self.c.units["name"])).get(self.unit, self.name)
        fill = {"UNIT": self.name.upper(), "unit": self.in_text, "name": short, "AREA": self.area.name.upper(),
                "review": self.review}
        if isinstance(value, tuple):
            return tuple(str(v).format(**fill) for v in value)
        return str(value).format(**fill)

    def _narrative_file(self) -> Path | None:
        return narrative_file_for(self.p, self.c.units, self.unit)

    @property
    def scope(self) -> str:
        return self.area.whole if self.is_city else self.in_text

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
    def build(self) -> Report:
        narrative = load_narrative(self.narrative_file) if self.narrative_file else {}
        if self.is_city:
            missing = [title for title in NARRATIVE_SECTIONS if title not in narrative]
            if missing:
                raise UsageError(f"tệp nhận định “{self.p.narrative}” thiếu mục: "
                                 + ", ".join(f"“## {m}”" for m in missing))
        parts = [
            ("CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN", self.leadership(narrative)),
            ("KẾT QUẢ THỰC HIỆN", self.results(narrative)),
            ("ĐÁNH GIÁ CHUNG", self.assessment(narrative)),
            ("PHƯƠNG HƯỚNG, NHIỆM VỤ", self.narrative_part(narrative, "Phương hướng, nhiệm vụ")),
            ("ĐỀ XUẤT, KIẾN NGHỊ", self.narrative_part(narrative, "Đề xuất, kiến nghị")),
        ]
        sections = tuple(Section(ROMAN[i], title, blocks)
                         for i, (title, blocks) in enumerate((t, b) for t, b in parts if b))
        appendices = (self.appendix_results(), self.appendix_models())
        meta = self.meta()
        slug = "-".join(_ascii_words(self.area.name)) if self.is_city else self.c.units.set_index("code").at[self.unit, "slug"]
        return Report(meta, self.key_figures(), sections, appendices, None, slug, self.opening(meta))

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
            recipients=tuple(self.setting("recipients", ())) or ("- Lưu Văn phòng Đảng ủy.",),
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
        """Which years were summed from the units of an older map, and by which resolution."""
        from analysis.compute.crosswalk import load_crosswalk, map_for_year

        own = set(zip(self.c.units["code"], self.c.units["name"]))
        years = [yr for yr in range(self.base, self.year + 1)
                 if set(zip(map_for_year(yr)["code"], map_for_year(yr)["name"])) != own]
        if not years:
            return ""
        crosswalk = load_crosswalk()
        resolutions = _join([f"Nghị quyết số {r}" for r in dict.fromkeys(crosswalk["resolution"]) if r])
        span = f"các năm {years[0]}–{years[-1]}" if len(years) > 1 else f"năm {years[0]}"
        older = map_for_year(years[-1])
        old_word = area_on(older["valid_to"].max().date()).units_word if older["valid_to"].notna().any() \
            else self.area.units_word
        since = fmt_short_date(crosswalk["effective"].max().date())
        if self.is_city:
            text = (f"Số liệu {span} của từng {self.area.units_word} hiện nay là tổng số liệu của các {old_word} cũ "
                    f"hợp thành ({fmt_int(len(older))} {old_word} trước ngày {since}) theo {resolutions}")
        else:
            members = set(crosswalk[crosswalk["new_code"] == self.unit]["old_code"])
            older = older[older["code"].isin(members)]
            names = _join([f"{kind.lower()} {name}" for kind, name in zip(older["type"], older["name"])])
            text = (f"Số liệu {span} của {self.in_text} là tổng số liệu của {fmt_int(len(older))} đơn vị cũ "
                    f"hợp thành ({names}) theo {resolutions}")
        return (text + "; các tỉ lệ được tính lại từ tổng số hộ, không lấy bình quân các tỉ lệ.")

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

    def unit_falls(self, unit: str | None = None) -> pd.DataFrame:
        return self.c.falls[self.c.falls["unit_code"] == (unit or self.unit)].dropna(subset=["change"]).sort_values("year")

    def city_aside(self, indicator: str, year: int, *, inside: bool = False) -> str:
        """" (toàn thành phố: 98,8%)" in a unit's report, or "; toàn thành phố: 98,8%" `inside`
        a parenthesis already open; nothing in the area's own report."""
        if self.is_city:
            return ""
        text = f"{self.area.whole}: {fmt_rate(self.value(indicator, year, CITY))}"
        return f"; {text}" if inside else f" ({text})"

    # -- I. leadership and organisation --
    def leadership(self, narrative: dict) -> tuple:
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

    # -- II. results --
    def results(self, narrative: dict) -> tuple:
        y, f = self.year, self.first
        extras = _subsections(narrative.get(RESULTS, ()))[1]
        blocks: list = []
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

    def models_blocks(self) -> list:
        models, y, f = self.models, self.year, self.first
        blocks: list = [Heading("Xây dựng, duy trì và nhân rộng mô hình phát triển kinh tế")]
        if models.empty:
            return blocks + [Paragraph.of(f"Từ năm {f} đến nay, {self.scope} chưa xây dựng mô hình phát triển kinh tế "
                                          "nào trong danh sách theo dõi.")]
        shares = status_shares(models).set_index("status")
        summary = retention_summary(models, report_year=y).set_index("measure")

        def part(status: str, label: str) -> str:
            return f"{fmt_int(shares.at[status, 'count'])} mô hình {label} ({fmt_rate(shares.at[status, 'share'])})"

        labels = {"maintained": "đang được duy trì", "replicated": "đã được nhân rộng",
                  "new": f"xây dựng mới trong năm {y}", "stopped": "đã ngừng hoạt động"}
        parts = [part(status, label) for status, label in labels.items() if shares.at[status, "count"]]
        text = (f"Từ năm {f} đến ngày {fmt_short_date(self.c.models_as_of)}, {self.scope} đã xây dựng "
                f"{fmt_int(len(models))} mô hình phát triển kinh tế; trong đó {_join(parts)}.")
        none = [label for status, label in (("replicated", "được nhân rộng"), ("stopped", "ngừng hoạt động"))
                if not shares.at[status, "count"]]
        if none:
            text += f" Chưa có mô hình nào {' hoặc '.join(none)}."
        blocks.append(Paragraph.of(_capital(text) if not self.is_city else text))
        retention, replication = summary.loc["retention_rate"], summary.loc["replication_rate"]
        if retention["denominator"]:
            running = ("tất cả đều vẫn hoạt động" if retention["numerator"] == retention["denominator"]
                       else f"{fmt_int(retention['numerator'])} mô hình vẫn hoạt động")
            copied = (f"; {fmt_int(replication['numerator'])} mô hình đã được các hộ khác học tập, làm theo (tỉ lệ "
                      f"nhân rộng {fmt_rate(replication['value'])})" if replication["numerator"]
                      else "; chưa có mô hình nào được nhân rộng")
            blocks.append(Paragraph((
                Run(f"Xét riêng {retention['denominator_text']}, {running} ("),
                Run(f"tỉ lệ duy trì {fmt_rate(retention['value'])}", bold=True),
                Run(f"){copied}."),
            )))
        if int((models["status"] == "stopped").sum()):
            survival = survival_table(models, report_year=y)
            blocks.append(Paragraph.of(
                "Theo số năm kể từ khi xây dựng, tỉ lệ mô hình còn hoạt động ước tính "
                + "; ".join(f"sau {int(r.years_since_built)} năm là {fmt_percent(r.survival)}"
                            for r in survival.itertuples() if r.years_since_built > 0) + "."))
        cohorts = cohort_table(models, report_year=y)
        blocks.append(self.figure(charts.model_cohorts(cohorts, source=self.source02)))
        return blocks

    def poverty_blocks(self) -> list:
        y = self.year
        falls = self.unit_falls()
        judged = falls[falls["judged"]]
        target = fmt_number(self.c.target, 0)
        full = [yr for yr in range(self.base, y + 1) if yr not in self.c.mid_years]
        last = full[-1] if full else y  # the last full year
        rate_base, rate_last = self.value("poor_near_poor_rate", self.base), self.value("poor_near_poor_rate", last)
        blocks: list = [Heading("Giảm nghèo")]
        if rate_base is None or rate_last is None:
            text = (f"Số liệu về tỉ lệ hộ nghèo và cận nghèo ĐBDTTS của {self.scope} chưa đủ các năm từ {self.base} "
                    f"đến {last}. ")
        else:
            overall = printed_difference(rate_last, rate_base)
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

    # -- III. assessment --
    def assessment(self, narrative: dict) -> tuple:
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
            ahead = [r for r in ahead.itertuples() if city is not None and round_half_up(r.value, DECIMALS) > city][:3]
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
            above = [i for i in CAMPAIGN[1:] if (g := self.gap(i)) is not None and g > 0]
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
            below = [i for i in CAMPAIGN[1:] if (g := self.gap(i)) is not None and g < 0]
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

    def narrative_part(self, narrative: dict, title: str) -> tuple:
        blocks = [Heading(b.text, 2) if isinstance(b, Heading) else b for b in narrative.get(title, ())]
        return _numbered(blocks)

    # -- appendices --
    def appendix_results(self) -> Section:
        y = self.year
        columns = [Column("Đơn vị"), Column("Tổng số hộ ĐBDTTS", "count")]
        for indicator, label in (("informed_rate", "Được tuyên truyền"), ("changed_mindset_rate", "Thay đổi nếp nghĩ"),
                                 ("applied_science_rate", "Áp dụng khoa học - kỹ thuật"),
                                 ("improved_life_rate", "Đời sống cải thiện")):
            columns += [Column(f"{label} (hộ)", "count"), Column(f"{label} (%)", "rate", 1)]
        columns += [Column("Tham gia tổ hợp tác, hợp tác xã (hộ)", "count"), Column("Hộ nghèo và cận nghèo (%)", "rate", 1)]
        note = "Các tỉ lệ tính trên tổng số hộ ĐBDTTS của đơn vị trong cùng năm."

        def row(unit: str, year: int, label: str) -> tuple:
            values: list = [label, self.count("households", year, unit)]
            for indicator in CAMPAIGN:
                values += [self.count(indicator, year, unit), self.value(indicator, year, unit)]
            return tuple(values + [self.count("coop_rate", year, unit), self.value("poor_near_poor_rate", year, unit)])

        if self.is_city:
            codes = list(self.c.units["code"])
            rows = [row(code, y, self.c.unit_names[code]) for code in codes]
            main = self.table(f"Kết quả thực hiện Cuộc vận động theo {self.area.units_word} năm {y}", columns, rows,
                              unit="Đơn vị tính: hộ; %", source=self.source01, totals=row(CITY, y, _capital(self.area.whole)),
                              note=note, wide=True)
        else:
            columns[0] = Column("Năm")
            rows = [row(self.unit, year, str(year)) for year in range(self.first, y + 1)]
            rows.append(row(CITY, y, f"{_capital(self.area.whole)} năm {y}"))
            main = self.table(f"Kết quả thực hiện Cuộc vận động của {self.in_text} qua các năm, so với "
                              f"{self.area.whole}", columns, rows, unit="Đơn vị tính: hộ; %", source=self.source01,
                              note=note, wide=True)
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
            poverty_rows, unit="Đơn vị tính: %; thay đổi so với năm trước: điểm phần trăm (số âm là giảm)",
            source=self.source01, totals=totals,
            note=(self.mid_year_note(years) + f"Mục tiêu: mỗi năm giảm trên {fmt_number(self.c.target, 0)} điểm "
                  "phần trăm. Mức thay đổi là hiệu của hai tỉ lệ đã làm tròn in trong bảng."))
        title = f"KẾT QUẢ THỰC HIỆN THEO {self.area.units_word.upper()}" if self.is_city else "KẾT QUẢ THỰC HIỆN QUA CÁC NĂM"
        return Section("Phụ lục I", title, (main, poverty))

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
        status_columns = [Column("Xây dựng", "count"), Column("Đang duy trì", "count"), Column("Đã nhân rộng", "count"),
                          Column("Ngừng hoạt động", "count"), Column("Mới xây dựng", "count"),
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
                                 unit="Đơn vị tính: mô hình; %", source=self.source02, totals=("Tổng cộng", *all_rates),
                                 note=note))
        labels = sector_labels()
        sectors = by_group(models, "sector")
        sectors = sectors.sort_values("sector", key=lambda s: s.map(list(labels).index), kind="stable")  # "Khác" last
        blocks.append(self.table("Mô hình theo lĩnh vực", [Column("Lĩnh vực"), *status_columns],
                                 [(labels.get(r.sector, r.sector), *values(r)) for r in sectors.itertuples()],
                                 unit="Đơn vị tính: mô hình; %", source=self.source02, totals=("Tổng cộng", *all_rates)))
        if self.is_city:
            units = by_group(models, "unit_code").set_index("unit_code").reindex(self.c.units["code"])
            units.index.name = "unit_code"
            rows = [(self.c.unit_names[r.unit_code], 0, 0, 0, 0, 0, None, None) if pd.isna(r.built)
                    else (self.c.unit_names[r.unit_code], *values(r)) for r in units.reset_index().itertuples()]
            blocks.append(self.table(f"Mô hình theo {self.area.units_word}", [Column("Đơn vị"), *status_columns], rows,
                                     unit="Đơn vị tính: mô hình; %", source=self.source02,
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


def as_of_text(computed: Computed) -> str:
    """"năm 2023 tính đến ngày 15/6/2023": the days of the mid-year years and of the last year."""
    end = computed.period[1]
    years = [*[y for y in computed.mid_years if y < end], end]
    return "; ".join(f"năm {y} tính đến ngày {fmt_short_date(computed.as_of(y))}" for y in years)


def _ascii_words(text: str) -> list[str]:
    import unicodedata

    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return "".join(c if c.isalnum() else " " for c in plain).split()


def _status_values(row) -> tuple:
    """A row of the model tables: counts by status and the judged cohorts' rates."""
    return (row.built, row.maintained, row.replicated, row.stopped, row.new,
            None if pd.isna(row.retention_rate) else row.retention_rate,
            None if pd.isna(row.replication_rate) else row.replication_rate)


def build_report(computed: Computed, params: ReportParams, unit_code: str = CITY, *,
                 generated_at: dt.datetime | None = None) -> Report:
    """The report of `unit_code` (the area by default) as plain data, with its companion."""
    from dataclasses import replace

    from analysis.report.companion import build_companion

    if unit_code not in computed.unit_names:
        raise UsageError(f"không có đơn vị mã “{unit_code}”; dùng city, all hoặc mã của một trong các {computed.area.units_word}")
    builder = _Builder(computed, params, unit_code)
    report = builder.build()
    companion = build_companion(computed, params, unit_code, report, narrative_file=builder.narrative_file,
                                generated_at=generated_at or dt.datetime.now().replace(microsecond=0))
    return replace(report, companion=companion)

