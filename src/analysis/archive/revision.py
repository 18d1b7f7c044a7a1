"""Every later version says what changed since the issued one: the hook `report` calls for each
report it makes (analysis.publish.runner.render_job), before the companion and the email are written.

When a report was issued for the same period and unit on the same map of units (the last one,
by date; for a final report with a number, the last one other than that number), the version
being made is compared with it (analysis.report.comparison), the changed form cells taken from
the issued folder's copy of the forms and today's forms (analysis.archive.cells):

* the companion file gets a section "SO VỚI BẢN ĐÃ BAN HÀNH" (changed figures with their issued
  and new values, the difference and the cells; changed sentences; every changed cell), or says
  that nothing printed differs;
* when something printed differs, `Report.amendment` is set: the email is then marked as a
  corrected version ("Bản sửa đổi, bổ sung …", its subject too) naming the issued number;
* the lines returned are printed on the terminal by `report`.

A figure that did not change while a sentence did is still a correction: the office sends a
"bản sửa đổi, bổ sung" for the wording too, so the email lists the changed sentences and says
that no figure changed.
"""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

from analysis.archive.cells import changed_cells
from analysis.archive.issued import FORMS_DIR, Issued, all_issued, latest, map_of_units
from analysis.archive.printed import read_version, version_of
from analysis.report.changes import Amendment, Comparison
from analysis.report.comparison import Scope, changed_words, compare
from analysis.report.document import Column, Companion, Paragraph, Report, Section, Table
from analysis.terminal import made_visible, visible
from analysis.vocabulary import AREA_CODE

SECTION_TITLE = "SO VỚI BẢN ĐÃ BAN HÀNH"
SHOWN_LINES = 12  # figures and sentences listed on the terminal (the companion lists them all)


def scope_of(computed, unit_code: str) -> Scope:
    area = computed.area
    return Scope(names={c: n for c, n in computed.unit_names.items() if c != AREA_CODE},
                 area_names=(area.name, area.whole, area.in_text), own="" if unit_code == AREA_CODE else unit_code)


def compared_with(report: Report, issued: Issued, *, data_dir: Path, computed) -> Comparison:
    cells = changed_cells(issued.folder / FORMS_DIR, Path(data_dir), computed=computed)
    return compare(read_version(issued.folder, issued.name), version_of(report, "Bản này"), cells=cells,
                   scope=scope_of(computed, report.meta.unit_code))


def revise(report: Report, *, issued_dir: Path, data_dir: Path, computed_file: str,
           computed=None) -> tuple[Report, tuple[str, ...]]:
    """`report` with the comparison with its last issued version in its companion (and, when
    something printed differs, its amendment), and the lines for the terminal; unchanged when
    nothing was issued for its period and unit on its map."""
    m = report.meta
    out_dir = Path(issued_dir).parent
    if not any(i.period == tuple(m.period) and i.unit_code == m.unit_code for i in all_issued(out_dir)[0]):
        return report, ()
    if computed is None:
        with open(computed_file, "rb") as handle:
            computed = pickle.load(handle)
    final_number = m.number if not m.draft else ""
    last = latest(out_dir, m.period, m.unit_code, map_of_units(computed.day).key, other_than=final_number)
    if last is None:
        return report, ()
    comparison = made_visible(compared_with(report, last, data_dir=data_dir, computed=computed))
    amendment = None if comparison.same else Amendment(
        replaces=last.number, issued_on=f"{last.date.day}/{last.date.month}/{last.date.year}", comparison=comparison)
    companion = report.companion
    if companion is not None:
        companion = with_section(companion, companion_section(comparison, last))
    return replace(report, companion=companion, amendment=amendment), terminal_lines(report, comparison, last)


# --- the companion's section ------------------------------------------------------------------------


def _table(number: int, title: str, labels: list[str], rows: list[tuple[str, ...]], note: str = "") -> Table:
    rows_text = tuple(tuple(str(v) for v in row) for row in rows)
    return Table(number, title, tuple(Column(label) for label in labels), rows_text, rows_text, "", "", None, None, note,
                 len(labels) > 6)


