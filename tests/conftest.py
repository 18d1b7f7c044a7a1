"""Fixtures shared by the test modules that make real reports once and then change a copy."""

import shutil
import signal
from pathlib import Path

import pytest

GUARD_SECONDS = 120  # a test that would hang (a FIFO, a server) fails after this; it never measures speed


@pytest.fixture
def copy(base: Path, tmp_path: Path) -> Path:
    """A copy of the requesting module's built folder `base` (forms and reports, times kept),
    beside it (so the shared parameters it names are found), removed afterwards."""
    folder = base.parent / f"copy-{tmp_path.name}"
    shutil.copytree(base, folder)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def no_hang():
    """Fail instead of hanging: a test that would block (a FIFO opened for reading) is stopped after
    GUARD_SECONDS. A guard against a hang, not a measure of speed: no test asserts on elapsed time."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(*_):
        raise TimeoutError(f"blocked for {GUARD_SECONDS} s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(GUARD_SECONDS)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)
