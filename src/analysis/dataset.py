"""Read, then check: a folder of forms -> clean, typed frames and the findings of every check.

The data flow down: analysis.read (files -> long frames with every value's location) ->
analysis.check (typed frames, findings) -> the `Dataset` here. `load_dataset` never raises for
bad data: every problem becomes a located finding (a bad path is a UsageError). Raw files are
only read, never written.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import config, schemas
from analysis.check import checks
from analysis.check.findings import Findings
from analysis.check.rules import load_rules
from analysis.maps import map_for_year, place_unit
from analysis.read import read_folder
from analysis.read.units import UnitMatcher
from analysis.reference import load_unit_history, load_units
from analysis.vocabulary import COUNT_FIELDS, default_period


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


class Maps:
    """The maps of units a period spans (units.csv with validity dates): each year's figures are
    matched against the units in force for them; a unit of the other map is a located error naming
    the unit to write instead (analysis.maps.place_unit). A model keeps the unit it was
    built in, on either map."""

    def __init__(self, period: tuple[int, int]):
        self.history = load_unit_history()
        self._maps = {year: map_for_year(year, history=self.history) for year in range(period[0] - 1, period[1] + 1)}
        self._matchers: dict[tuple, UnitMatcher] = {}
        self.any_matcher = UnitMatcher(self.history.drop_duplicates(["code", "name"], keep="last"))

    @classmethod
    def for_period(cls, period: tuple[int, int]) -> Maps | None:
        """None when the whole period is on one map (nothing to tell apart)."""
        maps = cls(period)
        keys = {tuple(sorted(zip(m["code"], m["name"]))) for m in maps._maps.values()}
        return maps if len(keys) > 1 else None

    def units(self, year: int) -> pd.DataFrame:
        return self._maps[year]

    def matcher(self, year: int) -> UnitMatcher:
        units = self._maps.get(year)
        if units is None:
            return self.any_matcher
        key = tuple(units["code"])
        if key not in self._matchers:
            self._matchers[key] = UnitMatcher(units)
        return self._matchers[key]

    def place(self, name: str, year: int):
        def match(units: pd.DataFrame, text: str) -> str | None:
            return UnitMatcher(units.reset_index(drop=True)).match(text).code

        return place_unit(name, year, history=self.history, match=match)


def load_dataset(data_dir: Path | None = None, period: tuple[int, int] | None = None, *,
                 units: pd.DataFrame | None = None) -> Dataset:
    """Read every form in `data_dir` (default data/raw), check it, return clean frames and findings."""
    start, end = period or default_period()
    period = (start, end)
    maps = None if units is not None else Maps.for_period(period)
    units = (load_units() if maps is None else maps.units(period[1])) if units is None else units
    rules = load_rules()
    matcher = UnitMatcher(units)
    reading = read_folder(Path(data_dir or config.RAW_DIR), units_in_names=matcher.find_in_text)
    findings = Findings(rules)
    checks.report_problems(reading.problems, findings)

    # Form 01: units and years of each row, then the counts.
    long01 = reading.form01
    years = checks.resolve_years(long01, period, findings)
    names = checks.resolve_units(long01, matcher, findings, kinds=("unit",), years=years, maps=maps)
    failing = checks.check_campaign_columns(reading.tables, years, period, findings)
    keep = ~pd.Series([(f, s) in failing for f, s in zip(long01["file"], long01["sheet"])], index=long01.index, dtype=bool)
    rows = long01[keep].merge(names, on=checks.KEY).merge(years, on=checks.KEY)
    rows = rows[rows["year"].notna()]
    counts = rows[rows["measure"] == "count"]
    values, flagged = checks.parse_counts(counts, rules, findings)
    counts = counts.assign(value=values)
    cells = {**dict(zip(zip(counts["file"], counts["sheet"], counts["row"], counts["field"]), counts["cell"])),
             **dict(zip(zip(rows["file"], rows["sheet"], rows["row"], ["unit"] * len(rows)), rows["unit_cell"]))}
    wide = checks.wide_form01(counts)
    unit_rows = wide[(wide["kind"] == "unit") & wide["unit_code"].notna() & (wide["unit_code"] != "")]
    checks.check_missing_whole(unit_rows, findings, cells, flagged)
    unit_rows = checks.dedupe(unit_rows.reset_index(drop=True), findings, cells)
    checks.check_comparisons(unit_rows, rules, findings, cells)
    totals = checks.check_totals(wide, unit_rows, rules, findings, cells)
    percent_cells = rows[rows["measure"] == "percent"]
    percents = pd.concat([percent_cells, checks.parse_percents(percent_cells)], axis=1)
    checks.check_percents(percents, checks.member_sums(wide, unit_rows), findings)
    if not unit_rows.empty:
        checks.check_coverage(unit_rows, units if maps is None else maps.units, rules, findings, cells)

    # Form 02.
    model_names = checks.resolve_units(reading.models, matcher if maps is None else maps.any_matcher, findings,
                                       kinds=("model",))
    models = checks.check_models(reading.models, model_names, period, rules, findings)

    form01 = unit_rows.rename(columns={"file": "source_file", "sheet": "source_sheet", "row": "source_row"})
    form01 = form01[list(schemas.FORM01.columns)].astype(
        {"year": "int64", "source_row": "int64", "unit_code": str, "unit_name": str, "source_file": str,
         "source_sheet": str, **{f: "Int64" for f in COUNT_FIELDS}}).reset_index(drop=True)
    reported = percents[percents["value"].notna()]
    reported_percents = pd.DataFrame({
        "unit_code": reported["unit_code"].fillna("").where(reported["kind"] == "unit", "").astype(str),
        "year": reported["year"].astype("int64"), "field": reported["field"].astype(str),
        "value": reported["value"].astype(float), "decimals": reported["decimals"].astype("int64"),
        "source_file": reported["file"].astype(str), "source_sheet": reported["sheet"].astype(str),
        "cell": pd.Series([c or f"dòng {r}" for c, r in zip(reported["cell"], reported["row"])], index=reported.index,
                          dtype=str)})
    return Dataset(
        form01=schemas.FORM01.validate(form01, lazy=True),
        models=_frame(models, schemas.MODELS, {"year_built": "int64", "households": "Int64", "year_stopped": "Int64",
                                              "source_row": "int64"}),
        reported_totals=_frame(totals.to_dict("records"), schemas.REPORTED_TOTALS, {"year": "int64", "value": float}),
        reported_percents=schemas.REPORTED_PERCENTS.validate(reported_percents.reset_index(drop=True), lazy=True),
        findings=findings.frame(),
        sources=reading.sources,
        period=period,
    )


def _frame(records: list[dict], schema, dtypes: dict) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=list(schema.columns))
    text = {name: "str" for name, column in schema.columns.items() if "str" in str(column.dtype)}
    return schema.validate(frame.astype({**text, **dtypes}), lazy=True)


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
