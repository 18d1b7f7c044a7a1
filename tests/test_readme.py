"""The README's commands are the ones that work: every `python -m analysis …` line parses, and
the Windows and conda lines name the environment and the commands the tests run."""

import re
import shlex

import pytest
import yaml

from analysis import config
from analysis.cli import build_parser

README = (config.ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted({m.strip() for m in re.findall(r"python -m analysis ([^`;#|\n…}]*)", README) if m.strip()})


def test_the_readme_shows_commands():
    assert {"report", "validate", "report --unit 23326"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_documented_command_parses(command: str):
    args = shlex.split(command)
    parsed = build_parser(args).parse_args(args)
    assert parsed.command == args[0]


def test_windows_and_conda_lines_use_the_environment_file_and_the_tested_commands():
    name = yaml.safe_load((config.ROOT / "environment.yml").read_text(encoding="utf-8"))["name"]
    setup = ("conda env create -f environment.yml; if ($?) { conda activate " + name + " }; "
             "if ($?) { python -m analysis report }")
    venv = ('py -3.11 -m venv .venv; if ($?) { .venv\\Scripts\\python -m pip install -c constraints.txt -e ".[dev,lab]" }; '
            "if ($?) { .venv\\Scripts\\python -m analysis report }")
    for line in (setup, venv, "python -m pytest", ".venv\\Scripts\\python -m pytest", "python -m analysis lab",
                 ".venv\\Scripts\\python -m analysis lab",
                 f"conda env create -f environment.yml && conda activate {name} && python -m analysis report"):
        assert README.count(line) >= 2, line  # in the Vietnamese part and in the English part


def test_powershell_lines_stop_at_the_first_failure():
    """`a; b` in PowerShell runs b after a failed a (the report would run in the base environment):
    every step after the first waits for the one before (`if ($?) { … }`)."""
    blocks = re.findall(r"```powershell\n(.*?)```", README, re.S)
    assert len(blocks) == 2
    for block in blocks:
        for line in block.splitlines():
            code = line.split("#")[0]
            for step in code.split(";")[1:]:
                assert step.strip().startswith("if ($?) {"), line
