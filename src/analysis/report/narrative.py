"""The analyst's own text (a Markdown file) as report blocks, by section.

Each "## Title" starts a section; inside, "### ..." headings, paragraphs with **bold** and
*italic*, and "- " lists. Raw HTML is never passed through: markdown-it runs with HTML
disabled, so a tag shows as text; HTML comments (notes to the author) are dropped.
"""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt

from analysis.report.document import BulletList, Heading, Paragraph, Run
from analysis import config
from analysis.safe_files import MAX_TEXT_BYTES, read_text_file

_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _runs(inline) -> tuple[Run, ...]:
    runs, bold, italic = [], False, False
    for token in inline.children or []:
        if token.type == "strong_open":
            bold = True
        elif token.type == "strong_close":
            bold = False
        elif token.type == "em_open":
            italic = True
        elif token.type == "em_close":
            italic = False
        elif token.type in ("softbreak", "hardbreak"):
            runs.append(Run(" ", bold, italic))
        elif token.content:
            runs.append(Run(token.content, bold, italic))
    merged: list[Run] = []
    for run in runs:
        if merged and (merged[-1].bold, merged[-1].italic) == (run.bold, run.italic):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic)
        else:
            merged.append(run)
    return tuple(merged)


def parse_narrative(text: str) -> dict[str, tuple]:
    """{section title: blocks}, in the order of the file."""
    tokens = MarkdownIt("commonmark", {"html": False}).parse(_COMMENT.sub("", text))
    sections: dict[str, list] = {}
    current: list | None = None
    items: list[Paragraph] | None = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            title = tokens[i + 1].content.strip()
            if token.tag in ("h1", "h2"):
                current = sections.setdefault(title, [])
            elif current is not None:
                current.append(Heading(title, level=3))
            i += 3
            continue
        if token.type == "bullet_list_open" or token.type == "ordered_list_open":
            items = []
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            if current is not None and items:
                current.append(BulletList(tuple(items)))
            items = None
        elif token.type == "inline" and current is not None:
            paragraph = Paragraph(_runs(token))
            if items is not None:
                items.append(paragraph)
            else:
                current.append(paragraph)
        i += 1
    return {title: tuple(blocks) for title, blocks in sections.items()}


def load_narrative(path: Path) -> dict[str, tuple]:
    """The analyst's file: regular, bounded, UTF-8, not a link out of the project (analysis.safe_files)."""
    return parse_narrative(read_text_file(path, what="tệp nhận định (tham số narrative)", max_bytes=MAX_TEXT_BYTES,
                                          within=config.ROOT))
