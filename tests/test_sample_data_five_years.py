"""The five-year sample set (2021-2025): 2020-2023 as bundled, 2024 on the old units, 2025 on the new ones."""

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from sample_forms import unit_rows as form01_unit_rows

from analysis import config
from analysis.errors import UsageError
from samples import write_sample_data

COLUMNS = {"households": 2, "informed": 3, "changed_mindset": 5, "applied_science": 7, "improved_life": 9,
           "coop_members": 11, "poor": 12, "near_poor": 13}  # 0-based columns of form 01
BASELINE = {"households": 2, "poor": 3, "near_poor": 4}
# Row order of the 2024 form (the 21 old units) and the new unit of each (Nghị quyết 1677/NQ-UBTVQH15).
NEW_UNIT_OF_2024_ROW = ["Kon Tum", "Đăk Cấm", "Kon Tum", "Kon Tum", "Kon Tum", "Đăk Cấm", "Kon Tum", "Đăk Bla",
                        "Đăk Bla", "Đăk Bla", "Đăk Cấm", "Ngọk Bay", "Ngọk Bay", "Ngọk Bay", "Đăk Rơ Wa",
                        "Ia Chim", "Ia Chim", "Ia Chim", "Đăk Rơ Wa", "Đăk Rơ Wa", "Đăk Rơ Wa"]
