"""The `diff` page (analysis.render.comparison): both versions side by side, every text escaped."""

from dataclasses import replace

from report_fixture import HOSTILE_FORMULA, HOSTILE_UNIT, make_report

from analysis.archive.printed import version_of
from analysis.render.comparison import every_figure, render_comparison
from analysis.report.changes import CellChange
from analysis.report.comparison import compare


def test_the_page_shows_the_changes_side_by_side_and_writes_form_text_as_text():
    before = make_report()
    table = before.tables()[0]
    rows, text = list(table.rows), list(table.text)
    rows[0], text[0] = ("Phường Quang Trung", 118, 96.35, 40.25), ("Phường Quang Trung", "118", "96,4", "+40,3")
    changed = replace(table, rows=tuple(rows), text=tuple(text))
    after = replace(before, sections=(replace(before.sections[0], blocks=tuple(
        changed if b is table else b for b in before.sections[0].blocks)), *before.sections[1:]))
    cell = CellChange("Bieu01_2023.xlsx", HOSTILE_UNIT, "C9", "120", "118", "23281", "Phường Quang Trung", 2023,
                      "tổng số hộ ĐBDTTS", feeds=True)
    comparison = compare(version_of(before, "Báo cáo số 127-BC/TU"), version_of(after, "Dự thảo"), cells=(cell,))
    page = render_comparison(comparison, version_of(before, "A"), version_of(after, "B"), title="So sánh <b>",
                             about=HOSTILE_FORMULA)
    assert "<script>" not in page and "&lt;script&gt;" in page and "So sánh &lt;b&gt;" in page
    assert "Khác nhau 2 số liệu" in page  # the section's copy changed; the appendix's did not
    assert "<td class=\"num\">97,5</td><td class=\"num\">96,4</td><td class=\"diff\">giảm 1,1 điểm phần trăm</td>" in page
    assert "Bieu01_2023.xlsx › &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Xã Ia Chim › ô C9: 120 → 118" in page
    rows_all = every_figure(version_of(before, "A"), version_of(after, "B"))
    assert len(rows_all) == 26 and sum(r.changed for r in rows_all) == 2
