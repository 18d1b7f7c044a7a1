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
