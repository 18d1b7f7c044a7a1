from analysis.report.document import BulletList, Heading, Paragraph
from analysis.report.narrative import parse_narrative


def test_sections_headings_lists_and_emphasis():
    parsed = parse_narrative("## Đánh giá chung\n\n### Ưu điểm\n\nCó **nhiều** chuyển biến *rõ*.\n\n"
                             "## Phương hướng, nhiệm vụ\n\n- Một\n- Hai\n")
    first = parsed["Đánh giá chung"]
    assert first[0] == Heading("Ưu điểm", level=3)
    assert [(r.text, r.bold, r.italic) for r in first[1].runs] == [
        ("Có ", False, False), ("nhiều", True, False), (" chuyển biến ", False, False), ("rõ", False, True),
        (".", False, False)]
    items = parsed["Phương hướng, nhiệm vụ"][0]
    assert isinstance(items, BulletList) and [i.text for i in items.items] == ["Một", "Hai"]


def test_raw_html_stays_text_and_comments_are_dropped():
    parsed = parse_narrative("<!-- ghi chú cho người viết -->\n## Đề xuất, kiến nghị\n\n<script>alert(1)</script>\n\nChữ <b>đậm</b>\n")
    texts = [b.text for b in parsed["Đề xuất, kiến nghị"] if isinstance(b, Paragraph)]
    assert texts == ["<script>alert(1)</script>", "Chữ <b>đậm</b>"]
    assert "ghi chú" not in str(parsed)


# --- headings: a near miss is read as the heading meant, an unknown one is warned of ----------------

import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from analysis.report.narrative import OUTLINE, RESULTS, read_narrative  # noqa: E402


def test_a_heading_with_a_comma_missing_is_read_as_the_heading_meant_with_its_line():
    text = ("<!-- ghi chú\n     hai dòng -->\n\n## Kết quả thực hiện\n\n### Công tác tuyên truyền phổ biến\n\n"
            "Nói chuyện tại nhà rông.\n")
    narrative = read_narrative(text, "n.md")
    assert narrative.sections[RESULTS] == (Heading("Công tác tuyên truyền, phổ biến", 3),
                                           Paragraph.of("Nói chuyện tại nhà rông."))
    # the comment keeps its two lines: the heading is on line 6 of the file
    assert narrative.warnings == ("n.md, dòng 6: “### Công tác tuyên truyền phổ biến” được hiểu là "
                                  "“### Công tác tuyên truyền, phổ biến”; sửa lại tên tiểu mục cho đúng",)


def test_an_unknown_section_is_a_warning_naming_its_line_and_the_known_sections():
    narrative = read_narrative("## Mục lạ\n\nMột đoạn.\n\n## Đề xuất, kiến nghị\n\nKhông có.\n", "n.md")
    assert list(narrative.sections) == ["Đề xuất, kiến nghị"]
    assert len(narrative.warnings) == 1
    assert narrative.warnings[0].startswith("n.md, dòng 1: mục “## Mục lạ” không phải mục nào của báo cáo")
    assert "“## Phương hướng, nhiệm vụ”" in narrative.warnings[0]


def test_an_unknown_sub_heading_of_the_results_is_kept_and_warned_of():
    narrative = read_narrative("## Kết quả thực hiện\n\n### Việc riêng của xã\n\nNội dung.\n")
    assert narrative.sections[RESULTS] == (Heading("Việc riêng của xã", 3), Paragraph.of("Nội dung."))
    assert "được đặt cuối phần II" in narrative.warnings[0]


def test_text_before_any_section_is_warned_of():
    assert read_narrative("Một đoạn lạc.\n\n## Đề xuất, kiến nghị\n\nKhông có.\n").warnings[0].startswith(
        "dòng 1: đoạn văn nằm ngoài các mục")


KNOWN = [(title, "") for title in OUTLINE] + [(title, sub) for title, subs in OUTLINE.items() for sub in subs]


def _typo(draw, text: str) -> str:
    """A near miss as an author makes it: a comma dropped, a letter doubled, case changed, spaces added."""
    kind = draw(st.sampled_from(["comma", "double", "case", "spaces"]))
    if kind == "comma" and "," in text:
        return text.replace(",", "", 1)
    if kind == "double":
        i = draw(st.integers(1, len(text) - 1))
        return text[:i] + text[i - 1] + text[i:] if text[i - 1].isalpha() else text + " "
    if kind == "case":
        return text.upper()
    return "  " + text.replace(" ", "  ") + " "


@st.composite
def near_misses(draw):
    title, sub = draw(st.sampled_from(KNOWN))
    body = draw(st.text(alphabet="abcdeghiklmnoprstuvyàáảãạăâđêôơư ", min_size=3, max_size=30).filter(str.strip))
    if sub:
        return title, sub, f"## {title}\n\n### {_typo(draw, sub)}\n\n{body}\n", body.strip()
    return title, "", f"## {_typo(draw, title)}\n\n{body}\n", body.strip()


@settings(max_examples=150, deadline=None)
@given(near_misses())
def test_nothing_the_author_typed_under_a_near_miss_heading_is_dropped(case):
    title, sub, text, body = case
    narrative = read_narrative(text)
    blocks = narrative.sections[title]
    assert " ".join(body.split()) in [" ".join(b.text.split()) for b in blocks if isinstance(b, Paragraph)]
    if sub:
        assert blocks[0] == Heading(sub, 3)
    heading = [line for line in text.splitlines() if line.startswith("#")][-1]
    typed = heading.lstrip("#").strip()
    assert bool(narrative.warnings) == (typed != (sub or title))


@pytest.mark.parametrize("raw", [b"\xff\xfe## A", "## Đề xuất".encode("utf-16")])
def test_a_file_not_in_utf8_says_so_and_where(tmp_path, raw):
    from analysis.errors import UsageError
    from analysis.report.narrative import load_narrative

    path = tmp_path / "n.md"
    path.write_bytes(raw)
    with pytest.raises(UsageError, match="không phải văn bản UTF-8 \\(dòng \\d+\\)"):
        load_narrative(path)
