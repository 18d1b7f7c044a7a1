"""How the package starts processes: every one comes from `context()`, on every system.

Windows has no fork: a new process there is a fresh interpreter that imports what it needs
(the `spawn` start method), and the same code has to work that way. The environment variable
ANALYSIS_START_METHOD (spawn, forkserver or fork) chooses the method on any system, so that a
Linux machine can run the Windows way; unset, the system's default is used (fork on Linux with
Python 3.11 to 3.13, spawn on Windows and macOS).
"""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.context import BaseContext

from analysis.errors import UsageError

START_METHOD_VARIABLE = "ANALYSIS_START_METHOD"


def context() -> BaseContext:
    """The multiprocessing context for every worker process the package starts."""
    wanted = os.environ.get(START_METHOD_VARIABLE, "").strip().lower() or None
    try:
        return multiprocessing.get_context(wanted)
    except ValueError:
        raise UsageError(f"{START_METHOD_VARIABLE}={wanted}: máy này không khởi chạy tiến trình theo cách đó; "
                         f"dùng một trong: {', '.join(multiprocessing.get_all_start_methods())}") from None


def usable_cpus() -> int:
    """The cores this process may run on (its affinity, a container's CPU set), at least 1."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1
