"""The exploration notebooks' tables (01-03), read in Vietnamese: labels, not field ids;
Vietnamese numbers; ids kept only where an analyst types them back as a parameter.

They show the data set the notebook loaded (analysis.report.explore sets it: `show_data_set`), on
the report's map: its units' names, the area's words, and for one unit only the rows that feed it
(`rows_of`).
"""

from __future__ import annotations

import hashlib

import pandas as pd
from pandas.io.formats.style import Styler

from analysis.check.rules import SEVERITY_TEXT
from analysis.compute.computed import Computed
from analysis.compute.indicators import Definition
from analysis.compute.trends import rank_units
from analysis.formatting import fmt_int, fmt_number, fmt_signed
from analysis.reference import load_units
from analysis.vocabulary import (
    AREA_CODE,
    AREA_NAME,
    COUNT_FIELDS,
    area_on,
    field_header,
    sector_labels,
    status_labels,
)

SHORT_TEXT = 32  # characters: a text column whose values are all this short stays on one line
SHOW_EACH_END = 3  # a ranking marks this many units "tốt nhất" and as many "cần quan tâm"
# Whole-number columns printed as they are (2023, not 2.023).
PLAIN_NUMBER_COLUMNS = {"Năm", "Năm xây dựng", "Năm ngừng", "Dòng", "Hạng", "Số năm kể từ khi xây dựng"}


# The data set the notebook shows, on the report's map (Computed: its units' names, the area's
# words, which rows feed which unit), set when the data set is loaded (load_checked).
_VIEW: dict[str, object] = {}


def _shown():
    return _VIEW.get("computed")


def show_data_set(computed: Computed | None) -> None:
    """The data set the tables show from now on (None: none, before one is loaded)."""
    _VIEW.clear()
    if computed is not None:
        _VIEW["computed"] = computed


def _area():
    """How the data set's map names the area (area.yaml): units_word, whole …"""
    return _shown().area if _shown() is not None else area_on(None)


def unit_names() -> dict[str, str]:
    """GSO code -> full name on the data set's map, the area first (before a data set is loaded:
    the default map)."""
    if _shown() is not None:
        return dict(_shown().unit_names)
    units = load_units()
    return {AREA_CODE: AREA_NAME, **dict(zip(units["code"], units["full_name"]))}


def is_area(unit: str) -> bool:
    """The area's notebooks show the whole data set and every comparison across its units; a
    unit's show its own rows and figures (so they change only with its data, as its report does)."""
    return str(unit) == AREA_CODE


def rows_of(frame: pd.DataFrame, unit: str, *, year: str = "year", with_no_unit: bool = False) -> pd.DataFrame:
    """The rows of `frame` (form rows as read, models by `year` = "year_built", findings) that
    feed `unit` on the data set's map (Computed.rows_of); before a data set is loaded, its own."""
    if _shown() is not None:
        return _shown().rows_of(frame, str(unit), year=year, with_no_unit=with_no_unit)
    if is_area(unit):
        return frame
    return frame[frame["unit_code"].isin({str(unit)} | ({""} if with_no_unit else set()))]


def _signed(value, decimals: int = 1) -> str:
    """A difference: “+0,4”, “−0,1” (a minus sign), “0,0” (never “-0,0”); “–” when missing."""
    return "–" if pd.isna(value) else fmt_signed(value, decimals)


def _styled(frame: pd.DataFrame, caption: str = "", *, decimals: dict[str, int] | None = None,
            signed: tuple[str, ...] = ()) -> Styler:
    """Vietnamese numbers (1.234; 98,8; differences signed), missing values as “–”, text columns
    aligned left, no index column."""
    decimals = decimals or {}
    formats = {}
    for column in frame.columns:
        if column in signed:
            formats[column] = (lambda d: lambda v: _signed(v, d))(decimals.get(column, 1))
        elif column in decimals:
            formats[column] = (lambda d: lambda v: "–" if pd.isna(v) else fmt_number(v, d))(decimals[column])
        elif column in PLAIN_NUMBER_COLUMNS:
            formats[column] = lambda v: "–" if pd.isna(v) else str(int(v))
        elif pd.api.types.is_integer_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column]):
            formats[column] = lambda v: "–" if pd.isna(v) else fmt_int(v)
        elif pd.api.types.is_float_dtype(frame[column]):
            formats[column] = lambda v: "–" if pd.isna(v) else fmt_number(v, 1)
    styler = frame.style.format(formats, na_rep="–").hide(axis="index")
    # ids from the table's content, not pandas' random ones: a notebook run twice on the same data
    # shows the same bytes (analysis.publish.cutoff keeps an executed notebook whose content is unchanged)
    styler = styler.set_uuid(hashlib.sha256(f"{caption}\n{frame.to_csv()}".encode()).hexdigest()[:8])
    text = [c for c in frame.columns if c not in formats and not pd.api.types.is_numeric_dtype(frame[c])]
    if text:
        styler = styler.set_properties(subset=text, **{"text-align": "left"})
        # names, codes, file names on one line ("Xã Đăk Cấm" broken over two lines doubled every
        # row's height); long texts (messages, notes) wrap
        short = [c for c in text if frame[c].astype(str).str.len().max() <= SHORT_TEXT] if len(frame) else text
        if short:
            styler = styler.set_properties(subset=short, **{"white-space": "nowrap"})
    numbers = [c for c in frame.columns if c not in text]
    if numbers:  # right-aligned, one line (a number never wraps, on a phone the table scrolls)
        styler = styler.set_properties(subset=numbers, **{"text-align": "right", "white-space": "nowrap"})
    return styler.set_caption(caption) if caption else styler


