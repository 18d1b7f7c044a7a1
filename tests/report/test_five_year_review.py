"""The 5-year tổng kết on the 2021-2025 sample, on the map in force at the review date.

Each new unit's figures for 2020-2024 must be the sums of its old units, computed here
independently: the forms are read with openpyxl and the old units are mapped by hand from
Nghị quyết 1677/NQ-UBTVQH15 (the row names as the offices typed them). Rates are recomputed
from the summed counts, never averaged.
"""

import os
import subprocess
import sys
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from sample_forms import unit_rows as form01_unit_rows

from analysis import config
from analysis.dataset import load_dataset
from analysis.errors import UsageError
from analysis.compute.computed import compute_for
from analysis.report.content import build_report
from analysis.report.params import load_params
from samples import write_sample_data

pytestmark = pytest.mark.slow  # builds reports from the bundled data: the full suite, not make test-fast

ROOT = Path(__file__).resolve().parents[2]
KON_TUM, DAK_CAM, DAK_BLA, NGOK_BAY, IA_CHIM, DAK_RO_WA = "23293", "23284", "23302", "23317", "23326", "23332"
# Each old unit as typed in the 2020-2024 forms -> its new unit (Nghị quyết 1677/NQ-UBTVQH15, Điều 1).
NEW_UNIT_OF = {
    "P. Quang Trung": KON_TUM, "P.Quyết Thắng": KON_TUM, "phường Trường Chinh": KON_TUM, "THẮNG LỢI": KON_TUM,
    "P. Thống  Nhất": KON_TUM,
    "Phường Duy Tân": DAK_CAM, "Ngô Mây": DAK_CAM, "Xã Đăk Cấm": DAK_CAM,
    "Lê Lợi": DAK_BLA, "Nguyễn Trãi": DAK_BLA, "Trần Hưng Đạo": DAK_BLA,
    "Kroong": NGOK_BAY, "X. Ngọc Bay": NGOK_BAY, "Vinh Quang": NGOK_BAY,
    "Ia Chim": IA_CHIM, "Đắk Năng": IA_CHIM, "Đoàn Kết": IA_CHIM,
    "Xã Đăk Bla": DAK_RO_WA,  # the old commune Đắk Blà: to xã Đăk Rơ Wa, not to phường Đăk Bla
    "Chư Hreng": DAK_RO_WA, "Đăk Rơ Wa": DAK_RO_WA, "xã Hoà Bình": DAK_RO_WA,
}
# 0-based columns of form 01 (2021 on) and of the 2020 baseline form.
COLUMNS = {"households": 2, "informed": 3, "changed_mindset": 5, "applied_science": 7, "improved_life": 9,
           "coop_members": 11, "poor": 12, "near_poor": 13}
BASELINE = {"households": 2, "poor": 3, "near_poor": 4}
# The unit report's first appendix table: (year, households, informed, %, changed, %, applied, %, improved, %,
# coop, poverty %)
TABLE_COUNTS = {"households": 1, "informed": 2, "changed_mindset": 4, "applied_science": 6, "improved_life": 8,
                "coop_members": 10}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("five_years")
    write_sample_data(out, period=(2021, 2025))
    return out


@pytest.fixture(scope="module")
def params():
    return load_params(period="2021-2025")


@pytest.fixture(scope="module")
def computed(folder, params):
    dataset = load_dataset(folder, params.period)
    assert dataset.errors.empty
    return compute_for(dataset, params)


def old_rows(folder: Path, year: int) -> list[tuple]:
    """The unit rows of an old-map form, a row typed twice counted once."""
    return form01_unit_rows(folder / f"Bieu01_{year}.xlsx")


def name(row) -> str:
    """The unit as typed (one is typed in NFD: compared in NFC)."""
    return unicodedata.normalize("NFC", row[1]).strip()


def number(cell) -> int:
    return int(str(cell).strip().replace(".", ""))


def summed(folder: Path, year: int, new_code: str, field: str) -> int:
    index = (BASELINE if year == 2020 else COLUMNS)[field]
    rows = [row for row in old_rows(folder, year) if NEW_UNIT_OF[name(row)] == new_code]
    return sum(number(row[index]) for row in rows)


