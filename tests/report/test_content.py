"""The report's content on the bundled data: sentences carry the published figures; the signed
report holds no check material; a ward's or commune's report is its own document."""

import datetime as dt
import re
from pathlib import Path

import pytest

from analysis.dataset import load_dataset
from analysis.errors import NarrativeIncomplete, UsageError
from analysis.compute.computed import compute_all
from analysis.report.content import build_report
from analysis.report.document import BulletList, Heading, Paragraph, Table
from analysis.report.params import load_params

pytestmark = pytest.mark.slow  # builds reports from the bundled data: the full suite, not make test-fast


@pytest.fixture(scope="module")
def computed():
    return compute_all(load_dataset())


def text_of(section) -> str:
    parts = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, BulletList):
            parts += [item.text for item in block.items]
    return " ".join(parts)


def all_text(report) -> str:
    parts = [b.text for b in report.opening]
    for section in (*report.sections, *report.appendices):
        parts.append(f"{section.number} {section.title} {text_of(section)}")
        parts += [b.text for b in section.blocks if isinstance(b, Heading)]
        for table in (b for b in section.blocks if isinstance(b, Table)):
            parts += [table.caption, table.unit, table.source, table.note, *(c.label for c in table.columns)]
            parts += [cell for row in table.text for cell in row]
    return " ".join(parts)


def test_city_report_states_the_published_figures(computed):
    report = build_report(computed, load_params(), generated_at=dt.datetime(2023, 6, 20, 8, 0))
    results = text_of(report.sections[1])
    for phrase in ("12.145 hộ thay đổi nếp nghĩ", "98,8%", "So với năm 2021 (50,7%), tỉ lệ này tăng 48,1 điểm phần trăm",
                   "99,0% (12.165 hộ), tăng 64,8 điểm phần trăm so với năm 2021 (34,2%)", "12.102 hộ", "98,5%", "tăng 74,0 điểm phần trăm",
                   "551 hộ ĐBDTTS đã tham gia tổ hợp tác", "240 mô hình", "145 mô hình đang được duy trì, 34 mô hình "
                   "đã được nhân rộng và 61 mô hình xây dựng mới trong năm 2023",  # counts: Phụ lục II prints them
                   "tỉ lệ duy trì 100,0%", "tỉ lệ nhân rộng 19,0%",  # one decimal, as Bảng 4 prints them
                   "Năm 2021 giảm 4,3 điểm phần trăm, từ 22,0% xuống 17,7%; năm 2022 giảm 3,3 điểm phần trăm, "
                   "từ 17,7% xuống 14,4%. Cả hai năm đều đạt mục tiêu"):
        assert phrase in results, phrase
    assert "đến toàn bộ 12.291 hộ đồng bào dân tộc thiểu số (ĐBDTTS)" in text_of(report.sections[0])
    assert [s.number for s in report.sections] == ["I", "II", "III", "IV", "V"]
    assert [s.title for s in report.sections] == ["CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN", "KẾT QUẢ THỰC HIỆN",
                                                  "ĐÁNH GIÁ CHUNG", "PHƯƠNG HƯỚNG, NHIỆM VỤ", "ĐỀ XUẤT, KIẾN NGHỊ"]
    assessment = [b.text for b in report.sections[2].blocks if isinstance(b, Heading)]
    assert assessment == ["1. Ưu điểm", "2. Hạn chế", "3. Nguyên nhân", "4. Bài học kinh nghiệm"]
    assert [s.number for s in report.appendices] == ["Phụ lục I", "Phụ lục II"]
    figures = report.figures()
    assert [f.number for f in figures] == [1, 2, 3, 4] and all(f.alt and f.source and f.unit for f in figures)
    tables = report.tables()
    assert [t.number for t in tables] == list(range(1, len(tables) + 1))
    assert tables[0].totals_text[:2] == ("Toàn thành phố", "12.291") and tables[0].wide
    assert report.file_stem() == "bao-cao-so-ket-2021-2023-thanh-pho-kon-tum"
    assert report.companion.file_stem() == "kiem-tra-so-lieu-2021-2023-thanh-pho-kon-tum"