def findings_table(findings: pd.DataFrame, *, unit: str = AREA_CODE) -> Styler:
    """Errors and warnings as `validate` prints them (the message starts with file › sheet › cell);
    for one unit, its own and those of no unit (a whole file)."""
    findings = rows_of(findings, unit, with_no_unit=True)
    frame = pd.DataFrame({
        "Mức độ": findings["severity"].map(SEVERITY_TEXT),
        "Mã": findings["code"],
        "Đơn vị": findings["unit_name"],
        "Nội dung": findings["message"],
    })
    errors = int((findings["severity"] == "error").sum())
    caption = f"{errors} lỗi, {len(findings) - errors} cảnh báo"
    return _styled(frame, caption)


def _form01_columns() -> dict[str, str]:
    return {"unit_code": "Mã đơn vị", "unit_name": "Đơn vị", "year": "Năm",
            **{f: field_header(f) for f in COUNT_FIELDS},
            "source_file": "Tệp", "source_sheet": "Trang tính", "source_row": "Dòng"}


def form01_table(form01: pd.DataFrame, *, unit: str = AREA_CODE) -> Styler:
    rows = rows_of(form01, unit)
    return _styled(rows.rename(columns=_form01_columns()), f"Biểu 01 đã làm sạch: {len(rows)} dòng")


def form01_totals(form01: pd.DataFrame, *, unit: str = AREA_CODE) -> Styler:
    rows = rows_of(form01, unit)
    totals = rows.groupby("year", as_index=False)[list(COUNT_FIELDS)].sum(min_count=1)
    return _styled(totals.rename(columns=_form01_columns()), f"Tổng theo năm: {unit_names()[unit]} (hộ)")


def models_table(models: pd.DataFrame, *, unit: str = AREA_CODE) -> Styler:
    rows = rows_of(models, unit, year="year_built")
    frame = rows.assign(status=rows["status"].map(status_labels()), sector=rows["sector"].map(sector_labels()))
    columns = {"model_name": "Tên mô hình", "unit_code": "Mã đơn vị", "unit_name": "Đơn vị", "sector": "Lĩnh vực",
               "year_built": "Năm xây dựng", "households": "Số hộ tham gia", "status": "Tình trạng",
               "year_stopped": "Năm ngừng", "notes": "Ghi chú", "source_file": "Tệp", "source_sheet": "Trang tính",
               "source_row": "Dòng"}
    return _styled(frame.rename(columns=columns), f"Biểu 02 đã làm sạch: {len(rows)} mô hình")


def reported_totals_table(totals: pd.DataFrame) -> Styler:
    frame = pd.DataFrame({"Năm": totals["year"], "Chỉ tiêu": totals["field"].map(field_header),
                          "Số ghi ở dòng tổng cộng": totals["value"], "Tệp": totals["source_file"],
                          "Trang tính": totals["source_sheet"], "Ô": totals["cell"]})
    return _styled(frame, "Dòng tổng cộng các biểu tự ghi", decimals={"Số ghi ở dòng tổng cộng": 0})


def sources_table(sources: pd.DataFrame) -> Styler:
    frame = pd.DataFrame({"Tệp": sources["file"], "Dung lượng (byte)": sources["bytes"],
                          "Mã băm SHA-256": sources["sha256"]})
    return _styled(frame, f"{len(sources)} tệp đã đọc")


