"""Two versions of a report compared (analysis.report.comparison): which figures and sentences
differ, by how much in the report's own words, and which changed form cells each can come from."""

from dataclasses import replace

from report_fixture import make_report

from analysis.report.changes import CellChange
from analysis.report.comparison import (
    Scope,
    Version,
    scope_texts,
    cells_of,
    changed_words,
    compare,
    years_in,
)
from analysis.report.document import Paragraph, Section
from analysis.report.figures import PrintedFigure, header_lines, printed_figures, sentences


def version(report, name="bản"):
    return Version(name, printed_figures(report), sentences(report), header_lines(report))


def edited_table(report, row: int, values: tuple, text: tuple):
    """The report with row `row` of its table (both copies) replaced."""
    table = report.tables()[0]
    rows, texts = list(table.rows), list(table.text)
    rows[row], texts[row] = values, text
    new = replace(table, rows=tuple(rows), text=tuple(texts))
    swap = lambda s: replace(s, blocks=tuple(new if b is table else b for b in s.blocks))  # noqa: E731
    return replace(report, sections=tuple(map(swap, report.sections)), appendices=tuple(map(swap, report.appendices)))


IA_CHIM_2023 = CellChange("Bieu01_2023.xlsx", "Biểu 01", "F24", "1.461", "1.451", "23326", "Xã Ia Chim", 2023,
                          "số hộ thay đổi nếp nghĩ, cách làm", feeds=True)
QUANG_TRUNG_2022 = CellChange("Bieu01_2022.xlsx", "Biểu 01", "F9", "90", "91", "23281", "Phường Quang Trung", 2022,
                              "số hộ thay đổi nếp nghĩ, cách làm", feeds=True)
TOTALS_ROW = CellChange("Bieu01_2023.xlsx", "Biểu 01", "F30", "12.145", "12.135", "", "", 2023, "tổng", feeds=False)
SCOPE = Scope(names={"23326": "Xã Ia Chim", "23281": "Phường Quang Trung"},
              area_names=("Thành phố Kon Tum", "toàn thành phố", "thành phố"))


def test_the_same_report_has_no_difference():
    report = make_report()
    comparison = compare(version(report), version(report))
    assert comparison.same and comparison.figures == () and comparison.sentences == ()
    assert comparison.compared == 26  # 24 table cells and 2 key figures


def test_a_changed_rate_is_worded_in_percentage_points_from_the_printed_values():
    before = make_report()
    # Phường Quang Trung: 97,5% -> 96,35% (prints 96,4): the reader subtracts 96,4 − 97,5 = −1,1
    after = edited_table(before, 0, ("Phường Quang Trung", 118, 96.35, 40.25),
                         ("Phường Quang Trung", "118", "96,4", "+40,3"))
    comparison = compare(version(before, "A"), version(after, "B"))
    title = "Kết quả theo đơn vị năm 2023: Phường Quang Trung"
    assert [(c.label, c.then, c.now, c.difference) for c in comparison.figures] == [
        (f"{title}, Tổng số hộ ĐBDTTS", "120", "118", "giảm 2"),
        (f"{title}, Tỉ lệ thay đổi nếp nghĩ, cách làm", "97,5", "96,4", "giảm 1,1 điểm phần trăm"),
        (f"{title}, Tổng số hộ ĐBDTTS (2)", "120", "118", "giảm 2"),  # the appendix prints the table again
        (f"{title}, Tỉ lệ thay đổi nếp nghĩ, cách làm (2)", "97,5", "96,4", "giảm 1,1 điểm phần trăm"),
    ]
    assert comparison.figures[0].place == "Bảng 1, dòng Phường Quang Trung, cột Tổng số hộ ĐBDTTS"
    assert not comparison.sentences


def test_a_raw_value_that_prints_the_same_is_not_a_change():
    before = make_report()
    after = edited_table(before, 0, ("Phường Quang Trung", 120, 97.46, 40.25),
                         ("Phường Quang Trung", "120", "97,5", "+40,3"))
    assert compare(version(before), version(after)).same


