"""The report's content on the bundled data: sentences carry the published figures."""

import datetime as dt
from pathlib import Path

import pytest

from analysis.report.content import build_report, compute_all
from analysis.dataset import load_dataset
from analysis.report.document import BulletList, Figure, Paragraph, Table
from analysis.errors import UsageError
from analysis.report.params import load_params


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


def test_city_report_states_the_published_figures(computed):
    report = build_report(computed, load_params(), generated_at=dt.datetime(2023, 6, 20, 8, 0))
    results = text_of(report.sections[0])
    for phrase in ("12.291 hộ ĐBDTTS, đạt 100,0%", "12.145 hộ ĐBDTTS đã thay đổi nếp nghĩ", "98,8%",
                   "tăng 48,1 điểm phần trăm", "12.165 hộ", "99,0%", "tăng 64,8 điểm phần trăm", "12.102 hộ",
                   "98,5%", "tăng 74,0 điểm phần trăm", "551 hộ ĐBDTTS tham gia tổ hợp tác",
                   "240 mô hình", "145 mô hình đang được duy trì (60,4%)", "34 mô hình đã được nhân rộng (14,2%)",
                   "61 mô hình xây dựng mới trong năm 2023 (25,4%)", "tỉ lệ duy trì 100,0%", "tỉ lệ nhân rộng 19,0%",
                   "Năm 2021 giảm 4,3 điểm phần trăm; năm 2022 giảm 3,3 điểm phần trăm; đều đạt mục tiêu"):
        assert phrase in results, phrase
    assert [s.number for s in report.sections] == ["I", "II", "III", "IV"]
    assert [s.number for s in report.appendices] == ["Phụ lục I", "Phụ lục II", "Phụ lục III"]
    figures = report.figures()
    assert [f.number for f in figures] == [1, 2, 3, 4] and all(f.alt and f.source and f.unit for f in figures)
    tables = report.tables()
    assert [t.number for t in tables] == list(range(1, len(tables) + 1))
    assert tables[0].totals_text[:2] == ("Toàn thành phố", "12.291") and tables[0].wide
    assert report.file_stem() == "bao-cao-so-ket-2021-2023-thanh-pho-kon-tum"
    assert "minh họa" in " ".join(report.provenance.notes)
    assert len(report.provenance.inputs) == 5


def test_city_assessment_names_units_behind_the_poverty_target(computed):
    report = build_report(computed, load_params())
    assessment = text_of(report.sections[1])
    assert "chưa đạt mục tiêu" in assessment and "Phường Duy Tân (tăng 0,1 điểm phần trăm" in assessment


def test_data_quality_appendix_lists_the_warnings_and_the_single_rounding_difference(computed):
    quality = build_report(computed, load_params()).appendices[2]
    warnings, reconciliation = [b for b in quality.blocks if isinstance(b, Table)]
    assert [row[0] for row in warnings.rows] == ["W-DUPLICATE", "W-PERCENT", "W-TOTALS"]  # by file, then row
    statuses = [row[4] for row in reconciliation.rows]
    assert statuses.count("Chênh do làm tròn") == 1 and statuses.count("Khớp") == 17


def test_unit_report(computed):
    report = build_report(computed, load_params(), "23326")
    assert report.meta.unit_name == "Xã Ia Chim" and report.slug == "xa-ia-chim"
    assert "(Xã Ia Chim)" in report.meta.title
    assert "Xã Ia Chim có" in text_of(report.sections[0])
    assert [w for t in report.tables() for w in t.rows if w and w[0] == "W-PERCENT"]  # its own warning
    assert not any(isinstance(b, Figure) and "theo xã, phường" in b.title for b in report.sections[0].blocks)


def test_narrative_without_a_required_section_is_a_usage_error(computed, tmp_path: Path):
    narrative = tmp_path / "n.md"
    narrative.write_text("## Đánh giá chung\n\nVăn bản.\n", encoding="utf-8")
    with pytest.raises(UsageError, match="thiếu mục: “## Phương hướng, nhiệm vụ”, “## Đề xuất, kiến nghị”"):
        build_report(computed, load_params(narrative=str(narrative)))


def test_unknown_unit_is_a_usage_error(computed):
    with pytest.raises(UsageError, match="không có đơn vị mã “99999”"):
        build_report(computed, load_params(), "99999")
