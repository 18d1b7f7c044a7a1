"""Report parameters: defaults from data/reference/report.yaml, then a `-f` file, then options.

Every value an analyst may need to change before signing lives in that file, not in code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import stat
from dataclasses import dataclass, field
from pathlib import Path

from analysis import config
from analysis.errors import UsageError
from analysis.safe_yaml import load_yaml_file
from analysis.terminal import visible
from analysis.typed_config import Invalid, build, located, nonempty_text, text

DEFAULTS_FILE = config.REPORT_DEFAULTS_FILE


def _period(value) -> tuple[int, int]:
    from analysis.periods import parse_period

    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, int) for v in value):
        value = f"{value[0]}-{value[1]}"
    if not isinstance(value, str):
        raise Invalid("kỳ báo cáo dạng năm đầu-năm cuối, ví dụ 2021-2023")
    try:
        return parse_period(value)
    except UsageError:
        raise Invalid("kỳ báo cáo dạng năm đầu-năm cuối, ví dụ 2021-2023, năm đầu không sau năm cuối") from None


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
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise Invalid("đường dẫn một tệp nhận định (Markdown) có thật") from None
    except OSError:
        raise Invalid("đường dẫn một tệp nhận định (Markdown) đọc được") from None
    if not stat.S_ISREG(mode):
        raise Invalid("đường dẫn một tệp nhận định (Markdown) thông thường, không phải thư mục hay ống")
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


@dataclass(frozen=True)
class ReportParams:
    """The schema of report.yaml: a key is a field; its type picks the check (analysis.typed_config)."""

    period: tuple[int, int] = field(metadata={"convert": _period})
    unit: tuple[str, ...] = field(metadata={"convert": _units})  # ("city",), ("all",) or GSO codes
    issuer_parent: str
    issuer: str
    number: str
    place: str
    review_date: dt.date
    data_as_of: dt.date
    doc_type: str
    title: str
    signer_on_behalf: str
    signer_title: str
    signer_name: str
    recipients: tuple[str, ...]
    draft: bool
    narrative: Path = field(metadata={"convert": _narrative})
    # the document the report answers: "Kế hoạch số …-KH/TU, ngày … của …"
    basis: str = field(default="", metadata={"convert": _line})
    reporter: str = field(default="", metadata={"convert": _line})  # who reports: "Ban Thường vụ Thành ủy"
    campaign: str = field(default="", metadata={"convert": _line})  # the campaign's full name, spelled out once
    # defaults of a ward's or commune's own report, and per-unit overrides by GSO code
    unit_report: tuple[tuple[str, object], ...] = field(default=(), metadata={"convert": _pairs})
    units: tuple[tuple[str, tuple[tuple[str, object], ...]], ...] = field(default=(), metadata={"convert": _unit_pairs})
    # figures of an earlier report to reconcile with (CSV with source and date)
    earlier_figures: Path | None = field(default=None, metadata={"convert": _optional_path})

    def unit_settings(self, code: str) -> dict:
        """The settings of one ward's or commune's report: `unit_report`, then `units[code]`."""
        return {**dict(self.unit_report), **dict(dict(self.units).get(str(code), ()))}

    def as_pairs(self) -> tuple[tuple[str, str], ...]:
        """The parameters as listed in the companion file's provenance."""
        pairs = []
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.name == "period":
                value = f"{value[0]}-{value[1]}"
            elif field.name in ("unit_report", "units"):
                value = "; ".join(f"{k} = {v}" for k, v in value) if field.name == "unit_report" else \
                    ", ".join(code for code, _ in value) or "không có"
            elif isinstance(value, tuple):
                value = ", ".join(value) if field.name != "recipients" else f"{len(value)} nơi"
            elif isinstance(value, Path):
                value = _relative(value)
            elif value is None:
                value = ""
            pairs.append((field.name, str(value)))
        return tuple(pairs)


def _relative(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(config.ROOT))
    except ValueError:
        return str(path)


def _read(path: Path, what: str) -> tuple[dict, dict[str, str]]:
    """A parameters file and where each key is (file and line)."""
    data, lines = load_yaml_file(path, what=what)
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise UsageError(f"{what} “{visible(str(path))}” phải gồm các dòng “tên: giá trị” (khóa: giá trị)")
    return {str(k): v for k, v in data.items()}, located(lines, f"{what} “{visible(_relative(path))}”")


def _consistent(values: dict) -> list[tuple[str, str]]:
    problems = []
    start, end = values["period"]
    if values["data_as_of"] < dt.date(start, 1, 1):
        problems.append(("data_as_of", f"ngày số liệu {values['data_as_of'].isoformat()} trước kỳ báo cáo "
                                       f"{start}-{end}: cần một ngày trong kỳ"))
    if values["data_as_of"] > values["review_date"]:
        problems.append(("data_as_of", f"ngày số liệu {values['data_as_of'].isoformat()} sau ngày báo cáo "
                                       f"(review_date {values['review_date'].isoformat()})"))
    return problems


def load_params(file: Path | None = None, **overrides) -> ReportParams:
    """Defaults, then `file`, then `overrides` (None values are ignored), checked against ReportParams."""
    data, places = _read(DEFAULTS_FILE, "tệp tham số mặc định")
    if file is not None:
        more, more_places = _read(Path(file), "tệp tham số")
        data.update(more)
        places.update(more_places)
    given = {k: v for k, v in overrides.items() if v is not None}
    data.update(given)
    places.update({k: "tùy chọn của lệnh" for k in given})
    params = build(ReportParams, data, places, title="tham số báo cáo", check=_consistent)
    return dataclasses.replace(params, title=" ".join(params.title.split()))
