"""A batch of drafts: the command's own process hands the reports to its pool and never reads them
back (a draft is never issued: analysis.archive.issued reads only final reports), so it never loads
the chart stage (matplotlib), which unpickling a report would import."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import config
from analysis.publish import _stage_issues
from analysis.publish.runner import Rendered

pytestmark = pytest.mark.slow  # two reports made by the command

# The command run as users run it, then what its own process imported, printed as JSON on the last line.
WATCHED = """
import atexit, json, os, runpy, sys
pid = os.getpid()
atexit.register(lambda: os.getpid() == pid and print(json.dumps(
    {name: name in sys.modules for name in ("matplotlib", "analysis.report.charts")})))
sys.argv = ["analysis", *sys.argv[1:]]
runpy.run_module("analysis", run_name="__main__")
"""


def test_a_batch_of_drafts_never_loads_the_chart_stage_in_the_commands_process(tmp_path: Path):
    # two wards of the sample (Phường Quang Trung, Phường Duy Tân): a pool of two processes makes them
    result = subprocess.run([sys.executable, "-c", WATCHED, "report", "--unit", "23281", "23284", "--out",
                             str(tmp_path / "out"), "--format", "html"], capture_output=True, text=True,
                            cwd=config.ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "out").glob("bao-cao-*.html"))) == 2
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {"matplotlib": False, "analysis.report.charts": False}


class _Run:
    """What _stage_issues reads of a run."""

    def __init__(self, out_dir: Path):
        from analysis.compute.computed import compute_for
        from analysis.dataset import load_dataset
        from analysis.report.params import load_params

        self.params = load_params()
        self.computed = compute_for(load_dataset(config.RAW_DIR, self.params.period), self.params)
        self.out_dir, self.data_dir, self.formats = out_dir, config.RAW_DIR, ("html",)


def test_a_drafts_report_file_is_not_read_and_a_final_ones_is(tmp_path: Path):
    run = _Run(tmp_path)
    missing = str(tmp_path / "no-such-report.pickle")
    assert _stage_issues(["608"], {"608": Rendered(missing, draft=True)}, run, tmp_path, print) == []
    with pytest.raises(FileNotFoundError):
        _stage_issues(["608"], {"608": Rendered(missing, draft=False)}, run, tmp_path, print)
