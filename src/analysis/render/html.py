"""The report as HTML: one self-contained page for email, phones, desktops and print.

No script, nothing loaded from outside: the CSS is inline, the charts are PNG data URIs,
the fonts are the reader's own serif fonts. Every text is escaped: what an
office typed in a form arrives as text, never as markup.

The same fragments serve the report notebook (displayed cell by cell, then assembled by the
nbconvert template in templates/baocao) and `render_document` (the whole page at once).
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Mapping
from pathlib import Path

from analysis import config
from analysis.report.document import BulletList, Figure, Heading, Paragraph, Report, Section, Table
from analysis.formatting import fmt_place_date, fmt_short_date

CSS_FILE = config.TEMPLATES_DIR / "report.css"
# A table of at most this many rows is printed on one page ("keep"): never its header and a row or two
# left alone at the top of the next page.
KEEP_TOGETHER_ROWS = 8
NUMERIC = {"count", "rate", "points", "number"}


def e(text) -> str:
    return html.escape(str(text), quote=True)


def css() -> str:
    """The stylesheet as the report carries it: without its comments, which name software and
    decrees for the maintainers, not for the reader of a signed report."""
    return re.sub(r"/\*.*?\*/[ \t]*", "", CSS_FILE.read_text(encoding="utf-8"), flags=re.DOTALL)


def page_start(title: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"color-scheme\" content=\"light\">\n"
        f"<title>{e(title)}</title>\n<style>\n{css()}</style>\n</head>\n<body>\n<main class=\"report\">\n"
    )


def page_end() -> str:
    return "</main>\n</body>\n</html>\n"


def document_title(report: Report) -> str:
    start, end = report.meta.period
    return f"Báo cáo {report.meta.review_kind} {start}–{end} – {report.meta.unit_name}"


# --- blocks -----------------------------------------------------------------------------------------


def paragraph(block: Paragraph) -> str:
    parts = []
    for run in block.runs:
        text = e(run.text)
        if run.bold:
            text = f"<strong>{text}</strong>"
        if run.italic:
            text = f"<em>{text}</em>"
        parts.append(text)
    return f"<p class=\"{e(block.style)}\">{''.join(parts)}</p>\n"


def table(block: Table) -> str:
    kinds = [c.kind for c in block.columns]

    classes = [' class="num"' if kind in NUMERIC else "" for kind in kinds]

    def cells(values, tag: str) -> str:
        return "".join(f"<{tag}{css_class}>{e(value)}</{tag}>" for value, css_class in zip(values, classes))

    head = "".join(f"<th scope=\"col\">{e(c.label)}</th>" for c in block.columns)
    body = "".join(f"<tr>{cells(row, 'td')}</tr>" for row in block.text)
    if block.totals_text:
        body += f"<tr class=\"total\">{cells(block.totals_text, 'td')}</tr>"
    unit = f"<p class=\"table-unit\">{e(block.unit)}</p>" if block.unit else ""
    note = f"<p class=\"source\">{e(block.note)}</p>" if block.note else ""
    wide = " wide" if block.wide else ""
    keep = " keep" if len(block.text) + bool(block.totals_text) <= KEEP_TOGETHER_ROWS else ""
    return (
        f"<div class=\"table-block{wide}{keep}\">\n<p class=\"caption\">{e(block.caption)}</p>\n{unit}"
        f"<div class=\"table-scroll\"><table>\n<thead><tr>{head}</tr></thead>\n<tbody>{body}</tbody>\n</table></div>\n"
        f"<p class=\"source\">{e(block.source)}</p>{note}\n</div>\n"
    )


PHONE = "(max-width: 600px)"  # the phone rules of report.css use the same width


def figure(block: Figure) -> str:
    """The chart embedded in the page (PNG data URIs: nothing to fetch), with its alt text. Phones get
    the narrow variant through <picture>; print (the PDF) and desktops get the A4-wide chart."""
    data = base64.b64encode(block.png).decode("ascii")
    image = (f"<img src=\"data:image/png;base64,{data}\" alt=\"{e(block.alt)}\" width=\"{block.width_px}\" "
             f"height=\"{block.height_px}\">")
    if block.png_narrow:
        narrow = base64.b64encode(block.png_narrow).decode("ascii")
        image = (f"<picture><source media=\"screen and {PHONE}\" srcset=\"data:image/png;base64,{narrow}\" "
                 f"width=\"{block.narrow_width_px}\" height=\"{block.narrow_height_px}\">{image}</picture>")
    # A chart taller than wide (one row per unit) may fill a printed page; the others share one.
    tall = " tall" if block.height_px > 0.8 * block.width_px else ""
    return (
        f"<figure class=\"chart{tall}\">\n<p class=\"caption\">{e(block.caption)}</p>\n<div class=\"chart-image\">"
        f"{image}</div>\n<figcaption>{e(block.unit)}. {e(block.source)}.</figcaption>\n</figure>\n"
    )


def block_html(block) -> str:
    if isinstance(block, Paragraph):
        return paragraph(block)
    if isinstance(block, Heading):
        level = min(max(block.level + 1, 3), 5)
        return f"<h{level}>{e(block.text)}</h{level}>\n"
    if isinstance(block, BulletList):
        return "<ul>" + "".join(f"<li>{paragraph(item)}</li>" for item in block.items) + "</ul>\n"
    if isinstance(block, Table):
        return table(block)
    if isinstance(block, Figure):
        return figure(block)
    raise TypeError(f"unknown block {type(block).__name__}")


# --- the parts of the report ------------------------------------------------------------------------


def header(report: Report) -> str:
    m = report.meta
    draft = "<p class=\"draft\">DỰ THẢO</p>\n" if m.draft else ""
    return (
        f"{draft}<table class=\"doc-header\" role=\"presentation\"><tr>\n"
        f"<td class=\"issuer\"><div>{e(m.issuer_parent)}</div><div class=\"strong\">{e(m.issuer)}</div>"
        f"<div>*</div><div class=\"number\">{e(m.number)}</div></td>\n"
        f"<td class=\"nation\"><div class=\"strong underline banner\">ĐẢNG CỘNG SẢN VIỆT NAM</div>"
        f"<div class=\"place-date\">{e(fmt_place_date(m.place, m.date))}</div></td>\n</tr></table>\n"
        f"<h1 style=\"bookmark-label: '{e(_css_string(m.doc_type + ' ' + m.title))}'\">"
        f"<span class=\"doc-type\">{e(m.doc_type)}</span> <span class=\"doc-title\">{e(m.title)}</span></h1>\n"
        f"<p class=\"rule\">-----</p>\n"
        + "".join(paragraph(Paragraph(b.runs, "opening")) if isinstance(b, Paragraph) else block_html(b)
                  for b in report.opening)
    )


def _css_string(text: str) -> str:
    """Text inside a CSS string (the PDF bookmark label)."""
    return " ".join(text.split()).replace("\\", "\\\\").replace("'", "\\'")


def attached_to(report: Report) -> str:
    """"(Kèm theo Báo cáo số 127-BC/TU, ngày 23/6/2023)" under an appendix title; the number
    left blank until the document is registered keeps its blank."""
    m = report.meta
    number = m.number.strip()
    number = number[3:] if number.lower().startswith("số ") else number
    return f"(Kèm theo {m.doc_type.capitalize()} số {number}, ngày {fmt_short_date(m.date)})"


def section(part: Section, *, appendix: bool = False, attached: str = "", closing: str = "") -> str:
    """A part of the report. `attached` is the "(Kèm theo …)" line of an appendix; `closing`
    (the signature block) is kept on one page with the part's last block."""
    if appendix:
        heading = (f"<h2 class=\"appendix-title\" style=\"bookmark-label: '{e(_css_string(part.number + ' ' + part.title))}'\">"
                   f"<span class=\"appendix-number\">{e(part.number)}</span> "
                   f"<span>{e(part.title)}</span></h2>\n"
                   + (f"<p class=\"attached\">{e(attached)}</p>\n" if attached else ""))
    else:
        heading = f"<h2>{e(part.number)}. {e(part.title)}</h2>\n"
    css_class = "appendix" if appendix else "part"
    if appendix and any(isinstance(b, Table) and b.wide for b in part.blocks):
        css_class += " wide"  # printed on landscape pages, title included
    blocks = [block_html(b) for b in part.blocks]
    if closing and blocks:
        blocks[-1] = f"<div class=\"closing\">\n{blocks[-1]}{closing}</div>\n"
    elif closing:
        blocks.append(closing)
    return f"<section class=\"{css_class}\">\n{heading}{''.join(blocks)}</section>\n"


def signature(report: Report) -> str:
    m = report.meta
    recipients = "".join(f"<div>{e(r)}</div>" for r in m.recipients)
    return (
        "<table class=\"signature\" role=\"presentation\"><tr>\n"
        f"<td class=\"recipients\"><div class=\"recipients-label\">Nơi nhận:</div>{recipients}</td>\n"
        f"<td class=\"signer\"><div class=\"strong\">{e(m.signer_on_behalf)}</div><div class=\"strong\">{e(m.signer_title)}</div>"
        f"<div class=\"sign-space\"></div><div class=\"strong\">{e(m.signer_name)}</div></td>\n</tr></table>\n"
    )


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
