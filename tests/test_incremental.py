"""Regenerate only what changed (analysis.incremental): real `python -m analysis report` runs on
copies of the bundled forms, three reports (the area and two wards) in HTML to keep them short.

The runs read their reference files, narrative folder and notebook from a copy of the project's
(`shared/root`, through ANALYSIS_ROOT, analysis.config), so that a test can change one of them."""

import os
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


def arguments(folder: Path, *extra: str) -> list[str]:
    return ["report", "--data", str(folder / "data"), "--out", str(folder / "out"), "--unit", *UNITS, "--format",
            "html", "-f", str(folder.parent / "shared" / "p.yaml"), *extra]


def run(folder: Path, *extra: str, package: Path | None = None, python: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """The command on `folder`, with the shared project root; `package`: a folder holding another
    copy of the package, imported instead of this one."""
    env = {**os.environ, "ANALYSIS_ROOT": str(folder.parent / "shared" / "root")}
    if package is not None:
        env["PYTHONPATH"] = str(package)
    return subprocess.run([sys.executable, *python, "-m", "analysis", *arguments(folder, *extra)], capture_output=True,
                          text=True, cwd=config.ROOT, timeout=600, env=env)


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
    project = shared / "root"
    shutil.copytree(config.REFERENCE_DIR, project / "data" / "reference")
    shutil.copytree(config.NARRATIVE_DIR, project / "data" / "narrative")
    (project / "notebooks").mkdir()
    for notebook in config.NOTEBOOKS_DIR.glob("0[1-4]_*.ipynb"):  # the report runs 01-04
        shutil.copy(notebook, project / "notebooks")
    folder = root / "base"
    shutil.copytree(config.RAW_DIR, folder / "data")
    # Saved once more: no longer the bundled sample, whose note every companion file carries (a
    # first change to the sample thus rebuilds every report, rightly).
    openpyxl.load_workbook(folder / "data" / "Bieu02_MoHinh.xlsx").save(folder / "data" / "Bieu02_MoHinh.xlsx")
    result = run(folder)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.split()) == 6 and (folder / "out" / RECORD_FILE).is_file()
    return folder


@pytest.mark.slow
def test_an_unchanged_rerun_writes_nothing_and_prints_the_reports(base: Path, copy: Path):
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
        for nb in ("01-lam-sach-va-kiem-tra", "02-xu-huong", "03-mo-hinh", "04-bao-cao")}
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


@pytest.mark.slow
def test_a_reference_change_rebuilds_every_report_with_it(copy: Path):
    statuses = copy.parent / "shared" / "root" / "data" / "reference" / "status_aliases.yaml"
    original = statuses.read_bytes()
    before = state(copy / "out")
    try:  # a sector's printed label; what offices type (its aliases) is unchanged
        statuses.write_bytes(original.replace("label: Chăn nuôi\n".encode(), "label: Chăn nuôi gia súc\n".encode()))
        assert statuses.read_bytes() != original
        result = run(copy)
    finally:
        statuses.write_bytes(original)
    assert result.returncode == 0, result.stderr
    assert rebuilt(before, state(copy / "out")) == set(SLUGS)  # every report reads the reference files
    assert "Chăn nuôi gia súc" in (copy / "out" / "bao-cao-so-ket-2021-2023-thanh-pho-kon-tum.html").read_text("utf-8")


@pytest.mark.slow
def test_a_font_change_rebuilds_every_report(copy: Path):
    from fontTools.ttLib import TTFont

    package = copy / "package"
    shutil.copytree(config.PACKAGE_DIR, package / "analysis", ignore=shutil.ignore_patterns("__pycache__"))
    before = state(copy / "out")
    same = run(copy, package=package)  # the same files elsewhere: nothing to do
    assert same.returncode == 0 and UP_TO_DATE in same.stderr, same.stderr
    font_file = package / "analysis" / "fonts" / "LiberationSerif-Regular.ttf"
    font = TTFont(font_file)
    font["name"].setName("Version 2.00.1 (sửa)", 5, 3, 1, 0x409)  # the version string: another font file
    font.save(font_file)
    result = run(copy, package=package)
    assert result.returncode == 0, result.stderr
    assert rebuilt(before, state(copy / "out")) == set(SLUGS)  # the charts of every report use the fonts


def run_here(folder: Path, *extra: str) -> int:
    """The command in this process (so that a test can make a step fail), on the shared root."""
    from analysis.cli import main

    return main(arguments(folder, "--workers", "1", *extra))


@pytest.mark.slow
def test_a_run_interrupted_by_a_writer_leaves_the_old_reports_and_record(copy: Path, monkeypatch):
    import analysis.publish.runner

    made = []

    def writer_interrupted(executed, title):  # the second report's HTML: Ctrl+C while it is written
        made.append(title)
        if len(made) == 2:
            raise KeyboardInterrupt
        return real(executed, title)

    real = analysis.publish.runner.notebook_to_html
    monkeypatch.setattr(analysis.publish.runner, "notebook_to_html", writer_interrupted)
    before = state(copy / "out")
    assert run_here(copy, "--force") == 130 and len(made) == 2
    assert state(copy / "out") == before  # byte for byte, times too: nothing moved in, no staging left
    again = run(copy)  # the old record still vouches for the old reports
    assert again.returncode == 0 and UP_TO_DATE in again.stderr, again.stderr


@pytest.mark.slow
def test_a_failure_while_moving_the_files_in_never_leaves_a_stale_report(copy: Path, monkeypatch):
    out = copy / "out"
    moved = []
    real = os.replace

    def replace_failing(source, target):  # the disk fills up after the first file moved in
        if Path(target).parent == out:
            moved.append(Path(target).name)
            if len(moved) == 2:
                raise OSError(28, "No space left on device")
        return real(source, target)

    monkeypatch.setattr(os, "replace", replace_failing)
    try:
        before = state(out)
        assert run_here(copy, "--signer", "Nguyễn Văn B") == 3  # every report changes
    finally:
        monkeypatch.undo()
    after = state(out)
    assert [name for name in after if after[name] != before[name]] == moved[:1]
    assert after[RECORD_FILE] == before[RECORD_FILE] and not list(out.glob(".staging-*"))
    # the record does not vouch for the one new file: its report is made again, the others kept
    (first,) = [unit for unit, slug in SLUGS.items() if moved[0].endswith(f"-{slug}.html")]
    result = run(copy)
    assert result.returncode == 0, result.stderr
    assert rebuilt(after, state(out)) == {first} and "Giữ nguyên 2 báo cáo" in result.stderr


def test_the_narrative_file_of_the_record_is_the_reports():
    """incremental.narrative_file answers as content.narrative_file_for (without its imports for the area)."""
    from analysis.incremental import narrative_file
    from analysis.reference import load_units
    from analysis.report.params import narrative_file_for
    from analysis.report.params import load_params
    from analysis.vocabulary import AREA_CODE

    params, units = load_params(None), load_units()
    for code in (AREA_CODE, *units["code"][:3]):
        assert narrative_file(params, code) == narrative_file_for(params, units, code), code
