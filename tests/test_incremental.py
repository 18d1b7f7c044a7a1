"""Regenerate only what changed (analysis.incremental): what leaves a report as it is (nothing
changed, another unit's form, a narrative the report does not use) and what makes it again (its
form, its narrative, a lost file or record). Runs on copies of the bundled forms (incremental_fixture)."""

from pathlib import Path

import openpyxl
import pytest

from analysis.incremental import RECORD_FILE, UP_TO_DATE
from incremental_fixture import SLUGS, base, rebuilt, run, run_here, state  # noqa: F401 (base: the module's fixture)


@pytest.mark.slow
def test_an_unchanged_rerun_writes_nothing_and_prints_the_reports(copy: Path):
    before = state(copy / "out")
    result = run(copy)
    assert result.returncode == 0, result.stderr
    assert UP_TO_DATE in result.stderr and "Đang kiểm tra" not in result.stderr  # not even validated
    assert result.stdout.split() == sorted(str(copy / "out" / name) for name in before  # not the notebooks
                                           if name != RECORD_FILE and not name.startswith("so-phan-tich-"))
    assert state(copy / "out") == before


@pytest.mark.slow
def test_the_area_reports_up_to_date_check_imports_no_data_stack(copy: Path):
    """`make report` (the area's report) run again with nothing changed: hashes, JSON and YAML only."""
    assert run(copy, "--unit", "city").returncode == 0  # the selection is a parameter: made once more
    result = run(copy, "--unit", "city", python=("-X", "importtime"))
    assert result.returncode == 0 and UP_TO_DATE in result.stderr, result.stderr
    imported = {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "analysis.incremental" in imported
    assert not imported & {"pandas", "numpy", "matplotlib", "pandera", "papermill", "nbconvert", "openpyxl"}


def set_model_households(data: Path, unit_name: str, households: int) -> None:
    path = data / "Bieu02_MoHinh.xlsx"
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    row = next(r for r in sheet.iter_rows(min_row=8) if r[2].value == unit_name)
    row[5].value = households
    workbook.save(path)


@pytest.mark.slow
def test_a_form_change_rebuilds_that_ward_and_the_area_only(copy: Path):
    before = state(copy / "out")
    # Biểu 02 holds the models of every unit: one row of Quang Trung changes. Duy Tân's report and
    # its notebooks show only its own rows beside the area's figures: they stay as they are.
    set_model_households(copy / "data", "Phường Quang Trung", 23)
    result = run(copy)
    assert result.returncode == 0, result.stderr
    after = state(copy / "out")
    assert rebuilt(before, after) == {"city", "23281"}
    changed = {name for name in after if before.get(name) != after[name]}
    assert {n for n in changed if n.endswith(".ipynb")} == {
        f"so-phan-tich-2021-2023-{slug}-{nb}.ipynb" for slug in ("thanh-pho-kon-tum", "phuong-quang-trung")
        for nb in ("01-lam-sach-va-kiem-tra", "03-mo-hinh")}  # the forms' hashes; the models' sizes (not 02's trends)
    # the data set every kept notebook of the period re-runs on
    assert {n for n in changed if n.endswith(".zip")} == {"so-phan-tich-2021-2023-so-lieu.zip"}
    assert "Giữ nguyên 1 báo cáo" in result.stderr and len(result.stdout.split()) == 6
    again = run(copy)  # and the record now vouches for all three, without validating
    assert again.returncode == 0 and UP_TO_DATE in again.stderr and "Đang kiểm tra" not in again.stderr
    assert state(copy / "out") == after


@pytest.mark.slow
def test_a_form_with_errors_still_stops_with_exit_1(copy: Path):
    before = state(copy / "out")
    (copy / "data" / "ghi-chu.txt").write_text("không phải biểu", encoding="utf-8")
    result = run(copy)
    assert result.returncode == 1 and "E-FILE" in result.stderr
    assert state(copy / "out") == before


@pytest.mark.slow
def test_a_narrative_change_rebuilds_the_report_that_uses_it(copy: Path):
    narrative = copy.parent / "shared" / "nhan-dinh.md"
    original = narrative.read_bytes()
    before = state(copy / "out")
    try:
        narrative.write_bytes(original.replace("### Ưu điểm".encode(), "### Ưu điểm\n\nMột câu mới.".encode()))
        result = run(copy)
    finally:
        narrative.write_bytes(original)
    assert result.returncode == 0, result.stderr
    assert rebuilt(before, state(copy / "out")) == {"city"}  # the wards have no text of their own here
    assert "Một câu mới." in (copy / "out" / "bao-cao-so-ket-2021-2023-thanh-pho-kon-tum.html").read_text("utf-8")


@pytest.mark.slow
def test_a_corrupt_record_or_a_missing_file_rebuilds(copy: Path):
    out = copy / "out"
    (out / "bao-cao-so-ket-2021-2023-phuong-duy-tan.html").unlink()
    before = state(out)
    result = run(copy)
    assert result.returncode == 0, result.stderr
    assert rebuilt(before, state(out)) == {"23284"}
    (out / RECORD_FILE).write_text("{not json", encoding="utf-8")
    before = state(out)
    result = run(copy)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "Đang lập 3 báo cáo" in result.stderr  # every report made again, and found the same:
    after = state(out)  # no report rewritten (its bytes are the same); the companions carry the run's time,
    # and the notebooks name the data folder, which this copy of the built folder moved
    assert not {name for name in after if after[name] != before[name] and name.startswith("bao-cao-")}
    again = run(copy)
    assert again.returncode == 0 and UP_TO_DATE in again.stderr, again.stderr


@pytest.mark.parametrize("text", [
    "{not json", '{"format": "another-tool/1", "reports": {}}', "[]", '{"format": "analysis-ban-ghi/1"}',
    '{"format": "analysis-ban-ghi/1", "reports": {"2021-2023/608": {"settings": "a", "inputs": "b", "data": "c", '
    '"outputs": {"bao-cao.html": "d"}}}}',  # a good entry of the record's first format
    '{"format": "analysis-ban-ghi/2", "reports": {"2021-2023/608": {"settings": 1}}}',
    '{"format": "analysis-ban-ghi/2", "reports": {"2021-2023/608": {"outputs": {}}}}',
    '{"format": "analysis-ban-ghi/2", "reports": {"2021-2023/608": {"outputs": {"html": {"file": "a.html"}}}}}',
])
def test_a_record_that_is_not_ours_or_is_damaged_vouches_for_nothing(tmp_path: Path, text: str):
    """What the run above shows for a corrupt record, for every way a record can be wrong: no entry
    is read from it, so every report is made again (the run then writes a good record)."""
    from analysis.incremental import Plan
    from analysis.report.params import load_params

    (tmp_path / RECORD_FILE).write_text(text, encoding="utf-8")
    assert Plan(out_dir=tmp_path, params=load_params(), formats=("html",), codes=[]).entries == {}


def test_the_narrative_file_of_the_record_is_the_reports():
    """incremental.narrative_file answers as content.narrative_file_for (without its imports for the area)."""
    from analysis.incremental import narrative_file
    from analysis.reference import load_units
    from analysis.report.params import load_params, narrative_file_for
    from analysis.vocabulary import AREA_CODE

    params, units = load_params(None), load_units()
    for code in (AREA_CODE, *units["code"][:3]):
        assert narrative_file(params, code) == narrative_file_for(params, units, code), code


def test_a_good_record_is_read():
    """The control of the test above: the same reader keeps a well-formed entry."""
    import json
    import tempfile

    from analysis.incremental import Plan
    from analysis.report.params import load_params

    entry = {"outputs": {"html": {"file": "bao-cao.html", "sha256": "d", "id": "e", "settings": "a", "inputs": "b",
                                  "data": "c"}}}
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / RECORD_FILE).write_text(json.dumps({"format": "analysis-ban-ghi/2",
                                                            "reports": {"2021-2023/608": entry}}), encoding="utf-8")
        assert Plan(out_dir=Path(folder), params=load_params(), formats=("html",), codes=[]).entries == {
            "2021-2023/608": entry}