def test_opening_paragraph_comes_from_the_parameters(computed, tmp_path: Path):
    extra = tmp_path / "p.yaml"
    extra.write_text("basis: Kế hoạch số 45-KH/TU, ngày 02/3/2021 của Ban Thường vụ Tỉnh ủy\n"
                     "reporter: Ban Thường vụ Thành ủy\n", encoding="utf-8")
    report = build_report(computed, load_params(extra))
    assert report.opening[0].text.startswith("Thực hiện Kế hoạch số 45-KH/TU, ngày 02/3/2021 của Ban Thường vụ Tỉnh ủy, "
                                             "Ban Thường vụ Thành ủy báo cáo sơ kết 2 năm thực hiện Cuộc vận động “Làm")
    assert "(sau đây gọi là Cuộc vận động)" in report.opening[0].text


@pytest.mark.parametrize("unit", ["608", "23326"])
def test_the_signed_report_holds_no_check_material(computed, unit):
    text = all_text(build_report(computed, load_params(), unit))
    for machine in (r"\.xlsx|\.yaml|\.csv|\.md\b|data/", r"\bW-[A-Z]+|\bE-[A-Z]+", r"[0-9a-f]{64}", r"Python|pandas",
                    r"bài viết|minh họa|SHA-256|›", r"KHKT|THT|HTX"):
        assert not re.search(machine, text), machine


def test_companion_holds_warnings_reconciliation_and_provenance(computed):
    companion = build_report(computed, load_params()).companion
    text = " ".join(all_text_blocks(companion))
    warnings = next(t for t in companion.tables() if t.title == "Cảnh báo khi kiểm tra số liệu")
    assert [row[0] for row in warnings.rows] == ["W-DUPLICATE", "W-PERCENT", "W-TOTALS"]  # by file, then row
    assert "Bieu01_2022.xlsx" in text and "minh họa" in text  # the bundled sample: its checksums are listed
    assert "số liệu theo từng xã, phường là số liệu minh họa; chỉ số liệu toàn thành phố trùng với" in text
    totals = next(t for t in companion.tables() if t.title.startswith("Dòng tổng cộng"))
    households_2022 = [row for row in totals.rows if row[0] == "2022" and row[1] == "tổng số hộ ĐBDTTS"]
    assert [(r[3], r[4], r[5], r[6]) for r in households_2022] == [(12163, 12160, 3, "Khác")]  # typed 12.163, units sum 12.160
    inputs = next(t for t in companion.tables() if t.title == "Các tệp đầu vào")
    assert len(inputs.rows) == 5 and all(len(row[2]) == 64 for row in inputs.rows)
    assert "pandas" in companion.provenance.software and "Python" in companion.provenance.software


def all_text_blocks(companion):
    for section in companion.sections:
        for block in section.blocks:
            if isinstance(block, Paragraph):
                yield block.text
            elif isinstance(block, Table):
                yield from (cell for row in block.text for cell in row)


def test_no_illustrative_note_when_the_inputs_are_not_the_sample(computed, monkeypatch):
    from analysis.report import companion

    monkeypatch.setattr(companion, "sample_checksums", lambda *a, **k: set())
    assert "minh họa" not in " ".join(all_text_blocks(build_report(computed, load_params()).companion))


def test_city_assessment_names_units_behind_the_poverty_target_from_printed_rates(computed):
    report = build_report(computed, load_params())
    limits = text_of(report.sections[2])
    # Phường Duy Tân, 2021: 7,1% -> 7,3% printed; the change is their difference, +0,2.
    assert "phường Duy Tân (tăng 0,2 điểm phần trăm, từ 7,1% lên 7,3%)" in limits
    assert "phường Trần Hưng Đạo (không đổi, ở mức 5,4%)" in limits
    assert "Phường Duy Tân" not in limits  # unit types in lower case in running text