def rate(part: int, whole: int) -> float:
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def test_every_old_row_is_mapped_by_hand(folder):
    for year in range(2020, 2025):
        names = [name(row) for row in old_rows(folder, year)]
        assert sorted(names) == sorted(name.strip() for name in NEW_UNIT_OF), year


def test_the_report_is_on_the_6_new_units(computed):
    assert sorted(computed.units["code"]) == sorted({KON_TUM, DAK_CAM, DAK_BLA, NGOK_BAY, IA_CHIM, DAK_RO_WA})
    assert computed.regrouped


@pytest.mark.parametrize("new_code", [KON_TUM, DAK_CAM, DAK_BLA, NGOK_BAY, IA_CHIM, DAK_RO_WA])
def test_a_new_units_2021_2024_counts_in_its_report_are_the_sums_of_its_old_units(folder, params, computed, new_code):
    report = build_report(computed, params, new_code)
    table = report.appendices[0].blocks[0]
    by_year = {row[0]: row for row in table.rows}
    for year in range(2021, 2025):
        row = by_year[str(year)]
        for field, column in TABLE_COUNTS.items():
            assert row[column] == summed(folder, year, new_code, field), (new_code, year, field)
        # the poor + near-poor rate from the summed counts
        poor = summed(folder, year, new_code, "poor") + summed(folder, year, new_code, "near_poor")
        assert round(row[12], 1) == rate(poor, summed(folder, year, new_code, "households")), (new_code, year)
        # the cooperative rate beside its count: from the summed counts too
        households = summed(folder, year, new_code, "households")
        assert round(row[11], 1) == rate(summed(folder, year, new_code, "coop_members"), households), (new_code, year)