NEW_UNIT_OF_2025_ROW = ["Kon Tum", "Đăk Cấm", "Đăk Bla", "Ngọk Bay", "Ia Chim", "Đăk Rơ Wa"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("five_years")
    write_sample_data(out, period=(2021, 2025))
    return out


def unit_rows(folder: Path, year: int) -> list[tuple]:
    return form01_unit_rows(folder / f"Bieu01_{year}.xlsx")


def total(folder: Path, year: int, field: str) -> int:
    index = (BASELINE if year == 2020 else COLUMNS)[field]
    return sum(int(str(row[index]).strip().replace(".", "")) for row in unit_rows(folder, year))


def poverty_rate(folder: Path, year: int) -> Decimal:
    rate = Decimal(total(folder, year, "poor") + total(folder, year, "near_poor")) * 100 / total(folder, year, "households")
    return rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def test_files_and_2020_2022_byte_identical_to_the_bundled_ones(folder: Path):
    assert sorted(p.name for p in folder.iterdir()) == [
        "Bieu01_2020.xlsx", "Bieu01_2021.xlsx", "Bieu01_2022.xlsx", "Bieu01_2023.xlsx", "Bieu01_2024.xlsx",
        "Bieu01_2025.xlsx", "Bieu02_MoHinh.xlsx"]
    for year in (2020, 2021, 2022):
        name = f"Bieu01_{year}.xlsx"
        assert (folder / name).read_bytes() == (config.RAW_DIR / name).read_bytes(), name
    # 2023 to its 31 December (a tổng kết has the year-end forms), not the bundled mid-2023 form
    assert (folder / "Bieu01_2023.xlsx").read_bytes() != (config.RAW_DIR / "Bieu01_2023.xlsx").read_bytes()


def test_each_form_says_how_far_its_figures_go(folder: Path):
    import openpyxl

    titles = {year: openpyxl.load_workbook(folder / f"Bieu01_{year}.xlsx", read_only=True).active["A5"].value
              for year in range(2020, 2026)}
    assert titles[2023] == "NĂM 2023 (số liệu đến ngày 31/12/2023)"
    assert titles[2024] == "NĂM 2024 (số liệu đến ngày 31/12/2024)"
    assert titles[2025].endswith("số liệu đến ngày 31/12/2025)")
    bundled = openpyxl.load_workbook(config.RAW_DIR / "Bieu01_2023.xlsx", read_only=True).active["A5"].value
    assert bundled == "NĂM 2023 (số liệu đến ngày 15/6/2023)"


def test_2024_is_on_the_21_old_units_and_2025_on_the_6_new_ones(folder: Path):
    assert [row[1] for row in unit_rows(folder, 2024)][:5] == [
        "P. Quang Trung", "Phường Duy Tân", "P.Quyết Thắng", "phường Trường Chinh", "THẮNG LỢI"]
    assert len(unit_rows(folder, 2024)) == 21
    assert [row[1] for row in unit_rows(folder, 2025)] == [
        "Phường Kon Tum", "P. Đăk Cấm", "phường Đăk Bla", "Xã Ngọc Bay", "Ia Chim", "Xã Đắk Rơ Wa"]


def test_city_totals_are_the_documented_ones(folder: Path):
    expected = {2023: (12350, 12350, 12200, 12215, 12160, 585, 660, 896),
                2024: (12420, 12420, 12300, 12310, 12280, 610, 560, 790),
                2025: (12540, 12540, 12440, 12450, 12425, 665, 455, 680)}
    for year, values in expected.items():
        assert tuple(total(folder, year, field) for field in COLUMNS) == values, year


def test_the_poor_and_near_poor_rate_keeps_falling(folder: Path):
    rates = [poverty_rate(folder, year) for year in range(2020, 2026)]
    # 2023 at 31/12: 1.556 / 12.350 = 12,599% (the mid-2023 form: 12,9%)
    assert rates == [Decimal("22.0"), Decimal("17.7"), Decimal("14.4"), Decimal("12.6"), Decimal("10.9"),
                     Decimal("9.1")]


def test_parts_never_exceed_the_whole(folder: Path):
    for year in (2023, 2024, 2025):
        for row in unit_rows(folder, year):
            whole = row[COLUMNS["households"]]
            assert all(row[COLUMNS[field]] <= whole for field in COLUMNS), (year, row[1])
            assert row[COLUMNS["poor"]] + row[COLUMNS["near_poor"]] <= whole, (year, row[1])


def test_households_change_less_than_15_percent_per_unit_across_the_reorganisation(folder: Path):
    h = COLUMNS["households"]
    old_2023 = [row[h] for row in unit_rows(folder, 2023)]
    old_2024 = [row[h] for row in unit_rows(folder, 2024)]
    assert all(abs(b - a) / a < 0.15 for a, b in zip(old_2023, old_2024))
    summed_2024 = dict.fromkeys(NEW_UNIT_OF_2025_ROW, 0)
    for unit, households in zip(NEW_UNIT_OF_2024_ROW, old_2024):
        summed_2024[unit] += households
    new_2025 = dict(zip(NEW_UNIT_OF_2025_ROW, (row[h] for row in unit_rows(folder, 2025))))
    assert all(abs(new_2025[unit] - summed_2024[unit]) / summed_2024[unit] < 0.15 for unit in new_2025)


def test_register_to_2025_keeps_each_models_unit_of_origin(folder: Path):
    sheet = openpyxl.load_workbook(folder / "Bieu02_MoHinh.xlsx", read_only=True).active
    models = [row for row in sheet.iter_rows(min_row=8, values_only=True) if isinstance(row[0], int)]
    bundled = openpyxl.load_workbook(config.RAW_DIR / "Bieu02_MoHinh.xlsx", read_only=True).active
    first = [row[1:6] for row in bundled.iter_rows(min_row=8, values_only=True) if isinstance(row[0], int)]
    assert [row[1:6] for row in models[:240]] == first  # same names, units, sectors, years, households
    assert len(models) == 350
    assert [sum(1 for row in models if row[4] == year) for year in range(2021, 2026)] == [95, 84, 61, 58, 52]
    new_units = {"Phường Kon Tum", "Phường Đăk Cấm", "Phường Đăk Bla", "Xã Ngọk Bay", "Xã Ia Chim", "Xã Đăk Rơ Wa"}
    assert all(row[2] in new_units for row in models if row[4] == 2025)
    assert not any(row[2] in new_units - {"Xã Ngọk Bay", "Xã Ia Chim"} for row in models if row[4] <= 2024)
    groups = {"Đang duy trì": "maintained", "duy trì": "maintained", "Đang hoạt động": "maintained",
              "Đã nhân rộng": "replicated", "Nhân rộng": "replicated", "Mới xây dựng": "new", "Xây dựng mới": "new",
              "Ngừng hoạt động": "stopped", "ngừng": "stopped", "Không duy trì": "stopped"}
    statuses = [groups[row[6]] for row in models]
    assert [statuses.count(s) for s in ("maintained", "replicated", "stopped", "new")] == [225, 62, 11, 52]
    for row, status in zip(models, statuses):
        assert (row[7] is not None) == (status == "stopped"), row
        if row[7] is not None:
            assert row[4] <= row[7] <= 2025, row
        assert (status == "new") == (row[4] == 2025), row


def test_only_the_two_sample_periods_exist(tmp_path: Path):
    with pytest.raises(UsageError, match="2021–2023 và 2021–2025"):
        write_sample_data(tmp_path, period=(2021, 2024))