def yearly_table(indicators: pd.DataFrame, definitions: dict[str, Definition], *, unit: str = AREA_CODE) -> Styler:
    """One row per indicator (its label, and its id for the `indicator` parameter), one column per year."""
    rows = indicators[indicators["unit_code"] == unit]
    wide = rows.pivot_table(index="indicator", columns="year", values="value", aggfunc="first")
    order = [key for key in definitions if key in wide.index]
    frame = pd.DataFrame({"Chỉ tiêu": [definitions[k].label for k in order],
                          "Đơn vị tính": [definitions[k].unit for k in order],
                          "Mã (tham số indicator)": order})
    for year in wide.columns:  # each indicator with its own decimals (households 12.291; rates 98,8)
        frame[f"Năm {year}"] = [fmt_number(wide.at[k, year], definitions[k].decimals) if not pd.isna(wide.at[k, year])
                                else "–" for k in order]
    return _styled(frame, f"{unit_names()[unit]}: các chỉ tiêu theo năm").set_properties(
        subset=[f"Năm {y}" for y in wide.columns], **{"text-align": "right"})


def changes_table(changes: pd.DataFrame, definitions: dict[str, Definition], *, year: int, unit: str = AREA_CODE) -> Styler:
    rows = changes[(changes["unit_code"] == unit) & (changes["year"] == year)]
    base = int(rows["base_year"].iloc[0]) if len(rows) else year
    frame = pd.DataFrame({
        "Chỉ tiêu": rows["indicator"].map(lambda k: definitions[k].label),
        f"Năm {base} (%)": rows["base_value"], f"Năm {year} (%)": rows["value"],
        "Thay đổi (điểm phần trăm)": rows["change_points"], "Thay đổi tương đối (%)": rows["change_relative"],
        "Thay đổi so với năm trước (điểm phần trăm)": rows["yoy_points"],
    })
    return _styled(frame, f"{unit_names()[unit]}: thay đổi năm {year} so với năm {base}",
                   decimals={column: 1 for column in frame.columns[1:]}, signed=tuple(frame.columns[3:]))


def direction_text(definition: Definition) -> str:
    return "càng thấp càng tốt" if definition.better == "lower" else "càng cao càng tốt"


def ranking_table(indicators: pd.DataFrame, definition: Definition, *, year: int, unit: str = AREA_CODE) -> Styler:
    """Units ranked so that rank 1 is the best whichever way the indicator is good, with the
    first and last few marked “tốt nhất” and “cần quan tâm”; the caption says the direction."""
    ranked = rank_units(indicators, indicator=definition.id, year=year, ascending=definition.better == "lower")
    ranked_count = int(ranked["rank"].notna().sum())
    area = _area()
    gap = f"Chênh lệch với {area.whole} (điểm phần trăm)"
    marks = []
    for rank in ranked["rank"]:
        if pd.isna(rank):
            marks.append("không có số liệu")
        elif rank <= SHOW_EACH_END:
            marks.append("tốt nhất")
        elif rank > ranked_count - SHOW_EACH_END:
            marks.append("cần quan tâm")
        else:
            marks.append("")
    names = unit_names()
    frame = pd.DataFrame({
        "Hạng": ranked["rank"], "Nhóm": marks, "Đơn vị": ranked["unit_code"].map(names), "Mã đơn vị": ranked["unit_code"],
        "Tử số (hộ)": ranked["numerator"], "Mẫu số (hộ)": ranked["denominator"], f"Giá trị ({definition.unit})": ranked["value"],
        gap: ranked["gap_to_city"],
    })
    caption = (f"Xếp hạng {area.units_word} theo {definition.label[:1].lower() + definition.label[1:]}, năm {year}: "
               f"{direction_text(definition)}, hạng 1 là tốt nhất")
    styler = _styled(frame, caption, decimals={"Tử số (hộ)": 0, "Mẫu số (hộ)": 0, f"Giá trị ({definition.unit})": 1,
                                               gap: 1},
                     signed=(gap,))
    if unit != AREA_CODE:
        styler = styler.apply(lambda row: ["font-weight: bold" if row["Mã đơn vị"] == unit else "" for _ in row], axis=1)
    return styler


def _judgement(row, mid_years=()) -> str:
    if not row["judged"]:
        return "giữa năm, chưa đánh giá" if row["year"] in mid_years or not mid_years else \
            "so với số giữa năm, chưa đánh giá"
    if pd.isna(row["meets_target"]):
        return "không có số liệu"
    return "đạt" if row["meets_target"] else "chưa đạt"


