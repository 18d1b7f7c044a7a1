"""Check: the long frames of read/ -> typed frames and findings, one function per rule.

Every function takes frames (and the rules, the period, the unit matcher) and adds findings;
none reads a file or asks the reader anything: each value arrives with its file › sheet › cell.
Messages, severities and thresholds come from the rules file (analysis.check.rules).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.check.findings import Findings, location
from analysis.check.rules import BROKEN, OPERATORS, Rules
from analysis.formatting import fmt_int, fmt_number
from analysis.read import Problem
from analysis.read.numbers import parse_count, parse_percent, parse_year
from analysis.read.units import UnitMatcher, fold_key
from analysis.reference import load_statuses
from analysis.vocabulary import (
    COUNT_FIELDS,
    PART_FIELDS,
    WHOLE_FIELD,
    field_header,
    field_label,
    form02_fields,
    status_label,
)

KEY = ["file", "sheet", "row"]


def _signed(value: float) -> str:
    return ("+" if value > 0 else "−") + fmt_int(abs(value))


def _shown(raw) -> str:
    return " ".join(str(raw).split()) if isinstance(raw, str) else fmt_number(raw, 2)


# --- what read could not get past -----------------------------------------------------------------


def report_problems(problems: list[Problem], findings: Findings) -> None:
    for p in problems:
        text = dict(p.values)
        if p.code == "E-COLUMN":
            found = "; ".join(f"“{h}”" for h in text.get("found", [])) or "(không có)"
            if text.get("missing"):
                names = ", ".join(f"“{field_header(f, p.values['form'])}”" for f in text["missing"])
                text = {"what": f"Biểu {text['form']} thiếu cột {names}", "found": found}
            else:
                text = {"what": "không tìm thấy dòng tiêu đề cột của Biểu 01 hoặc Biểu 02", "found": found}
        elif p.code == "E-YEAR-UNKNOWN":
            text = {"what": "không xác định được năm của số liệu (không có cột “Năm”, tên trang tính, tên tệp hay "
                            "dòng tiêu đề nào ghi năm)",
                    "todo": "Thêm cột “Năm”, hoặc ghi năm vào tên trang tính hoặc tên tệp (ví dụ Bieu01_2022.xlsx)."}
        findings.add(p.code, file=p.file, sheet=p.sheet, cell=p.cell, row=p.row, field=p.field, text=text,
                     values={k: v for k, v in p.values.items() if isinstance(v, (str, int, float))})


# --- units and years -------------------------------------------------------------------------------


def resolve_units(rows: pd.DataFrame, matcher: UnitMatcher, findings: Findings, *, kinds=("unit", "model"),
                  years: pd.DataFrame | None = None, maps=None) -> pd.DataFrame:
    """One row per table row with its unit code and name (None when unknown: an E-UNIT finding).

    `maps`, when the period spans a change of the map: an object with `matcher(year)` (the units in
    force for that year's figures) and `place(name, year)` (analysis.maps.place_unit):
    a unit of the other map is then an error that names the unit it should be."""
    first = rows.drop_duplicates(KEY)
    year_of = {} if years is None else dict(zip(zip(years["file"], years["sheet"], years["row"]), years["year"]))
    out: list[tuple] = []

    def unknown(r, what: str, **values) -> None:
        findings.add("E-UNIT", file=r.file, sheet=r.sheet, cell=r.unit_cell, row=r.row, column="Đơn vị", field="unit",
                     text={"what": what}, **values)
        out.append((r.file, r.sheet, r.row, None, None))

    for r in first.itertuples(index=False):
        if r.kind not in kinds:
            out.append((r.file, r.sheet, r.row, "", ""))
            continue
        raw = None if pd.isna(r.unit_text) else r.unit_text
        if raw is None or not str(raw).strip():
            unknown(r, "dòng có số liệu nhưng không ghi tên đơn vị",
                    message=("dòng có số liệu nhưng không ghi tên đơn vị", "Ghi tên xã, phường vào ô này."))
            continue
        year = year_of.get((r.file, r.sheet, r.row))
        use = maps.matcher(int(year)) if maps is not None and year is not None and not pd.isna(year) else matcher
        match = use.match(str(raw))
        if match.code is None and maps is not None and year is not None and not pd.isna(year):
            placement = maps.place(str(raw), int(year))
            if placement.message:
                unknown(r, placement.message, year=int(year), values={"unit": str(raw)})
                continue
        if match.code is None:
            hint = f" Có phải là “{match.suggestion}”?" if match.suggestion else ""
            unknown(r, f"không có đơn vị “{' '.join(str(raw).split())}” trong danh sách xã, phường.{hint}",
                    values={"unit": str(raw)})
            continue
        out.append((r.file, r.sheet, r.row, match.code, match.name))
    return pd.DataFrame(out, columns=[*KEY, "unit_code", "unit_name"])


def resolve_years(rows: pd.DataFrame, period: tuple[int, int], findings: Findings) -> pd.DataFrame:
    """Form 01: the year of each table row (None when it is unknown or outside the period)."""
    first = rows.drop_duplicates(KEY)
    start, end = period
    out: list[tuple] = []
    for r in first.itertuples(index=False):
        year = parse_year(r.year_raw).value
        if year is None:
            findings.add("E-YEAR-UNKNOWN", file=r.file, sheet=r.sheet, cell=r.year_cell, row=r.row, column="Năm",
                         field="year", text={"what": "không xác định được năm của dòng này",
                                             "todo": "Ghi năm (ví dụ 2022) vào cột “Năm”."})
            out.append((r.file, r.sheet, r.row, None))
            continue
        if not (start - 1 <= year <= end):
            findings.add("E-YEAR-PERIOD", file=r.file, sheet=r.sheet, cell=r.year_cell if r.year_from == "column" else "",
                         row=r.row, year=int(year), field="year",
                         text={"what": f"số liệu năm {year} nằm ngoài kỳ báo cáo {start}–{end} (kể cả năm gốc {start - 1})",
                               "todo": "Bỏ tệp này khỏi thư mục số liệu, hoặc chạy với --period phù hợp."})
            out.append((r.file, r.sheet, r.row, None))
            continue
        out.append((r.file, r.sheet, r.row, year))
    return pd.DataFrame(out, columns=[*KEY, "year"])


def check_campaign_columns(tables: pd.DataFrame, years: pd.DataFrame, period: tuple[int, int], findings: Findings) -> set:
    """A form 01 table of a campaign year (not the baseline) must have every campaign column.
    Returns the (file, sheet) of the tables that fail."""
    failing = set()
    for t in tables[tables["form"] == "01"].itertuples(index=False):
        absent = [f for f in PART_FIELDS if f not in t.fields]
        its_years = years[(years["file"] == t.file) & (years["sheet"] == t.sheet)]["year"].dropna()
        if absent and (its_years >= period[0]).any():
            names = ", ".join(f"“{field_header(f)}”" for f in absent)
            found = "; ".join(f"“{h}”" for h in t.headers)
            findings.add("E-COLUMN", file=t.file, sheet=t.sheet, row=t.header_row, field=",".join(absent),
                         text={"what": f"Biểu 01 thiếu cột {names}", "found": found})
            failing.add((t.file, t.sheet))
    return failing


# --- numbers --------------------------------------------------------------------------------------


def parse_counts(values: pd.DataFrame, rules: Rules, findings: Findings) -> tuple[pd.Series, set]:
    """Each count cell as a whole number (pd.NA when missing or wrong: a located finding), and the
    (file, sheet, row, field) of the wrong ones."""
    limit = rules.setting("E-TOO-LARGE", "max")
    cache: dict = {}
    parsed = []
    for raw in values["raw"]:
        key = (type(raw), raw)
        if key not in cache:
            result = parse_count(raw)
            if result.error is None and result.value is not None and abs(result.value) > limit:
                result = type(result)(None, "E-TOO-LARGE")
            cache[key] = result
        parsed.append(cache[key])
    codes = pd.Series([p.error or ("E-NEGATIVE" if p.value is not None and p.value < 0 else None) for p in parsed],
                      index=values.index)
    bad = values[codes.notna()].assign(code=codes[codes.notna()])
    for r in bad.itertuples(index=False):
        label = field_label(r.field)
        findings.add(r.code, file=r.file, sheet=r.sheet, cell=r.cell, row=r.row, column=field_header(r.field),
                     unit_code=r.unit_code or "", unit_name=r.unit_name or "", field=r.field,
                     year=None if pd.isna(r.year) else int(r.year),
                     text={"label": label, "shown": _shown(r.raw), "max": fmt_int(limit)},
                     values={"value": r.raw if not isinstance(r.raw, float) else float(r.raw)})
    flagged = set(zip(bad["file"], bad["sheet"], bad["row"], bad["field"]))
    values_out = pd.Series([p.value if p.error is None and (p.value is None or p.value >= 0) else None for p in parsed],
                           index=values.index, dtype="object").astype("Int64")
    return values_out, flagged


def parse_percents(values: pd.DataFrame) -> pd.DataFrame:
    """Reported percents: value in percent units and the digits shown (a fraction stored under an
    Excel percent format, 0.988, reads 98,8 with the format's digits)."""
    out: list[tuple] = []
    for r in values.itertuples(index=False):
        parsed = parse_percent(r.raw)
        if parsed.value is None:
            out.append((None, 0))
        elif r.percent_format >= 0 and isinstance(r.raw, (int, float)):
            out.append((float(r.raw) * 100, int(r.percent_format)))
        else:
            out.append((parsed.value, parsed.decimals))
    return pd.DataFrame(out, columns=["value", "decimals"], index=values.index)


# --- form 01 --------------------------------------------------------------------------------------


def wide_form01(counts: pd.DataFrame) -> pd.DataFrame:
    """Long count cells -> one row per table row and kind, a column per field."""
    index = [*KEY, "kind", "group", "label", "unit_code", "unit_name", "year"]
    known = counts[counts["unit_code"].notna()]  # a row whose unit is unknown is already an error
    wide = known.set_index([*index, "field"])["value"].unstack("field")
    wide = wide.reindex(columns=list(COUNT_FIELDS))
    wide.columns.name = None
    return wide.reset_index().astype({f: "Int64" for f in COUNT_FIELDS})


def check_missing_whole(units: pd.DataFrame, findings: Findings, cells: dict, flagged: set) -> None:
    """A unit row without households (the denominator of every rate): an error, unless its cell
    held something unreadable (already a finding)."""
    for r in units[units[WHOLE_FIELD].isna()].itertuples(index=False):
        if (r.file, r.sheet, r.row, WHOLE_FIELD) in flagged:
            continue
        findings.add("E-MISSING", file=r.file, sheet=r.sheet, cell=cells.get((r.file, r.sheet, r.row, WHOLE_FIELD), ""),
                     row=r.row, column=field_header(WHOLE_FIELD), unit_code=r.unit_code, unit_name=r.unit_name,
                     year=int(r.year), field=WHOLE_FIELD,
                     text={"unit": r.unit_name, "year": int(r.year), "label": field_label(WHOLE_FIELD)})


def _same(a, b) -> bool:
    return (pd.isna(a) and pd.isna(b)) or (not pd.isna(a) and not pd.isna(b) and a == b)


def dedupe(units: pd.DataFrame, findings: Findings, cells: dict) -> pd.DataFrame:
    """Same unit and year twice: identical values are kept once (warning), different ones are an error."""
    duplicated = units.duplicated(["unit_code", "year"], keep=False)
    if not duplicated.any():
        return units
    drop = []
    for _, group in units[duplicated].groupby(["unit_code", "year"], sort=False):
        first = group.iloc[0]
        first_at = location(first["file"], first["sheet"], row=int(first["row"]))
        for index, later in group.iloc[1:].iterrows():
            differing = [f for f in COUNT_FIELDS if not _same(first[f], later[f])]
            common = dict(file=later["file"], sheet=later["sheet"],
                          cell=cells.get((later["file"], later["sheet"], later["row"], "unit"), ""),
                          row=int(later["row"]), unit_code=later["unit_code"], unit_name=later["unit_name"],
                          year=int(later["year"]))
            if not differing:
                findings.add("W-DUPLICATE", field="unit", **common,
                             text={"unit": later["unit_name"], "year": int(later["year"]), "first_at": first_at})
            else:
                shown = "; ".join(f"{field_label(f)}: {_n(first[f])} và {_n(later[f])}" for f in differing)
                findings.add("E-DUPLICATE", field=",".join(differing), **common,
                             text={"unit": later["unit_name"], "year": int(later["year"]), "first_at": first_at,
                                   "differences": shown})
            drop.append(index)
    return units.drop(index=drop)


def _n(value) -> str:
    return "trống" if pd.isna(value) else fmt_int(value)


def _sum(frame: pd.DataFrame, fields: tuple[str, ...], missing: str) -> pd.Series:
    stacked = frame[list(fields)].astype("Float64")
    total = stacked.fillna(0).sum(axis=1)
    if missing == "skip_if_any_missing":
        return total.where(stacked.notna().all(axis=1))
    if missing == "skip_if_all_missing":
        return total.where(stacked.notna().any(axis=1))
    return total


def check_comparisons(units: pd.DataFrame, rules: Rules, findings: Findings, cells: dict) -> None:
    """The comparison rules of the rules file, on every unit row, vectorised per rule."""
    for rule in rules.comparisons:
        left, right = _sum(units, rule.left, rule.missing), _sum(units, rule.right, rule.missing)
        known = left.notna() & right.notna()
        ok = pd.Series(True, index=units.index)
        ok[known] = OPERATORS[rule.operator](left[known].to_numpy(float), right[known].to_numpy(float))
        for index in ok.index[~ok.to_numpy()]:
            r = units.loc[index]
            cell = cells.get((r["file"], r["sheet"], r["row"], rule.left[0]), "")
            text = {"unit": r["unit_name"], "year": int(r["year"]), "left_label": field_label(rule.left_text),
                    "left": fmt_int(left[index]), "right_label": field_label(rule.right_text),
                    "right": fmt_int(right[index]), "relation": BROKEN[rule.operator]}
            findings.add(rule.code, file=r["file"], sheet=r["sheet"], cell=cell, row=int(r["row"]),
                         column=field_header(rule.left[0]), unit_code=r["unit_code"], unit_name=r["unit_name"],
                         year=int(r["year"]), field=rule.left_text,
                         message=(rule.message.format_map(text), rule.todo.format_map(text)),
                         values={"left": float(left[index]), "right": float(right[index])})


def check_totals(rows: pd.DataFrame, units: pd.DataFrame, rules: Rules, findings: Findings, cells: dict) -> pd.DataFrame:
    """Totals rows against the sum of the units of their table and year; subtotals against the
    units of their group. Returns the reported totals (kept for the analyst's reconciliation)."""
    totals = []
    for kind, code in (("total", "W-TOTALS"), ("subtotal", "W-SUBTOTAL")):
        tolerance = rules.setting(code, "tolerance")
        for r in rows[rows["kind"] == kind].itertuples(index=False):
            if pd.isna(r.year):
                continue
            members = units[(units["file"] == r.file) & (units["sheet"] == r.sheet) & (units["year"] == r.year)]
            if kind == "subtotal":
                members = members[(members["group"] == r.group) & (members["row"] < r.row)]
            for field in COUNT_FIELDS:
                if (r.file, r.sheet, r.row, field) not in cells:
                    continue  # the table has no column for it
                value = getattr(r, field)
                cell = cells[(r.file, r.sheet, r.row, field)]
                if kind == "total":
                    totals.append({"year": int(r.year), "field": field, "value": None if pd.isna(value) else float(value),
                                   "source_file": r.file, "source_sheet": r.sheet, "cell": cell or f"dòng {r.row}"})
                if pd.isna(value) or members.empty:
                    continue
                computed = members[field].astype("Float64").sum()
                if abs(float(value) - float(computed)) <= tolerance:
                    continue
                who = f"{len(members)} đơn vị"
                text = {"what": f"dòng tổng cộng năm {int(r.year)}", "group": r.label, "year": int(r.year),
                        "label": field_label(field), "reported": fmt_int(value), "members": who,
                        "computed": fmt_int(computed), "difference": _signed(float(value) - float(computed))}
                findings.add(code, file=r.file, sheet=r.sheet, cell=cell, row=r.row, column=field_header(field),
                             year=int(r.year), field=field, text=text,
                             values={"reported": float(value), "computed": float(computed)})
    return pd.DataFrame(totals, columns=["year", "field", "value", "source_file", "source_sheet", "cell"])


def percents_agree(reported, recomputed, decimals) -> np.ndarray:
    """Whether each reported percent is the half-up rounding or the truncation of the recomputed
    value to the digits typed (vectorised; a tiny epsilon absorbs binary representation)."""
    scale = np.power(10.0, np.asarray(decimals, dtype=float))
    exact = np.asarray(recomputed, dtype=float) * scale
    typed = np.round(np.asarray(reported, dtype=float) * scale)
    return (typed == np.floor(exact + 0.5 + 1e-9)) | (typed == np.floor(exact + 1e-9))


def member_sums(rows: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """`rows` with each total and subtotal row's counts replaced by the sums of its units (what
    its reported percents were computed from)."""
    out = rows.copy()
    for index, r in rows[rows["kind"].isin(("total", "subtotal"))].iterrows():
        members = units[(units["file"] == r["file"]) & (units["sheet"] == r["sheet"]) & (units["year"] == r["year"])]
        if r["kind"] == "subtotal":
            members = members[(members["group"] == r["group"]) & (members["row"] < r["row"])]
        if len(members):
            for field in COUNT_FIELDS:
                out.at[index, field] = members[field].sum(min_count=1)
    return out


def check_percents(percents: pd.DataFrame, rows: pd.DataFrame, findings: Findings) -> None:
    """Reported percents against the counts of the same row (for a total or subtotal row: the sums
    of its units, see member_sums)."""
    if percents.empty:
        return
    merged = percents.merge(rows, on=KEY, how="inner", suffixes=("", "_row"))
    part = np.array([float(getattr(r, r.field)) if not pd.isna(getattr(r, r.field)) else np.nan
                     for r in merged.itertuples(index=False)])
    whole = merged[WHOLE_FIELD].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    usable = (whole > 0) & ~np.isnan(part) & merged["value"].notna().to_numpy()
    checked = merged[usable].assign(part=part[usable], whole=whole[usable],
                                    recomputed=part[usable] / whole[usable] * 100)
    wrong = checked[~percents_agree(checked["value"].astype(float), checked["recomputed"], checked["decimals"])]
    for r in wrong.itertuples(index=False):
        who = r.unit_name if r.kind == "unit" else ("dòng tổng cộng" if r.kind == "total" else f"dòng “{r.label}”")
        findings.add("W-PERCENT", file=r.file, sheet=r.sheet, cell=r.cell, row=r.row, unit_code=r.unit_code or "",
                     unit_name=r.unit_name or "", year=int(r.year), field=r.field,
                     text={"unit": who, "year": int(r.year), "label": field_label(r.field).removeprefix("số "),
                           "reported": fmt_number(r.value, r.decimals), "part": fmt_int(r.part), "whole": fmt_int(r.whole),
                           "recomputed": fmt_number(r.recomputed, r.decimals + 2)},
                     values={"reported": float(r.value), "recomputed": float(r.recomputed)})


def check_coverage(units: pd.DataFrame, reference: pd.DataFrame, rules: Rules, findings: Findings,
                   cells: dict) -> None:
    """A unit missing in a year; households changing by more than the threshold year on year."""
    threshold = rules.setting("W-OUTLIER", "threshold")
    years = sorted(units["year"].unique())
    present = units.groupby("year")["unit_code"].agg(set)
    files = units.groupby("year")["file"].first()
    for year in years:
        units_of_year = reference(int(year)) if callable(reference) else reference
        for code, name in zip(units_of_year["code"], units_of_year["full_name"]):
            if code not in present[year]:
                findings.add("W-MISSING-UNIT", file=files[year], unit_code=code, unit_name=name, year=int(year),
                             text={"year": int(year), "unit": name})
    wide = units.pivot_table(index="unit_code", columns="year", values=WHOLE_FIELD, aggfunc="first")
    for previous, year in zip(years, years[1:]):
        if year != previous + 1:
            continue
        if callable(reference) and set(reference(int(previous))["code"]) != set(reference(int(year))["code"]):
            continue  # households of a new map's unit are not comparable with its namesake's of the old map
        before = wide[previous].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        now = wide[year].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):  # from 0 households to some: an infinite change
            change = np.where(before > 0, (now - before) / before, np.where(now > 0, np.inf, 0.0))
        change = np.where(np.isnan(before) | np.isnan(now), np.nan, change)
        for code in wide.index[np.abs(np.nan_to_num(change, nan=0.0)) > threshold]:
            r = units[(units["unit_code"] == code) & (units["year"] == year)].iloc[0]
            ratio = change[wide.index.get_loc(code)]
            shown = f"{fmt_number(ratio * 100, 1)}%" if np.isfinite(ratio) else "từ 0 hộ"
            findings.add("W-OUTLIER", file=r["file"], sheet=r["sheet"],
                         cell=cells.get((r["file"], r["sheet"], r["row"], WHOLE_FIELD), ""), row=int(r["row"]),
                         unit_code=code, unit_name=r["unit_name"], year=int(year), field=WHOLE_FIELD,
                         text={"unit": r["unit_name"], "year": int(year), "current": fmt_int(wide.at[code, year]),
                               "previous_year": int(previous), "previous": fmt_int(wide.at[code, previous]),
                               "change": shown, "threshold": f"{fmt_number(threshold * 100, 0)}%"},
                         values={"previous": float(wide.at[code, previous]), "current": float(wide.at[code, year])})


# --- form 02 --------------------------------------------------------------------------------------


def status_maps() -> tuple[dict[str, str], dict[str, str]]:
    raw = load_statuses()
    statuses = {fold_key(a): code for code, s in raw["statuses"].items() for a in (s["label"], *s["aliases"])}
    sectors = {fold_key(a): code for code, s in raw["sectors"].items() for a in (s["label"], *s["aliases"])}
    return statuses, sectors


def check_models(models: pd.DataFrame, units: pd.DataFrame, period: tuple[int, int], rules: Rules,
                 findings: Findings) -> list[dict]:
    """One clean record per valid model; every problem of a model row is a located finding."""
    statuses, sectors = status_maps()
    start, report_year = period
    unit_of = units.set_index(KEY)[["unit_code", "unit_name"]].to_dict("index")
    labels = {f.id: f.header for f in form02_fields()}
    limit = rules.setting("E-TOO-LARGE", "max")
    records = []
    for (file, sheet, row), cells in models[models["kind"] == "model"].groupby(KEY, sort=False):
        v = {f: None if not isinstance(x, str) and pd.isna(x) else x for f, x in zip(cells["field"], cells["raw"])}
        at = dict(zip(cells["field"], cells["cell"]))
        unit = unit_of.get((file, sheet, row), {})
        before = len(findings.records)
        name = " ".join(str(v.get("model_name") or "").split())

        def bad(field: str, code: str, what: str, todo: str | None = None, *, file=file, sheet=sheet, at=at, row=row,
                unit=unit, **values) -> None:  # the loop's values bound now (ruff B023)
            text = {"what": what, "todo": todo or ""}
            findings.add(code, file=file, sheet=sheet, cell=at.get(field, ""), row=int(row), column=labels.get(field, ""),
                         unit_code=unit.get("unit_code") or "", unit_name=unit.get("unit_name") or "", field=field,
                         text=text, values=values)

        if not name:
            bad("model_name", "E-STATUS", "dòng mô hình không ghi tên mô hình",)
        status = statuses.get(fold_key(v.get("status") or ""))
        if status is None:
            bad("status", "E-STATUS", f"tình trạng “{' '.join(str(v.get('status') or '').split())}” không có trong danh mục "
                f"({', '.join(status_label(s) for s in statuses.values() if s)})".replace(", ,", ","),
                status=v.get("status"))
        sector = sectors.get(fold_key(v.get("sector") or ""))
        if sector is None:
            bad("sector", "E-STATUS", f"lĩnh vực “{' '.join(str(v.get('sector') or '').split())}” không có trong danh mục",
                sector=v.get("sector"))
        built = parse_year(v.get("year_built")).value
        if built is None:
            bad("year_built", "E-YEAR-UNKNOWN", "thiếu hoặc sai năm xây dựng", "Ghi năm xây dựng (ví dụ 2022).")
        elif not (start <= built <= report_year):
            bad("year_built", "E-YEAR-PERIOD", f"năm xây dựng {built} nằm ngoài kỳ {start}–{report_year}",
                "Kiểm tra lại năm xây dựng.", year_built=built)
        stopped_raw = v.get("year_stopped")
        stopped = parse_year(stopped_raw).value
        if stopped_raw not in (None, "") and stopped is None and str(stopped_raw).strip() not in ("-", "–"):
            bad("year_stopped", "E-YEAR-UNKNOWN", f"năm ngừng ghi “{' '.join(str(stopped_raw).split())}”, không phải là năm",
                "Ghi năm (ví dụ 2022).")
        if status and built is not None:
            if status == "new" and built < report_year:
                bad("status", "E-STATUS-YEAR", f"mô hình “{name}” ghi “{status_label('new')}” nhưng xây dựng năm {built}, "
                    f"trước năm báo cáo {report_year}",
                    f"“{status_label('new')}” chỉ dùng cho mô hình xây dựng trong năm báo cáo: sửa tình trạng hoặc năm.",
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
                    f"“{' '.join(str(v.get('status')).split())}”",
                    f"Xóa năm ngừng, hoặc sửa tình trạng thành “{status_label('stopped')}”.", year_stopped=stopped)
        households_raw = v.get("households")
        parsed = parse_count(households_raw)
        households = parsed.value
        if parsed.error is None and households is not None and households > limit:
            parsed = type(parsed)(None, "E-TOO-LARGE")
        if parsed.error or households is None or (households is not None and households < 1):
            code = parsed.error or ("E-NEGATIVE" if households is not None and households < 0 else None)
            if code:
                findings.add(code, file=file, sheet=sheet, cell=at.get("households", ""), row=int(row),
                             column=labels["households"], unit_code=unit.get("unit_code") or "",
                             unit_name=unit.get("unit_name") or "", field="households",
                             text={"label": "Số hộ tham gia mô hình", "shown": _shown(households_raw), "max": fmt_int(limit)},
                             values={"value": households_raw if not isinstance(households_raw, float) else float(households_raw)})
            else:
                bad("households", "E-STATUS", "số hộ tham gia mô hình phải từ 1 trở lên", "Ghi số hộ tham gia.",
                    value=households)
            households = None
        if not unit.get("unit_code") or any(r["severity"] == "error" for r in findings.records[before:]):
            continue
        notes = v.get("notes")
        records.append({
            "model_name": name, "unit_code": unit["unit_code"], "unit_name": unit["unit_name"], "sector": sector,
            "year_built": built, "households": households, "status": status, "year_stopped": stopped,
            "notes": None if notes in (None, "") else str(notes), "source_file": file, "source_sheet": sheet,
            "source_row": int(row),
        })
    # A closing line "Tổng cộng: 211 mô hình": its number against the models of its sheet.
    for (file, sheet, row), cells in models[models["kind"] == "total"].groupby(KEY, sort=False):
        label = str(cells["label"].iloc[0])
        digits = "".join(ch if ch.isdigit() else " " for ch in label).split()
        if not digits:
            continue
        reported = int(digits[0])
        counted = int(models[(models["kind"] == "model") & (models["file"] == file) & (models["sheet"] == sheet)]
                      .drop_duplicates(KEY).shape[0])
        if reported != counted:
            findings.add("W-TOTALS", file=file, sheet=sheet, row=int(row),
                         text={"what": f"dòng “{' '.join(label.split())}”", "label": "số mô hình",
                               "reported": fmt_int(reported), "members": "các dòng mô hình", "computed": fmt_int(counted),
                               "difference": _signed(reported - counted)},
                         values={"reported": reported, "computed": counted})
    return records

