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
from analysis.errors import NarrativeIncomplete, UsageError
from analysis.report.companion import build_companion
from analysis.report.document import PART_KEYS, Report, Section
from analysis.report.narrative import Narrative, load_narrative
from analysis.report.narrative_template import completed, shown_path, template_narrative, template_text, unfilled
from analysis.report.params import ReportParams, expected_narrative_file
from analysis.report.parts.appendices import Appendices
from analysis.report.parts.assessment import Assessment
from analysis.report.parts.opening import Opening
from analysis.report.parts.results import Results

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


class ReportBuilder(Opening, Results, Assessment, Appendices):
    """Builds one report from its parts (analysis.report.parts)."""

    def build(self) -> Report:
        narrative = self.whole_narrative()
        parts = [
            ("CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN", self.leadership(narrative)),
            ("KẾT QUẢ THỰC HIỆN", self.results(narrative)),
            ("ĐÁNH GIÁ CHUNG", self.assessment(narrative)),
            ("PHƯƠNG HƯỚNG, NHIỆM VỤ", self.narrative_part(narrative, "Phương hướng, nhiệm vụ")),
            ("ĐỀ XUẤT, KIẾN NGHỊ", self.narrative_part(narrative, "Đề xuất, kiến nghị")),
        ]
        keyed = [(title, blocks, key) for (title, blocks), key in zip(parts, PART_KEYS)]
        sections = tuple(Section(ROMAN[i], title, blocks, key) for i, (title, blocks, key) in enumerate(keyed))
        appendices = (self.appendix_results(), self.appendix_models())
        meta = self.meta()
        slug = "-".join(_ascii_words(self.area.name)) if self.is_city else self.c.units.set_index("code").at[self.unit, "slug"]
        return Report(meta, self.key_figures(), sections, appendices, None, slug, self.opening(meta))

    def template_values(self) -> dict:
        """What the narrative file of this report is written from (narrative_template.template_text)."""
        who = "cán bộ tổng hợp" if self.is_city else self.setting("reporter", self.p.reporter) or f"Đảng ủy {self.in_text}"
        figures = [f"{k.label}: {k.value}" + (f" ({k.note})" if k.note else "") for k in self.key_figures()]
        return {"who": who, "review": f"{self.review.lower()} của {self.scope}", "figures": figures,
                "strengths": [p.text for p in self.data_strengths()], "limits": [p.text for p in self.data_limits()]}

    def narrative_text(self) -> str:
        """The narrative file `python -m analysis narrative` writes for this report."""
        return template_text(**self.template_values())

    def own_narrative(self) -> tuple[Narrative, list[str], dict]:
        """The file as the author wrote it, the places it still leaves to write, the template's values."""
        narrative = (load_narrative(self.narrative_file, source=shown_path(self.narrative_file)) if self.narrative_file
                     else Narrative())
        self.narrative_warnings = narrative.warnings
        values = self.template_values()
        missing = unfilled(narrative, data_items={"Ưu điểm": bool(values["strengths"]),
                                                  "Hạn chế": bool(values["limits"])})
        return narrative, missing, values

    def whole_narrative_notes(self) -> list[str]:
        """The places the narrative file still leaves to write (its warnings in narrative_warnings)."""
        return self.own_narrative()[1]

    def whole_narrative(self) -> Narrative:
        """The analyst's text with every part of I–V: what is not written yet is a marked place in a
        draft; a final report with any place left to write is refused, naming the file and the places."""
        narrative, missing, values = self.own_narrative()
        if missing and not self.p.draft:
            path = expected_narrative_file(self.p, self.c.units, self.unit)
            start = (f"tệp nhận định “{path}” còn phần chưa viết: " if self.narrative_file else
                     f"chưa có tệp nhận định “{path}” (tạo bằng: python -m analysis narrative --unit {self.unit} "
                     f"--period {self.first}-{self.year}); các phần cần viết: ")
            raise NarrativeIncomplete(
                f"{self.name}: không lập bản chính thức vì {start}" + ", ".join(missing)
                + ". Viết các phần đó (thay các dòng “[Cần viết: …]”) rồi lập lại; bản dự thảo (không có --final) "
                "in các chỗ còn trống để đơn vị viết tiếp.")
        self.narrative_missing = tuple(missing)
        return completed(narrative, template_narrative(**values))


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
    notes = (*builder.narrative_warnings,
             *([f"Còn phần chưa viết: {', '.join(builder.narrative_missing)}; bản dự thảo in dòng “[Cần viết: …]” ở "
                "các chỗ đó."] if builder.narrative_missing else []))
    companion = build_companion(computed, params, unit_code, report, narrative_file=builder.narrative_file,
                                generated_at=generated_at or dt.datetime.now().replace(microsecond=0),
                                narrative_notes=notes, method_notes=builder.method_notes())
    return replace(report, companion=companion)
