"""Ctrl+C and SIGTERM, once received, are not lost and decide how the command ends.

Python raises KeyboardInterrupt wherever the main thread is when the signal arrives. Raised inside
a weakref callback or a `__del__` (a garbage collection can run anywhere), it is printed as
"Exception ignored" and dropped, and the run would go on: with its PDF worker killed by the same
Ctrl+C, it then failed on a broken pipe (exit 3), or it published its reports. And once the command
had decided to stop, `python -m analysis` could still end by SIGINT (exit -2) instead of 130
(see `_stopping_now`).

So the command's handlers (`install`, in analysis.cli) record the signal before raising, and such
a dropped exception is not printed (the signal is not lost: nothing to report);
`checkpoint()` raises it again between the steps of a run (before a report is rendered, before
files are moved into place); the command ends with 130 (143) once one was received, whatever
error for the analyst (AnalysisError) or broken pipe the run then met (`received`); and further
signals are ignored while the process exits.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading

from analysis.errors import Terminated

_received: list[int] = []   # the signals received by this process, in order
_stopping = threading.Event()
_active = threading.Event()  # inside install(): checkpoint() raises a recorded signal only there


def _handler(signum, frame) -> None:
    _received.append(signum)
    if _stopping.is_set():  # the command is already ending for a signal: nothing more to do
        return
    raise Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()


def _unraisable(unraisable) -> None:
    """sys.unraisablehook: a Ctrl+C raised where Python cannot raise it (a weakref callback, a
    `__del__`) is recorded already (`checkpoint` raises it again), not printed as a traceback."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt) and _received:
        return
    sys.__unraisablehook__(unraisable)


def received() -> int | None:
    """The first signal (SIGINT, SIGTERM) this process received, or None."""
    return _received[0] if _received else None


def checkpoint() -> None:
    """Raise again a signal that was received but whose exception was lost on the way (inside the
    command's install() only: a test calling the stages directly never inherits one)."""
    if _active.is_set() and _received:
        raise Terminated() if _received[0] == signal.SIGTERM else KeyboardInterrupt()


def _stopping_now() -> None:
    """The command ends for a signal: any further Ctrl+C or SIGTERM is ignored until the process
    has exited (the interpreter's shutdown would otherwise give them the system's default: death
    by the signal instead of exit 130), and the interpreter forgets that a KeyboardInterrupt left
    a string `exec` (forget_interrupt)."""
    _stopping.set()  # first: a signal already pending runs _handler as signal.signal() installs
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_IGN)
    forget_interrupt()


def forget_interrupt() -> None:
    """Clear CPython's note that a KeyboardInterrupt left a string `exec`. CPython (3.11, 3.12)
    notes it when one does, even if a caller catches it (the interrupt fell inside the `exec` that
    `dataclasses` runs to make a class), and `python -m` then ends the process by SIGINT (exit -2)
    whatever exit code the command returns. Every string `exec` clears that note as it starts: an
    empty one clears it, and does nothing else."""
    exec("pass", {})  # a constant


@contextlib.contextmanager
def install(*, process: bool):
    """Ctrl+C and SIGTERM handled by `_handler` for the block (main thread only); a Ctrl+C the
    process was started to ignore (a shell's background job) stays ignored. `process`: the block
    is the whole command of this process (not a call from a test): when it ends for a signal,
    further ones are ignored until the process has exited; otherwise the handlers are restored."""
    _received.clear()
    _stopping.clear()
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _active.set()
    previous = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    for signum, handler in previous.items():
        if not (signum == signal.SIGINT and handler == signal.SIG_IGN):
            signal.signal(signum, _handler)
    hook, sys.unraisablehook = sys.unraisablehook, _unraisable
    interrupted = False
    try:
        yield
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        _active.clear()
        if process and (interrupted or _received):
            _stopping_now()  # first: a signal from here on is ignored
        else:
            for signum, handler in previous.items():
                signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        sys.unraisablehook = hook
