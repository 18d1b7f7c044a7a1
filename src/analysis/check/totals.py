"""Form 01: what a form reports besides its units: totals rows, group subtotals, "Tỉ lệ (%)" columns.

Each is checked against what the units' counts give (a warning when it differs). A warning
that would only follow from an error already reported (a unit whose name is unknown left out of
the sum, a count that could not be read) is left out: the error is the root cause to fix.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.check.common import signed
from analysis.check.counts import parse_percents
from analysis.check.findings import Findings
from analysis.check.form01 import Cells
from analysis.check.rules import Rules
from analysis.formatting import fmt_int, fmt_number
from analysis.read.collect import FORMAT, PERCENT
from analysis.vocabulary import COUNT_FIELDS, WHOLE_FIELD, field_header, field_label

TOTALS_COLUMNS = ["year", "field", "value", "source_file", "source_sheet", "cell"]


def _members(units: pd.DataFrame, r, kind: str) -> pd.DataFrame:
    members = units[(units["table"] == r.table) & (units["slot"] == r.slot)]
    if kind == "subtotal":
        members = members[(members["group"] == r.group) & (members["row"] < r.row)]
    return members


def _blocked(rows: pd.DataFrame, flagged: set) -> tuple[set, set]:
    """The (table, slot) with a unit row whose name is unknown, and the (table, slot, field) with a
    count that could not be read: their totals and percents would only repeat that error."""
    unknown = set(zip(rows.loc[(rows["kind"] == "unit") & rows["unit_code"].isna(), "table"],
                      rows.loc[(rows["kind"] == "unit") & rows["unit_code"].isna(), "slot"]))
    tables, slots = rows["table"].tolist(), rows["slot"].tolist()
    unread = {(tables[i], slots[i], field) for i, field in flagged}
    return unknown, unread


def check_totals(rows: pd.DataFrame, units: pd.DataFrame, rules: Rules, findings: Findings, cells: Cells,
                 flagged: set) -> pd.DataFrame:
    """Totals rows against the sum of the units of their table and year; subtotals against the
    units of their group. Returns the reported totals (kept for the analyst's reconciliation)."""
    totals = []
    unknown, unread = _blocked(rows, flagged)
    for kind, code in (("total", "W-TOTALS"), ("subtotal", "W-SUBTOTAL")):
        tolerance = rules.setting(code, "tolerance")
        for r in rows[(rows["kind"] == kind) & rows["year"].notna()].itertuples():
            members = _members(units, r, kind)
            for field in COUNT_FIELDS:
                cell = cells.of(r.Index, field)
                if (r.table, r.slot, field, "count") not in cells.reading.columns:
                    continue  # the table has no column for it
                value = getattr(r, field)
                if kind == "total":
                    totals.append((int(r.year), field, None if pd.isna(value) else float(value), r.file, r.sheet,
                                   cell or f"dòng {r.row}"))
                if pd.isna(value) or members.empty or (r.table, r.slot) in unknown \
                        or (r.table, r.slot, field) in unread:
                    continue
                computed = members[field].astype("Float64").sum()
                if abs(float(value) - float(computed)) <= tolerance:
                    continue
                text = {"what": f"dòng tổng cộng năm {int(r.year)}", "group": r.label, "year": int(r.year),
                        "label": field_label(field), "reported": fmt_int(value), "members": f"{len(members)} đơn vị",
                        "computed": fmt_int(computed), "difference": signed(float(value) - float(computed))}
                findings.add(code, file=r.file, sheet=r.sheet, cell=cell, row=r.row, column=field_header(field),
                             year=int(r.year), field=field, text=text,
                             values={"reported": float(value), "computed": float(computed)})
    return pd.DataFrame(totals, columns=TOTALS_COLUMNS)


def percents_agree(reported, recomputed, decimals) -> np.ndarray:
    """Whether each reported percent is the half-up rounding or the truncation of the recomputed
    value to the digits typed (vectorised; a tiny epsilon absorbs binary representation)."""
    scale = np.power(10.0, np.asarray(decimals, dtype=float))
    exact = np.asarray(recomputed, dtype=float) * scale
    typed = np.round(np.asarray(reported, dtype=float) * scale)
    return (typed == np.floor(exact + 0.5 + 1e-9)) | (typed == np.floor(exact + 1e-9))


def reported_percents(records: pd.DataFrame, rows: pd.DataFrame, units: pd.DataFrame, cells: Cells) -> pd.DataFrame:
    """Every readable reported percent of a unit (known), totals or subtotal row, with the counts it
    is a percent of: the row's own, or for a totals or subtotal row the sums of its units."""
    parts = []
    wanted = ((rows["kind"] == "unit") & rows["unit_code"].notna()) | rows["kind"].isin(("total", "subtotal"))
    for field in COUNT_FIELDS:
        raw = records[PERCENT + field].tolist()
        if all(v is None for v in raw):
            continue  # no column of this percent
        values, digits = parse_percents(raw, records[FORMAT + field].tolist())
        frame = pd.DataFrame({"value": values, "decimals": digits}, index=rows.index)
        frame = frame[frame["value"].notna() & wanted]
        if frame.empty:
            continue
        parts.append(frame.assign(field=field, part=rows.loc[frame.index, field].astype("Float64"),
                                  whole=rows.loc[frame.index, WHOLE_FIELD].astype("Float64")))
    if not parts:
        return pd.DataFrame(columns=["field", "value", "decimals", "part", "whole", "cell"])
    found = pd.concat(parts)
    for index in found.index[rows.loc[found.index, "kind"].isin(("total", "subtotal")).to_numpy()].unique():
        r = next(rows.loc[[index]].itertuples())
        members = _members(units, r, r.kind)
        sums = {f: members[f].sum(min_count=1) if len(members) else pd.NA for f in COUNT_FIELDS}
        here = found.index == index
        found.loc[here, "part"] = [sums[f] for f in found.loc[here, "field"]]
        found.loc[here, "whole"] = sums[WHOLE_FIELD]
    found["cell"] = [cells.of(i, f, "percent") for i, f in zip(found.index.tolist(), found["field"].tolist())]
    return found


def check_percents(found: pd.DataFrame, rows: pd.DataFrame, findings: Findings, flagged: set) -> None:
    """Reported percents against the counts of the same row (see reported_percents)."""
    if found.empty:
        return
    unknown, unread = _blocked(rows, flagged)
    part = found["part"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    whole = found["whole"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    usable = (whole > 0) & ~np.isnan(part)
    with np.errstate(divide="ignore", invalid="ignore"):
        recomputed = part / whole * 100
    wrong = usable & ~percents_agree(found["value"].astype(float), recomputed, found["decimals"])
    for index, field, value, decimals, cell, p, w, again in zip(
            found.index[wrong], found["field"][wrong], found["value"][wrong], found["decimals"][wrong],
            found["cell"][wrong], part[wrong], whole[wrong], recomputed[wrong]):
        r = rows.loc[index]
        key = (r["table"], r["slot"])
        if r["kind"] != "unit" and (key in unknown or (*key, field) in unread or (*key, WHOLE_FIELD) in unread):
            continue
        who = r["unit_name"] if r["kind"] == "unit" else (
            "dòng tổng cộng" if r["kind"] == "total" else f"dòng “{r['label']}”")
        findings.add("W-PERCENT", file=r["file"], sheet=r["sheet"], cell=cell, row=int(r["row"]),
                     unit_code=r["unit_code"] or "", unit_name=r["unit_name"] or "", year=int(r["year"]), field=field,
                     text={"unit": who, "year": int(r["year"]), "label": field_label(field).removeprefix("số "),
                           "reported": fmt_number(value, decimals), "part": fmt_int(p), "whole": fmt_int(w),
                           "recomputed": fmt_number(again, decimals + 2)},
                     values={"reported": float(value), "recomputed": float(again)})
