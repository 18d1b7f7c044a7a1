"""The analyst's companion to one report ("kiem-tra-so-lieu-…"): everything that checks the
figures and none of it for the signed document. Warnings with their files, cells and codes; the
reconciliation with what the units themselves reported (totals rows, percent columns) and, when
the analyst supplies one, with an earlier report; provenance (input files and their SHA-256,
parameters, software versions, time of generation); and the note that the per-unit figures are
illustrative, only when the inputs are the bundled sample (their checksums are in
data/reference/sample_inputs.sha256).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis.check.checks import percents_agree
from analysis.compute.reconcile import load_published, reconcile
from analysis.formatting import fmt_cell, fmt_date, fmt_int, fmt_number, fmt_short_date
from analysis.maps import map_for_year
from analysis.compute.retention import survival_table
from analysis.report.document import BulletList, Column, Companion, Heading, Paragraph, Provenance, Section, Table
from analysis.report.params import parameter_label
from analysis.safe_files import MAX_TEXT_BYTES, read_text_file
from analysis.software import software_versions
from analysis.vocabulary import AREA_CODE, field_label

def illustrative(area) -> str:
    """The note of the bundled sample, naming the area as the report's map does."""
    return (f"Các biểu đầu vào là bộ số liệu mẫu đi kèm chương trình: số liệu theo từng {area.units_word} là số "
            f"liệu minh họa; chỉ số liệu {area.whole} trùng với số liệu đã công bố.")


def sample_checksums(path: Path = config.SAMPLE_CHECKSUMS_FILE) -> set[str]:
    """The SHA-256 of the bundled sample forms (lines "digest  file name"; # comments)."""
    if not os.path.lexists(path):
        return set()
    lines = read_text_file(Path(path), what="tệp danh mục", max_bytes=MAX_TEXT_BYTES, within=config.ROOT).splitlines()
    return {line.split()[0].lower() for line in lines if line.strip() and not line.startswith("#")}


def is_sample(sources: pd.DataFrame) -> bool:
    """True when every input file is one of the bundled sample forms."""
    known = sample_checksums()
    return bool(len(sources)) and all(str(d).lower() in known for d in sources["sha256"])


class _Tables:
    def __init__(self):
        self.count = 0

    def __call__(self, title: str, columns: list[Column], rows: list[tuple], note: str = "", source: str = "") -> Table:
        self.count += 1
        text = tuple(tuple(fmt_cell(v, c.kind, c.decimals) for v, c in zip(row, columns)) for row in rows)
        return Table(self.count, title, tuple(columns), tuple(tuple(r) for r in rows), text, "", source, None, None, note,
                     len(columns) > 6)


def _sum(form01: pd.DataFrame, field: str) -> float | None:
    values = form01[field].astype("Float64")
    return None if values.isna().all() else float(values.sum())


def _sums_by(form01: pd.DataFrame, keys: list[str], fields: list[str]) -> dict[tuple, dict[str, float | None]]:
    """The sum of each of `fields` over the rows of each group of `keys` (None: every value missing)."""
    if form01.empty:
        return {}
    grouped = form01[fields].astype("Float64").groupby([form01[key] for key in keys], sort=False)
    return {key: {field: None if pd.isna(value) else float(value) for field, value in sums.items()}
            for key, sums in grouped.sum(min_count=1).iterrows()}


def reported_totals_rows(dataset, *, unit_code: str) -> list[tuple]:
    """Each totals row a form carried, against the sum of its units (the area's report only)."""
    if unit_code != AREA_CODE:
        return []
    rows = []
    for r in dataset.reported_totals.itertuples(index=False):
        if pd.isna(r.value):
            continue
        units = dataset.form01[(dataset.form01["source_file"] == r.source_file)
                               & (dataset.form01["source_sheet"] == r.source_sheet) & (dataset.form01["year"] == r.year)]
        computed = _sum(units, r.field)
        difference = None if computed is None else r.value - computed
        rows.append((str(r.year), field_label(r.field), f"{r.source_file} › {r.source_sheet} › ô {r.cell}", r.value,
                     computed, difference, "Khớp" if difference == 0 else "Khác"))
    return rows


def _year_names(years) -> dict[tuple[str, int], str]:
    """(code, year) -> the unit's full name on that year's map (codes are reused across maps)."""
    return {(code, int(year)): name for year in sorted(set(int(y) for y in years))
            for code, name in zip(map_for_year(year)["code"], map_for_year(year)["full_name"])}


