"""The report's content, built once as plain data (analysis.report.document) for every format.

`build_report` turns what was computed from the data set (analysis.compute.computed) into the
parts of a báo cáo sơ kết or tổng kết (an opening, I. leadership and organisation, II. results,
III. assessment, IV. directions, V. proposals, appendices) for the area or for one of its units,
each part written by its own module (analysis.report.parts), and the analyst's check material
into a companion (analysis.report.companion) that is written to a file of its own.

Every change printed is the difference of the two printed (rounded) values beside it and is
worded by formatting.fmt_change; a target is judged on the printed value. Numbers are shown
only through analysis.formatting.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import replace

from analysis.compute.computed import CITY, Computed
from analysis.errors import UsageError
from analysis.report.companion import build_companion
from analysis.report.document import PART_KEYS, Report, Section
from analysis.report.narrative import load_narrative
from analysis.report.params import ReportParams
from analysis.report.parts.appendices import Appendices
from analysis.report.parts.assessment import Assessment
from analysis.report.parts.base import NARRATIVE_SECTIONS
from analysis.report.parts.opening import Opening
from analysis.report.parts.results import Results

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


class ReportBuilder(Opening, Results, Assessment, Appendices):
    """Builds one report from its parts (analysis.report.parts)."""

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
        keyed = [(title, blocks, key) for (title, blocks), key in zip(parts, PART_KEYS)]
        sections = tuple(Section(ROMAN[i], title, blocks, key)
                         for i, (title, blocks, key) in enumerate(part for part in keyed if part[1]))
        appendices = (self.appendix_results(), self.appendix_models())
        meta = self.meta()
        slug = "-".join(_ascii_words(self.area.name)) if self.is_city else self.c.units.set_index("code").at[self.unit, "slug"]
        return Report(meta, self.key_figures(), sections, appendices, None, slug, self.opening(meta))


def _ascii_words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return "".join(c if c.isalnum() else " " for c in plain).split()


def build_report(computed: Computed, params: ReportParams, unit_code: str = CITY, *,
                 generated_at: dt.datetime | None = None) -> Report:
    """The report of `unit_code` (the area by default) as plain data, with its companion."""
    if unit_code not in computed.unit_names:
        raise UsageError(f"không có đơn vị mã “{unit_code}”; dùng city, all hoặc mã của một trong các {computed.area.units_word}")
    builder = ReportBuilder(computed, params, unit_code)
    report = builder.build()
    companion = build_companion(computed, params, unit_code, report, narrative_file=builder.narrative_file,
                                generated_at=generated_at or dt.datetime.now().replace(microsecond=0))
    return replace(report, companion=companion)