def companion_section(comparison: Comparison, issued: Issued) -> Section:
    start, end = issued.period
    blocks: list = [Paragraph.of(
        f"Bản này được đối chiếu với {issued.name} đã ban hành ({start}–{end}, {issued.unit_name}), lưu ở thư mục "
        f"{issued.folder.parent.name}/{issued.folder.name} (mã kiểm tra nội dung {issued.content[:16]}…).")]
    if comparison.same:
        blocks.append(Paragraph.of("Không có số liệu, câu nào khác bản đã ban hành.", bold=True))
    else:
        blocks.append(Paragraph.of(
            f"Khác bản đã ban hành: {len(comparison.figures)} số liệu và {len(comparison.sentences)} câu (trên "
            f"{comparison.compared} số liệu in trong bảng và phần số liệu chính). Thư gửi kèm bản này được ghi là "
            f"“Bản sửa đổi, bổ sung” và nêu số văn bản được thay thế.", bold=True))
    if comparison.figures:
        blocks.append(_table(0, "Các số liệu khác bản đã ban hành",
                             ["Số liệu", "Vị trí (bản này)", "Đã ban hành", "Nay", "Chênh lệch", "Ô biểu đã sửa có liên quan"],
                             [(f.label, f.place, f.then, f.now, f.difference or "–",
                               "; ".join(c.text for c in f.cells) or "không có (do tham số, nhận định hoặc danh mục)")
                              for f in comparison.figures],
                             note="Chênh lệch là hiệu của hai số đã làm tròn in trong báo cáo; với tỉ lệ, tính bằng "
                                  "điểm phần trăm. Ô biểu có liên quan: ô đã sửa của đơn vị và năm mà số liệu tính từ."))
    if comparison.sentences:
        blocks.append(_table(0, "Các câu khác bản đã ban hành", ["Vị trí (bản này)", "Đã ban hành", "Nay"],
                             [(s.place, s.then or "(chưa có)", s.now or "(đã bỏ)") for s in comparison.sentences]))
    if comparison.cells:
        blocks.append(_table(0, "Các ô biểu đã sửa từ khi ban hành",
                             ["Tệp", "Trang tính", "Ô", "Đơn vị", "Năm", "Nội dung", "Đã ban hành", "Nay"],
                             [(c.file, c.sheet, c.cell, c.unit_name or "–", str(c.year or "–"), c.what,
                               c.then or "(trống)", c.now or "(trống)") for c in comparison.cells],
                             note="So sánh bản sao các biểu lưu khi ban hành với các biểu hiện nay. Ô không thuộc "
                                  "đơn vị nào (dòng tổng cộng, cột tỉ lệ do đơn vị ghi) không làm thay đổi số liệu báo cáo."))
    else:
        blocks.append(Paragraph.of("Các biểu không thay đổi từ khi ban hành."))
    return Section("", SECTION_TITLE, tuple(blocks))


def with_section(companion: Companion, section: Section) -> Companion:
    """The companion with `section` second (after the general information), sections and tables renumbered."""
    parts = [*companion.sections[:1], section, *(s for s in companion.sections[1:] if s.title != SECTION_TITLE)]
    number = 0
    renumbered = []
    for index, part in enumerate(parts, 1):
        blocks = []
        for block in part.blocks:
            if isinstance(block, Table):
                number += 1
                block = replace(block, number=number)
            blocks.append(block)
        renumbered.append(replace(part, number=str(index), blocks=tuple(blocks)))
    return replace(companion, sections=tuple(renumbered))


# --- the terminal -----------------------------------------------------------------------------------


def words(then: str, now: str) -> str:
    """"“551” → “561”, “4,5%” → “4,6%”": what changed in a sentence, in a few words."""
    pairs = changed_words(then, now)
    if not pairs or sum(len(a) + len(b) for a, b in pairs) > 160:
        return "đã sửa"
    return ", ".join(f"“{a}” → “{b}”" if a and b else (f"thêm “{b}”" if b else f"bỏ “{a}”") for a, b in pairs)


def terminal_lines(report: Report, comparison: Comparison, issued: Issued) -> tuple[str, ...]:
    m = report.meta
    who = f"Báo cáo {m.review_kind} {m.period[0]}–{m.period[1]} – {m.unit_name}"
    if comparison.same:
        return (visible(f"{who}: không khác {issued.name} đã ban hành."),)
    lines = [f"{who} khác {issued.name} đã ban hành: {len(comparison.figures)} số liệu, "
             f"{len(comparison.sentences)} câu (chi tiết trong tệp kiểm tra số liệu):"]
    for change in comparison.figures[:SHOWN_LINES]:
        lines.append(f"  - {change.label}: {change.then} → {change.now}"
                     + (f" ({change.difference})" if change.difference else ""))
        lines += [f"      ô đã sửa: {cell.text}" for cell in change.cells]
    if len(comparison.figures) > SHOWN_LINES:
        lines.append(f"  … và {len(comparison.figures) - SHOWN_LINES} số liệu khác")
    for sentence in comparison.sentences[:SHOWN_LINES]:
        lines.append(f"  - câu ở {sentence.place}: " + (words(sentence.then, sentence.now) if sentence.then and sentence.now
                                                         else "câu mới" if sentence.now else "đã bỏ"))
    if len(comparison.sentences) > SHOWN_LINES:
        lines.append(f"  … và {len(comparison.sentences) - SHOWN_LINES} câu khác")
    if not comparison.figures:
        lines.append("  Không có số liệu nào thay đổi; chỉ câu chữ khác.")
    return tuple(visible(line) for line in lines)
