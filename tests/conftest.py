"""Fixtures shared by the test modules that make real reports once and then change a copy."""

import shutil
from pathlib import Path

import pytest


@pytest.fixture
def copy(base: Path, tmp_path: Path) -> Path:
    """A copy of the requesting module's built folder `base` (forms and reports, times kept),
    beside it (so the shared parameters it names are found), removed afterwards."""
    folder = base.parent / f"copy-{tmp_path.name}"
    shutil.copytree(base, folder)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)
