"""A report's narrative, always whole: the file `python -m analysis narrative` writes for a unit
(every heading of parts I–V, what the figures say as notes to the author, and a marked place
"[Cần viết: …]" for each thing only the unit can write), the same text standing in for a file
that does not exist yet, and the places a narrative still leaves to write (a final report
refuses to be made while any is left).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from analysis import config
from analysis.report.document import Heading
from analysis.report.narrative import (
    ASSESSMENT,
    ASSESSMENT_PARTS,
    DIRECTIONS,
    LEADERSHIP,
    PLACEHOLDER_MARK,
    PROPOSALS,
    RESULT_TOPICS,
    RESULTS,
    Narrative,
    is_placeholder,
    load_narrative,
    read_narrative,
)
from analysis.report.params import narrative_file_for

# What each place asks for, in the words of a Party report's outline
ASKS = {
    LEADERSHIP: "việc quán triệt, ban hành kế hoạch, phân công cấp ủy viên phụ trách, kiểm tra, đôn đốc thực hiện "
                "Cuộc vận động; vai trò của Mặt trận Tổ quốc và các đoàn thể",
    "Ưu điểm": "nhận định của cấp ủy về những mặt làm được (các kết quả theo số liệu ở dưới do chương trình tự thêm)",
    "Hạn chế": "nhận định của cấp ủy về những mặt còn hạn chế, khuyết điểm trong thực hiện Cuộc vận động",
    "Nguyên nhân": "nguyên nhân khách quan, chủ quan của ưu điểm và hạn chế",
    "Bài học kinh nghiệm": "những bài học rút ra trong lãnh đạo, chỉ đạo, tổ chức thực hiện",
    DIRECTIONS: "các nhiệm vụ, giải pháp trong thời gian tới",
    PROPOSALS: "các đề xuất, kiến nghị với cấp trên (bỏ trống thì ghi “Không có đề xuất, kiến nghị.”)",
}
# Parts only the unit can write: a final report is made only once each is written
REQUIRED = ((LEADERSHIP, ""), *((ASSESSMENT, part) for part in ASSESSMENT_PARTS), (DIRECTIONS, ""),
            (PROPOSALS, ""))


def _ask(what: str) -> str:
    return f"{PLACEHOLDER_MARK} {ASKS[what]}.]"


def _note(lines: list[str]) -> str:
    """Notes to the author (an HTML comment: never printed)."""
    body = "\n".join(f"     - {line.replace('--', '–')}" for line in lines)
    return f"<!-- Chương trình tự điền vào báo cáo, từ số liệu:\n{body} -->"


def template_text(*, who: str, review: str, figures: list[str], strengths: list[str], limits: list[str]) -> str:
    """The narrative file of one report, every heading present. `figures`, `strengths` and `limits`
    are what the report prints from the data (shown to the author as notes, never as text)."""
    out = [
        f"<!-- Phần do {who} viết cho báo cáo {review}. Giữ nguyên tên các mục “## …” và “### …”.\n"
        f"     Thay mỗi dòng “{PLACEHOLDER_MARK} …]” bằng nội dung của đơn vị; bản dự thảo in nguyên các dòng\n"
        "     đó, bản chính thức (--final) chỉ lập được khi không còn dòng nào. Không viết số liệu vào tệp\n"
        "     này: số liệu do chương trình tính từ các biểu và tự điền vào báo cáo. Có thể dùng **đậm**,\n"
        "     *nghiêng* và danh sách “- …”. -->",
        f"## {LEADERSHIP}", _ask(LEADERSHIP),
        f"## {RESULTS}",
        "<!-- Viết thêm (nếu cần) sau số liệu của từng nội dung, dưới tiểu mục cùng tên; tiểu mục để\n"
        "     trống thì không in. -->",
    ]
    if figures:
        out.append(_note(figures))
    out += [f"### {topic}" for topic in RESULT_TOPICS]
    out.append(f"## {ASSESSMENT}")
    for part in ASSESSMENT_PARTS:
        out.append(f"### {part}")
        items = strengths if part == "Ưu điểm" else limits if part == "Hạn chế" else []
        if items:
            out.append(_note(items))
        out.append(_ask(part))
    out += [f"## {DIRECTIONS}", _ask(DIRECTIONS), f"## {PROPOSALS}", _ask(PROPOSALS)]
    return "\n\n".join(out) + "\n"


def _subparts(blocks: tuple) -> dict[str, list]:
    parts: dict[str, list] = {}
    current: list | None = None
    for block in blocks:
        if isinstance(block, Heading):
            current = parts.setdefault(block.text, [])
        elif current is not None:
            current.append(block)
    return parts


def unfilled(narrative: Narrative, *, data_items: dict[str, bool]) -> list[str]:
    """The places still to write, as the author finds them in the file: "## Đề xuất, kiến nghị",
    "### Nguyên nhân (mục ## Đánh giá chung)". A strength or limit the figures give counts as written
    when the author left that heading out altogether."""
    missing = []
    for section, part in REQUIRED:
        blocks = narrative.get(section)
        if part:
            parts = _subparts(blocks)
            written = parts.get(part) or []
            if any(is_placeholder(b) for b in written) or not (written or data_items.get(part)):
                missing.append(f"“### {part}” (mục “## {section}”)")
        elif section not in narrative or any(is_placeholder(b) for b in blocks) or not blocks:
            missing.append(f"“## {section}”")
    return missing


def completed(narrative: Narrative, template: Narrative) -> Narrative:
    """`narrative` with each required part it lacks taken from `template` (its marked place), so
    that a draft always has parts I–V."""
    sections = dict(narrative.sections)
    for section, part in REQUIRED:
        if section not in sections:
            sections[section] = template.get(section) if not part else ()
        if part and part not in _subparts(sections[section]):
            sections[section] = (*sections[section], Heading(part, 3), *_subparts(template.get(section))[part])
    ordered = {title: sections[title] for title in (LEADERSHIP, RESULTS, ASSESSMENT, DIRECTIONS, PROPOSALS)
               if title in sections}
    return replace(narrative, sections=ordered)


def template_narrative(**values) -> Narrative:
    return read_narrative(template_text(**values))


def narrative_warnings(params, units, codes) -> list[str]:
    """The warnings of the narrative files of the reports `codes` (each file once): what a run says
    before it makes them, so that a heading read as another is seen at once."""
    paths = dict.fromkeys(p for code in codes if (p := narrative_file_for(params, units, code)) is not None)
    return [warning for path in paths for warning in load_narrative(path, source=shown_path(path)).warnings]


def shown_path(path: Path) -> str:
    """A path as a message shows it: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(config.ROOT))
    except ValueError:
        return str(path)
