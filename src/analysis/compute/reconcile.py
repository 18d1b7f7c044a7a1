"""Reconcile figures published earlier (a CSV the analyst supplies: source, date, id, label,
published, value, unit, year) with the figures recomputed from the forms: each is a match, a
rounding-only difference (the published digit is the truncation, or within one unit of the last
digit shown) or a mismatch, with the arithmetic. A source dated after the report is refused:
a report cannot check itself against what was written about it later.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.errors import UsageError
from analysis.safe_files import MAX_TABLE_BYTES, read_text_file
from analysis.terminal import visible
from analysis.formatting import fmt_int, fmt_number, fmt_short_date, round_half_up
from analysis.compute.indicators import count_of, value_of
from analysis.vocabulary import UNITS_WORD, status_label

STATUS_LABELS = {"match": "Khớp", "rounding": "Chênh do làm tròn", "mismatch": "Không khớp"}
RATE_FIELDS = ("informed", "changed_mindset", "applied_science", "improved_life")


EARLIER_COLUMNS = ("source", "date", "id", "label", "published", "value", "unit", "year")


def load_published(path: Path, *, report_date: dt.date | None = None) -> pd.DataFrame:
    """The figures of an earlier report; refused (UsageError) when a column is missing or a
    source is dated after `report_date`."""
    text = read_text_file(path, what="tệp số liệu báo cáo trước (tham số earlier_figures)", max_bytes=MAX_TABLE_BYTES,
                          within=config.ROOT)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype={"published": str, "id": str, "source": str, "date": str})
    except (ValueError, pd.errors.ParserError) as error:  # EmptyDataError is a ValueError
        raise UsageError(f"tệp số liệu báo cáo trước “{visible(Path(path).name)}” không đọc được dạng CSV "
                         f"({visible(error)})") from None
    missing = [c for c in EARLIER_COLUMNS if c not in frame.columns]
    if missing:
        raise UsageError(f"tệp số liệu báo cáo trước “{Path(path).name}” thiếu cột: {', '.join(missing)} "
                         f"(cần: {', '.join(EARLIER_COLUMNS)})")
    try:
        dates = frame["date"].map(lambda text: dt.date.fromisoformat(str(text).strip()))
    except ValueError:
        raise UsageError(f"tệp số liệu báo cáo trước “{Path(path).name}”: cột date ghi ngày dạng 2023-06-20") from None
    frame = frame.assign(date=dates)
    if report_date is not None:
        late = frame[frame["date"] > report_date]
        if len(late):
            first = late.iloc[0]
            raise UsageError(
                f"tệp số liệu báo cáo trước “{Path(path).name}”: nguồn “{first['source']}” ngày "
                f"{fmt_short_date(first['date'])} sau ngày của báo cáo ({fmt_short_date(report_date)}); chỉ đối chiếu "
                "với số liệu đã công bố trước ngày báo cáo")
    return frame


def _decimals(published: str) -> int:
    text = published.strip().rstrip("%")
    return len(text.split(",", 1)[1]) if "," in text else 0


def recompute(figure_id: str, year: int, indicators: pd.DataFrame, models: pd.DataFrame, *,
              base_year: int, units_word: str = UNITS_WORD) -> tuple[float | None, str]:
    """The value our data give for one published figure, and how it is computed (Vietnamese)."""
    if figure_id in RATE_FIELDS or figure_id == "coop_members":
        indicator = "coop_rate" if figure_id == "coop_members" else f"{figure_id}_rate"
        count = count_of(indicators, indicator, year)
        return count, f"tổng {fmt_int(count)} hộ của các {units_word} năm {year}"
    if figure_id.endswith("_rate_change"):
        indicator = figure_id.removesuffix("_change")
        now, then = value_of(indicators, indicator, year), value_of(indicators, indicator, base_year)
        if now is None or then is None:
            return None, "không có số liệu"
        return now - then, f"{fmt_number(now, 3)} − {fmt_number(then, 3)} (năm {year} so với năm {base_year})"
    if figure_id.endswith("_rate"):
        count = count_of(indicators, figure_id, year)
        households = count_of(indicators, "households", year)
        value = value_of(indicators, figure_id, year)
        return value, f"{fmt_int(count)} / {fmt_int(households)} × 100 = {fmt_number(value, 3)}%"
    if figure_id.startswith("models_"):
        status = {"models_maintained": "maintained", "models_replicated": "replicated", "models_new": "new"}.get(figure_id)
        count = len(models) if status is None else int((models["status"] == status).sum())
        what = "tổng số mô hình" if status is None else f"số mô hình có tình trạng “{status_label(status)}”"
        return float(count), f"{what} trong Biểu 02: {fmt_int(count)}"
    if figure_id == "poor_near_poor_fall":
        now = value_of(indicators, "poor_near_poor_rate", year)
        then = value_of(indicators, "poor_near_poor_rate", year - 1)
        if now is None or then is None:
            return None, "không có số liệu"
        return then - now, f"{fmt_number(then, 3)} − {fmt_number(now, 3)} (năm {year - 1} so với năm {year})"
    raise UsageError(f"số liệu báo cáo trước: không biết cách tính lại chỉ tiêu “{figure_id}”")


def classify(published: float, recomputed: float | None, decimals: int) -> str:
    if recomputed is None:
        return "mismatch"
    if round_half_up(recomputed, decimals) == round_half_up(published, decimals):
        return "match"
    quantum = Decimal(1).scaleb(-decimals)
    truncated = float(Decimal(repr(recomputed)).quantize(quantum, rounding=ROUND_DOWN))
    if truncated == published or abs(published - recomputed) < float(quantum):
        return "rounding"
    return "mismatch"


def reconcile(published: pd.DataFrame, indicators: pd.DataFrame, models: pd.DataFrame, *,
              base_year: int, units_word: str = UNITS_WORD) -> pd.DataFrame:
    """One row per published figure: both values, the status and the arithmetic (`units_word`: how
    the area's units are called together on the report's map, area.yaml)."""
    rows = []
    for figure in published.itertuples(index=False):
        value, arithmetic = recompute(figure.id, int(figure.year), indicators, models, base_year=base_year,
                                      units_word=units_word)
        decimals = _decimals(figure.published)
        status = classify(float(figure.value), value, decimals)
        shown = "không có số liệu" if value is None else fmt_number(value, decimals)
        rows.append({
            "id": figure.id, "label": figure.label, "year": int(figure.year), "unit": figure.unit,
            "published_text": figure.published, "published": float(figure.value), "recomputed": value,
            "recomputed_text": shown + ("%" if figure.unit == "%" else ""), "status": status,
            "status_label": STATUS_LABELS[status], "arithmetic": arithmetic,
            "source": getattr(figure, "source", ""), "date": getattr(figure, "date", None),
        })
    return pd.DataFrame(rows)
