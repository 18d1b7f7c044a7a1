"""Read, then check: a folder of forms -> clean, typed frames and the findings of every check.

The data flow down: analysis.read (files -> one record per table row, values as typed, each
value's file › sheet › cell; a ledger of every cell) -> analysis.check (typed frames, findings) ->
the `Dataset` here, which also carries the day each form says its figures are as of. `load_dataset` never raises for
bad data: every problem becomes a located finding (a bad path is a UsageError). Raw files are
only read, never written.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import config, schemas
from analysis.check import coverage, form01, problems, resolve
from analysis.check import totals as tot
from analysis.check.findings import Findings
from analysis.check.models import check_models
from analysis.check.rules import load_rules
from analysis.maps import map_for_year, place_unit
from analysis.read import Reading, read_folder
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
    # the as-of days the forms state: form, year, unit_code ("" unless a file per unit), date, source_file,
    # source_sheet, where (file › sheet › cell); a year no form states a day for is as of 31 December
    as_of: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=coverage.AS_OF_COLUMNS))

    @property
    def errors(self) -> pd.DataFrame:
        return self.findings[self.findings["severity"] == "error"]

    @property
    def warnings(self) -> pd.DataFrame:
        return self.findings[self.findings["severity"] == "warning"]

    @property
    def baseline_year(self) -> int:
        return self.period[0] - 1

    def as_of_date(self, year: int) -> dt.date:
        """The day the year's form 01 figures are as of (31 December unless a form says earlier)."""
        return coverage.year_as_of(self.as_of, int(year))

    def models_as_of(self) -> dt.date:
        """The day the register's statuses are as of: the day form 02 states for the period's last
        year, else that year's form 01 day."""
        end = self.period[1]
        dates = self.as_of.loc[(self.as_of["form"] == "02") & (self.as_of["year"] == end), "date"]
        return min(dates) if len(dates) else self.as_of_date(end)

    @property
    def mid_years(self) -> tuple[int, ...]:
        """The years (baseline included) whose figures stop before 31 December: mid-year figures."""
        return tuple(y for y in range(self.period[0] - 1, self.period[1] + 1)
                     if self.as_of_date(y) < dt.date(y, 12, 31))


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
                 units: pd.DataFrame | None = None, ledgers: list | None = None) -> Dataset:
    """Read every form in `data_dir` (default data/raw), check it, return clean frames and findings.
    `ledgers`: a list that receives each sheet's ledger (analysis.read.ledger), for the tests."""
    start, end = period or default_period()
    period = (start, end)
    maps = None if units is not None else Maps.for_period(period)
    units = (load_units() if maps is None else maps.units(period[1])) if units is None else units
    rules = load_rules()
    matcher = UnitMatcher(units)
    data_dir = Path(data_dir or config.RAW_DIR)
    reading = read_folder(data_dir, units_in_names=matcher.find_in_text, keep_ledgers=ledgers is not None)
    if ledgers is not None:
        ledgers.extend(reading.ledgers)
    findings = Findings(rules)
    sheet_units = _sheet_units(reading, matcher)
    problems.report_problems(reading.problems, findings)
    form01 = _form01(reading, period, rules, findings, matcher, maps, units)
    model_units = resolve.resolve_units(reading.models, matcher if maps is None else maps.any_matcher, findings,
                                        kinds=("model",))
    models = check_models(reading.models, reading, model_units, period, rules, findings)
    coverage.check_needed(reading, form01.years_read, period, data_dir, findings)
    as_of = coverage.as_of_frame(reading, form01.table_years, {t: c for (t, c) in form01.table_units.items()}, period)
    coverage.check_as_of(as_of, findings)
    clean = form01.units.rename(columns={"file": "source_file", "sheet": "source_sheet", "row": "source_row"})
    clean = clean[list(schemas.FORM01.columns)].astype(
        {"year": "int64", "source_row": "int64", "unit_code": str, "unit_name": str, "source_file": str,
         "source_sheet": str, **{f: "Int64" for f in COUNT_FIELDS}}).reset_index(drop=True)
    return Dataset(
        form01=schemas.FORM01.validate(clean, lazy=True),
        models=_frame(models, schemas.MODELS, {"year_built": "int64", "households": "Int64", "year_stopped": "Int64",
                                              "source_row": "int64"}),
        reported_totals=_frame(form01.totals, schemas.REPORTED_TOTALS, {"year": "int64", "value": float}),
        reported_percents=schemas.REPORTED_PERCENTS.validate(form01.percents, lazy=True),
        findings=_with_sheet_units(findings.frame(), sheet_units),
        sources=reading.sources,
        period=period,
        as_of=as_of,
    )


@dataclass
class _Form01:
    units: pd.DataFrame          # the unit rows, checked and deduplicated
    totals: pd.DataFrame         # the reported totals
    percents: pd.DataFrame       # the reported percents (schemas.REPORTED_PERCENTS)
    years_read: set[int]
    table_years: dict[int, set[int]]
    table_units: dict[int, str]


