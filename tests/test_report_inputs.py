"""The digests of what each report reads (analysis.report_inputs), on the 5-year sample whose forms of
2020-2024 are on the old map: an old commune's model feeds the new unit it was merged into, and only
that unit's digests change with it. The old commune -> new unit pairs are written by hand from Nghị
quyết 1677/NQ-UBTVQH15 (as in tests/report/test_five_year_review.py)."""

import dataclasses
from pathlib import Path

import pytest

from analysis.compute.computed import compute_for
from analysis.dataset import load_dataset
from analysis.report.params import load_params
from analysis.report_inputs import ReportInputs
from samples import write_sample_data

pytestmark = pytest.mark.slow  # reads the generated 5-year forms

AREA = "608"
KON_TUM, DAK_CAM, DAK_BLA, NGOK_BAY, IA_CHIM, DAK_RO_WA = "23293", "23284", "23302", "23317", "23326", "23332"
NEW_UNITS = [KON_TUM, DAK_CAM, DAK_BLA, NGOK_BAY, IA_CHIM, DAK_RO_WA]


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple:
    folder: Path = tmp_path_factory.mktemp("five_years")
    write_sample_data(folder, period=(2021, 2025))
    params = load_params(period="2021-2025")
    dataset = load_dataset(folder, params.period)
    assert dataset.errors.empty
    return params, dataset


def digests(params, dataset) -> dict[str, tuple[str, dict[str, str]]]:
    read = ReportInputs(compute_for(dataset, params))
    return {code: (read.data(code), read.notebooks(code, "parameters")) for code in [AREA, *NEW_UNITS]}


def edited(dataset, column: str, value):
    """The data set with one model of the old commune Đắk Năng (merged into xã Ia Chim), built in 2022, edited."""
    models = dataset.models.copy()
    row = models.index[(models["unit_name"].str.contains("Năng")) & (models["year_built"] == 2022)][0]
    models.loc[row, column] = value
    return dataclasses.replace(dataset, models=models)


def changed(before: dict, after: dict, notebook: str | None = None) -> set[str]:
    return {code for code in before
            if (before[code][0] != after[code][0] if notebook is None else before[code][1][notebook] != after[code][1][notebook])}


def test_a_renamed_model_of_an_old_commune_changes_only_its_new_units_data_and_first_notebook(sample):
    params, dataset = sample
    before = digests(params, dataset)
    after = digests(params, edited(dataset, "model_name", "Mô hình nuôi dê (đổi tên)"))
    assert changed(before, after) == {IA_CHIM}
    assert changed(before, after, "01_lam_sach_va_kiem_tra") == {IA_CHIM}
    assert changed(before, after, "02_xu_huong") == set()
    assert changed(before, after, "03_mo_hinh") == set()  # notebook 03 never shows a model's name


def test_a_models_households_change_its_new_unit_and_the_areas_model_notebook(sample):
    params, dataset = sample
    before = digests(params, dataset)
    after = digests(params, edited(dataset, "households", 999))
    assert changed(before, after) == {IA_CHIM}
    assert changed(before, after, "03_mo_hinh") == {IA_CHIM, AREA}


def test_the_same_data_gives_the_same_digests_in_another_run(sample):
    params, dataset = sample
    assert digests(params, dataset) == digests(params, dataclasses.replace(dataset, models=dataset.models.copy()))


def with_percent(dataset, value):
    """The data set with the first typed percent of xã Ia Chim's old commune Đăk Năng (23327) set to `value`."""
    percents = dataset.reported_percents.copy()
    row = percents.index[percents["unit_code"] == "23327"][0]
    percents.loc[row, "value"] = value
    return dataclasses.replace(dataset, reported_percents=percents)


def test_a_typed_percent_of_minus_zero_is_not_zero(sample):
    """The companion prints a typed percent as typed: -0,0 % and 0,0 % are two texts, so two data digests."""
    params, dataset = sample
    zero, minus_zero = digests(params, with_percent(dataset, 0.0)), digests(params, with_percent(dataset, -0.0))
    assert changed(zero, minus_zero) == {IA_CHIM}


def test_a_value_of_another_type_is_another_value(sample):
    """1 and 1.0 and "1" are equal to pandas' hashing of an object column; not here."""
    params, dataset = sample
    values = [1, 1.0, "1", True]
    found = []
    for value in values:
        models = dataset.models.astype({"notes": object}).copy()
        row = models.index[(models["unit_code"] == "23327") & (models["year_built"] == 2022)][0]
        models.loc[row, "notes"] = value
        found.append(digests(params, dataclasses.replace(dataset, models=models))[IA_CHIM][0])
    assert len(set(found)) == len(values)
