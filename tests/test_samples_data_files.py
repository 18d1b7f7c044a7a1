"""The sample generator (src/samples) takes its city's numbers from the data files beside it:
change a total in a copy of src/samples/data and the forms add up to the new total; a unit the
data files do not know is named, not a traceback. And data/raw holds the forms as committed: their
checksums are data/reference/sample_inputs.sha256's."""

import hashlib
import shutil
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sample_forms import unit_rows

from analysis import config
from analysis.errors import UsageError
from samples import settings as sample_settings
from samples import write_sample_data

CACHED = ("three_years", "five_years", "forms", "unit_draws", "model_draws", "sample_units")
# Form 01 of a campaign year: column of each field (STT, Đơn vị, then the fields; rated ones take two).
COLUMNS = {"households": 2, "informed": 3, "changed_mindset": 5, "applied_science": 7, "improved_life": 9,
           "coop_members": 11, "poor": 12, "near_poor": 13}


@contextmanager
def data_files(folder: Path):
    """The generator reading its data from `folder` (a copy of src/samples/data, edited)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sample_settings, "DATA_DIR", folder)
        for name in CACHED:
            getattr(sample_settings, name).cache_clear()
        try:
            yield
        finally:
            for name in CACHED:
                getattr(sample_settings, name).cache_clear()


def as_int(value) -> int:
    return int(str(value).strip().replace(".", "")) if isinstance(value, str) else int(value)


def test_data_raw_holds_the_forms_whose_checksums_are_listed():
    listed = {}
    for line in config.SAMPLE_CHECKSUMS_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            digest, name = line.split()
            listed[name] = digest
    present = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in config.RAW_DIR.glob("*.xlsx")}
    assert present == listed


@st.composite
def year_totals(draw) -> dict[str, int]:
    """City totals of a campaign year: every part at most the whole (all or none reached included),
    poor and near-poor together too."""
    households = draw(st.integers(2_000, 60_000))
    part = st.integers(0, households)
    totals = {"households": households, **{field: draw(part) for field in
                                           ("informed", "changed_mindset", "applied_science", "improved_life")}}
    totals["coop_members"] = draw(part)
    totals["poor"] = draw(part)
    totals["near_poor"] = draw(st.integers(0, households - totals["poor"]))
    return totals


@pytest.mark.slow  # writes the bundled set once per example
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(totals=year_totals())
def test_the_forms_add_up_to_the_totals_of_the_data_file(tmp_path: Path, totals: dict[str, int]):
    data = tmp_path / "data"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(sample_settings.DATA_DIR, data)
    three_years = yaml.safe_load((data / "three_years.yaml").read_text(encoding="utf-8"))
    three_years["years"][2022]["totals"] = totals
    (data / "three_years.yaml").write_text(yaml.safe_dump(three_years, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "forms"
    with data_files(data):
        write_sample_data(out)
    rows = unit_rows(out / "Bieu01_2022.xlsx")
    assert len(rows) == 21
    for field, column in COLUMNS.items():
        assert sum(as_int(row[column]) for row in rows) == totals[field], field
    for row in rows:
        households = as_int(row[COLUMNS["households"]])
        assert all(as_int(row[COLUMNS[field]]) <= households for field in COLUMNS)
        assert as_int(row[COLUMNS["poor"]]) + as_int(row[COLUMNS["near_poor"]]) <= households
    sheet = openpyxl.load_workbook(out / "Bieu01_2022.xlsx", read_only=True).active
    totals_row = next(row for row in sheet.iter_rows(min_row=9, values_only=True) if row[1] == "Tổng cộng")
    assert as_int(totals_row[COLUMNS["households"]]) == totals["households"] + 3  # planted: W-TOTALS, 3 more
    assert as_int(totals_row[COLUMNS["poor"]]) == totals["poor"]


def test_a_unit_missing_from_the_data_files_is_named(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(sample_settings.DATA_DIR, data)
    lines = (data / "units.csv").read_text(encoding="utf-8").splitlines()
    (data / "units.csv").write_text("\n".join(line for line in lines if not line.startswith("23338,")) + "\n",
                                    encoding="utf-8")
    with data_files(data), pytest.raises(UsageError, match="thiếu đơn vị mã 23338"):
        write_sample_data(tmp_path / "forms")


def test_an_unknown_normal_form_is_named(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(sample_settings.DATA_DIR, data)
    text = (data / "units.csv").read_text(encoding="utf-8").replace("Nguyễn Trãi,NFD", "Nguyễn Trãi,NFX")
    (data / "units.csv").write_text(text, encoding="utf-8")
    with data_files(data), pytest.raises(UsageError, match="normalize chỉ nhận NFC, NFD, NFKC, NFKD, không nhận “NFX”"):
        write_sample_data(tmp_path / "forms")
