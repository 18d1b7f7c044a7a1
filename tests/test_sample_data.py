"""The bundled sample forms, read back from the xlsx files, reproduce the published figures."""

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from sample_forms import unit_rows as form01_unit_rows

from analysis import config
from analysis.cli import main
from samples import write_sample_data

RAW = config.RAW_DIR
FILES = ["Bieu01_2020.xlsx", "Bieu01_2021.xlsx", "Bieu01_2022.xlsx", "Bieu01_2023.xlsx", "Bieu02_MoHinh.xlsx"]
# Column letters of form 01 (title rows 1-6, header rows 7-8, units from row 9).
COLUMNS = {"households": "C", "informed": "D", "changed_mindset": "F", "applied_science": "H",
           "improved_life": "J", "coop_members": "L", "poor": "M", "near_poor": "N"}
BASELINE_COLUMNS = {"households": "C", "poor": "D", "near_poor": "E"}


def half_up(value: Decimal, digits: int = 1) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def as_int(value) -> int:
    return int(str(value).strip().replace(".", "")) if isinstance(value, str) else int(value)


def unit_rows(year: int) -> list[tuple]:
    """The unit rows of a form 01 workbook, each unit once (the typed duplicate dropped)."""
    return form01_unit_rows(RAW / f"Bieu01_{year}.xlsx")


def column_sum(year: int, field: str) -> int:
    letter = (BASELINE_COLUMNS if year == 2020 else COLUMNS)[field]
    index = ord(letter) - ord("A")
    return sum(as_int(row[index]) for row in unit_rows(year))


def rate(year: int, field: str) -> Decimal:
    return Decimal(column_sum(year, field)) * 100 / Decimal(column_sum(year, "households"))


def poverty_rate(year: int) -> Decimal:
    return Decimal(column_sum(year, "poor") + column_sum(year, "near_poor")) * 100 / column_sum(year, "households")


def test_each_year_has_21_units():
    for year in (2020, 2021, 2022, 2023):
        assert len(unit_rows(year)) == 21


def test_2023_totals_reproduce_the_published_counts():
    assert column_sum(2023, "households") == 12291
    assert column_sum(2023, "informed") == 12291
    assert column_sum(2023, "changed_mindset") == 12145
    assert column_sum(2023, "applied_science") == 12165
    assert column_sum(2023, "improved_life") == 12102
    assert column_sum(2023, "coop_members") == 551


def test_2023_rates_round_half_up_to_the_published_digits():
    assert half_up(rate(2023, "informed")) == Decimal("100.0")
    assert half_up(rate(2023, "changed_mindset")) == Decimal("98.8")
    assert half_up(rate(2023, "applied_science")) == Decimal("99.0")  # the article truncated to 98,9
    assert half_up(rate(2023, "improved_life")) == Decimal("98.5")


def test_2021_rates_and_differences_round_to_the_published_digits():
    expected = {"changed_mindset": ("50.7", "48.1"), "applied_science": ("34.2", "64.8"),
                "improved_life": ("24.5", "74.0")}
    for field, (rate_2021, difference) in expected.items():
        assert half_up(rate(2021, field)) == Decimal(rate_2021), field
        assert half_up(rate(2023, field) - rate(2021, field)) == Decimal(difference), field


def test_poor_and_near_poor_rate_falls_43_and_33_points():
    assert half_up(poverty_rate(2020) - poverty_rate(2021)) == Decimal("4.3")
    assert half_up(poverty_rate(2021) - poverty_rate(2022)) == Decimal("3.3")


def test_parts_never_exceed_the_whole_and_households_move_less_than_15_percent():
    previous = None
    for year in (2020, 2021, 2022, 2023):
        columns = BASELINE_COLUMNS if year == 2020 else COLUMNS
        index = {field: ord(letter) - ord("A") for field, letter in columns.items()}
        households = {}
        for row in unit_rows(year):
            whole = as_int(row[index["households"]])
            households[row[1]] = whole
            for field in columns:
                assert as_int(row[index[field]]) <= whole, (year, row[1], field)
            assert as_int(row[index["poor"]]) + as_int(row[index["near_poor"]]) <= whole
        if previous:
            for unit, whole in households.items():
                assert abs(whole - previous[unit]) / previous[unit] < 0.15, (year, unit)
        previous = households


def test_model_register_has_240_models_with_the_published_statuses():
    sheet = openpyxl.load_workbook(RAW / "Bieu02_MoHinh.xlsx", read_only=True).active
    models = [row for row in sheet.iter_rows(min_row=8, values_only=True) if isinstance(row[0], int)]
    groups = {"Đang duy trì": "maintained", "duy trì": "maintained", "Đang hoạt động": "maintained",
              "Đã nhân rộng": "replicated", "Nhân rộng": "replicated",
              "Mới xây dựng": "new", "Xây dựng mới": "new"}
    statuses = [groups[row[6]] for row in models]
    assert len(models) == 240
    assert statuses.count("maintained") == 145
    assert statuses.count("replicated") == 34
    assert statuses.count("new") == 61
    assert all(row[7] is None for row in models)  # none stopped
    assert sum(1 for row in models if row[4] in (2021, 2022)) == 179
    assert all(row[4] == 2023 for row in models if groups[row[6]] == "new")


def test_generator_is_byte_identical_across_runs_and_equal_to_the_bundled_files(tmp_path: Path):
    first, second = tmp_path / "a", tmp_path / "b"
    write_sample_data(first)
    write_sample_data(second)
    for name in FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
        assert (first / name).read_bytes() == (RAW / name).read_bytes(), name


def test_command_writes_the_files_and_prints_them(tmp_path: Path, capsys: pytest.CaptureFixture):
    assert main(["sample-data", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out.split()
    assert sorted(Path(p).name for p in printed) == FILES
    assert all((tmp_path / name).exists() for name in FILES)


def test_command_refuses_to_replace_a_form_that_differs_and_names_it(tmp_path: Path, capsys: pytest.CaptureFixture):
    own = b"the analyst's own 2023 form"
    (tmp_path / "Bieu01_2023.xlsx").write_bytes(own)
    (tmp_path / "Bieu01_2021.xlsx").write_bytes((RAW / "Bieu01_2021.xlsx").read_bytes())  # same as the sample
    assert main(["sample-data", "--out", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert "đã có 1 biểu khác với bộ số liệu mẫu: Bieu01_2023.xlsx" in error and "--force" in error
    assert (tmp_path / "Bieu01_2023.xlsx").read_bytes() == own
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Bieu01_2021.xlsx", "Bieu01_2023.xlsx"]  # nothing written


def test_command_replaces_differing_forms_when_forced(tmp_path: Path, capsys: pytest.CaptureFixture):
    (tmp_path / "Bieu01_2023.xlsx").write_bytes(b"the analyst's own 2023 form")
    (tmp_path / "Bieu01_2024.xlsx").write_bytes(b"another form of the analyst")
    assert main(["sample-data", "--out", str(tmp_path), "--force"]) == 0
    assert (tmp_path / "Bieu01_2023.xlsx").read_bytes() == (RAW / "Bieu01_2023.xlsx").read_bytes()
    assert (tmp_path / "Bieu01_2024.xlsx").read_bytes() == b"another form of the analyst"  # not a sample name
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*FILES, "Bieu01_2024.xlsx"])


def test_makefile_passes_force_only_when_asked():
    makefile = (config.ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-m analysis sample-data --out data/raw $(if $(FORCE),--force)" in makefile