def reported_percent_rows(computed, *, unit_code: str, names: dict[str, str]) -> tuple[list[tuple], int]:
    """The percent columns the units typed, recomputed from the counts of the same row (or, for
    a totals row, the sums); for the area only those that differ are listed. Returns (rows,
    number checked). When the forms of some years are on an older map (Computed.owners), a row
    is named by its unit on its year's map."""
    dataset = computed.dataset
    percents = computed.rows_of(dataset.reported_percents, unit_code)
    year_names = _year_names(percents["year"]) if computed.owners else {}
    fields = sorted({*percents["field"], "households"})
    # a unit's row: its counts of that year in that file; a totals row: the sums of its sheet
    by_unit = _sums_by(dataset.form01, ["unit_code", "year", "source_file"], fields)
    by_sheet = _sums_by(dataset.form01, ["source_file", "source_sheet", "year"], fields)
    rows, checked = [], 0
    for r in percents.itertuples(index=False):
        sums = (by_unit.get((r.unit_code, r.year, r.source_file)) if r.unit_code
                else by_sheet.get((r.source_file, r.source_sheet, r.year))) or {}
        part, whole = sums.get(r.field), sums.get("households")
        if part is None or not whole:
            continue
        checked += 1
        recomputed = part / whole * 100
        agrees = bool(percents_agree(np.array([r.value]), np.array([recomputed]), np.array([r.decimals]))[0])
        if unit_code == AREA_CODE and agrees:
            continue
        who = (year_names.get((r.unit_code, int(r.year))) or names.get(r.unit_code, r.unit_code)) if r.unit_code \
            else "Dòng tổng cộng"
        rows.append((who, str(r.year), field_label(r.field), f"{r.source_file} › {r.source_sheet} › ô {r.cell}",
                     fmt_number(r.value, int(r.decimals)) + "%", fmt_number(recomputed, int(r.decimals) + 2) + "%",
                     "Khớp" if agrees else "Khác"))
    return rows, checked


def build_companion(computed, params, unit_code: str, report, *, narrative_file: Path | None,
                    generated_at: dt.datetime, narrative_notes: tuple[str, ...] = (),
                    method_notes: tuple[str, ...] = ()) -> Companion:
    """The companion of `report`: its sections in order, tables numbered across them.
    `narrative_notes`: what the reading of the narrative found (headings read as others, places
    still to write); `method_notes`: how figures were made, said here and not in the signed text."""
    table = _Tables()
    start, end = params.period
    about = _about(computed, params, unit_code, report, narrative_file, generated_at)
    if narrative_notes:
        about += (Paragraph.of("Về tệp nhận định:"), BulletList(tuple(Paragraph.of(n) for n in narrative_notes)))
    sections = [
        Section("1", "THÔNG TIN CHUNG", about),
        Section("2", "CẢNH BÁO KHI KIỂM TRA SỐ LIỆU", _warnings(computed, unit_code, table)),
        Section("3", "ĐỐI CHIẾU VỚI SỐ LIỆU ĐƠN VỊ TỰ BÁO CÁO", _reported(computed, unit_code, table)),
    ]
    if params.earlier_figures is not None and unit_code == AREA_CODE:
        sections.append(Section("4", "ĐỐI CHIẾU VỚI BÁO CÁO TRƯỚC", _earlier(computed, params, table)))
    provenance = Provenance(
        inputs=tuple(zip(computed.dataset.sources["file"], computed.dataset.sources["sha256"])),
        parameters=params.as_pairs() + ((parameter_label("unit_code"), unit_code),),
        software=software_versions(),
        generated_at=generated_at,
        notes=(as_of_note(computed), *method_notes),
    )
    sections.append(Section(str(len(sections) + 1), "NGUỒN GỐC SỐ LIỆU VÀ CÁCH LẬP",
                            _provenance(computed, provenance, table)))
    survival = _survival(computed, unit_code, end, table)
    if survival:
        sections.append(Section(str(len(sections) + 1), "MÔ HÌNH CÒN HOẠT ĐỘNG THEO SỐ NĂM (ƯỚC TÍNH)", survival))
    return Companion(title=f"Kiểm tra số liệu – {report.meta.unit_name}, {start}–{end}", unit_name=report.meta.unit_name,
                     period=(start, end), sections=tuple(sections), provenance=provenance, slug=report.slug)