def test_unit_report_is_the_units_own_document(computed):
    report = build_report(computed, load_params(), "23326")
    m = report.meta
    assert (m.issuer_parent, m.issuer, m.number.split()[-1], m.signer_on_behalf) == (
        "ĐẢNG BỘ THÀNH PHỐ KON TUM", "ĐẢNG ỦY XÃ IA CHIM", "-BC/ĐU", "T/M ĐẢNG ỦY")
    assert m.unit_name == "Xã Ia Chim" and report.slug == "xa-ia-chim" and "Thành ủy" not in " ".join(m.recipients[-1:])
    text = all_text(report)
    assert "xã Ia Chim" in text and "THÀNH ỦY" not in m.issuer
    city = build_report(computed, load_params())
    city_narrative = [b.text for b in city.sections[0].blocks if isinstance(b, Paragraph)][0]
    assert city_narrative not in text  # never the city's narrative
    assert [s.title for s in report.sections] == ["CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN", "KẾT QUẢ THỰC HIỆN",
                                                  "ĐÁNH GIÁ CHUNG", "PHƯƠNG HƯỚNG, NHIỆM VỤ", "ĐỀ XUẤT, KIẾN NGHỊ"]
    assert "(toàn thành phố: 98,8%)" in text  # compared with the city
    assert report.appendices[0].title == "KẾT QUẢ THỰC HIỆN QUA CÁC NĂM"
    assert report.companion.tables()[0].rows[0][0] == "W-PERCENT"  # its own warning, in the companion


def test_unit_settings_and_narrative_override(computed, tmp_path: Path):
    narrative = tmp_path / "ia-chim.md"
    narrative.write_text("## Phương hướng, nhiệm vụ\n\n- Việc riêng của xã.\n", encoding="utf-8")
    extra = tmp_path / "p.yaml"
    extra.write_text(f'units:\n  "23326": {{signer_name: Nguyễn Văn A, narrative: "{narrative}"}}\n', encoding="utf-8")
    report = build_report(computed, load_params(extra), "23326")
    assert report.meta.signer_name == "Nguyễn Văn A"
    assert report.sections[3].title == "PHƯƠNG HƯỚNG, NHIỆM VỤ" and "Việc riêng của xã." in text_of(report.sections[3])


def test_a_narrative_without_a_required_section_is_marked_in_a_draft_and_refused_when_final(computed, tmp_path: Path):
    narrative = tmp_path / "n.md"
    narrative.write_text("## Công tác lãnh đạo, chỉ đạo\n\nVăn bản.\n\n## Đánh giá chung\n\n### Ưu điểm\n\nTốt.\n\n"
                         "### Hạn chế\n\nCòn ít.\n\n### Nguyên nhân\n\nDo khó.\n\n### Bài học kinh nghiệm\n\nSâu sát.\n",
                         encoding="utf-8")
    draft = build_report(computed, load_params(narrative=str(narrative)))
    assert [s.number for s in draft.sections] == ["I", "II", "III", "IV", "V"]
    assert [b.text for b in draft.sections[3].blocks] == ["[Cần viết: các nhiệm vụ, giải pháp trong thời gian tới.]"]
    assert draft.sections[3].blocks[0].runs[0].bold  # seen at a glance
    with pytest.raises(NarrativeIncomplete, match="“## Phương hướng, nhiệm vụ”, “## Đề xuất, kiến nghị”") as error:
        build_report(computed, load_params(narrative=str(narrative), draft=False))
    assert str(narrative) in str(error.value) and error.value.exit_code == 1


def test_unknown_unit_is_a_usage_error(computed):
    with pytest.raises(UsageError, match="không có đơn vị mã “99999”"):
        build_report(computed, load_params(), "99999")


def test_earlier_figures_are_reconciled_in_the_companion_and_a_later_source_is_refused(computed):
    article = Path(__file__).parents[1] / "fixtures" / "published_figures.csv"  # dated 24/6/2023
    with pytest.raises(UsageError, match="sau ngày của báo cáo"):
        build_report(computed, load_params(earlier_figures=str(article)))  # the report is dated 23/6/2023
    report = build_report(computed, load_params(earlier_figures=str(article), review_date="2023-07-01"))
    section = next(s for s in report.companion.sections if s.title == "ĐỐI CHIẾU VỚI BÁO CÁO TRƯỚC")
    table = next(b for b in section.blocks if isinstance(b, Table))
    assert [row[4] for row in table.rows].count("Khớp") == 17
    assert [row[:4] for row in table.rows if row[4] != "Khớp"] == [
        ("Tỉ lệ hộ biết áp dụng khoa học - kỹ thuật", "2023", "98,9%", "99,0%")]  # the article truncated 98,975
    assert "bài viết" not in all_text(report).lower()


def test_the_companion_names_its_report_without_quotes_inside_quotes(computed):
    text = build_report(computed, load_params()).companion.sections[0].blocks[0].text
    assert text.count("“") == 1 and "văn bản “Báo cáo sơ kết 2 năm thực hiện Cuộc vận động” của THÀNH ỦY KON TUM" in text
