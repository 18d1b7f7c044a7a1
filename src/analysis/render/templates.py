"""The Jinja2 templates of every HTML the package writes (src/analysis/templates/html): the report,
the companion file, the email's body, the preview's pages. Autoescape is on for all of them, so
every text from a form or a parameter arrives escaped without anyone remembering to; the markup
lives in the templates, one macro per block type (blocks.html.j2).
"""

from __future__ import annotations

import base64
import functools
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from analysis import config
from analysis.formatting import fmt_place_date
from analysis.report.document import Section, Table

HTML_TEMPLATES = config.TEMPLATES_DIR / "html"
NUMERIC = {"count", "rate", "points", "number"}
# A table of at most this many rows is printed on one page ("keep"): never its header and a row or two
# left alone at the top of the next page.
KEEP_TOGETHER_ROWS = 8
PHONE = "(max-width: 600px)"  # the phone rules of report.css use the same width


def css_string(text: str) -> str:
    """Text inside a CSS string (the PDF bookmark label)."""
    return " ".join(str(text).split()).replace("\\", "\\\\").replace("'", "\\'")


def _unknown_block(block: object) -> str:
    raise TypeError(f"unknown block {type(block).__name__}")


def _landscape(part: Section) -> bool:
    """An appendix with a wide table is printed on landscape pages, title included."""
    return any(isinstance(b, Table) and b.wide for b in part.blocks)


@functools.cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HTML_TEMPLATES)), autoescape=True, keep_trailing_newline=True,
                      undefined=StrictUndefined)
    env.globals.update(zip=zip, numeric=NUMERIC, keep_together_rows=KEEP_TOGETHER_ROWS, phone=PHONE,
                       unknown_block=_unknown_block)
    env.filters.update(b64=lambda data: base64.b64encode(data).decode("ascii"), css_string=css_string,
                       place_date=fmt_place_date)
    env.tests.update(kind=lambda value, name: type(value).__name__ == name, landscape=_landscape)
    return env


def render(template: str, **values: Any) -> str:
    """A whole template, rendered."""
    return environment().get_template(template).render(**values)


def macro(template: str, name: str, *args: Any, **kwargs: Any) -> str:
    """One macro of a template (a block, a part of the page), rendered."""
    output: Markup = getattr(environment().get_template(template).module, name)(*args, **kwargs)
    return str(output)
