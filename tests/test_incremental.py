"""Regenerate only what changed (analysis.incremental): real `python -m analysis report` runs on
copies of the bundled forms, three reports (the area and two wards) in HTML to keep them short."""

import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from analysis import config
from analysis.incremental import RECORD_FILE, UP_TO_DATE

UNITS = ("city", "23281", "23284")
SLUGS = {"city": "thanh-pho-kon-tum", "23281": "phuong-quang-trung", "23284": "phuong-duy-tan"}


def run(folder: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", "report", "--data", str(folder / "data"), "--out",
                           str(folder / "out"), "--unit", *UNITS, "--format", "html", "-f", str(folder.parent /
                           "shared" / "p.yaml"), *extra], capture_output=True, text=True, cwd=config.ROOT, timeout=600)


def state(out: Path) -> dict[str, tuple[int, bytes]]:
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.iterdir()}


def rebuilt(before: dict, after: dict) -> set[str]:
    """The reports (keys of SLUGS) any of whose files changed."""
    changed = {name for name in after if before.get(name) != after[name]} | (before.keys() - after.keys())
    return {unit for unit, slug in SLUGS.items() if any(name.endswith(f"-{slug}.html") for name in changed)}


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("incremental")
    shared = root / "shared"
    shared.mkdir()
    shutil.copy(config.ROOT / "data/narrative/so-ket-2021-2023.md", shared / "nhan-dinh.md")
    (shared / "p.yaml").write_text(f"narrative: {shared / 'nhan-dinh.md'}\n", encoding="utf-8")
    folder = root / "base"
    shutil.copytree(config.RAW_DIR, folder / "data")
    # Saved once more: no longer the bundled sample, whose note every companion file carries (a
    # first change to the sample thus rebuilds every report, rightly).
    openpyxl.load_workbook(folder / "data" / "Bieu02_MoHinh.xlsx").save(folder / "data" / "Bieu02_MoHinh.xlsx")
    result = run(folder)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.split()) == 6 and (folder / "out" / RECORD_FILE).is_file()
    return folder


@pytest.fixture
def copy(base: Path, tmp_path: Path) -> Path:
    """A copy of the built folder (forms and reports, times kept), beside the shared parameters."""
    folder = base.parent / f"copy-{tmp_path.name}"
    shutil.copytree(base, folder)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.slow
def test_an_unchanged_rerun_writes_nothing_and_prints_the_reports(base: Path, copy: Path):
    before = state(copy / "out")
    result = run(copy)
    assert result.returncode == 0, result.stderr
    assert UP_TO_DATE in result.stderr and "Đang kiểm tra" not in result.stderr  # not even validated
    assert result.stdout.split() == sorted(str(copy / "out" / name) for name in before  # not the notebooks
                                           if name != RECORD_FILE and not name.startswith("so-phan-tich-"))
    assert state(copy / "out") == before


def set_model_households(data: Path, unit_name: str, households: int) -> None:
    path = data / "Bieu02_MoHinh.xlsx"
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    row = next(r for r in sheet.iter_rows(min_row=8) if r[2].value == unit_name)
    row[5].value = households
    workbook.save(path)


@pytest.mark.slow
def test_a_form_change_rebuilds_every_report_whose_notebooks_read_it(copy: Path):
    before = state(copy / "out")
    # Biểu 02 holds the models of every unit: one row of Quang Trung changes. Duy Tân's signed report
    # does not read it, but its notebook 01 (the whole data set's checks and forms) does.
    set_model_households(copy / "data", "Phường Quang Trung", 23)
    result = run(copy)
    assert result.returncode == 0, result.stderr
    after = state(copy / "out")
    assert rebuilt(before, after) == {"city", "23281", "23284"}
    assert "Giữ nguyên" not in result.stderr and len(result.stdout.split()) == 6
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
def test_a_parameter_change_rebuilds_every_report(copy: Path):
    before = state(copy / "out")
    result = run(copy, "--signer", "Nguyễn Văn B")  # the companion of each report lists the parameters
    assert result.returncode == 0, result.stderr
    assert rebuilt(before, state(copy / "out")) == set(SLUGS)


@pytest.mark.slow
def test_a_corrupt_record_or_a_missing_file_rebuilds(copy: Path):
    out = copy / "out"
    (out / "bao-cao-so-ket-2021-2023-phuong-duy-tan.html").unlink()
    before = state(out)
    result = run(copy)
    assert result.returncode == 0, result.stderr
    assert rebuilt(before, state(out)) == {"23284"}
    for text in ("{not json", '{"format": "another-tool/1", "reports": {}}'):
        (out / RECORD_FILE).write_text(text, encoding="utf-8")
        before = state(out)
        result = run(copy)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        assert rebuilt(before, state(out)) == set(SLUGS), text


@pytest.mark.slow
def test_force_rebuilds_everything(copy: Path):
    before = state(copy / "out")
    result = run(copy, "--force")
    assert result.returncode == 0, result.stderr
    assert UP_TO_DATE not in result.stderr and rebuilt(before, state(copy / "out")) == set(SLUGS)
