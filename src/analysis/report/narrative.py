"""The analyst's own text (a Markdown file) as report blocks, by section.

Each "## Title" starts a section; inside, "### ..." headings, paragraphs with **bold** and
*italic*, and "- " lists. Raw HTML is never passed through: markdown-it runs with HTML
disabled, so a tag shows as text; HTML comments (notes to the author) are dropped.

The headings a report knows are OUTLINE's. A heading close to a known one (a comma missing, a
letter wrong) is read as that one, and an unknown heading is kept where the report can keep it;
each is a warning naming its line and the heading meant, so that nothing the author typed is
dropped without a word. A paragraph "[Cần viết: …]" marks a place only the unit can write
(analysis.report.narrative_template writes them); a draft prints it as it is, a final report refuses.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt

from analysis import config
from analysis.report.document import BulletList, Heading, Paragraph, Run
from analysis.safe_files import MAX_TEXT_BYTES, read_text_file

_COMMENT = re.compile(r"<!--.*?-->", re.S)

LEADERSHIP = "Công tác lãnh đạo, chỉ đạo"
RESULTS = "Kết quả thực hiện"
ASSESSMENT = "Đánh giá chung"
DIRECTIONS = "Phương hướng, nhiệm vụ"
PROPOSALS = "Đề xuất, kiến nghị"
ASSESSMENT_PARTS = ("Ưu điểm", "Hạn chế", "Nguyên nhân", "Bài học kinh nghiệm")
# Under "## Kết quả thực hiện": the unit's own words after the figures of each topic of part II
RESULT_TOPICS = ("Công tác tuyên truyền, phổ biến", "Thay đổi nếp nghĩ, cách làm",
                 "Ứng dụng khoa học - kỹ thuật vào sản xuất", "Đời sống vật chất, tinh thần",
                 "Tham gia tổ hợp tác, hợp tác xã", "Xây dựng, duy trì và nhân rộng mô hình phát triển kinh tế",
                 "Giảm nghèo")
# The sections a report knows ("## …") and the sub-headings ("### …") it places by name
OUTLINE: dict[str, tuple[str, ...]] = {LEADERSHIP: (), RESULTS: RESULT_TOPICS, ASSESSMENT: ASSESSMENT_PARTS,
                                       DIRECTIONS: (), PROPOSALS: ()}
PLACEHOLDER_MARK = "[Cần viết:"


def is_placeholder(block) -> bool:
    """A paragraph "[Cần viết: …]": a place the unit has still to write."""
    return isinstance(block, Paragraph) and block.text.strip().startswith(PLACEHOLDER_MARK)


@dataclass(frozen=True)
class Narrative:
    """The sections of a narrative file, and what the reader of the file should be told about it."""

    sections: dict[str, tuple] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    path: Path | None = None

    def get(self, title: str, default=()):
        return self.sections.get(title, default)

    def __contains__(self, title: str) -> bool:
        return title in self.sections

    def values(self):
        return self.sections.values()


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
    if len(merged) == 1 and merged[0].text.startswith(PLACEHOLDER_MARK):
        return (Run(merged[0].text, True, True),)  # a place still to write: seen at a glance in the draft
    return tuple(merged)


def _key(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def closest(title: str, known: tuple[str, ...]) -> str | None:
    """The known heading `title` was meant to be: the same words (case, commas, spaces aside), or
    one close enough (a letter or two off); None when nothing is close."""
    by_key = {_key(k): k for k in known}
    if _key(title) in by_key:
        return by_key[_key(title)]
    match = difflib.get_close_matches(_key(title), list(by_key), n=1, cutoff=0.85)
    return by_key[match[0]] if match else None


class _Reader:
    def __init__(self, source: str):
        self.source = source
        self.sections: dict[str, list] = {}
        self.warnings: list[str] = []
        self.current: list | None = None
        self.section = ""
        self.skipping = False  # inside a section already warned of

    def where(self, token) -> str:
        line = token.map[0] + 1 if token.map else 0
        return f"{self.source}, dòng {line}" if self.source else f"dòng {line}"

    def section_heading(self, title: str, token) -> None:
        known = closest(title, tuple(OUTLINE))
        if known is None:
            self.warnings.append(f"{self.where(token)}: mục “## {title}” không phải mục nào của báo cáo ("
                                 + ", ".join(f"“## {k}”" for k in OUTLINE) + "); nội dung của mục này không đưa "
                                 "vào báo cáo")
            self.current, self.section, self.skipping = None, "", True
            return
        if known != title:
            self.warnings.append(f"{self.where(token)}: “## {title}” được hiểu là “## {known}”; sửa lại tên mục "
                                 "cho đúng")
        self.current, self.section, self.skipping = self.sections.setdefault(known, []), known, False

    def sub_heading(self, title: str, token) -> None:
        if self.current is None:
            return
        subs = OUTLINE[self.section]
        known = closest(title, subs) if subs else title
        if known is None and self.section == RESULTS:
            self.warnings.append(f"{self.where(token)}: tiểu mục “### {title}” không có trong phần Kết quả thực hiện ("
                                 + ", ".join(f"“### {k}”" for k in subs) + "); đoạn viết dưới tiểu mục này được "
                                 "đặt cuối phần II")
        elif known is not None and known != title:
            self.warnings.append(f"{self.where(token)}: “### {title}” được hiểu là “### {known}”; sửa lại tên tiểu mục "
                                 "cho đúng")
        self.current.append(Heading(known or title, level=3))

    def text(self, token) -> None:
        if self.current is None and not self.skipping and token.content.strip():
            self.warnings.append(f"{self.where(token)}: đoạn văn nằm ngoài các mục “## …” không đưa vào báo cáo")


def read_narrative(text: str, source: str = "") -> Narrative:
    """The sections of a narrative text, with a warning for each heading read as another or left out."""
    # a comment is blanked line for line, so that the lines of a warning are the file's own
    blanked = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
    tokens = MarkdownIt("commonmark", {"html": False}).parse(blanked)
    reader = _Reader(source)
    items: list[Paragraph] | None = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            title = tokens[i + 1].content.strip()
            (reader.section_heading if token.tag in ("h1", "h2") else reader.sub_heading)(title, token)
            i += 3
            continue
        if token.type in ("bullet_list_open", "ordered_list_open"):
            items = []
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            if reader.current is not None and items:
                reader.current.append(BulletList(tuple(items)))
            items = None
        elif token.type == "inline":
            if reader.current is None:
                reader.text(token)
            else:
                paragraph = Paragraph(_runs(token))
                (items if items is not None else reader.current).append(paragraph)
        i += 1
    return Narrative({title: tuple(blocks) for title, blocks in reader.sections.items()}, tuple(reader.warnings))


def parse_narrative(text: str) -> dict[str, tuple]:
    """{section title: blocks}, in the order of the file."""
    return read_narrative(text).sections


def load_narrative(path: Path, source: str = "") -> Narrative:
    """The analyst's file: regular, bounded, UTF-8, not a link out of the project (analysis.safe_files)."""
    text = read_text_file(path, what="tệp nhận định (tham số narrative)", max_bytes=MAX_TEXT_BYTES, within=config.ROOT)
    narrative = read_narrative(text, source or str(path))
    return Narrative(narrative.sections, narrative.warnings, Path(path))
