"""End to end: `python -m analysis report --format pptx` as users run it, on the bundled 2021-2023 data
(the city and a commune) and on the 2021-2025 sample (every unit), each deck opened and checked."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from deck_check import (
    active_content,
    notes_text,
    open_deck,
    overflows,
    run_problems,
    slide_texts,
    unprinted_figures,
)

from analysis import config

CITY = "bao-cao-so-ket-2021-2023-thanh-pho-kon-tum"
COMMUNE = "bao-cao-so-ket-2021-2023-xa-ia-chim"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, cwd=config.ROOT,
                          check=False, timeout=900)


def reports(period: str, data: Path, codes: list[str]) -> dict:
    """The reports the decks come from, built here from the same forms (what the PDF prints)."""
    from analysis.dataset import load_dataset
    from analysis.compute.computed import compute_for
    from analysis.report.content import build_report
    from analysis.report.params import load_params

    params = load_params(period=period)
    computed = compute_for(load_dataset(data, params.period), params)
    return {code: build_report(computed, params, code) for code in codes}


def check_deck(path: Path, report) -> object:
    """What every deck must be: its figures the report's, nothing overflowing or active, notes, fonts."""
    data = path.read_bytes()
    prs = open_deck(data)
    assert overflows(prs) == [], path.name
    assert active_content(data) == [], path.name
    assert run_problems(prs) == [], path.name
    assert unprinted_figures(prs, report) == [], path.name
    assert all(notes_text(slide).strip() for slide in prs.slides), path.name
    charts = [slide.shapes.title.text_frame.text for slide in prs.slides
              if slide.shapes.title.text_frame.text.startswith("Hình ")]
    part_two = next(s for s in report.sections if s.key == "results")
    assert charts == [b.caption for b in part_two.blocks if hasattr(b, "caption") and b.caption.startswith("Hình")]
    return prs


def table_rows(prs) -> list[list[str]]:
    table = next(s.table for slide in prs.slides for s in slide.shapes if s.has_table)
    return [[cell.text for cell in row.cells] for row in table.rows]


def cards(prs) -> list[str]:
    slide = next(s for s in prs.slides if s.shapes.title.text_frame.text == "Kết quả chủ yếu")
    return [shape.text_frame.paragraphs[0].text for shape in slide.shapes if shape.name.startswith("Số liệu")]


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("decks")
    result = cli("report", "--unit", "608", "23326", "--format", "pptx", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(Path(p).name for p in result.stdout.split() if p.endswith(".pptx")) == [f"{CITY}.pptx",
                                                                                          f"{COMMUNE}.pptx"]
    return out


@pytest.mark.slow
def test_the_city_and_a_commune_deck_carry_the_reports_printed_figures(bundled: Path):
    made = reports("2021-2023", config.RAW_DIR, ["608", "23326"])
    city = check_deck(bundled / f"{CITY}.pptx", made["608"])
    # The published figures, large: households informed, the three rates, models, the poverty rate.
    assert cards(city) == ["12.291", "98,8%", "99,0%", "98,5%", "240", "12,9%"]
    assert table_rows(city) == [["Năm", "Tỉ lệ (%)", "So với năm trước (điểm phần trăm)"],
                                ["Năm 2020", "22,0", ""], ["Năm 2021", "17,7", "−4,3"], ["Năm 2022", "14,4", "−3,3"],
                                ["Năm 2023*", "12,9", "−1,5"], ["Đạt mục tiêu (2021–2022)", "Đạt", ""]]
    titles = [slide.shapes.title.text_frame.text for slide in city.slides]
    assert titles[-2:] == ["IV. PHƯƠNG HƯỚNG, NHIỆM VỤ", "V. ĐỀ XUẤT, KIẾN NGHỊ"]
    commune = check_deck(bundled / f"{COMMUNE}.pptx", made["23326"])
    cover = slide_texts(commune.slides[0])
    assert "ĐẢNG ỦY XÃ IA CHIM" in cover and "DỰ THẢO" in cover and "Ia Chim, ngày 23 tháng 6 năm 2023" in cover
    footer = set(slide_texts(commune.slides[1], footer=True)) - set(slide_texts(commune.slides[1]))
    assert footer == {"ĐẢNG ỦY XÃ IA CHIM", "2"}
    # Its own narrative (data/narrative/xa-ia-chim.md): IV and V, as its report.
    assert [t for t in (s.shapes.title.text_frame.text for s in commune.slides) if t.startswith(("IV.", "V."))] == [
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ", "V. ĐỀ XUẤT, KIẾN NGHỊ"]
    assert table_rows(commune)[0][:4] == ["Năm", "Xã Ia Chim", "", "Toàn thành phố"]


@pytest.mark.slow
def test_decks_are_in_the_record_and_kept_when_nothing_changed(bundled: Path):
    record = json.loads((bundled / ".ban-ghi.json").read_text(encoding="utf-8"))["reports"]
    assert record["2021-2023/608"]["outputs"]["pptx"]["file"] == f"{CITY}.pptx"  # one entry per format
    assert record["2021-2023/23326"]["outputs"]["pptx"]["file"] == f"{COMMUNE}.pptx"
    before = (bundled / f"{CITY}.pptx").stat().st_mtime_ns
    again = cli("report", "--unit", "608", "23326", "--format", "pptx", "--out", str(bundled))
    assert again.returncode == 0 and "đã cập nhật, không cần lập lại" in again.stderr
    assert (bundled / f"{CITY}.pptx").stat().st_mtime_ns == before


@pytest.mark.slow
def test_every_unit_of_the_five_year_sample_gets_its_deck(tmp_path: Path):
    data, out = tmp_path / "mau-5-nam", tmp_path / "bao-cao"
    assert cli("sample-data", "--period", "2021-2025", "--out", str(data)).returncode == 0
    result = cli("report", "--period", "2021-2025", "--data", str(data), "--unit", "all", "--format", "pptx",
                 "--out", str(out))
    assert result.returncode == 0, result.stderr
    decks = sorted(out.glob("*.pptx"))
    assert len(decks) == 7  # the area and its 6 wards and communes on the map of 1 July 2025
    record = json.loads((out / ".ban-ghi.json").read_text(encoding="utf-8"))["reports"]
    assert sorted(output["file"] for entry in record.values() for output in entry["outputs"].values()
                  if output["file"].endswith(".pptx")) == [
        deck.name for deck in decks]
    from analysis.reference import load_units

    codes = ["608", *load_units(on=dt.date(2025, 12, 31))["code"]]
    made = reports("2021-2025", data, codes)
    by_stem = {report.file_stem(): report for report in made.values()}
    for deck in decks:
        prs = check_deck(deck, by_stem[deck.stem])
        if deck.stem == "bao-cao-tong-ket-2021-2025-dia-ban-thanh-pho-kon-tum-cu":
            assert cards(prs)[0] == "12.540"
            assert [row[1:] for row in table_rows(prs)[1:-1]] == [
                ["22,0", ""], ["17,7", "−4,3"], ["14,4", "−3,3"], ["12,6", "−1,8"], ["10,9", "−1,7"], ["9,1", "−1,8"]]  # 2023 to 31/12 (1.556 / 12.350)
