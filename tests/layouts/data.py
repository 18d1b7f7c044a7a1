"""The tidy data set a corpus example starts from: form 01 counts per unit and year, the models."""

from __future__ import annotations

import math
from dataclasses import dataclass

from hypothesis import strategies as st

from analysis.reference import load_header_aliases, load_statuses, load_units
from analysis.vocabulary import PART_FIELDS as HOUSEHOLD_PARTS
from analysis.vocabulary import SECTORS, STATUSES

UNITS = load_units().set_index("code")
UNIT_CODES = tuple(UNITS.index)
ALIASES = load_header_aliases()
STATUS_ALIASES = {code: [item["label"], *item["aliases"]] for code, item in load_statuses()["statuses"].items()}
SECTOR_ALIASES = {code: [item["label"], *item["aliases"]] for code, item in load_statuses()["sectors"].items()}
PERIODS = ((2021, 2023), (2022, 2023), (2021, 2022), (2022, 2024))


@dataclass(frozen=True)
class Model:
    name: str
    unit_code: str
    sector: str          # code: crops, livestock, trades, tourism, other
    year_built: int
    households: int
    status: str          # code: maintained, replicated, stopped, new
    year_stopped: int | None = None
    notes: str | None = None

    def key(self) -> tuple:
        return (self.name, self.unit_code, self.sector, self.year_built, self.households, self.status,
                self.year_stopped, self.notes)


@dataclass(frozen=True)
class TidyData:
    period: tuple[int, int]
    units: tuple[str, ...]                                   # GSO codes, sorted
    form01: dict[tuple[str, int], dict[str, int | None]]     # (code, year) -> every field of FORM01_FIELDS
    models: tuple[Model, ...]

    @property
    def years(self) -> list[int]:
        return list(range(self.period[0] - 1, self.period[1] + 1))

    @property
    def baseline_year(self) -> int:
        return self.period[0] - 1


ACTIVITIES = {
    "crops": ["trồng cà phê xen canh cây ăn quả", "trồng mì cao sản", "trồng lúa nước hai vụ", "trồng mắc ca"],
    "livestock": ["nuôi bò sinh sản", "nuôi heo rừng lai", "nuôi gà thả vườn", "nuôi cá nước ngọt"],
    "trades": ["dệt thổ cẩm", "đan lát mây tre", "chế biến cà phê bột"],
    "tourism": ["du lịch cộng đồng gắn với nhà rông", "du lịch trải nghiệm làng nghề"],
    "other": ["tổ hợp tác thu mua nông sản", "quỹ xoay vòng giống cây trồng"],
}
NOTES = ["Được các hộ khác học tập, làm theo", "Có hỗ trợ vốn vay ưu đãi", "Liên kết tiêu thụ với HTX"]


@st.composite
def _counts(draw, households: int, baseline: bool) -> dict[str, int | None]:
    def maybe(upper: int) -> int | None:
        value = draw(st.integers(0, upper))
        return None if draw(st.integers(0, 9)) == 9 else value  # about one value in ten is missing

    row: dict[str, int | None] = {"households": households}
    for name in HOUSEHOLD_PARTS:
        row[name] = None if baseline else maybe(households)
    row["poor"] = maybe(households)
    row["near_poor"] = maybe(households - (row["poor"] or 0))
    return row


@st.composite
def _model(draw, codes: list[str], period: tuple[int, int], number: int) -> Model:
    sector = draw(st.sampled_from(SECTORS))
    built = draw(st.integers(*period))
    statuses = list(STATUSES) if built == period[1] else ["maintained", "replicated", "stopped"]
    status = draw(st.sampled_from(statuses))
    activity = draw(st.sampled_from(ACTIVITIES[sector]))
    return Model(
        name=f"Mô hình {activity} tại thôn {number}",
        unit_code=draw(st.sampled_from(codes)),
        sector=sector,
        year_built=built,
        households=draw(st.integers(1, 60)),
        status=status,
        year_stopped=draw(st.integers(built, period[1])) if status == "stopped" else None,
        notes=draw(st.none() | st.sampled_from(NOTES)),
    )


@st.composite
def tidy_data(draw, period: tuple[int, int] | None = None, max_units: int = 5, max_models: int = 6) -> TidyData:
    """1-5 units from units.csv, every unit every year, parts <= whole, households moving < 15 % a year."""
    period = period or draw(st.sampled_from(PERIODS))
    codes = sorted(draw(st.lists(st.sampled_from(UNIT_CODES), min_size=1, max_size=max_units, unique=True)))
    form01: dict[tuple[str, int], dict[str, int | None]] = {}
    for code in codes:
        households = draw(st.integers(30, 4000))
        for year in range(period[0] - 1, period[1] + 1):
            if year >= period[0]:
                households = draw(st.integers(math.ceil(households * 0.88), math.floor(households * 1.12)))
            form01[(code, year)] = draw(_counts(households, baseline=year < period[0]))
    count = draw(st.integers(1, max_models))
    models = tuple(draw(_model(codes, period, number)) for number in range(1, count + 1))
    return TidyData(period, tuple(codes), form01, models)
