"""The sample sets' own numbers and words, read from the data files beside the generator.

samples/data/three_years.yaml (the bundled set), five_years.yaml (the five-year set), units.csv
(each unit's relative size and how its office spells it), forms.yaml (the forms' layout and the
register's words) and draws.yaml (how the per-unit figures are drawn). The code of the package
holds none of these: a sample for another city or review is a change of these files.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal, cast, get_args

from analysis.errors import UsageError
from analysis.safe_yaml import load_yaml_file

DATA_DIR = Path(__file__).resolve().parent / "data"
WHAT = "tệp số liệu mẫu"
NormalForm = Literal["NFC", "NFD", "NFKC", "NFKD"]
FORMS = get_args(NormalForm)


@dataclass(frozen=True)
class YearForm:
    """One form 01: its year, the day its figures are as of, its city totals, its title line."""

    year: int
    as_of: str
    totals: dict[str, int]
    title: str | None = None

    @property
    def period_line(self) -> str:
        """The form's second title row, where the reader takes the day from."""
        return self.title or f"NĂM {self.year} (số liệu đến ngày {self.as_of})"


@dataclass(frozen=True)
class Register:
    """Form 02: models built per year, statuses on the register's day (`until`)."""

    until: str
    built: dict[int, int]
    replicated: int
    seed: int | None = None
    stopped: int = 0
    stopped_from: int | None = None


@dataclass(frozen=True)
class ThreeYears:
    """The bundled set (data/raw)."""

    period: tuple[int, int]
    seed: int
    agency: tuple[str, str]
    creator: str
    document_time: str
    years: dict[int, YearForm]
    register: Register
    planted: dict[str, dict] = field(default_factory=dict)
    typing: dict[str, dict] = field(default_factory=dict)


@dataclass(frozen=True)
class FiveYears:
    """The five-year set: the bundled forms of `bundled_years`, then years drawn in groups."""

    period: tuple[int, int]
    bundled_years: tuple[int, ...]
    new_map_agency: tuple[str, str]
    draws: tuple[tuple[int, dict[int, YearForm]], ...]  # (seed, {year: form})
    register: Register


Range = tuple[float, float]


@dataclass(frozen=True)
class UnitDraws:
    """draws.yaml's `units`: how each year's per-unit figures are drawn."""

    yearly_change: Range
    reach_spread: Range
    part_weight: dict[str, float]  # by type of unit
    poverty_weight: dict[str, float]
    poverty_spread: Range


@dataclass(frozen=True)
class ModelDraws:
    """draws.yaml's `models`: how the models of the register are drawn."""

    size_power: float
    spread: Range
    villages: tuple[int, int]  # numpy's integers: the upper bound excluded
    households: tuple[int, int]


@dataclass(frozen=True)
class SampleUnit:
    weight: int | None
    spelling: str


def _yaml(name: str) -> dict:
    data, _ = load_yaml_file(DATA_DIR / name, what=WHAT)
    if not isinstance(data, dict):
        raise UsageError(f"{WHAT} “{DATA_DIR / name}” không phải một bảng khóa: giá trị.")
    return data


def _years(raw: dict) -> dict[int, YearForm]:
    return {int(year): YearForm(int(year), str(form["as_of"]), {k: int(v) for k, v in form["totals"].items()},
                                form.get("title"))
            for year, form in raw.items()}


def _register(raw: dict) -> Register:
    return Register(until=raw["until"], built={int(y): int(n) for y, n in raw["built"].items()},
                    replicated=int(raw["replicated"]), seed=raw.get("seed"), stopped=int(raw.get("stopped", 0)),
                    stopped_from=raw.get("stopped_from"))


@cache
def three_years() -> ThreeYears:
    raw = _yaml("three_years.yaml")
    return ThreeYears(period=tuple(raw["period"]), seed=int(raw["seed"]), agency=tuple(raw["agency"]),
                      creator=raw["creator"], document_time=raw["document_time"], years=_years(raw["years"]),
                      register=_register(raw["register"]), planted=raw.get("planted", {}),
                      typing=raw.get("typing", {}))


@cache
def five_years() -> FiveYears:
    raw = _yaml("five_years.yaml")
    return FiveYears(period=tuple(raw["period"]), bundled_years=tuple(raw["bundled_years"]),
                     new_map_agency=tuple(raw["new_map_agency"]),
                     draws=tuple((int(group["seed"]), _years(group["years"])) for group in raw["draws"]),
                     register=_register(raw["register"]))


@cache
def forms() -> dict:
    return _yaml("forms.yaml")


def _range(pair, kind=float) -> tuple:
    low, high = pair
    return kind(low), kind(high)


@cache
def unit_draws() -> UnitDraws:
    raw = _yaml("draws.yaml")["units"]
    return UnitDraws(_range(raw["yearly_change"]), _range(raw["reach_spread"]),
                     {kind: float(v) for kind, v in raw["part_weight"].items()},
                     {kind: float(v) for kind, v in raw["poverty_weight"].items()}, _range(raw["poverty_spread"]))


@cache
def model_draws() -> ModelDraws:
    raw = _yaml("draws.yaml")["models"]
    return ModelDraws(float(raw["size_power"]), _range(raw["spread"]), _range(raw["villages"], int),
                      _range(raw["households"], int))


@cache
def sample_units() -> dict[tuple[str, str], SampleUnit]:
    """{(code, valid_from as in data/reference/units.csv): its size and spelling}."""
    path = DATA_DIR / "units.csv"
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    return {(row["code"], row["valid_from"]): SampleUnit(
                int(row["weight"]) if row["weight"] else None,
                _normalized(row["spelling"], row["normalize"], path))
            for row in rows}


def _normalized(text: str, form: str, path: Path) -> str:
    """`text` in the Unicode normal form `form` (NFD: how some offices' software types it), as is when ""."""
    if form == "":
        return text
    if form not in FORMS:
        raise UsageError(f"{WHAT} “{path}”: cột normalize chỉ nhận {', '.join(FORMS)}, không nhận “{form}”.")
    return unicodedata.normalize(cast(NormalForm, form), text)


def sample_unit(code: str, valid_from: str) -> SampleUnit:
    """The sample's row for a unit of data/reference/units.csv; a located message when it has none."""
    try:
        return sample_units()[(code, valid_from)]
    except KeyError:
        raise UsageError(f"{WHAT} “{DATA_DIR / 'units.csv'}” thiếu đơn vị mã {code}"
                         f"{f' (có hiệu lực từ {valid_from})' if valid_from else ''}.") from None