def test_the_2020_baseline_rate_is_recomputed_from_summed_counts_not_averaged(folder, params, computed):
    # Xã Đăk Rơ Wa, 2020: four old communes of different sizes.
    rows = [row for row in old_rows(folder, 2020) if NEW_UNIT_OF[name(row)] == DAK_RO_WA]
    assert len(rows) == 4
    households = sum(number(row[2]) for row in rows)
    poor = sum(number(row[3]) + number(row[4]) for row in rows)
    expected = rate(poor, households)
    member_rates = [Decimal(number(r[3]) + number(r[4])) * 100 / number(r[2]) for r in rows]
    averaged = float((sum(member_rates) / 4).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    assert expected != averaged  # the test can tell the two apart
    report = build_report(computed, params, DAK_RO_WA)
    poverty = report.appendices[0].blocks[1]
    row = poverty.rows[0]
    assert row[0] == "Xã Đăk Rơ Wa"
    assert round(row[1], 1) == expected  # "Năm 2020"


def test_a_model_keeps_its_unit_of_origin_and_is_counted_under_the_new_unit(computed):
    models = computed.models
    # Models built before 1/7/2025 in an old unit: the old commune Đắk Blà's (23323) are counted in xã Đăk Rơ Wa.
    from_dak_bla = models[models["origin_unit_code"] == "23323"]
    assert len(from_dak_bla) and set(from_dak_bla["unit_code"]) == {DAK_RO_WA}
    assert set(models["unit_code"]) <= {KON_TUM, DAK_CAM, DAK_BLA, NGOK_BAY, IA_CHIM, DAK_RO_WA}
    assert len(models) == 350


def test_the_area_report_names_its_6_units_and_the_regrouping(params, computed):
    report = build_report(computed, params, "608")
    assert report.meta.title.startswith("Tổng kết 5 năm thực hiện Cuộc vận động")
    assert (report.meta.issuer_parent, report.meta.issuer) == ("TỈNH ỦY QUẢNG NGÃI", "BAN DÂN VẬN")
    opening = " ".join(run.text for block in report.opening for run in block.runs)
    assert "báo cáo tổng kết 5 năm thực hiện" in opening
    assert "nay gồm 6 phường, xã" in opening
    assert "đến hết năm 2025" in opening
    assert "Số liệu các năm 2020–2024 của từng phường, xã hiện nay là tổng số liệu" in opening
    # the reorganisation said once, each resolution with its date and issuing body (legal.yaml)
    assert ("Theo Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội về việc sắp xếp đơn vị hành chính cấp "
            "tỉnh, từ ngày 1/7/2025, tỉnh Kon Tum và tỉnh Quảng Ngãi được sắp xếp thành tỉnh Quảng Ngãi; theo Nghị "
            "quyết số 1677/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội về việc sắp xếp các đơn vị hành "
            "chính cấp xã của tỉnh Quảng Ngãi năm 2025, 21 xã, phường của thành phố Kon Tum cũ được sắp xếp thành 6 "
            "phường, xã.") in opening
    assert opening.count("202/2025/QH15") == 1 and "không lấy bình quân" not in opening  # the method: companion
    main = report.appendices[0].blocks[0]
    assert len(main.rows) == 6
    assert report.file_stem() == "bao-cao-tong-ket-2021-2025-dia-ban-thanh-pho-kon-tum-cu"


def test_a_new_units_report_is_issued_by_its_party_committee(params, computed):
    report = build_report(computed, params, KON_TUM)
    assert report.meta.issuer_parent == "ĐẢNG BỘ TỈNH QUẢNG NGÃI"
    assert report.meta.issuer == "ĐẢNG ỦY PHƯỜNG KON TUM"
    opening = " ".join(run.text for block in report.opening for run in block.runs)
    assert ("phường Kon Tum được sắp xếp từ 5 đơn vị cũ (phường Quang Trung, phường Quyết Thắng, phường Trường Chinh, "
            "phường Thắng Lợi và phường Thống Nhất). Số liệu các năm 2020–2024 của phường Kon Tum là tổng số liệu của "
            "các đơn vị đó.") in opening
    # one issuer of the campaign's plan across the set: the area's report and every unit's
    assert "Kế hoạch số …-KH/TU, ngày …/…/2021 của Ban Thường vụ Tỉnh ủy Kon Tum (trước đây)" in opening


def test_a_complete_last_year_is_judged_against_the_target(computed):
    area = computed.falls[computed.falls["unit_code"] == "608"].set_index("year")
    assert bool(area.at[2025, "judged"])
    # 2024: 1.350 / 12.420 = 10,870% -> 10,9; 2025: 1.135 / 12.540 = 9,051% -> 9,1; fall 1,8 > 1
    assert area.at[2025, "fall"] == pytest.approx(1.8)
    assert bool(area.at[2025, "meets_target"])


# --- the review's wording ---------------------------------------------------------------------------

def test_review_wording_of_the_mid_term_and_the_final_review():
    # whether the last year is complete is what the forms say (Computed.last_year_complete)
    mid = load_params()
    assert (mid.period, mid.review_for(False), mid.review_kind) == ((2021, 2023), "Sơ kết 2 năm", "sơ kết")
    assert mid.title_for(False).startswith("Sơ kết 2 năm thực hiện Cuộc vận động “Làm thay đổi nếp nghĩ")
    final = load_params(period="2021-2025")
    assert (final.review_for(True), final.review_for(False), final.review_kind) == ("Tổng kết 5 năm",) * 2 + ("tổng kết",)
    assert final.title_for(True).startswith("Tổng kết 5 năm thực hiện Cuộc vận động “Làm thay đổi nếp nghĩ")
    # no review file for 2021-2024: the defaults; a full last year counted, a mid-year one not
    four = load_params(period="2021-2024", review_date="2025-01-20")
    assert (four.review_for(True), four.review_for(False)) == ("Sơ kết 4 năm", "Sơ kết 3 năm")


def test_the_title_may_only_use_review(tmp_path):
    (tmp_path / "p.yaml").write_text("title: Sơ kết {năm} năm\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"\{review\}"):
        load_params(tmp_path / "p.yaml")


# --- the map ----------------------------------------------------------------------------------------

def test_the_2024_map_does_not_cover_2025():
    with pytest.raises(UsageError) as error:
        load_params(period="2021-2025", map="2024")
    message = str(error.value)
    assert "khóa map (tùy chọn của lệnh)" in message
    assert "năm 2025" in message and "trước năm 2025" in message


def test_the_2024_map_on_the_bundled_period_is_the_default_map():
    params = load_params(map=2024)
    dataset = load_dataset(config.RAW_DIR, params.period)
    on_2024 = compute_for(dataset, params)
    default = compute_for(dataset, load_params())
    assert len(on_2024.units) == 21 and not on_2024.regrouped
    assert on_2024.indicators.equals(default.indicators)


def test_the_2025_map_sums_the_bundled_period_onto_the_new_units():
    params = load_params(map=2025)
    dataset = load_dataset(config.RAW_DIR, params.period)
    computed = compute_for(dataset, params)
    assert len(computed.units) == 6 and computed.regrouped
    form01 = dataset.form01
    old = form01[(form01["year"] == 2022) & form01["unit_code"].isin(["23284", "23296", "23311"])]
    households = computed.form01.set_index(["unit_code", "year"]).at[(DAK_CAM, 2022), "households"]
    assert households == old["households"].sum()
    assert len(old) == 3


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=600)


def test_cli_map_2024_on_the_five_year_period_is_a_located_usage_error(folder, tmp_path):
    result = run_cli("report", "--period", "2021-2025", "--map", "2024", "--data", str(folder),
                     "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "khóa map" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


# --- sample-data --period ----------------------------------------------------------------------------

def test_cli_sample_data_period(tmp_path):
    five = run_cli("sample-data", "--period", "2021-2025", "--out", str(tmp_path / "five"))
    assert five.returncode == 0, five.stderr
    assert sorted(p.name for p in (tmp_path / "five").iterdir()) == [
        "Bieu01_2020.xlsx", "Bieu01_2021.xlsx", "Bieu01_2022.xlsx", "Bieu01_2023.xlsx", "Bieu01_2024.xlsx",
        "Bieu01_2025.xlsx", "Bieu02_MoHinh.xlsx"]
    three = run_cli("sample-data", "--out", str(tmp_path / "three"))
    assert three.returncode == 0, three.stderr
    assert sorted(p.name for p in (tmp_path / "three").iterdir()) == [
        "Bieu01_2020.xlsx", "Bieu01_2021.xlsx", "Bieu01_2022.xlsx", "Bieu01_2023.xlsx", "Bieu02_MoHinh.xlsx"]
    assert (tmp_path / "three" / "Bieu02_MoHinh.xlsx").read_bytes() == (config.RAW_DIR / "Bieu02_MoHinh.xlsx").read_bytes()
    # the five-year register differs from the bundled one: never replaced without --force
    over = run_cli("sample-data", "--period", "2021-2025", "--out", str(tmp_path / "three"))
    assert over.returncode == 2 and "Bieu02_MoHinh.xlsx" in over.stderr
    unknown = run_cli("sample-data", "--period", "2021-2024", "--out", str(tmp_path / "none"))
    assert unknown.returncode == 2 and "2021–2024" in unknown.stderr
    assert not (tmp_path / "none").exists()


# --- end to end -------------------------------------------------------------------------------------

@pytest.mark.slow
def test_cli_report_all_on_the_five_year_sample(folder, tmp_path):
    out = tmp_path / "reports"
    result = run_cli("report", "--period", "2021-2025", "--unit", "all", "--data", str(folder), "--out", str(out))
    assert result.returncode == 0, result.stderr
    reports = sorted(p.name for p in out.iterdir() if p.name.startswith("bao-cao-"))
    slugs = ["dia-ban-thanh-pho-kon-tum-cu", "phuong-dak-bla", "phuong-dak-cam", "phuong-kon-tum", "xa-dak-ro-wa",
             "xa-ia-chim", "xa-ngok-bay"]
    assert reports == sorted(f"bao-cao-tong-ket-2021-2025-{slug}.{ext}" for slug in slugs for ext in ("html", "pdf"))
    ward = (out / "bao-cao-tong-ket-2021-2025-phuong-kon-tum.html").read_text(encoding="utf-8")
    assert "ĐẢNG ỦY PHƯỜNG KON TUM" in ward and "ĐẢNG BỘ TỈNH QUẢNG NGÃI" in ward
    assert "Tổng kết 5 năm thực hiện Cuộc vận động" in ward
    area = (out / "bao-cao-tong-ket-2021-2025-dia-ban-thanh-pho-kon-tum-cu.html").read_text(encoding="utf-8")
    assert "nay gồm 6 phường, xã" in area
    assert "Sơ kết" not in area and "sơ kết" not in area


def test_a_new_units_companion_lists_its_old_units_warnings_under_their_old_names(params, computed):
    # W-DUPLICATE: phường Ngô Mây (23296), 2021 -> phường Đăk Cấm; W-PERCENT: xã Ia Chim (23326), 2022 -> xã Ia Chim.
    def warnings(code):
        section = build_report(computed, params, code).companion.sections[1]
        tables = [b for b in section.blocks if hasattr(b, "rows")]
        return sorted(row[0] for table in tables for row in table.rows)

    assert warnings(DAK_CAM) == ["W-DUPLICATE"]
    assert warnings(IA_CHIM) == ["W-PERCENT"]
    assert warnings(KON_TUM) == []
    percents = build_report(computed, params, DAK_CAM).companion.sections[2]
    names = {row[0] for b in percents.blocks if hasattr(b, "rows") for row in b.rows}
    assert names == {"Phường Duy Tân", "Phường Ngô Mây", "Xã Đắk Cấm", "Phường Đăk Cấm"}


def trail_text(out: Path, slug: str, notebook: str) -> str:
    """Every output of an executed analysis notebook kept beside a report, as text."""
    import json

    cells = json.loads((out / f"so-phan-tich-2021-2025-{slug}-{notebook}.ipynb").read_text(encoding="utf-8"))["cells"]

    def text(output) -> str:
        data = output.get("data", {})
        return "".join(data.get("text/html") or data.get("text/markdown") or data.get("text/plain") or output.get("text", ""))

    return "\n".join(text(output) for cell in cells for output in cell.get("outputs", []))


@pytest.mark.slow
def test_a_new_units_analysis_notebooks_show_its_old_units_rows_and_its_own_figures(folder, tmp_path):
    out = tmp_path / "reports"
    result = run_cli("report", "--period", "2021-2025", "--unit", KON_TUM, "--data", str(folder), "--out", str(out),
                     "--format", "html")
    assert result.returncode == 0, result.stderr
    checks = trail_text(out, "phuong-kon-tum", "01-lam-sach-va-kiem-tra")
    # Phường Kon Tum = Quang Trung, Quyết Thắng, Trường Chinh, Thắng Lợi, Thống Nhất (NQ 1677): 5 rows a
    # year 2020-2024 and its own row of 2025; no other unit's rows, no list of every form.
    for old in ("Phường Quang Trung", "Phường Quyết Thắng", "Phường Trường Chinh", "Phường Thắng Lợi",
                "Phường Thống Nhất"):
        assert old in checks
    assert "Biểu 01 đã làm sạch: 26 dòng" in checks  # 5 units x 5 years + 1
    assert "Phường Duy Tân" not in checks and "Xã Ia Chim" not in checks and "Mã băm SHA-256" not in checks
    trends = trail_text(out, "phuong-kon-tum", "02-xu-huong")
    assert "Phường Kon Tum: các chỉ tiêu theo năm" in trends and "Phường Thắng Lợi" not in trends
    assert "Xếp hạng phường, xã" not in trends and "So sánh giữa các đơn vị: xem sổ phân tích của" in trends


def test_the_rows_that_feed_a_new_unit_are_its_old_units_rows_year_by_year(computed):
    # Codes are reused: 23293 was Thắng Lợi to 2024 and is Phường Kon Tum from 2025; 23284 was Duy Tân
    # and is Phường Đăk Cấm (= Duy Tân, Ngô Mây, xã Đắk Cấm). Years 2020-2024 on the old map, 2025 on the new.
    form01 = computed.dataset.form01
    kon_tum = computed.rows_of(form01, KON_TUM)
    assert sorted(set(kon_tum.query("year < 2025")["unit_code"])) == ["23281", "23287", "23290", "23293", "23299"]
    assert len(kon_tum) == 5 * 5 + 1 and list(kon_tum.query("year == 2025")["unit_code"]) == [KON_TUM]
    dak_cam = computed.rows_of(form01, DAK_CAM)
    assert sorted(set(dak_cam.query("year < 2025")["unit_code"])) == ["23284", "23296", "23311"]
    assert len(dak_cam) == 3 * 5 + 1
    assert len(computed.rows_of(form01, "608")) == len(form01)
