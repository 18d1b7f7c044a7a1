"""Regenerate only what changed (analysis.incremental): the settings every report is made from
(parameters, reference files, the package's own files), --force, and a run that fails or is
interrupted while writing. Runs on copies of the bundled forms (incremental_fixture)."""

import os
import shutil
from pathlib import Path

import pytest

from analysis import config
from analysis.incremental import RECORD_FILE, UP_TO_DATE
from incremental_fixture import SLUGS, base, rebuilt, run, run_here, state  # noqa: F401 (base: the module's fixture)


@pytest.mark.slow
def test_a_parameter_change_rebuilds_every_report(copy: Path):
    before = state(copy / "out")
    result = run(copy, "--signer", "Nguyễn Văn B")  # the companion of each report lists the parameters
    assert result.returncode == 0, result.stderr
    assert rebuilt(before, state(copy / "out")) == set(SLUGS)


@pytest.mark.slow
def test_force_rebuilds_everything(copy: Path):
    before = state(copy / "out")
    result = run(copy, "--force")
    assert result.returncode == 0, result.stderr
    assert UP_TO_DATE not in result.stderr and rebuilt(before, state(copy / "out")) == set(SLUGS)


@pytest.mark.slow
def test_a_reference_change_rewrites_the_reports_that_print_it(copy: Path):
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
    # every report is made again from the reference files, and only the area's prints the label: the wards'
    # files stay as they were (early cutoff; tests/test_cutoff.py checks rewritten == changed)
    assert rebuilt(before, state(copy / "out")) == {"city"}
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
    assert "Đang lập 3 báo cáo" in result.stderr  # the charts of every report use the fonts: all made again
    after = state(copy / "out")
    # only files whose bytes changed are rewritten (the charts draw the same glyphs: a new version string)
    assert all(after[name][1] != before[name][1] for name in after if name in before and after[name] != before[name]
               and name != RECORD_FILE)
    again = run(copy, package=package)
    assert again.returncode == 0 and UP_TO_DATE in again.stderr, again.stderr


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
def test_a_failure_while_switching_the_files_in_leaves_the_folder_as_it_was(copy: Path, monkeypatch, capsys):
    """The disk fills up at the second move of the switch, then at the record (the last move): each
    time the folder is byte for byte what it was, and the message says so (analysis.publish.switch;
    tests/test_switch.py makes each move fail in turn)."""
    import importlib

    switch = importlib.import_module("analysis.publish.switch")
    out = copy / "out"
    real = switch.step
    for failing in ("second", RECORD_FILE):
        moved = []

        def step_failing(move, source, target, failing=failing, moved=moved):
            if Path(target).parent == out and move is os.replace:
                moved.append(Path(target).name)
                if (failing == "second" and len(moved) == 2) or Path(target).name == failing:
                    raise OSError(28, "No space left on device")
            return real(move, source, target)

        monkeypatch.setattr(switch, "step", step_failing)
        before = state(out)
        try:
            assert run_here(copy, "--signer", "Nguyễn Văn B") == 3  # every report changes
        finally:
            monkeypatch.undo()
        assert state(out) == before and not list(out.glob(".staging-*")), failing
        assert len(moved) >= 2 and "đã trả lại như trước, các báo cáo cũ giữ nguyên" in capsys.readouterr().err
    result = run(copy)  # the old record still vouches for the old reports
    assert result.returncode == 0 and UP_TO_DATE in result.stderr, result.stderr


@pytest.mark.slow
def test_another_format_keeps_the_formats_already_made(copy: Path):
    # issue 25 item 8: the record keeps each format apart; the HTML made before is not made again
    out = copy / "out"
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.iterdir()}
    result = run(copy, "--format", "html,eml")
    assert result.returncode == 0, result.stderr
    after = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.iterdir()}
    rewritten = {name for name in after if before.get(name) != after[name]}
    reports = {f"bao-cao-so-ket-2021-2023-{slug}" for slug in SLUGS.values()}
    # the new format, made, and the record: nothing else (the signed HTML, the notebooks and companions kept)
    assert rewritten == {f"{stem}.eml" for stem in reports} | {RECORD_FILE}
    again = run(copy, "--format", "eml,html")  # both recorded now: nothing to make
    assert again.returncode == 0 and UP_TO_DATE in again.stderr, again.stderr
    assert {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.iterdir()} == after
