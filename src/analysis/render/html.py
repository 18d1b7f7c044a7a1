"""The report as HTML: one self-contained page for email, phones, desktops and print.

No script, nothing loaded from outside: the CSS is inline, the charts are PNG data URIs,
the fonts are the reader's own serif fonts. The markup is in the templates (templates/html:
blocks.html.j2 has one macro per block type, report.html.j2 the header, parts and signature),
rendered with autoescape: what an office typed in a form arrives as text, never as markup.

The same fragments serve the report notebook (displayed cell by cell, then assembled by the
nbconvert template in templates/baocao) and `render_document` (the whole page at once).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from markupsafe import Markup

from analysis import config
from analysis.formatting import fmt_date
from analysis.render.templates import macro, render
from analysis.report.document import Block, Report, Section

CSS_FILE = config.TEMPLATES_DIR / "report.css"


def css() -> str:
    """The stylesheet as the report carries it: without its comments, which name software and
    decrees for the maintainers, not for the reader of a signed report."""
    return re.sub(r"/\*.*?\*/[ \t]*", "", CSS_FILE.read_text(encoding="utf-8"), flags=re.DOTALL)


def page_start(title: str) -> str:
    return render("page_start.html.j2", title=title, css=css())


def page_end() -> str:
    return render("page_end.html.j2")


def document_title(report: Report) -> str:
    start, end = report.meta.period
    return f"Báo cáo {report.meta.review_kind} {start}–{end} – {report.meta.unit_name}"


def block_html(block: Block) -> str:
    """One block of a part (a paragraph, heading, list, table or figure)."""
    return macro("blocks.html.j2", "block", block)


def header(report: Report) -> str:
    return macro("report.html.j2", "header", report)


def attached_to(report: Report) -> str:
    """"(Kèm theo Báo cáo số 127-BC/TU, ngày 23 tháng 6 năm 2023)" under an appendix title, the date
    written as in the document's header; the number left blank until the document is registered
    keeps its blank."""
    m = report.meta
    number = m.number.strip()
    number = number[3:] if number.lower().startswith("số ") else number
    return f"(Kèm theo {m.doc_type.capitalize()} số {number}, {fmt_date(m.date)})"


def section(part: Section, *, appendix: bool = False, attached: str = "", closing: str = "") -> str:
    """A part of the report. `attached` is the "(Kèm theo …)" line of an appendix; `closing`
    (the signature block, HTML) is kept on one page with the part's last block."""
    return macro("report.html.j2", "section", part, appendix=appendix, attached=attached, closing=Markup(closing))


def signature(report: Report) -> str:
    return macro("report.html.j2", "signature", report)


def render_parts(report: Report) -> list[str]:
    """The page's body, in order, as HTML fragments (the notebook displays one per output)."""
    parts = list(report.sections)
    body = [section(s, closing=signature(report) if i == len(parts) - 1 else "") for i, s in enumerate(parts)]
    if not parts:
        body.append(signature(report))
    attached = attached_to(report)
    return [
        header(report),
        *body,
        *(section(s, appendix=True, attached=attached) for s in report.appendices),
    ]


def show(report: Report) -> None:
    """Display the report in a notebook, part by part, as HTML outputs (which the nbconvert
    template keeps): notebooks/04_bao_cao.ipynb's last cell."""
    from IPython.display import HTML, display  # noqa: PLC0415 (lazy: only inside a notebook)

    for part in render_parts(report):
        display(HTML(part))


def render_document(report: Report) -> str:
    return page_start(document_title(report)) + "".join(render_parts(report)) + page_end()


def write_html(report: Report, path: Path, artifacts: Mapping[str, Path] | None = None) -> None:
    Path(path).write_text(render_document(report), encoding="utf-8")
