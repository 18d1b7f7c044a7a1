"""The house rules a reviewer would otherwise have to remember: a module is a room with one job
(about 400 lines at most), a function does one thing (about 60 lines at most).

The layers, lint and types are `make check` (pyproject.toml); these are tests because they read
the package as text and need nothing but the standard library.
"""

import ast
from pathlib import Path

import pytest

from analysis import config

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# Rooms another change rewrites this round; they are held to the same rules once it lands.
EXEMPT_MODULES = {
    "sample_data.py",  # the sample generator leaves the package (issue 24, a later round)
}
EXEMPT_FOLDERS = {"read", "check"}  # the reader and the checks are being rewritten and split (issue 24)
EXEMPT_FUNCTIONS = {
    ("dataset.py", "load_dataset"),  # 65 lines; dataset.py is part of the same rewrite as check/
}

MODULES = sorted(p for p in config.PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts)


def _rel(path: Path) -> str:
    return path.relative_to(config.PACKAGE_DIR).as_posix()


def _exempt(path: Path) -> bool:
    rel = _rel(path)
    return rel in EXEMPT_MODULES or rel.split("/")[0] in EXEMPT_FOLDERS


def test_the_package_is_read():
    assert len(MODULES) > 40 and any(_rel(p) == "publish/runner.py" for p in MODULES)


@pytest.mark.parametrize("path", [p for p in MODULES if not _exempt(p)], ids=_rel)
def test_no_module_is_over_400_lines(path: Path):
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_MODULE_LINES, f"{_rel(path)}: {lines} lines; split it along its jobs"


def long_functions(source: str, *, skip: set[str] = frozenset()) -> list[str]:
    """The functions (methods, nested ones) of `source` over MAX_FUNCTION_LINES, decorators excluded."""
    long = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name not in skip:
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                long.append(f"{node.name} ({length} lines, line {node.lineno})")
    return long


@pytest.mark.parametrize("path", [p for p in MODULES if not _exempt(p)], ids=_rel)
def test_no_function_is_over_60_lines(path: Path):
    skip = {name for module, name in EXEMPT_FUNCTIONS if module == _rel(path)}
    long = long_functions(path.read_text(encoding="utf-8"), skip=skip)
    assert not long, f"{_rel(path)}: {', '.join(long)}"


def test_a_function_of_61_lines_is_caught_and_one_of_60_is_not():
    def function(name: str, lines: int) -> str:  # `def` + body: `lines` lines in all
        return f"def {name}():\n" + "    x = 1\n" * (lines - 1)

    source = "class A:\n    " + function("method", 61).replace("\n", "\n    ") + "\n" + function("short", 60)
    assert long_functions(source) == ["method (61 lines, line 2)"]
