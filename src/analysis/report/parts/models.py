"""II. The economic models: how many were built, are running, were replicated or stopped.
"""

from __future__ import annotations

from analysis.compute.retention import cohort_table, retention_summary, status_shares
from analysis.formatting import (
    fmt_int,
    fmt_percent,
    fmt_short_date,
)
from analysis.report import charts
from analysis.report.document import (
    Heading,
    Paragraph,
    Run,
)
from analysis.vocabulary import status_in_text
from analysis.report.parts.base import (
    Part,
    _capital,
    _join,
)


class Models(Part):
    """II. The economic models: how many were built, are running, were replicated or stopped."""

    def models_blocks(self) -> list:
        models, y, f = self.models, self.year, self.first
        blocks: list = [Heading("Xây dựng, duy trì và nhân rộng mô hình phát triển kinh tế")]
        if models.empty:
            return blocks + [Paragraph.of(f"Từ năm {f} đến nay, {self.scope} chưa xây dựng mô hình phát triển kinh tế "
                                          "nào trong danh sách theo dõi.")]
        shares = status_shares(models).set_index("status")
        summary = retention_summary(models, report_year=y).set_index("measure")

        def part(status: str, label: str) -> str:  # counts only: Phụ lục II prints them, not shares of all models
            return f"{fmt_int(shares.at[status, 'count'])} mô hình {label}"

        parts = [part(status, status_in_text(status, year=y)) for status in ("maintained", "replicated", "new", "stopped")
                 if shares.at[status, "count"]]
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
                      f"nhân rộng {fmt_percent(replication['value'])})" if replication["numerator"]
                      else "; chưa có mô hình nào được nhân rộng")
            blocks.append(Paragraph((
                Run(f"Xét riêng {retention['denominator_text']}, {running} ("),
                Run(f"tỉ lệ duy trì {fmt_percent(retention['value'])}", bold=True),
                Run(f"){copied}."),
            )))
        # The Kaplan–Meier estimate of models still running after n years is the analyst's (companion):
        # the signed text says only what its tables show.
        cohorts = cohort_table(models, report_year=y)
        blocks.append(self.figure(charts.model_cohorts(cohorts, source=self.source02)))
        return blocks
