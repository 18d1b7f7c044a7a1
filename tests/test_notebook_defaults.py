"""The notebooks' parameters cells are literals (papermill shows them with --help-notebook), and
their defaults are the reference files' own: the default period of report.yaml, the area's code
of area.yaml. Change a reference file and this test says which notebook to change with it."""

import ast
import json

import pytest

from analysis import config
from analysis.vocabulary import AREA_CODE, default_period

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("0[1-4]_*.ipynb"))


def parameters(path) -> dict[str, object]:
    """The names and literal values of a notebook's `parameters` cell."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    (cell,) = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    values = {}
    for node in ast.parse("".join(cell["source"])).body:
        assert isinstance(node, ast.AnnAssign), f"{path.name}: the parameters cell holds annotated literals only"
        values[node.target.id] = ast.literal_eval(node.value)
    return values


def test_there_are_four_notebooks():
    assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_notebooks_default_period_and_unit_are_the_reference_files(path):
    values = parameters(path)
    start, end = default_period()
    assert values["period"] == f"{start}-{end}"
    assert values["unit"] == AREA_CODE
