"""Fixtures shared by the test modules that make real reports once and then change them."""

import shutil
import signal
from pathlib import Path

import pytest

GUARD_SECONDS = 120  # a test that would hang (a FIFO, a server) fails after this; it never measures speed


def ctrl_c_as_a_terminal_gives_it() -> None:
    """preexec_fn of a command a test sends Ctrl+C to: SIGINT with its default action, as a
    terminal starts a command, even when the tests run where it is ignored (`make test &` in a
    script: a background job ignores SIGINT, and so would every command it starts)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def copy(base: Path):
    """The requesting module's built folder `base` (forms and reports, times kept) to change, put
    back as it was afterwards: the forms stay where the first run read them (the executed notebooks
    name that folder; moved, they would be made again). The tests of a module run one after the
    other (`--dist loadfile`)."""
    pristine = base.parent / "pristine"
    if not pristine.exists():
        shutil.copytree(base, pristine, symlinks=True)
    yield base
    shutil.rmtree(base)
    shutil.copytree(pristine, base, symlinks=True)


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
