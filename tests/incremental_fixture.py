"""Shared by tests/test_incremental*.py: real `python -m analysis report` runs on copies of the
bundled forms, three reports (the area and two wards) in HTML to keep them short.

The runs read their reference files, narrative folder and notebook from a copy of the project's
(`shared/root`, through ANALYSIS_ROOT, analysis.config), so that a test can change one of them.
Each test module builds `base` once (module scope) and each test changes a copy of it (conftest.copy).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from analysis import config
from analysis.incremental import RECORD_FILE
from analysis.publish.lock import LOCK_FILE

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
    """Every file of the output folder, its time and bytes (the lock file aside: it is no output)."""
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.iterdir() if p.name != LOCK_FILE}


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


def run_here(folder: Path, *extra: str) -> int:
    """The command in this process (so that a test can make a step fail), on the shared root."""
    from analysis.cli import main

    return main(arguments(folder, "--workers", "1", *extra))