def falls_table(falls: pd.DataFrame, *, unit: str = AREA_CODE, mid_years=()) -> Styler:
    rows = falls[falls["unit_code"] == unit]
    target = float(rows["target"].iloc[0]) if len(rows) else float("nan")
    frame = pd.DataFrame({
        "Năm": rows["year"], "Tỉ lệ năm trước (%)": rows["previous_rate"], "Tỉ lệ (%)": rows["rate"],
        "Mức giảm (điểm phần trăm)": rows["fall"], "Đánh giá so với mục tiêu": rows.apply(_judgement, axis=1, mid_years=mid_years),
    })
    return _styled(frame, f"{unit_names()[unit]}: tỉ lệ hộ nghèo và cận nghèo giảm so với năm trước "
                          f"(mục tiêu: giảm trên {fmt_number(target, 0)} điểm phần trăm mỗi năm)",
                   decimals={"Tỉ lệ năm trước (%)": 1, "Tỉ lệ (%)": 1, "Mức giảm (điểm phần trăm)": 1},
                   signed=("Mức giảm (điểm phần trăm)",))


def behind_table(behind: pd.DataFrame) -> Styler:
    frame = pd.DataFrame({
        "Năm": behind["year"], "Đơn vị": behind["unit_code"].map(unit_names()), "Mã đơn vị": behind["unit_code"],
        "Tỉ lệ năm trước (%)": behind["previous_rate"], "Tỉ lệ (%)": behind["rate"],
        "Mức giảm (điểm phần trăm)": behind["fall"], "Còn thiếu so với mục tiêu (điểm phần trăm)": behind["shortfall"],
    })
    words = _area().units_word
    caption = (f"Các {words} chưa đạt mục tiêu giảm hộ nghèo và cận nghèo: {len(frame)} lượt"
               if len(frame) else f"Không có {words} nào chưa đạt mục tiêu giảm hộ nghèo và cận nghèo")
    return _styled(frame, caption, decimals={c: 1 for c in frame.columns[3:]}, signed=("Mức giảm (điểm phần trăm)",))


def _status_columns() -> dict[str, str]:
    return {**status_labels(), "built": "Tổng số mô hình", "running": "Còn hoạt động",
            "judged": "Số mô hình được đánh giá (xây dựng trước năm báo cáo)",
            "retention_rate": "Tỉ lệ còn hoạt động (%)", "replication_rate": "Tỉ lệ nhân rộng (%)"}


def retention_table(summary: pd.DataFrame) -> Styler:
    frame = pd.DataFrame({"Chỉ tiêu": summary["label"], "Giá trị (%)": summary["value"],
                          "Tử số (mô hình)": summary["numerator"], "Mẫu số": summary["denominator_text"],
                          "Định nghĩa": summary["definition"]})
    return _styled(frame, "Các tỉ lệ chính", decimals={"Giá trị (%)": 1})


def cohorts_table(cohorts: pd.DataFrame) -> Styler:
    frame = cohorts.rename(columns={"year_built": "Năm xây dựng", **_status_columns()})
    return _styled(frame, "Mô hình theo năm xây dựng và tình trạng",
                   decimals={"Tỉ lệ còn hoạt động (%)": 1, "Tỉ lệ nhân rộng (%)": 1})


def shares_table(shares: pd.DataFrame) -> Styler:
    frame = pd.DataFrame({"Tình trạng": shares["label"], "Số mô hình": shares["count"], "Tỉ trọng (%)": shares["share"]})
    return _styled(frame, "Tỉ trọng các tình trạng", decimals={"Tỉ trọng (%)": 1})


def groups_table(groups: pd.DataFrame, by: str) -> Styler:
    """`by_group` by sector or by unit, labelled."""
    if by == "sector":
        first = {"Lĩnh vực": groups["sector"].map(sector_labels())}
        caption = "Theo lĩnh vực"
    else:
        first = {"Đơn vị": groups["unit_code"].map(unit_names()), "Mã đơn vị": groups["unit_code"]}
        caption = f"Theo {_area().units_word}"
    rest = groups.drop(columns=[by]).rename(columns=_status_columns())
    frame = pd.concat([pd.DataFrame(first), rest], axis=1)
    return _styled(frame, caption, decimals={"Tỉ lệ còn hoạt động (%)": 1, "Tỉ lệ nhân rộng (%)": 1})


def survival_table_vi(survival: pd.DataFrame) -> Styler:
    frame = pd.DataFrame({
        "Số năm kể từ khi xây dựng": survival["years_since_built"], "Số mô hình được theo dõi": survival["at_risk"],
        "Số mô hình ngừng": survival["stopped"], "Số mô hình chưa theo dõi hết năm": survival["censored"],
        "Tỉ lệ còn hoạt động (%)": survival["survival"],
    })
    return _styled(frame, "Tỉ lệ mô hình còn hoạt động theo số năm (Kaplan–Meier)", decimals={"Tỉ lệ còn hoạt động (%)": 1})
