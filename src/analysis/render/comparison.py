"""Two versions of a report side by side, as a page someone who does not program can read (the
`diff` command): what differs, by how much, the form cells behind it, and every figure of both.

The markup is a Jinja2 template (templates/so-sanh.html.j2) with autoescaping on: every text,
from a form or not, arrives as text. One self-contained file: no script, nothing external; on a
phone the two versions of a sentence are shown one above the other and wide tables scroll.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from analysis import config
from analysis.outputs import write_atomically
from analysis.report.changes import Comparison
from analysis.report.comparison import Version, word_diff

TEMPLATE = "so-sanh.html.j2"


@dataclass(frozen=True)
class Row:
    """A figure of either version, for the table of every figure."""

    place: str
    label: str
    then: str
    now: str
    changed: bool


def every_figure(then: Version, now: Version) -> list[Row]:
    before = {f.label: f for f in then.figures if f.origin != "sentence"}
    after = {f.label: f for f in now.figures if f.origin != "sentence"}
    rows = []
    for label in [*after, *(k for k in before if k not in after)]:
        old, new = before.get(label), after.get(label)
        shown = new or old
        assert shown is not None
        then_text, now_text = (old.text if old else "–"), (new.text if new else "–")
        rows.append(Row(shown.place, label, then_text, now_text, old is None or new is None or old.text != new.text))
    return rows


@functools.cache
def _environment():
    return Environment(loader=FileSystemLoader(str(config.TEMPLATES_DIR)), undefined=StrictUndefined,
                       autoescape=select_autoescape(default=True, default_for_string=True), trim_blocks=True,
                       lstrip_blocks=True)


def render_comparison(comparison: Comparison, then: Version, now: Version, *, title: str, about: str) -> str:
    """The page: `title` ("So sánh hai bản báo cáo …"), `about` (unit, period, map)."""
    return _environment().get_template(TEMPLATE).render(
        title=title, about=about, c=comparison, rows=every_figure(then, now), word_diff=word_diff)


def write_comparison_html(path: Path, comparison: Comparison, then: Version, now: Version, *, title: str,
                          about: str) -> Path:
    """Write the page atomically (a temporary file beside it, renamed)."""
    return write_atomically(Path(path), render_comparison(comparison, then, now, title=title, about=about)
                            .encode("utf-8"))
