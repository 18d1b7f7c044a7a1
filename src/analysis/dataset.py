"""Read a folder of forms into clean, typed frames and the findings of every check.

`load_dataset` never raises for bad data: every problem becomes a located finding (a bad
path is a UsageError). Raw files are only read, never written.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config, schemas
from analysis.errors import UsageError
from analysis.formatting import fmt_int, fmt_number
from analysis.read.forms import REQUIRED, Aliases, FileProblem, Grid, Layout, find_layout, is_ignored, read_grids, table_rows, year_from_name
from analysis.read.numbers import parse_count, parse_percent, parse_year
from analysis.reference import load_statuses, load_units
from analysis.read.units import UnitMatcher, fold_key
from analysis.check.rules import (
    FIELD_LABELS,
    Findings,
    Rules,
    check_comparisons,
    load_rules,
    location,
    percents_agree,
)

from analysis.vocabulary import COUNT_FIELDS, default_period
from analysis.vocabulary import PART_FIELDS as CAMPAIGN_FIELDS


@dataclass(frozen=True)
class Dataset:
    form01: pd.DataFrame
    models: pd.DataFrame
    reported_totals: pd.DataFrame
    reported_percents: pd.DataFrame
    findings: pd.DataFrame
    sources: pd.DataFrame
    period: tuple[int, int]

    @property
    def errors(self) -> pd.DataFrame:
        return self.findings[self.findings["severity"] == "error"]

    @property
    def warnings(self) -> pd.DataFrame:
        return self.findings[self.findings["severity"] == "warning"]

    @property
    def baseline_year(self) -> int:
        return self.period[0] - 1


def parse_period(text: str) -> tuple[int, int]:
    """"2021-2023" -> (2021, 2023); a UsageError in Vietnamese otherwise."""
    parts = str(text).replace("–", "-").split("-")
    try:
        start, end = (int(parts[0]), int(parts[-1]))
    except ValueError:
        raise UsageError(f"kỳ báo cáo “{text}” không hợp lệ: ghi dạng 2021-2023") from None
    if not (1900 < start <= end < 2100):
        raise UsageError(f"kỳ báo cáo “{text}” không hợp lệ: năm đầu phải nhỏ hơn hoặc bằng năm cuối")
    return start, end


class _Reader:
    """State of one run: the rules, matchers and everything collected so far."""

    def __init__(self, period: tuple[int, int], units: pd.DataFrame):
        self.period = period
        self.rules: Rules = load_rules()
        self.findings = Findings(self.rules)
        self.aliases = Aliases()
        self.matcher = UnitMatcher(units)
        self.units = units
        statuses = load_statuses()
        self.statuses = {fold_key(a): code for code, s in statuses["statuses"].items() for a in (s["label"], *s["aliases"])}
        self.sectors = {fold_key(a): code for code, s in statuses["sectors"].items() for a in (s["label"], *s["aliases"])}
        self.form01: list[dict] = []
        self.models: list[dict] = []
        self.totals: list[dict] = []
        self.percents: list[dict] = []
        self.columns: dict[tuple[str, str], dict[str, int]] = {}   # (file, sheet) -> field -> column
        self.grids: dict[tuple[str, str], Grid] = {}

    # -- helpers --
    def address(self, file: str, sheet: str, row: int, field: str) -> str:
        grid = self.grids[(file, sheet)]
        return grid.address(row, self.columns[(file, sheet)].get(field))

    def address_of(self, record, field: str) -> str:
        return self.address(record["source_file"], record["source_sheet"], int(record["source_row"]), field)

    def where(self, grid: Grid, row: int, field: str) -> tuple[str, str]:
        cell = grid.address(row, self.columns[(grid.file, grid.sheet)].get(field))
        return location(grid.file, grid.sheet, cell, row, _header(field)), cell

    # -- files --
    def read_file(self, path: Path) -> None:
        try:
            grids = read_grids(path)
        except FileProblem as problem:
            todo = {
                "E-ENCRYPTED": "Gỡ mật khẩu (mở bằng Excel, Tệp › Thông tin › Bảo vệ sổ làm việc) rồi lưu lại.",
                "E-EMPTY": "Đề nghị đơn vị gửi lại biểu có số liệu.",
            }.get(problem.code, "Lưu lại biểu dưới dạng .xlsx, .xls hoặc .csv rồi chạy lại.")
            self.findings.add(problem.code, path.name, problem.detail, todo, file=path.name)
            return
        found, skipped = 0, []
        for grid in grids:
            layout = find_layout(grid, self.aliases)
            if layout is None:
                if any(v not in ("", None) for row in grid.rows for v in row):
                    skipped.append(grid)
                continue
            found += 1
            self.read_table(grid, layout)
        if not found:
            first = next((grid for grid in grids if any(v not in ("", None) for r in grid.rows for v in r)), grids[0])
            texts = [str(v).strip() for r in first.rows[:12] for v in r if isinstance(v, str) and v.strip()][:8]
            self.findings.add(
                "E-COLUMN", path.name,
                "không tìm thấy dòng tiêu đề cột của Biểu 01 hoặc Biểu 02; các ô chữ đầu tiên: "
                + ("; ".join(f"“{t}”" for t in texts) or "(không có)"),
                "Kiểm tra tiêu đề cột theo mẫu, hoặc thêm cách ghi mới vào data/reference/header_aliases.yaml.",
                file=path.name,
            )
        else:
            for grid in skipped:
                self.findings.add(
                    "W-SHEET", location(grid.file, grid.sheet),
                    "trang tính có dữ liệu nhưng không phải Biểu 01 hoặc Biểu 02, đã bỏ qua",
                    "Nếu đây là số liệu cần dùng, sửa tiêu đề cột theo mẫu.", file=grid.file, sheet=grid.sheet,
                )

    def read_table(self, grid: Grid, layout: Layout) -> None:
        key = (grid.file, grid.sheet)
        self.grids[key] = grid
        self.columns[key] = layout.columns
        missing = [f for f in REQUIRED[layout.form] if f not in layout.columns]
        if missing:
            self._missing_columns(grid, layout, missing)
            return
        rows = table_rows(grid, layout, self.aliases)
        self._formula_cells(grid, layout, rows)
        if layout.form == "02":
            for row in rows:
                if not row.is_total:
                    self._model_row(grid, row)
            return
        table_year = None
        if "year" not in layout.columns:
            table_year = year_from_name(grid.sheet) or year_from_name(Path(grid.file).stem) or layout.title_year
            if table_year is None:
                self.findings.add(
                    "E-YEAR-UNKNOWN", location(grid.file, grid.sheet),
                    "không xác định được năm của số liệu (không có cột “Năm”, tên trang tính, tên tệp hay "
                    "dòng tiêu đề nào ghi năm)",
                    "Thêm cột “Năm”, hoặc ghi năm vào tên trang tính hoặc tên tệp (ví dụ Bieu01_2022.xlsx).",
                    file=grid.file, sheet=grid.sheet,
                )
                return
            if table_year >= self.period[0]:
                absent = [f for f in CAMPAIGN_FIELDS if f not in layout.columns]
                if absent:
                    self._missing_columns(grid, layout, absent)
                    return
        for row in rows:
            self._form01_row(grid, layout, row, table_year)

    def _missing_columns(self, grid: Grid, layout: Layout, missing: list[str]) -> None:
        names = ", ".join(f"“{self.aliases.canonical[layout.form][f]}”" for f in missing)
        found = "; ".join(f"“{h}”" for h in layout.headers_found)
        self.findings.add(
            "E-COLUMN", location(grid.file, grid.sheet, "", layout.header_row),
            f"Biểu {layout.form} thiếu cột {names}; các cột tìm thấy: {found}",
            "Bổ sung cột còn thiếu, hoặc thêm cách ghi tiêu đề vào data/reference/header_aliases.yaml.",
            file=grid.file, sheet=grid.sheet, row=layout.header_row, field=",".join(missing),
        )

    def _formula_cells(self, grid: Grid, layout: Layout, rows) -> None:
        if not grid.formulas_without_value:
            return
        wanted = {r.row for r in rows}
        columns = {c: f for f, c in {**layout.columns, **layout.percent_columns}.items()}
        for row, col in sorted(grid.formulas_without_value):
            if row in wanted and col in columns:
                cell = grid.address(row, col)
                self.findings.add(
                    "E-FORMULA", location(grid.file, grid.sheet, cell),
                    "ô có công thức nhưng chưa có giá trị tính sẵn (tệp do phần mềm tạo, chưa mở bằng Excel)",
                    "Mở tệp bằng Excel, để Excel tính lại rồi lưu, sau đó chạy lại.",
                    file=grid.file, sheet=grid.sheet, cell=cell, row=row, field=columns[col],
                )

    def _unit(self, grid: Grid, row: int, raw, field: str = "unit") -> tuple[str, str] | None:
        where, cell = self.where(grid, row, field)
        if raw is None or not str(raw).strip():
            self.findings.add("E-UNIT", where, "dòng có số liệu nhưng không ghi tên đơn vị",
                              "Ghi tên xã, phường vào ô này.", file=grid.file, sheet=grid.sheet, cell=cell, row=row,
                              field=field)
            return None
        match = self.matcher.match(str(raw))
        if match.code is None:
            hint = f" Có phải là “{match.suggestion}”?" if match.suggestion else ""
            self.findings.add(
                "E-UNIT", where, f"không có đơn vị “{' '.join(str(raw).split())}” trong danh sách xã, phường.{hint}",
                "Sửa tên theo danh sách, hoặc thêm cách viết này vào cột aliases của data/reference/units.csv.",
                file=grid.file, sheet=grid.sheet, cell=cell, row=row, field=field, values={"unit": str(raw)},
            )
            return None
        return match.code, match.name

    def _count(self, grid: Grid, row: int, field: str, raw, unit: tuple[str, str], year) -> int | None:
        parsed = parse_count(raw)
        if parsed.error is None and (parsed.value is None or parsed.value >= 0):
            return parsed.value
        where, cell = self.where(grid, row, field)
        label = FIELD_LABELS.get(field, field)
        shown = " ".join(str(raw).split()) if isinstance(raw, str) else fmt_number(raw, 2)
        code = parsed.error or "E-NEGATIVE"
        what = {
            "E-FRACTION": f"{label} ghi “{shown}”: số hộ phải là số nguyên, không có phần lẻ",
            "E-NOT-NUMBER": f"{label} ghi “{shown}”, không phải là số",
            "E-NEGATIVE": f"{label} là số âm ({shown})",
        }[code]
        todo = {
            "E-FRACTION": "Kiểm tra lại: nếu là dấu phân cách hàng nghìn thì phải đủ 3 chữ số sau dấu (1.234).",
            "E-NOT-NUMBER": "Ghi số (ví dụ 1.234); để trống hoặc ghi “-” nếu chưa có số liệu.",
            "E-NEGATIVE": "Số hộ không thể âm: sửa lại trong biểu gốc.",
        }[code]
        self.findings.add(code, where, what, todo, file=grid.file, sheet=grid.sheet, cell=cell, row=row,
                          unit_code=unit[0] if unit else "", unit_name=unit[1] if unit else "", year=year,
                          field=field, values={"value": raw if not isinstance(raw, float) else float(raw)})
        return None

    def _form01_row(self, grid: Grid, layout: Layout, row, table_year: int | None) -> None:
        if row.is_total:
            unit = None
        else:
            unit = self._unit(grid, row.row, row.values.get("unit"))
        year = table_year
        if "year" in layout.columns:
            parsed = parse_year(row.values.get("year"))
            year = parsed.value
            if year is None:
                where, cell = self.where(grid, row.row, "year")
                self.findings.add("E-YEAR-UNKNOWN", where, "không xác định được năm của dòng này",
                                  "Ghi năm (ví dụ 2022) vào cột “Năm”.", file=grid.file, sheet=grid.sheet,
                                  cell=cell, row=row.row, field="year")
                return
        if not (self.period[0] - 1 <= year <= self.period[1]):
            where, cell = self.where(grid, row.row, "year") if "year" in layout.columns else (
                location(grid.file, grid.sheet, "", row.row), "")
            self.findings.add(
                "E-YEAR-PERIOD", where,
                f"số liệu năm {year} nằm ngoài kỳ báo cáo {self.period[0]}–{self.period[1]} "
                f"(kể cả năm gốc {self.period[0] - 1})",
                "Bỏ tệp này khỏi thư mục số liệu, hoặc chạy với --period phù hợp.",
                file=grid.file, sheet=grid.sheet, cell=cell, row=row.row, year=year, field="year",
            )
            return
        values = {f: self._count(grid, row.row, f, row.values.get(f), unit, year) for f in COUNT_FIELDS if f in row.values}
        if row.is_total:
            for f, value in values.items():
                cell = grid.address(row.row, layout.columns[f])
                self.totals.append({"year": year, "field": f, "value": None if value is None else float(value),
                                    "source_file": grid.file, "source_sheet": grid.sheet, "cell": cell or f"dòng {row.row}"})
        elif unit is None:
            return
        else:
            if values.get("households") is None:
                where, cell = self.where(grid, row.row, "households")
                self.findings.add("E-NOT-NUMBER", where, f"{unit[1]}, năm {year}: thiếu tổng số hộ ĐBDTTS (mẫu số của mọi tỉ lệ)",
                                  "Ghi tổng số hộ ĐBDTTS của đơn vị.", file=grid.file, sheet=grid.sheet, cell=cell,
                                  row=row.row, unit_code=unit[0], unit_name=unit[1], year=year, field="households")
            self.form01.append({"unit_code": unit[0], "unit_name": unit[1], "year": year,
                                **{f: values.get(f) for f in COUNT_FIELDS},
                                "source_file": grid.file, "source_sheet": grid.sheet, "source_row": row.row})
        for f, raw in row.percents.items():
            parsed = parse_percent(raw)
            if parsed.value is None:
                continue
            cell = grid.address(row.row, layout.percent_columns[f])
            self.percents.append({"unit_code": "" if unit is None else unit[0], "year": year, "field": f,
                                  "value": parsed.value, "decimals": parsed.decimals, "source_file": grid.file,
                                  "source_sheet": grid.sheet, "cell": cell or f"dòng {row.row}"})

    def _model_row(self, grid: Grid, row) -> None:
        v = row.values
        unit = self._unit(grid, row.row, v.get("unit"))
        errors = len(self.findings.records)
        name = " ".join(str(v.get("model_name") or "").split())

        def bad(field: str, code: str, what: str, todo: str, **values) -> None:
            where, cell = self.where(grid, row.row, field)
            self.findings.add(code, where, what, todo, file=grid.file, sheet=grid.sheet, cell=cell, row=row.row,
                              unit_code=unit[0] if unit else "", unit_name=unit[1] if unit else "", field=field,
                              values=values)

        if not name:
            bad("model_name", "E-NOT-NUMBER", "thiếu tên mô hình", "Ghi tên mô hình.")
        status = self.statuses.get(fold_key(v.get("status") or ""))
        if status is None:
            bad("status", "E-STATUS", f"tình trạng “{v.get('status') or ''}” không thuộc danh mục "
                "(Đang duy trì; Đã nhân rộng; Ngừng hoạt động; Mới xây dựng)",
                "Ghi một trong bốn tình trạng, hoặc thêm cách ghi vào data/reference/status_aliases.yaml.",
                status=v.get("status"))
        sector = self.sectors.get(fold_key(v.get("sector") or ""))
        if sector is None:
            bad("sector", "E-STATUS", f"lĩnh vực “{v.get('sector') or ''}” không thuộc danh mục",
                "Ghi một lĩnh vực trong danh mục, hoặc thêm cách ghi vào data/reference/status_aliases.yaml.",
                sector=v.get("sector"))
        built = parse_year(v.get("year_built")).value
        report_year = self.period[1]
        if built is None:
            bad("year_built", "E-YEAR-UNKNOWN", "thiếu hoặc sai năm xây dựng", "Ghi năm xây dựng (ví dụ 2022).")
        elif not (self.period[0] <= built <= report_year):
            bad("year_built", "E-YEAR-PERIOD", f"năm xây dựng {built} nằm ngoài kỳ {self.period[0]}–{report_year}",
                "Kiểm tra lại năm xây dựng.", year_built=built)
        stopped_raw = v.get("year_stopped")
        stopped = parse_year(stopped_raw).value
        if stopped_raw not in (None, "") and stopped is None and str(stopped_raw).strip() not in ("-", "–"):
            bad("year_stopped", "E-NOT-NUMBER", f"năm ngừng ghi “{stopped_raw}”, không phải là năm", "Ghi năm (ví dụ 2022).")
        if status and built is not None:
            if status == "new" and built < report_year:
                bad("status", "E-STATUS-YEAR", f"mô hình “{name}” ghi “Mới xây dựng” nhưng xây dựng năm {built}, "
                    f"trước năm báo cáo {report_year}",
                    "“Mới xây dựng” chỉ dùng cho mô hình xây dựng trong năm báo cáo: sửa tình trạng hoặc năm.",
                    status=v.get("status"), year_built=built)
            if status == "stopped":
                if stopped is None:
                    bad("year_stopped", "E-STATUS-YEAR", f"mô hình “{name}” ngừng hoạt động nhưng không ghi năm ngừng",
                        "Ghi năm ngừng hoạt động.", year_built=built)
                elif stopped < built or stopped > report_year:
                    bad("year_stopped", "E-STATUS-YEAR", f"mô hình “{name}”: năm ngừng {stopped} phải từ năm xây dựng "
                        f"{built} đến năm báo cáo {report_year}", "Sửa năm ngừng hoặc năm xây dựng.",
                        year_built=built, year_stopped=stopped)
            elif stopped is not None:
                bad("year_stopped", "E-STATUS-YEAR", f"mô hình “{name}” ghi năm ngừng {stopped} nhưng tình trạng là "
                    f"“{v.get('status')}”", "Xóa năm ngừng, hoặc sửa tình trạng thành “Ngừng hoạt động”.",
                    year_stopped=stopped)
        households = self._count(grid, row.row, "households", v.get("households"), unit, None)
        if households is not None and households < 1:
            bad("households", "E-NEGATIVE", "số hộ tham gia mô hình phải từ 1 trở lên", "Ghi số hộ tham gia.",
                value=households)
        if unit is None or len(self.findings.records) > errors and any(
            r["severity"] == "error" for r in self.findings.records[errors:]
        ):
            return
        self.models.append({
            "model_name": name, "unit_code": unit[0], "unit_name": unit[1], "sector": sector,
            "year_built": built, "households": households, "status": status, "year_stopped": stopped,
            "notes": None if v.get("notes") in (None, "") else str(v.get("notes")),
            "source_file": grid.file, "source_sheet": grid.sheet, "source_row": row.row,
        })


def _header(field: str) -> str:
    return FIELD_LABELS.get(field, field)


# --- frame-level checks ---------------------------------------------------------------------------


def _dedupe(reader: _Reader, frame: pd.DataFrame) -> pd.DataFrame:
    duplicated = frame.duplicated(["unit_code", "year"], keep=False)
    if not duplicated.any():
        return frame
    drop = []
    for _, group in frame[duplicated].groupby(["unit_code", "year"], sort=False):
        first = group.iloc[0]
        for index, later in group.iloc[1:].iterrows():
            same = all(pd.isna(first[f]) and pd.isna(later[f]) or first[f] == later[f] for f in COUNT_FIELDS)
            cell = reader.address_of(later, "unit")
            where = location(later["source_file"], later["source_sheet"], cell, int(later["source_row"]))
            first_at = f"{first['source_file']} › {first['source_sheet']} › dòng {first['source_row']}".replace(" ›  › ", " › ")
            if same:
                reader.findings.add(
                    "W-DUPLICATE", where, f"{later['unit_name']}, năm {later['year']} được ghi hai lần với số liệu "
                    f"giống nhau (lần đầu ở {first_at}); chỉ tính một lần", "Xóa dòng lặp trong biểu gốc.",
                    file=later["source_file"], sheet=later["source_sheet"], cell=cell, row=int(later["source_row"]),
                    unit_code=later["unit_code"], unit_name=later["unit_name"], year=int(later["year"]), field="unit")
            else:
                differing = [f for f in COUNT_FIELDS if not (first[f] == later[f] or pd.isna(first[f]) and pd.isna(later[f]))]
                shown = "; ".join(f"{FIELD_LABELS[f]}: {_n(first[f])} và {_n(later[f])}" for f in differing)
                reader.findings.add(
                    "E-DUPLICATE", where, f"{later['unit_name']}, năm {later['year']} được ghi hai lần với số liệu "
                    f"khác nhau (lần đầu ở {first_at}): {shown}", "Giữ lại một dòng đúng, xóa dòng còn lại.",
                    file=later["source_file"], sheet=later["source_sheet"], cell=cell, row=int(later["source_row"]),
                    unit_code=later["unit_code"], unit_name=later["unit_name"], year=int(later["year"]),
                    field=",".join(differing))
            drop.append(index)
    return frame.drop(index=drop)


def _n(value) -> str:
    return "trống" if pd.isna(value) else fmt_int(value)


def _check_totals(reader: _Reader, form01: pd.DataFrame, totals: pd.DataFrame) -> None:
    tolerance = reader.rules.setting("W-TOTALS", "tolerance", 0)
    for record in totals.itertuples(index=False):
        if pd.isna(record.value):
            continue
        units = form01[(form01["source_file"] == record.source_file) & (form01["source_sheet"] == record.source_sheet)
                       & (form01["year"] == record.year)]
        computed = units[record.field].astype("Float64").sum()
        if abs(record.value - computed) > tolerance:
            reader.findings.add(
                "W-TOTALS", location(record.source_file, record.source_sheet, record.cell),
                f"dòng tổng cộng năm {record.year} ghi {FIELD_LABELS[record.field]} là {fmt_int(record.value)}, "
                f"nhưng tổng của {len(units)} đơn vị là {fmt_int(computed)} (chênh {_signed(record.value - computed)})",
                "Kiểm tra lại dòng tổng cộng; báo cáo dùng tổng tính lại từ các đơn vị.",
                file=record.source_file, sheet=record.source_sheet, cell=record.cell, year=int(record.year),
                field=record.field, values={"reported": record.value, "computed": float(computed)})


def _signed(value: float) -> str:
    return ("+" if value > 0 else "−") + fmt_int(abs(value))


def _check_percents(reader: _Reader, form01: pd.DataFrame, percents: pd.DataFrame) -> None:
    """Reported percents against the counts of the same row (or the sums, for a totals row)."""
    if percents.empty:
        return
    fields = sorted(set(percents["field"]))
    long = form01.melt(id_vars=["unit_code", "year", "source_file", "source_sheet", "households"], value_vars=fields,
                       var_name="field", value_name="part")
    units = percents[percents["unit_code"] != ""].merge(
        long.drop(columns="source_sheet"), on=["unit_code", "year", "source_file", "field"], how="inner")
    sums = (long.astype({"part": "Float64", "households": "Float64"})
            .groupby(["source_file", "source_sheet", "year", "field"], as_index=False)[["part", "households"]]
            .sum(min_count=1))
    totals = percents[percents["unit_code"] == ""].merge(sums, on=["source_file", "source_sheet", "year", "field"],
                                                          how="inner")
    checked = pd.concat([units, totals], ignore_index=True)
    part = checked["part"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    whole = checked["households"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    usable = (whole > 0) & ~np.isnan(part)
    checked = checked[usable].assign(recomputed=part[usable] / whole[usable] * 100, part=part[usable],
                                     households=whole[usable])
    wrong = checked[~percents_agree(checked["value"], checked["recomputed"], checked["decimals"])]
    names = dict(zip(reader.units["code"], reader.units["full_name"]))
    for record in wrong.itertuples(index=False):
        who = names.get(record.unit_code, "dòng tổng cộng")
        reader.findings.add(
            "W-PERCENT", location(record.source_file, record.source_sheet, record.cell),
            f"{who}, năm {record.year}: tỉ lệ {FIELD_LABELS[record.field]} ghi {fmt_number(record.value, record.decimals)}%, "
            f"tính lại {fmt_int(record.part)} / {fmt_int(record.households)} = "
            f"{fmt_number(record.recomputed, record.decimals + 2)}%",
            "Kiểm tra lại tỉ lệ; báo cáo dùng tỉ lệ tính lại từ số hộ.",
            file=record.source_file, sheet=record.source_sheet, cell=record.cell, unit_code=record.unit_code,
            unit_name=names.get(record.unit_code, ""), year=int(record.year), field=record.field,
            values={"reported": record.value, "recomputed": record.recomputed})


def _check_coverage(reader: _Reader, form01: pd.DataFrame) -> None:
    threshold = reader.rules.setting("W-OUTLIER", "threshold", 0.15)
    years = sorted(form01["year"].unique())
    present = form01.groupby("year")["unit_code"].agg(set)
    files = form01.groupby("year")["source_file"].first()
    for year in years:
        for code, name in zip(reader.units["code"], reader.units["full_name"]):
            if code not in present[year]:
                reader.findings.add(
                    "W-MISSING-UNIT", files[year], f"năm {year} không có số liệu của {name}",
                    "Đề nghị đơn vị bổ sung; báo cáo tính trên các đơn vị có số liệu.",
                    file=files[year], unit_code=code, unit_name=name, year=int(year))
    wide = form01.pivot_table(index="unit_code", columns="year", values="households", aggfunc="first")
    for previous, year in zip(years, years[1:]):
        if year != previous + 1:
            continue
        change = (wide[year].astype(float) - wide[previous].astype(float)) / wide[previous].astype(float)
        for code in change.index[change.abs() > threshold]:
            row = form01[(form01["unit_code"] == code) & (form01["year"] == year)].iloc[0]
            cell = reader.address_of(row, "households")
            reader.findings.add(
                "W-OUTLIER", location(row["source_file"], row["source_sheet"], cell, int(row["source_row"])),
                f"{row['unit_name']}: tổng số hộ ĐBDTTS năm {year} là {fmt_int(wide.at[code, year])}, năm {previous} là "
                f"{fmt_int(wide.at[code, previous])} (thay đổi {fmt_number(change[code] * 100, 1)}%, quá "
                f"{fmt_number(threshold * 100, 0)}%)", "Kiểm tra lại số hộ với đơn vị.",
                file=row["source_file"], sheet=row["source_sheet"], cell=cell, row=int(row["source_row"]),
                unit_code=code, unit_name=row["unit_name"], year=int(year), field="households",
                values={"previous": float(wide.at[code, previous]), "current": float(wide.at[code, year])})


def _frame(records: list[dict], schema, dtypes: dict) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=list(schema.columns))
    text = {name: "str" for name, column in schema.columns.items() if "str" in str(column.dtype)}
    return schema.validate(frame.astype({**text, **dtypes}), lazy=True)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_files(data_dir: Path) -> list[Path]:
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise UsageError(f"không tìm thấy thư mục số liệu “{data_dir}”")
    files = sorted(p for p in data_dir.iterdir() if p.is_file() and not is_ignored(p))
    if not files:
        raise UsageError(f"thư mục “{data_dir}” không có tệp biểu mẫu nào (.xlsx, .xls, .csv)")
    return files


def load_dataset(data_dir: Path = config.RAW_DIR, period: tuple[int, int] | None = None, *,
                 units: pd.DataFrame | None = None) -> Dataset:
    """Read every form in `data_dir`, check it, and return clean frames with all findings."""
    period = tuple(period or default_period())
    reader = _Reader(period, load_units() if units is None else units)
    files = input_files(data_dir)
    for path in files:
        reader.read_file(path)
    counts = {f: "Int64" for f in COUNT_FIELDS}
    text = {name: "str" for name in ("unit_code", "unit_name", "source_file", "source_sheet")}
    form01 = pd.DataFrame.from_records(reader.form01, columns=list(schemas.FORM01.columns)).astype(
        {"year": "int64", "source_row": "int64", **counts, **text})
    form01 = _dedupe(reader, form01).reset_index(drop=True)
    check_comparisons(form01, reader.rules, reader.findings, reader.address_of)
    totals = _frame(reader.totals, schemas.REPORTED_TOTALS, {"year": "int64", "value": float})
    percents = _frame(reader.percents, schemas.REPORTED_PERCENTS, {"year": "int64", "value": float, "decimals": "int64"})
    if not form01.empty:
        _check_totals(reader, form01, totals)
        _check_percents(reader, form01, percents)
        _check_coverage(reader, form01)
    models = _frame(reader.models, schemas.MODELS,
                    {"year_built": "int64", "households": "Int64", "year_stopped": "Int64", "source_row": "int64"})
    sources = pd.DataFrame({"file": [p.name for p in files], "sha256": [sha256(p) for p in files],
                            "bytes": [p.stat().st_size for p in files]})
    return Dataset(
        form01=schemas.FORM01.validate(form01, lazy=True),
        models=models,
        reported_totals=totals,
        reported_percents=percents,
        findings=reader.findings.frame(),
        sources=sources,
        period=tuple(period),
    )


def write_processed(dataset: Dataset, out_dir: Path = config.PROCESSED_DIR) -> list[Path]:
    """The clean frames and findings as Parquet, each written atomically."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in ("form01", "models", "reported_totals", "reported_percents", "findings", "sources"):
        target = out_dir / f"{name}.parquet"
        handle, temporary = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".parquet")
        os.close(handle)
        try:
            getattr(dataset, name).to_parquet(temporary, index=False)
            os.replace(temporary, target)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        written.append(target)
    return written