def _about(computed, params, unit_code: str, report, narrative_file: Path | None, generated_at: dt.datetime) -> tuple:
    """What the file is, whether the inputs are the bundled sample, and the narrative file used."""
    stem = report.file_stem()
    # the title up to the campaign's own quoted name: no quotes nested in quotes
    title = " ".join(report.meta.title.split("“")[0].split()).rstrip(" ,:")
    about = [Paragraph.of(
        f"Tài liệu kiểm tra đi kèm văn bản “{report.meta.doc_type.capitalize()} {title[:1].lower()}{title[1:]}” của "
        f"{report.meta.issuer} ({stem}.html, {stem}.pdf), lập lúc {generated_at.strftime('%H:%M')} "
        f"{fmt_date(generated_at.date())}. Dùng cho cán bộ tổng hợp; không in kèm báo cáo.")]
    if is_sample(computed.dataset.sources):
        about.append(Paragraph.of(illustrative(computed.area), bold=True))
    if unit_code != AREA_CODE and narrative_file is None:
        slug = computed.units.set_index("code").at[unit_code, "slug"]
        folder = Path(str(params.unit_settings(unit_code).get("narrative_dir") or config.NARRATIVE_DIR))
        about.append(Paragraph.of(
            f"Đơn vị chưa có tệp nhận định riêng ({_relative(folder if folder.is_absolute() else config.ROOT / folder)}"
            f"/{slug}.md): bản dự thảo có đủ các phần I–V, các chỗ do đơn vị viết (lãnh đạo, chỉ đạo; ưu điểm, hạn "
            "chế, nguyên nhân, bài học; phương hướng; đề xuất) in dòng “[Cần viết: …]”. Tạo tệp bằng lệnh "
            f"python -m analysis narrative --unit {unit_code} --period {params.period[0]}-{params.period[1]}; bản "
            "chính thức chỉ lập được khi các chỗ đó đã viết."))
    elif narrative_file is not None:
        about.append(Paragraph.of(f"Tệp nhận định: {_relative(narrative_file)}."))
    return tuple(about)


def _warnings(computed, unit_code: str, table: _Tables) -> tuple:
    """The warnings of the checks (the rows that feed the report), each with its file, sheet and cell."""
    dataset = computed.dataset
    warnings = computed.rows_of(dataset.warnings, unit_code)
    files = len(dataset.sources)
    blocks: list = [Paragraph.of(
        f"Kiểm tra {fmt_int(files)} tệp biểu mẫu theo các quy tắc trong "
        f"{_relative(config.VALIDATION_RULES_FILE)}: không có lỗi; "
        + (f"{fmt_int(len(warnings))} cảnh báo dưới đây. Cảnh báo không làm thay đổi số liệu báo cáo (báo cáo tự tính "
           "lại tổng và tỉ lệ từ số hộ của từng đơn vị) nhưng cần đơn vị kiểm tra lại." if len(warnings)
           else "không có cảnh báo."))]
    if len(warnings):
        blocks.append(table("Cảnh báo khi kiểm tra số liệu",
                            [Column("Mã"), Column("Tệp"), Column("Trang tính"), Column("Ô"), Column("Nội dung")],
                            [(r.code, r.file, r.sheet, r.cell or (f"dòng {r.row}" if not pd.isna(r.row) else ""),
                              r.message) for r in warnings.itertuples()]))
    return tuple(blocks)


def _reported(computed, unit_code: str, table: _Tables) -> tuple:
    """The totals rows and percent columns the units typed, against what the report recomputes."""
    blocks: list = []
    totals = reported_totals_rows(computed.dataset, unit_code=unit_code)
    if totals:
        blocks += [Heading("Dòng tổng cộng trong các biểu", 3), table(
            "Dòng tổng cộng do đơn vị ghi so với tổng tính lại từ các đơn vị",
            [Column("Năm"), Column("Chỉ tiêu"), Column("Vị trí"), Column("Đơn vị ghi", "count"),
             Column("Tổng tính lại", "count"), Column("Chênh lệch", "points", 0), Column("Kết quả")], totals,
            note="Chênh lệch = số đơn vị ghi − tổng tính lại. Báo cáo dùng tổng tính lại.")]
    percents, checked = reported_percent_rows(computed, unit_code=unit_code, names=computed.unit_names)
    blocks.append(Heading("Các cột tỉ lệ (%) do đơn vị ghi", 3))
    differing = sum(1 for r in percents if r[-1] == "Khác")
    blocks.append(Paragraph.of(
        f"Đã tính lại {fmt_int(checked)} tỉ lệ do đơn vị ghi trong biểu từ số hộ của cùng dòng: "
        + (f"{fmt_int(differing)} tỉ lệ khác." if differing else "tất cả khớp (kể cả khi đơn vị cắt bớt chữ số).")))
    if percents:
        blocks.append(table("Tỉ lệ do đơn vị ghi so với tỉ lệ tính lại",
                            [Column("Đơn vị"), Column("Năm"), Column("Chỉ tiêu"), Column("Vị trí"), Column("Đơn vị ghi"),
                             Column("Tính lại"), Column("Kết quả")], percents))
    return tuple(blocks)


