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


def test_a_single_report_forks_its_processes_with_the_report_stage_imported(tmp_path: Path):
    """Its PDF worker and its notebooks' process are forked with matplotlib, the charts and papermill
    already imported: each imported them on its own before (about 0,6 s of CPU each, on 2 cores).
    In a fresh interpreter: what is imported when each process would be started."""
    import subprocess
    import sys

    script = f"""
import sys
import analysis.publish as publish
seen = []
class Stop(Exception):
    pass
def fork(kind):
    def started(*args, **kwargs):
        seen.append((kind, sorted(m for m in ("matplotlib", "analysis.report.charts", "papermill") if m in sys.modules)))
        return None
    return started
def checked(*args, **kwargs):
    raise Stop
publish.PdfWorker, publish.Aside, publish._checked = fork("pdf"), fork("notebooks"), checked
publish.usable_cpus = lambda: 2
publish.context = lambda: type("Forking", (), {{"get_start_method": staticmethod(lambda: "fork")}})()
from analysis.cli import main
try:
    main(["report", "--data", {str(config.RAW_DIR)!r}, "--out", {str(tmp_path / "out")!r}, "--format", "html,pdf"])
except Stop:
    print(seen)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    loaded = ["analysis.report.charts", "matplotlib", "papermill"]
    assert done.stdout.strip() == str([("pdf", loaded), ("notebooks", loaded)]), done.stderr[-2000:]
