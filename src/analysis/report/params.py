"""Report parameters: defaults from data/reference/report.yaml, then a `-f` file, then options.

Every value an analyst may need to change before signing lives in that file, not in code.
A review of another period has its own file, data/reference/reviews/<start>-<end>.yaml (same
keys), read over the defaults when the period is that one and under a `-f` file and options.

The review's wording comes from the period and the campaign's span (`campaign_period`):
"Tổng kết N năm" when the period ends at the campaign's end, else "Sơ kết N năm", N counting
the completed years (a last year whose figures stop before 31/12 is not counted). Which years
are complete is what the forms say (the as-of day each states, analysis.dataset), never a
parameter: the title keeps its {review} until the report is built (`ReportParams.review_for`,
`title_for`). The `data_as_of` key of earlier versions is refused with a message saying so.

The map of units the report is on (`map`): empty, the map in force on the review date; a year,
the map of that year's forms. The map must cover the period's last year (a located error
otherwise): the forms of a later map cannot be split back onto older units.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict

from analysis import config
from analysis.errors import UsageError
from analysis.formatting import fmt_short_date
from analysis.periods import parse_period
from analysis.reference import units_in_force
from analysis.safe_files import MISSING, file_problem
from analysis.safe_yaml import load_yaml_file
from analysis.terminal import visible
from analysis.typed_config import Boolean, Date, Invalid, Text, TextList, build, checked, located, nonempty_text, text
from analysis.vocabulary import AREA_CODE

if TYPE_CHECKING:  # the parameters are read without the data stack (the up-to-date check of `report`)
    import pandas as pd

DEFAULTS_FILE = config.REPORT_DEFAULTS_FILE
REVIEWS_DIR = config.REFERENCE_DIR / "reviews"


def _period(value) -> tuple[int, int]:
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, int) for v in value):
        value = f"{value[0]}-{value[1]}"
    if not isinstance(value, str):
        raise Invalid("kỳ báo cáo dạng năm đầu-năm cuối, ví dụ 2021-2025")
    try:
        return parse_period(value)
    except UsageError:
        raise Invalid("kỳ báo cáo dạng năm đầu-năm cuối, ví dụ 2021-2025, năm đầu không sau năm cuối") from None


def _map_year(value) -> int | None:
    """Empty: the map in force on the review date; otherwise a year (the map of its forms)."""
    if value in (None, ""):
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1900 < value < 2100:
        return value
    if isinstance(value, str) and value.strip().isdigit() and 1900 < int(value) < 2100:
        return int(value)
    raise Invalid("một năm (ví dụ 2024: bản đồ đơn vị của các biểu năm đó) hoặc để trống (bản đồ đơn vị "
                  "có hiệu lực vào ngày báo cáo)")


def _units(value) -> tuple[str, ...]:
    expected = "city, all, một mã xã, phường (ví dụ 23326) hoặc danh sách các mã"
    if isinstance(value, (list, tuple)):
        items = value
    elif isinstance(value, (str, int)) and not isinstance(value, bool):
        items = str(value).replace(",", " ").split()
    else:
        raise Invalid(expected)
    try:
        units = tuple(text(item).strip() for item in items)
    except Invalid:
        raise Invalid(expected) from None
    if not units or not all(units):
        raise Invalid(expected)
    return units


def _narrative(value) -> Path:
    """The analyst's Markdown file: it must exist and be a regular file (a FIFO would block)."""
    path = Path(nonempty_text(value))
    path = path if path.is_absolute() else config.ROOT / path
    problem = file_problem(path, within=config.ROOT)
    if problem == MISSING:
        raise Invalid("đường dẫn một tệp nhận định (Markdown) có thật")
    if problem:
        raise Invalid(f"đường dẫn một tệp nhận định (Markdown) thông thường, không phải thư mục hay ống; tệp này {problem}")
    return path


def _line(value) -> str:
    """Text on one line (a YAML folded value may carry line breaks); empty when not given."""
    return "" if value is None else " ".join(text(value).split())


