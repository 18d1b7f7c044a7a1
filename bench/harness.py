"""Side-by-side timing of whole commands: warm-up, alternating contenders, medians and ratios.

The machines are shared and noisy, so a case is always a comparison run in one go: each round
runs every contender once, in an order that alternates between rounds, and the result is the
ratio of medians. Peak memory is the largest total resident size of the command's process tree,
sampled every 20 ms.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable, Sequence

import psutil

ROOT = Path(__file__).resolve().parents[1]
RESULTS_FILE = ROOT / "bench" / "RESULTS.md"


@dataclass(frozen=True)
class Contender:
    """A named way of doing the job: a list of shell-free commands run one after another."""

    name: str
    commands: Callable[[Path], Sequence[Sequence[str]]]  # given a fresh scratch folder


@dataclass
class Measurement:
    seconds: list[float] = field(default_factory=list)
    peak_bytes: list[int] = field(default_factory=list)

    @property
    def median_seconds(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak_mb(self) -> float:
        return max(self.peak_bytes) / 2**20


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    try:
        for member in [process, *process.children(recursive=True)]:
            try:
                total += member.memory_info().rss
            except psutil.Error:
                pass
    except psutil.Error:
        pass
    return total


def run_measured(command: Sequence[str], *, cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int]:
    """Run one command; return its wall time and the peak RSS of its process tree."""
    start = time.perf_counter()
    process = subprocess.Popen(
        list(command), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    watched = psutil.Process(process.pid)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(watched))
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    stderr = process.stderr.read() if process.stderr else ""
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}:\n{stderr[-2000:]}")
    return seconds, peak


def run_contender(contender: Contender, scratch: Path, env: dict[str, str] | None) -> tuple[float, int]:
    scratch.mkdir(parents=True, exist_ok=True)
    total, peak = 0.0, 0
    for command in contender.commands(scratch):
        seconds, command_peak = run_measured(command, cwd=ROOT, env=env)
        total += seconds
        peak = max(peak, command_peak)
    return total, peak


def compare(
    contenders: Sequence[Contender], *, scratch: Path, repeats: int = 5, warmup: int = 1, env=None, log=print
) -> dict[str, Measurement]:
    """Warm up each contender, then run `repeats` rounds alternating the order."""
    results = {c.name: Measurement() for c in contenders}
    for _ in range(warmup):
        for contender in contenders:
            run_contender(contender, scratch / f"warmup-{contender.name}", env)
    for round_number in range(repeats):
        order = contenders if round_number % 2 == 0 else list(reversed(contenders))
        for contender in order:
            seconds, peak = run_contender(contender, scratch / f"r{round_number}-{contender.name}", env)
            results[contender.name].seconds.append(seconds)
            results[contender.name].peak_bytes.append(peak)
            log(f"  round {round_number + 1}/{repeats} {contender.name}: {seconds:.2f} s, {peak / 2**20:.0f} MB")
    return results


def machine_description() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = psutil.virtual_memory().total / 2**30
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{cpu}; {os.cpu_count()} cores; {memory:.0f} GiB; {platform.system()} {platform.release()}; "
        f"Python {sys.version.split()[0]}; load average before the run {load}"
    )


def format_case(title: str, results: dict[str, Measurement], *, baseline: str, goal: str) -> str:
    lines = [f"### {title}", "", f"Goal: {goal}", "", "| contender | median s | runs (s) | peak MB | ratio to " + baseline + " |", "|---|---|---|---|---|"]
    base = results[baseline].median_seconds
    for name, measurement in results.items():
        runs = " ".join(f"{s:.2f}" for s in measurement.seconds)
        lines.append(
            f"| {name} | {measurement.median_seconds:.2f} | {runs} | {measurement.peak_mb:.0f} | "
            f"{measurement.median_seconds / base:.2f} |"
        )
    return "\n".join(lines) + "\n"


def append_results(text: str) -> None:
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    header = "" if RESULTS_FILE.exists() else "# Benchmark results\n\nAppended by `make bench`; newest last.\n\n"
    with open(RESULTS_FILE, "a", encoding="utf-8") as handle:
        handle.write(header + text + "\n")