def test_sentences_are_aligned_an_inserted_paragraph_is_one_new_sentence():
    before = make_report()
    first = before.sections[0]
    inserted = replace(first, blocks=(first.blocks[0], Paragraph.of("Một đoạn mới."), *first.blocks[1:]))
    after = replace(before, sections=(inserted, *before.sections[1:]))
    comparison = compare(version(before), version(after))
    assert [(s.then, s.now) for s in comparison.sentences] == [("", "Một đoạn mới.")]
    assert comparison.figures == ()


def test_a_reworded_sentence_shows_the_words_that_changed():
    assert changed_words("có 551 hộ, chiếm 4,5% số hộ", "có 561 hộ, chiếm 4,6% số hộ") == [("551", "561"),
                                                                                              ("4,5%", "4,6%")]


def test_the_cells_of_a_figure_are_those_of_its_unit_and_year():
    cells = (IA_CHIM_2023, QUANG_TRUNG_2022, TOTALS_ROW)
    row = PrintedFigure("Bảng 1, dòng Xã Ia Chim, cột Thay đổi nếp nghĩ (%)", "", "97,5", 97.5, "rate", 1,
                        table="Kết quả thực hiện năm 2023", row="Xã Ia Chim", column="Thay đổi nếp nghĩ (%)")
    total = replace(row, row="Toàn thành phố")
    other_year = replace(row, column="Năm 2021", table="Tỉ lệ hộ nghèo 2020–2023")

    assert cells_of(scope_texts(row), cells, SCOPE) == (IA_CHIM_2023,)
    assert cells_of(scope_texts(total), cells, SCOPE) == (IA_CHIM_2023,)  # only 2023 (the title's year)
    assert cells_of(scope_texts(other_year), cells, SCOPE) == ()
    # a sentence naming 2023 depends on 2022 too (a yearly change); the totals row feeds nothing
    said = "Năm 2023, tỉ lệ của toàn thành phố tăng 0,2 điểm phần trăm."
    assert cells_of([said], cells, SCOPE, year_before=True) == (IA_CHIM_2023, QUANG_TRUNG_2022)
    # in a unit's own report, a figure naming no unit is that unit's
    assert cells_of(["Tỉ lệ năm 2023"], cells, replace(SCOPE, own="23281")) == ()
    assert cells_of(["Tỉ lệ năm 2022"], cells, replace(SCOPE, own="23281")) == (QUANG_TRUNG_2022,)


def test_years_in_reads_spans():
    assert years_in("Tỉ lệ hộ nghèo 2020–2023, Năm 2021 so với năm 2020") == {2020, 2021, 2022, 2023}
    assert years_in("Số 127-BC/TU, 12.291 hộ") == set()


def test_header_changes_are_kept_apart_from_the_text():
    before = make_report()
    after = replace(before, meta=replace(before.meta, number="Số 135-BC/TU", draft=False))
    comparison = compare(version(before), version(after))
    assert comparison.same
    assert [(h.place, h.then, h.now) for h in comparison.header] == [
        ("Phần đầu và chữ ký: số, ký hiệu", "Số 127-BC/TU", "Số 135-BC/TU"),
        ("Phần đầu và chữ ký: dấu dự thảo", "DỰ THẢO", "")]


def test_a_section_dropped_is_sentences_removed():
    before = make_report()
    after = replace(before, sections=before.sections[:1] + (Section("III", "PHƯƠNG HƯỚNG, NHIỆM VỤ", ()),))
    removed = [s for s in compare(version(before), version(after)).sentences if not s.now]
    assert [s.then for s in removed] == ["Tiếp tục đẩy mạnh công tác tuyên truyền.",
                                          "Ghi chú của cán bộ: <b>không phải thẻ HTML</b> & ký tự đặc biệt."]
