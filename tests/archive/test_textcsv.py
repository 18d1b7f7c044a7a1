"""The open tables of the archive (figures, sentences, register): UTF-8 with a BOM, every field
quoted text, never a formula, read back exactly as written."""

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from analysis.archive.printed import figure_rows, read_version, write_printed
from analysis.archive.textcsv import csv_bytes, read_rows, write_rows
from analysis.report.figures import header_lines, printed_figures, sentences
from report_fixture import HOSTILE_FORMULA, make_report

TEXT = st.one_of(st.text(max_size=30), st.sampled_from(["=SUM(A1:A3)", "+0,2", "-1", "@x", "'=x", "''", "'", "\t=1",
                                                       "＝1", "Xã Ia Chim", "12.291", "98,8%", 'a"b', "a\nb", "a,b"]))


@given(rows=st.lists(st.lists(TEXT, min_size=3, max_size=3), max_size=8))
def test_a_table_reads_back_exactly_and_no_field_starts_like_a_formula(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("csv") / "bang.csv"
    write_rows(path, ("Vị trí", "Nhãn", "=Giá trị"), rows)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    raw = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert all(not field.startswith(("=", "+", "-", "@", "\t", "\r", "＝")) for row in raw for field in row)
    assert read_rows(path) == (["Vị trí", "Nhãn", "=Giá trị"], [list(r) for r in rows])


def test_every_field_is_quoted_and_a_form_formula_is_text():
    data = csv_bytes(["a"], [[HOSTILE_FORMULA], ["+48,1"]]).decode("utf-8-sig")
    assert data.splitlines() == ['"a"', '"\'=HYPERLINK(""http://example.invalid"",""bấm vào đây"")"', '"\'+48,1"']


def test_the_figures_and_sentences_of_a_report_read_back_as_they_were(tmp_path):
    report = make_report()
    write_printed(tmp_path, report)
    version = read_version(tmp_path, "bản đã lưu")
    assert version.figures == printed_figures(report)
    assert version.sentences == sentences(report)
    assert version.header == header_lines(report)
    rows = figure_rows(printed_figures(report))
    assert rows[0][:6] == ["Bảng 1, dòng Phường Quang Trung, cột Tổng số hộ ĐBDTTS",
                           "Kết quả theo đơn vị năm 2023: Phường Quang Trung, Tổng số hộ ĐBDTTS", "120", "120.0",
                           "số lượng", "0"]