def _earlier(computed, params, table: _Tables) -> tuple:
    """The figures of an earlier report (`earlier_figures`) against this one's."""
    published = load_published(params.earlier_figures, report_date=params.review_date)
    result = reconcile(published, computed.indicators, computed.dataset.models, base_year=params.period[0],
                       units_word=computed.area.units_word)
    sources = "; ".join(f"{s} ({fmt_short_date(d)})" for s, d in
                        dict.fromkeys(zip(result["source"], result["date"])))
    return (
        Paragraph.of(
            f"Nguồn: {sources}. {fmt_int((result['status'] == 'match').sum())}/{fmt_int(len(result))} số liệu khớp."),
        table("Đối chiếu với số liệu báo cáo trước",
              [Column("Chỉ tiêu"), Column("Năm"), Column("Báo cáo trước"), Column("Tính lại"), Column("Kết quả"),
               Column("Cách tính")],
              [(r.label, str(r.year), r.published_text, r.recomputed_text, r.status_label, r.arithmetic)
               for r in result.itertuples()], source=f"Nguồn: {_relative(params.earlier_figures)}"),
    )


def _provenance(computed, provenance: Provenance, table: _Tables) -> tuple:
    """The input files and their SHA-256, the parameters, the software and the time of making."""
    return (
        *(Paragraph.of(note) for note in provenance.notes),
        table("Các tệp đầu vào", [Column("Tệp"), Column("Dung lượng (byte)", "count"), Column("SHA-256")],
              [(r.file, r.bytes, r.sha256) for r in computed.dataset.sources.itertuples()]),
        table("Tham số", [Column("Tham số"), Column("Giá trị")], list(provenance.parameters)),
        Paragraph.of(f"Phần mềm: {provenance.software}. Lập lúc {provenance.generated_at.isoformat(sep=' ')}."),
    )


def _survival(computed, unit_code: str, year: int, table: _Tables) -> tuple:
    """The Kaplan–Meier estimate of the models still running n years after being built: the analyst's
    reading (the signed report prints only counted shares), when some model has stopped."""
    models = computed.models if unit_code == AREA_CODE else computed.models[computed.models["unit_code"] == unit_code]
    if not int((models["status"] == "stopped").sum()):
        return ()
    rows = [(int(r.years_since_built), int(r.at_risk), int(r.stopped), float(r.survival))
            for r in survival_table(models, report_year=year).itertuples() if r.years_since_built > 0]
    return (table("Tỉ lệ mô hình còn hoạt động sau n năm kể từ khi xây dựng (ước tính Kaplan–Meier)",
                  [Column("Số năm"), Column("Mô hình được theo dõi đến năm đó", "count"),
                   Column("Ngừng hoạt động trong năm đó", "count"), Column("Còn hoạt động, ước tính (%)", "rate", 1)],
                  rows, note="Ước tính có tính đến các mô hình mới xây dựng chưa đủ số năm; không in trong báo cáo, "
                  "vì bảng của báo cáo chỉ đếm mô hình theo năm xây dựng."),)


def as_of_note(computed) -> str:
    """How far each year's figures go, as the forms say it and where they say it."""
    dataset, end = computed.dataset, computed.period[1]
    years = [*[y for y in computed.mid_years if y < end], end]
    parts = []
    for year in years:
        stated = dataset.as_of[(dataset.as_of["year"] == year) & (dataset.as_of["date"] == computed.as_of(year))]
        where = f" (ghi ở {'; '.join(dict.fromkeys(stated['where']))})" if len(stated) else " (các biểu không ghi ngày)"
        parts.append(f"năm {year} tính đến ngày {fmt_short_date(computed.as_of(year))}{where}")
    return f"Số liệu {'; '.join(parts)}; các năm khác tính đến ngày 31/12."


def _relative(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(config.ROOT))
    except ValueError:
        return str(path)