def _form01(reading: Reading, period: tuple[int, int], rules, findings: Findings, matcher: UnitMatcher, maps,
            units: pd.DataFrame) -> _Form01:
    """Form 01: the units and years of the rows, the counts, then every rule on them."""
    records = reading.form01
    years = resolve.resolve_years(records, period, findings)
    names = resolve.resolve_units(records, matcher, findings, kinds=("unit",), years=years, maps=maps,
                                  skip_without_year=True)
    failing = form01.check_campaign_columns(reading, records, years, period, findings)
    table_years: dict[int, set[int]] = {}
    for table, year in zip(records["table"].tolist(), years):
        if year is not None:
            table_years.setdefault(table, set()).add(year)
    keep = pd.Series([y is not None and t not in failing for y, t in zip(years, records["table"].tolist())],
                     index=records.index, dtype=bool)
    kept = records[keep].assign(year=[y for y, k in zip(years, keep) if k],
                                unit_code=[c for c, k in zip(names.codes, keep) if k],
                                unit_name=[n for n, k in zip(names.names, keep) if k]).reset_index(drop=True)
    rows, flagged = form01.counts_frame(reading, kept, rules, findings)
    cells = form01.Cells(reading, rows)
    known = rows[(rows["kind"] == "unit") & rows["unit_code"].notna() & (rows["unit_code"] != "")]
    form01.check_missing_whole(known, findings, cells, flagged)
    known = form01.dedupe(known, findings)
    form01.check_comparisons(known, rules, findings, cells)
    totals = tot.check_totals(rows, known, rules, findings, cells, flagged)
    found = tot.reported_percents(kept, rows, known, cells)
    tot.check_percents(found, rows, findings, flagged)
    if not known.empty:
        suggested = {(int(y), code) for (table, row), code in names.suggested.items() if code
                     for y in table_years.get(table, ())}
        coverage.check_coverage(known, units if maps is None else maps.units, rules, findings, cells, suggested)
    return _Form01(known, totals, _percents_frame(found, rows), set(y for y in years if y is not None), table_years,
                   _table_units(reading, matcher))


def _percents_frame(found: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    at = rows.loc[found.index]
    frame = pd.DataFrame({
        "unit_code": at["unit_code"].fillna("").where(at["kind"] == "unit", "").to_numpy(),
        "year": at["year"].to_numpy(), "field": found["field"].to_numpy(), "value": found["value"].to_numpy(),
        "decimals": found["decimals"].to_numpy(), "source_file": at["file"].to_numpy(),
        "source_sheet": at["sheet"].to_numpy(),
        "cell": [c or f"dòng {r}" for c, r in zip(found["cell"].tolist(), at["row"].tolist())]})
    return frame.astype({"unit_code": str, "year": "int64", "field": str, "value": float, "decimals": "int64",
                         "source_file": str, "source_sheet": str, "cell": str})


def _table_units(reading: Reading, matcher: UnitMatcher) -> dict[int, str]:
    """The unit of each table of a file per unit (its title or file name), by table."""
    out = {}
    tables = reading.tables
    for table, unit_from, text in zip(tables["table"], tables["unit_from"], tables["unit_text"]):
        if unit_from in ("title", "file") and isinstance(text, str) and text:
            code = matcher.match(text).code
            if code:
                out[int(table)] = code
    return out


def _sheet_units(reading: Reading, matcher: UnitMatcher) -> dict[tuple[str, str], tuple[str, str]]:
    """(file, sheet) of a file per unit -> (code, name) of its unit: its findings are that unit's."""
    units = _table_units(reading, matcher)
    tables = reading.tables.set_index("table")
    return {(tables.at[t, "file"], tables.at[t, "sheet"]): (code, matcher.name_of(code)) for t, code in units.items()}


def _with_sheet_units(findings: pd.DataFrame, sheet_units: dict) -> pd.DataFrame:
    """A finding without a unit, in the sheet of a file per unit, is that unit's (validate --by-unit)."""
    if not sheet_units or findings.empty:
        return findings
    keys = list(zip(findings["file"], findings["sheet"]))
    missing = (findings["unit_code"] == "").to_numpy()
    findings = findings.copy()
    for i in [i for i, key in enumerate(keys) if missing[i] and key in sheet_units]:
        findings.iat[i, findings.columns.get_loc("unit_code")] = sheet_units[keys[i]][0]
        findings.iat[i, findings.columns.get_loc("unit_name")] = sheet_units[keys[i]][1]
    return findings


def _frame(frame: pd.DataFrame, schema, dtypes: dict) -> pd.DataFrame:
    frame = frame.reindex(columns=list(schema.columns))
    text = {name: "str" for name, column in schema.columns.items() if "str" in str(column.dtype)}
    return schema.validate(frame.astype({**text, **dtypes}), lazy=True)


def write_processed(dataset: Dataset, out_dir: Path = config.PROCESSED_DIR) -> list[Path]:
    """The clean frames and findings as Parquet, each written atomically."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in ("form01", "models", "reported_totals", "reported_percents", "findings", "sources", "as_of"):
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
