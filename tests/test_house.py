"""The house rules a reviewer would otherwise have to remember: a module is a room with one job
(about 400 lines at most), a function does one thing (about 60 lines at most). They hold for the
product (src/analysis) and for the sample generator beside it (src/samples), whose code holds none
of the city's numbers (they are in src/samples/data).

The layers, lint and types are `make check` (pyproject.toml); these are tests because they read
the package as text and need nothing but the standard library.
"""

import ast
import re
from pathlib import Path

import pytest

import samples
from analysis import config

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# Rooms another change is rewriting, held to the rules once it lands (none now).
EXEMPT_MODULES: set[str] = set()
EXEMPT_FOLDERS: set[str] = set()
EXEMPT_FUNCTIONS: set[tuple[str, str]] = set()

SAMPLES_DIR = Path(samples.__file__).resolve().parent
SAMPLE_MODULES = sorted(p for p in SAMPLES_DIR.rglob("*.py") if "__pycache__" not in p.parts)
MODULES = sorted(p for p in config.PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts) + SAMPLE_MODULES


def _rel(path: Path) -> str:
    """A module's path in its package (the sample generator's as samples/…)."""
    if path.is_relative_to(SAMPLES_DIR):
        return "samples/" + path.relative_to(SAMPLES_DIR).as_posix()
    return path.relative_to(config.PACKAGE_DIR).as_posix()


def _exempt(path: Path) -> bool:
    rel = _rel(path)
    return rel in EXEMPT_MODULES or rel.split("/")[0] in EXEMPT_FOLDERS


def test_the_package_is_read():
    assert len(MODULES) > 40 and any(_rel(p) == "publish/runner.py" for p in MODULES)
    assert any(_rel(p) == "samples/form01.py" for p in MODULES)


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


# --- markup lives in templates ------------------------------------------------------------------
# HTML elements (the HTML Living Standard's, obsolete ones included): a string literal of the
# package that holds one of these tags builds markup by hand; it belongs in templates/html.
HTML_ELEMENTS = (
    "a abbr address area article aside audio b base bdi bdo blockquote body br button canvas caption cite code col "
    "colgroup data datalist dd del details dfn dialog div dl dt em embed fieldset figcaption figure font footer form "
    "h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins kbd label legend li link main map mark menu "
    "meta meter nav noscript object ol optgroup option output p param picture pre progress q rp rt ruby s samp script "
    "search section select slot small source span strong style sub summary sup svg table tbody td template textarea "
    "tfoot th thead time title tr track u ul var video wbr center big tt"
).split()
HTML_TAG = re.compile(r"<!doctype\b|</?(?:" + "|".join(HTML_ELEMENTS) + r")(?=[\s>/])", re.IGNORECASE)
MARKUP_EXEMPT_FOLDERS: set[str] = set()


def html_in_strings(source: str) -> list[str]:
    """The string literals of `source` (docstrings excepted) that hold an HTML tag."""
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            if HTML_TAG.search(node.value):
                found.append(f"line {node.lineno}: {node.value[:60]!r}")
    return found


@pytest.mark.parametrize("path", [p for p in MODULES if _rel(p).split("/")[0] not in MARKUP_EXEMPT_FOLDERS], ids=_rel)
def test_no_html_tag_in_a_string_literal(path: Path):
    found = html_in_strings(path.read_text(encoding="utf-8"))
    assert not found, f"{_rel(path)}: markup belongs in src/analysis/templates/html: {'; '.join(found)}"


def test_a_tag_in_an_f_string_is_caught_and_a_docstring_or_a_comparison_is_not():
    source = ('def f(x):\n    """Shown in a <p>."""\n    a = f"<p class=\\"x\\">{x}</p>"\n'
              '    b = "<Chart “x”>" if x < 3 else "(?P<coda>ng)"\n    return a, b\n')
    assert [line.split(":")[0] for line in html_in_strings(source)] == ["line 3", "line 3"]


# --- the sample generator holds no number of its city ----------------------------------------------
# Its numbers (totals, seeds, unit codes and sizes, years, counts of models) are in src/samples/data.
NUMBER = re.compile(r"\b\d+\b")  # "15/6/2023": 15, 6, 2023; "sha256": none


def data_numbers(folder: Path) -> set[int]:
    """Every whole number over 100 written in the YAML and CSV files of `folder` (comments included)."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.*")) if p.suffix in (".yaml", ".csv"))
    return {int(digits) for digits in NUMBER.findall(text) if int(digits) > 100}


def numbers_in_code(source: str) -> set[int]:
    """The whole numbers of `source`'s literals: numbers, and digits inside strings (docstrings too)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
            found.add(node.value)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found |= {int(digits) for digits in NUMBER.findall(node.value)}
    return found


def test_the_sample_data_is_read():
    numbers = data_numbers(SAMPLES_DIR / "data")
    assert {12291, 20230623, 23326} <= numbers  # a published total, the seed, a unit's code


@pytest.mark.parametrize("path", SAMPLE_MODULES, ids=_rel)
def test_the_sample_code_holds_none_of_the_sample_numbers(path: Path):
    shared = numbers_in_code(path.read_text(encoding="utf-8")) & data_numbers(SAMPLES_DIR / "data")
    assert not shared, f"{_rel(path)}: {sorted(shared)} belong in src/samples/data"


def test_a_number_in_a_string_or_a_literal_is_found():
    source = 'def f():\n    """As of 15/6/2023."""\n    return 12291 + len("thôn 23326")\n'
    assert numbers_in_code(source) >= {2023, 12291, 23326}
