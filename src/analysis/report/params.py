"""Report parameters: defaults from data/reference/report.yaml, then a `-f` file, then options.

Every value an analyst may need to change before signing lives in that file, not in code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from analysis import config
from analysis.errors import UsageError

DEFAULTS_FILE = config.REPORT_DEFAULTS_FILE


@dataclass(frozen=True)
class ReportParams:
    period: tuple[int, int]
    unit: tuple[str, ...]            # ("city",), ("all",) or GSO codes
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
    narrative: Path
    basis: str = ""                  # the document the report answers: "Kế hoạch số …-KH/TU, ngày … của …"
    reporter: str = ""               # who reports, in the opening sentence: "Ban Thường vụ Thành ủy"
    campaign: str = ""               # the campaign's full name, spelled out once in the opening
    unit_report: tuple[tuple[str, object], ...] = ()   # defaults of a ward's or commune's own report
    units: tuple[tuple[str, tuple[tuple[str, object], ...]], ...] = ()  # per-unit overrides, by GSO code
    earlier_figures: Path | None = None  # figures of an earlier report to reconcile with (CSV with source, date)

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


def _read(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
    except FileNotFoundError:
        raise UsageError(f"không tìm thấy tệp tham số “{path}”") from None
    except yaml.YAMLError as error:
        raise UsageError(f"tệp tham số “{path}” sai cú pháp YAML: {error}") from None
    if not isinstance(data, dict):
        raise UsageError(f"tệp tham số “{path}” phải gồm các dòng “tên: giá trị”")
    return data


def _date(value, name: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise UsageError(f"tham số {name} = “{value}” không phải ngày (ghi dạng 2023-06-23)") from None


def load_params(file: Path | None = None, **overrides) -> ReportParams:
    """Defaults, then `file`, then `overrides` (None values are ignored)."""
    from analysis.dataset import parse_period

    data = _read(DEFAULTS_FILE)
    if file is not None:
        data.update(_read(Path(file)))
    data.update({k: v for k, v in overrides.items() if v is not None})
    known = {f.name for f in dataclasses.fields(ReportParams)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise UsageError(f"tham số không hợp lệ: {', '.join(unknown)}; các tham số có: {', '.join(sorted(known))}")
    optional = {f.name for f in dataclasses.fields(ReportParams) if f.default is not dataclasses.MISSING}
    missing = sorted(known - optional - set(data))
    if missing:
        raise UsageError(f"thiếu tham số: {', '.join(missing)} (xem data/reference/report.yaml)")
    units = data["unit"]
    units = tuple(str(u) for u in (units if isinstance(units, (list, tuple)) else str(units).replace(",", " ").split()))
    narrative = Path(data["narrative"])
    return ReportParams(
        period=parse_period(data["period"]) if not isinstance(data["period"], tuple) else data["period"],
        unit=units,
        issuer_parent=str(data["issuer_parent"]),
        issuer=str(data["issuer"]),
        number=str(data["number"]),
        place=str(data["place"]),
        review_date=_date(data["review_date"], "review_date"),
        data_as_of=_date(data["data_as_of"], "data_as_of"),
        doc_type=str(data["doc_type"]),
        title=" ".join(str(data["title"]).split()),
        signer_on_behalf=str(data["signer_on_behalf"]),
        signer_title=str(data["signer_title"]),
        signer_name=str(data["signer_name"]),
        recipients=tuple(str(r) for r in data["recipients"]),
        draft=bool(data["draft"]),
        narrative=narrative if narrative.is_absolute() else config.ROOT / narrative,
        basis=" ".join(str(data.get("basis") or "").split()),
        reporter=str(data.get("reporter") or ""),
        campaign=" ".join(str(data.get("campaign") or "").split()),
        unit_report=_pairs(data.get("unit_report"), "unit_report"),
        units=tuple((str(code), _pairs(values, f"units.{code}")) for code, values in (data.get("units") or {}).items()),
        earlier_figures=_path(data.get("earlier_figures")),
    )


def _pairs(value, name: str) -> tuple[tuple[str, object], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise UsageError(f"tham số {name} phải gồm các dòng “tên: giá trị”")
    return tuple((str(k), tuple(v) if isinstance(v, list) else v) for k, v in value.items())


def _path(value) -> Path | None:
    if value in (None, ""):
        return None
    path = Path(str(value))
    return path if path.is_absolute() else config.ROOT / path
