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
from collections.abc import Mapping
from pathlib import Path

from analysis import config
from analysis.report.document import BulletList, Figure, Heading, Paragraph, Report, Section, Table
from analysis.formatting import fmt_date, fmt_place_date

CSS_FILE = config.TEMPLATES_DIR / "report.css"
NUMERIC = {"count", "rate", "points", "number"}


def e(text) -> str:
    return html.escape(str(text), quote=True)


def css() -> str:
    return CSS_FILE.read_text(encoding="utf-8")


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
    return f"Báo cáo sơ kết {start}–{end} – {report.meta.unit_name}"


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
    return (
        f"<div class=\"table-block{wide}\">\n<p class=\"caption\">{e(block.caption)}</p>\n{unit}"
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
    return (
        f"<figure class=\"chart\">\n<p class=\"caption\">{e(block.caption)}</p>\n<div class=\"chart-image\">"
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
        f"<td class=\"nation\"><div class=\"strong underline\">ĐẢNG CỘNG SẢN VIỆT NAM</div>"
        f"<div class=\"place-date\">{e(fmt_place_date(m.place, m.date))}</div></td>\n</tr></table>\n"
        f"<h1><span class=\"doc-type\">{e(m.doc_type)}</span><span class=\"doc-title\">{e(m.title)}</span></h1>\n"
        f"<p class=\"rule\">-----</p>\n"
    )


def section(part: Section, *, appendix: bool = False) -> str:
    if appendix:
        heading = (f"<h2 class=\"appendix-title\"><span class=\"appendix-number\">{e(part.number)}</span>"
                   f"<span>{e(part.title)}</span></h2>\n")
    else:
        heading = f"<h2>{e(part.number)}. {e(part.title)}</h2>\n"
    css_class = "appendix" if appendix else "part"
    if appendix and any(isinstance(b, Table) and b.wide for b in part.blocks):
        css_class += " wide"  # printed on landscape pages, title included
    return f"<section class=\"{css_class}\">\n{heading}{''.join(block_html(b) for b in part.blocks)}</section>\n"


def signature(report: Report) -> str:
    m = report.meta
    recipients = "".join(f"<div>{e(r)}</div>" for r in m.recipients)
    return (
        "<table class=\"signature\" role=\"presentation\"><tr>\n"
        f"<td class=\"recipients\"><div class=\"recipients-label\">Nơi nhận:</div>{recipients}</td>\n"
        f"<td class=\"signer\"><div class=\"strong\">{e(m.signer_on_behalf)}</div><div class=\"strong\">{e(m.signer_title)}</div>"
        f"<div class=\"sign-space\"></div><div class=\"strong\">{e(m.signer_name)}</div></td>\n</tr></table>\n"
    )


def provenance(report: Report) -> str:
    p = report.provenance
    inputs = "".join(f"<tr><td>{e(name)}</td><td class=\"hash\">{e(digest)}</td></tr>" for name, digest in p.inputs)
    parameters = "; ".join(f"{e(k)} = {e(v)}" for k, v in p.parameters)
    notes = "".join(f"<p>{e(n)}</p>" for n in p.notes)
    return (
        "<section class=\"provenance\">\n<h2>Nguồn gốc số liệu và cách lập báo cáo</h2>\n"
        f"{notes}<p>Lập tự động bằng {e(p.software)} lúc {e(p.generated_at.strftime('%H:%M'))} "
        f"{e(fmt_date(p.generated_at.date()))}, từ các tệp (mã kiểm tra SHA-256):</p>\n"
        f"<div class=\"table-scroll\"><table class=\"inputs\"><thead><tr><th scope=\"col\">Tệp</th>"
        f"<th scope=\"col\">SHA-256</th></tr></thead><tbody>{inputs}</tbody></table></div>\n"
        f"<p>Tham số: {parameters}.</p>\n</section>\n"
    )


def render_parts(report: Report) -> list[str]:
    """The page's body, in order, as HTML fragments (the notebook displays one per output)."""
    return [
        header(report),
        *(section(s) for s in report.sections),
        signature(report),
        *(section(s, appendix=True) for s in report.appendices),
        provenance(report),
    ]


def render_document(report: Report) -> str:
    return page_start(document_title(report)) + "".join(render_parts(report)) + page_end()


def write_html(report: Report, path: Path, artifacts: Mapping[str, Path] | None = None) -> None:
    Path(path).write_text(render_document(report), encoding="utf-8")
