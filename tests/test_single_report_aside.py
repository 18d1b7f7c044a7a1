"""A single report uses the core it has spare: its analysis notebooks whose inputs changed run in
another process (analysis.publish.workers.Aside) while its report notebook runs; those whose
inputs did not change are kept and nothing is started. Events are asserted, never durations."""

import shutil
from pathlib import Path

import pytest

import analysis.publish as publish
import analysis.publish.workers as workers
from analysis import config
from analysis.cli import main

pytestmark = pytest.mark.slow

NOTEBOOKS = ["01_lam_sach_va_kiem_tra", "02_xu_huong", "03_mo_hinh"]


@pytest.fixture
def started(monkeypatch) -> list[list[str]]:
    """The notebooks each Aside was started with, in order."""
    seen: list[list[str]] = []
    run = workers.Aside.run

    def recorded(self, target, names, *args):
        seen.append(list(names))
        return run(self, target, names, *args)

    monkeypatch.setattr(workers.Aside, "run", recorded)
    monkeypatch.setattr(publish, "usable_cpus", lambda: 2)  # a core to spare, on any machine
    return seen


def report(data: Path, out: Path, narrative: Path, *units: str) -> int:
    parameters = narrative.with_suffix(".yaml")  # the parameters file that names the narrative
    parameters.write_text(f"narrative: {narrative}\n", encoding="utf-8")
    return main(["report", "--data", str(data), "--out", str(out), "--format", "html", "-f", str(parameters),
                 "--unit", *units])


def test_the_notebooks_run_aside_only_when_their_inputs_changed(tmp_path: Path, started):
    data, out, narrative = tmp_path / "data", tmp_path / "out", tmp_path / "nhan-dinh.md"
    shutil.copytree(config.RAW_DIR, data)
    shutil.copy(config.ROOT / "data/narrative/so-ket-2021-2023.md", narrative)
    assert report(data, out, narrative, "608") == 0
    assert started == [NOTEBOOKS]  # a first report: all three, in the other process
    kept = {p.name: p.stat().st_mtime_ns for p in out.glob("so-phan-tich-*-0[1-3]-*.ipynb")}
    assert len(kept) == 3

    narrative.write_text(narrative.read_text(encoding="utf-8") + "\nMột câu thêm vào cuối.\n", encoding="utf-8")
    assert report(data, out, narrative, "608") == 0
    assert started == [NOTEBOOKS]  # the report notebook ran again; the analysis notebooks' inputs did not change
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("so-phan-tich-*-0[1-3]-*.ipynb")} == kept


def test_a_batch_starts_none(tmp_path: Path, started):
    data, out, narrative = tmp_path / "data", tmp_path / "out", tmp_path / "nhan-dinh.md"
    shutil.copytree(config.RAW_DIR, data)
    shutil.copy(config.ROOT / "data/narrative/so-ket-2021-2023.md", narrative)
    assert main(["report", "--data", str(data), "--out", str(out), "--format", "html", "--unit", "23281", "23284",
                 "--workers", "1"]) == 0
    assert started == []  # a batch keeps every core busy with its reports
    assert len(list(out.glob("so-phan-tich-*-0[1-3]-*.ipynb"))) == 6
