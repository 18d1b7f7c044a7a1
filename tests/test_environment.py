"""The pip and conda dependency lists, and the lock file, stay in step."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# conda-forge names that differ from PyPI names
PYPI_TO_CONDA: dict[str, str] = {}
CONDA_ONLY = {"python", "pip", "pango"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].strip().lower()


def _pyproject_requirements() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements.extend(extra)
    return {r.strip() for r in requirements}


def test_environment_yml_carries_the_same_dependencies_as_pyproject():
    pip_names = {_name(r) for r in _pyproject_requirements()}
    conda = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda_names = {_name(d) for d in conda["dependencies"] if isinstance(d, str)} - CONDA_ONLY
    expected = {PYPI_TO_CONDA.get(n, n) for n in pip_names}
    assert conda_names == expected, (
        f"only in pyproject: {sorted(expected - conda_names)}; only in environment.yml: {sorted(conda_names - expected)}"
    )


def test_environment_yml_uses_the_same_lower_bounds_as_pyproject():
    pip_bounds = {_name(r): r.replace(" ", "")[len(_name(r)):] for r in _pyproject_requirements()}
    conda = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    for dependency in conda["dependencies"]:
        if isinstance(dependency, str) and _name(dependency) not in CONDA_ONLY:
            name = _name(dependency)
            assert dependency.replace(" ", "")[len(name):] == pip_bounds[name], name


def test_environment_yml_installs_the_project_itself_with_pip_and_nothing_else():
    conda = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    sections = [d for d in conda["dependencies"] if isinstance(d, dict)]
    assert sections == [{"pip": ["-e ."]}]  # editable: config.ROOT is the folder holding pyproject.toml
    assert "pip" in conda["dependencies"] and "pango" in conda["dependencies"]
    assert conda["channels"] == ["conda-forge"]


def test_lock_file_pins_every_dependency():
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    for requirement in _pyproject_requirements():
        assert _name(requirement).replace("_", "-") in pins, f"{requirement} is not pinned in constraints.txt"