def _pairs(value) -> tuple[tuple[str, object], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise Invalid("các dòng “tên: giá trị”")
    return tuple((str(k), tuple(v) if isinstance(v, list) else v) for k, v in value.items())


def _unit_pairs(value) -> tuple[tuple[str, tuple[tuple[str, object], ...]], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise Invalid("các dòng “mã đơn vị: các tham số của đơn vị đó”")
    return tuple((str(code), _pairs(values)) for code, values in value.items())


def _optional_path(value) -> Path | None:
    if value in (None, ""):
        return None
    path = Path(text(value))
    return path if path.is_absolute() else config.ROOT / path


def _earlier_figures(value) -> Path | None:
    """A CSV file of figures: when it exists, a regular file (a FIFO or /dev/zero would block or never
    end); a missing one is said when it is read (analysis.compute.reconcile)."""
    path = _optional_path(value)
    problem = None if path is None else file_problem(path, within=config.ROOT)
    if problem and problem != MISSING:
        raise Invalid(f"đường dẫn một tệp CSV thông thường, không phải thư mục hay ống; tệp này {problem}")
    return path


class ReportParams(BaseModel):
    """The schema of report.yaml: a key is a field; its type carries its check (analysis.typed_config)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    period: Annotated[tuple[int, int], checked(_period)]
    unit: Annotated[tuple[str, ...], checked(_units)]  # ("city",), ("all",) or GSO codes
    issuer_parent: Text
    issuer: Text
    number: Text
    place: Text
    review_date: Date
    doc_type: Text
    title: Text
    signer_on_behalf: Text
    signer_title: Text
    signer_name: Text
    recipients: TextList
    draft: Boolean
    narrative: Annotated[Path, checked(_narrative)]
    # the document the report answers: "Kế hoạch số …-KH/TU, ngày … của …"
    basis: Annotated[str, checked(_line)] = ""
    reporter: Annotated[str, checked(_line)] = ""  # who reports: "Ban Thường vụ Thành ủy"
    campaign: Annotated[str, checked(_line)] = ""  # the campaign's full name, spelled out once
    # defaults of a ward's or commune's own report, and per-unit overrides by GSO code
    unit_report: Annotated[tuple[tuple[str, Any], ...], checked(_pairs)] = ()
    units: Annotated[tuple[tuple[str, tuple[tuple[str, Any], ...]], ...], checked(_unit_pairs)] = ()
    # figures of an earlier report to reconcile with (CSV with source and date)
    earlier_figures: Annotated[Path | None, checked(_earlier_figures)] = None
    # the campaign's own span: a review ending at its end is a "tổng kết"
    campaign_period: Annotated[tuple[int, int] | None, checked(_period)] = None
    # the map of units: None = in force on review_date; a year = the map of that year's forms
    map: Annotated[int | None, checked(_map_year)] = None

    @property
    def is_final_review(self) -> bool:
        """The period ends at the campaign's end: a tổng kết."""
        return self.campaign_period is not None and self.period[1] == self.campaign_period[1]

    def review_years(self, last_year_complete: bool) -> int:
        """The completed years the review covers: the last year only if its figures are complete
        (what the forms say: Computed.last_year_complete)."""
        start, end = self.period
        return max(1, end - start + (1 if last_year_complete or self.is_final_review else 0))

    @property
    def review_kind(self) -> str:
        """"tổng kết" or "sơ kết" (in a sentence)."""
        return "tổng kết" if self.is_final_review else "sơ kết"

    def review_for(self, last_year_complete: bool) -> str:
        """"Sơ kết 2 năm", "Tổng kết 5 năm": as the title starts."""
        return f"{self.review_kind.capitalize()} {self.review_years(last_year_complete)} năm"

    def title_for(self, last_year_complete: bool) -> str:
        """The title with its {review} filled in."""
        return self.title.format(review=self.review_for(last_year_complete))

    @property
    def map_day(self) -> dt.date:
        """The day whose units the report is on: 31/12 of `map`, else the review date."""
        return self.review_date if self.map is None else dt.date(self.map, 12, 31)

    def unit_settings(self, code: str) -> dict:
        """The settings of one ward's or commune's report: `unit_report`, then `units[code]`."""
        return {**dict(self.unit_report), **dict(dict(self.units).get(str(code), ()))}

    def with_number(self, code: str, number: str) -> ReportParams:
        """These parameters with `number` as the number of the report of `code`: the area's
        `number`, or a unit's `units[code].number` (`report --unit CODE --number …`)."""
        if str(code) in (AREA_CODE, "city"):
            return self.model_copy(update={"number": number})
        units = dict(self.units)
        own = tuple((k, v) for k, v in units.get(str(code), ()) if k != "number")
        units[str(code)] = (*own, ("number", number))
        return self.model_copy(update={"units": tuple(units.items())})

    def as_pairs(self) -> tuple[tuple[str, str], ...]:
        """The parameters as listed in the companion file's provenance: each named in Vietnamese,
        with its key in report.yaml after it (the analyst edits the file by key)."""
        pairs = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            if name in ("period", "campaign_period") and value is not None:
                value = f"{value[0]}-{value[1]}"
            elif name in ("unit_report", "units"):
                value = "; ".join(f"{k} = {v}" for k, v in value) if name == "unit_report" else \
                    ", ".join(code for code, _ in value) or "không có"
            elif isinstance(value, tuple):
                value = ", ".join(value) if name != "recipients" else f"{len(value)} nơi"
            elif isinstance(value, Path):
                value = _relative(value)
            elif value is None:
                value = ""
            pairs.append((parameter_label(name), str(value)))
        return tuple(pairs)


# What each key of report.yaml is, as the companion file names it (tests: every field has one).
PARAMETER_LABELS = {
    "period": "Kỳ báo cáo", "unit": "Báo cáo của", "issuer_parent": "Cơ quan cấp trên", "issuer": "Cơ quan ban hành",
    "number": "Số, ký hiệu", "place": "Địa danh", "review_date": "Ngày báo cáo", "doc_type": "Loại văn bản",
    "title": "Trích yếu", "signer_on_behalf": "Thẩm quyền ký", "signer_title": "Chức vụ người ký",
    "signer_name": "Người ký", "recipients": "Nơi nhận", "draft": "Dự thảo", "narrative": "Tệp nhận định",
    "basis": "Căn cứ", "reporter": "Cơ quan báo cáo", "campaign": "Tên Cuộc vận động",
    "unit_report": "Mặc định cho báo cáo của xã, phường", "units": "Tham số riêng của từng đơn vị",
    "earlier_figures": "Số liệu báo cáo trước để đối chiếu", "campaign_period": "Thời gian Cuộc vận động",
    "map": "Bản đồ đơn vị (năm của biểu)", "unit_code": "Mã đơn vị của báo cáo",
}


def parameter_label(key: str) -> str:
    """"Cơ quan cấp trên (issuer_parent)"."""
    return f"{PARAMETER_LABELS[key]} ({key})" if key in PARAMETER_LABELS else key


def narrative_file_for(params: ReportParams, units: pd.DataFrame, unit_code: str) -> Path | None:
    """The analyst's text of a report: the area's from the parameters; a unit's own file
    (`units[code].narrative`, else `<narrative_dir>/<slug>.md`) if it exists, else None."""
    if unit_code == AREA_CODE:
        return params.narrative
    path = expected_narrative_file(params, units, unit_code)
    return path if path.exists() else None


def expected_narrative_file(params: ReportParams, units: pd.DataFrame, unit_code: str) -> Path:
    """Where the text of a report is, or is to be written (`python -m analysis narrative`)."""
    if unit_code == AREA_CODE:
        return params.narrative
    settings = params.unit_settings(unit_code)
    slug = units.set_index("code").at[unit_code, "slug"]
    folder = Path(str(settings.get("narrative_dir") or config.NARRATIVE_DIR))
    folder = folder if folder.is_absolute() else config.ROOT / folder
    own = settings.get("narrative")
    path = Path(str(own)) if own else folder / f"{slug}.md"
    return path if path.is_absolute() else config.ROOT / path


def _relative(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(config.ROOT))
    except ValueError:
        return str(path)


def _read(path: Path, what: str) -> tuple[dict, dict[str, str]]:
    """A parameters file and where each key is (file and line)."""
    data, lines = load_yaml_file(path, what=what, within=config.ROOT)
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise UsageError(f"{what} “{visible(str(path))}” phải gồm các dòng “tên: giá trị” (khóa: giá trị)")
    return {str(k): v for k, v in data.items()}, located(lines, f"{what} “{visible(_relative(path))}”")


def _consistent(values: dict) -> list[tuple[str, str]]:
    return _map_problems(values)


# The key of earlier versions that said how far the last year's figures go: the forms say it now.
RETIRED = {"data_as_of": (
    "không còn dùng: ngày số liệu của mỗi năm lấy từ chính các biểu (dòng tiêu đề “NĂM 2023 (số liệu đến ngày "
    "15/6/2023)”, “Từ năm 2021 đến ngày 15/6/2023”, “6 tháng đầu năm 2023”, hoặc tên trang tính, tên tệp); biểu "
    "không ghi ngày thì số liệu tính đến ngày 31/12. Xóa khóa này khỏi tệp tham số")}


def _retired(data: dict, places: dict) -> None:
    for key, why in RETIRED.items():
        if key in data:
            where = places.get(key, "?")
            if where == "tùy chọn của lệnh":
                raise UsageError(f"tùy chọn --{key.replace('_', '-')} {why.split('. Xóa')[0]}")
            raise UsageError(f"tham số báo cáo: khóa {key} ({where}) {why}.")


def _map_problems(values: dict) -> list[tuple[str, str]]:
    """The chosen map must not be older than the map of the period's last year's forms: a later
    map's figures cannot be split back onto the units they replaced (an older year's figures are
    summed forward through the crosswalk)."""
    year = values.get("map")
    day = values["review_date"] if year is None else dt.date(year, 12, 31)
    start, end = values["period"]
    last = units_in_force(dt.date(end, 12, 31))  # the map the last year's forms use
    begins = [since for since, _ in last if since is not None]
    if not begins or day >= max(begins):
        return []
    chosen = units_in_force(day)
    which = (f"bản đồ đơn vị năm {year}" if year is not None
             else f"bản đồ đơn vị có hiệu lực ngày báo cáo {fmt_short_date(values['review_date'])}")
    return [("map" if year is not None else "review_date",
             f"{which} ({len(chosen)} đơn vị) không dùng được cho kỳ {start}-{end}: số liệu năm {end} ghi theo "
             f"{len(last)} đơn vị có hiệu lực từ ngày {fmt_short_date(max(begins))}, không tách ngược về các "
             f"đơn vị cũ được. " + (f"Bỏ tùy chọn --map (dùng bản đồ đơn vị có hiệu lực vào ngày báo cáo) hoặc chọn "
                                    f"kỳ báo cáo kết thúc trước năm {max(begins).year}." if year is not None else
                                    f"Ngày báo cáo cần từ ngày {fmt_short_date(max(begins))} trở đi, hoặc chọn "
                                    f"kỳ báo cáo kết thúc trước năm {max(begins).year}."))]


def _period_text(data: dict) -> str | None:
    value = data.get("period")
    if isinstance(value, tuple) and len(value) == 2:
        return f"{value[0]}-{value[1]}"
    return None if value is None else str(value).replace("–", "-").replace(" ", "")


def review_file(period: str | None) -> Path | None:
    """data/reference/reviews/<start>-<end>.yaml when there is one for this period."""
    if not period:
        return None
    path = REVIEWS_DIR / f"{period}.yaml"
    return path if path.is_file() else None


def load_params(file: Path | None = None, **overrides) -> ReportParams:
    """Defaults, then the period's review file (if any), then `file`, then `overrides` (None
    values are ignored), checked against ReportParams (the title's {review} is filled in by
    `title_for`, once the forms say which years are complete)."""
    data, places = _read(DEFAULTS_FILE, "tệp tham số mặc định")
    more, more_places = ({}, {}) if file is None else _read(Path(file), "tệp tham số")
    given = {k: v for k, v in overrides.items() if v is not None}
    period = _period_text(given) or _period_text(more) or _period_text(data)
    review = review_file(period)
    if review is not None:
        of_review, review_places = _read(review, "tệp tham số của kỳ báo cáo")
        data.update(of_review)
        places.update(review_places)
    data.update(more)
    places.update(more_places)
    data.update(given)
    places.update({k: "tùy chọn của lệnh" for k in given})
    _retired(data, places)
    params = build(ReportParams, data, places, title="tham số báo cáo", check=_consistent)
    title = " ".join(params.title.split())
    try:
        title.format(review="Sơ kết 1 năm")  # the review is filled in once the forms say which years are complete
    except (KeyError, IndexError, ValueError):
        raise UsageError(f"tham số báo cáo: khóa title ({places.get('title', '?')}): chỉ được dùng {{review}} "
                         f"(ví dụ “{{review}} thực hiện Cuộc vận động …”); dấu ngoặc nhọn khác không hợp lệ") from None
    return params.model_copy(update={"title": title})
