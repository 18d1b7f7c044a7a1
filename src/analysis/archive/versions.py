"""The two versions `python -m analysis diff A B` compares, and their comparison.

A version is named the way an office names it:

* an issued number ("Số 127-BC/TU", "127-BC/TU", or its folder name "127-BC-TU"), found in the
  output folder's `da-ban-hanh/`;
* a folder: an issued report's folder (one holding `thong-tin.json`), wherever it was copied;
* `du-thao` (DRAFT): the report as `report` would make it now from the forms of `--data` and the
  parameters, with the issued side's period, unit and map unless given.

Both versions must be of the same unit and on the same map of units (a report on the map in force
since 1/7/2025 is never compared with one on the earlier map: the same code names other units).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.archive.cells import changed_cells
from analysis.archive.issued import (
    FORMS_DIR,
    MANIFEST_FILE,
    PARAMS_FILE,
    Issued,
    MapOfUnits,
    all_issued,
    find_number,
    issued_root,
    map_of_units,
    read_issued,
)
from analysis.archive.printed import read_version, version_of
from analysis.archive.revision import scope_of
from analysis.dataset import load_dataset
from analysis.errors import DataError, UsageError
from analysis.report.changes import Comparison
from analysis.report.comparison import Version, compare
from analysis.compute.computed import compute_all, compute_for
from analysis.report.content import build_report
from analysis.report.params import load_params
from analysis.terminal import made_visible, visible
from analysis.vocabulary import AREA_CODE

DRAFT = "du-thao"


@dataclass(frozen=True)
class Loaded:
    """A version and what it was made from."""

    version: Version
    forms: Path                 # the folder of its forms
    period: tuple[int, int]
    unit_code: str
    unit_name: str
    map: MapOfUnits
    slug: str                   # a file-name part: "127-BC-TU", "du-thao"
    issued: Issued | None = None
    computed: Any = None  # what the reports compute from its forms (the draft: already done)
    map_year: int | None = None  # the `map` parameter it was made with


def _issued(spec: str, out_dir: Path) -> Issued:
    path = Path(spec)
    if path.is_dir():
        try:
            return read_issued(path)
        except ValueError:
            raise UsageError(f"thư mục “{visible(spec)}” không phải thư mục một báo cáo đã ban hành (không có "
                             f"{MANIFEST_FILE} đọc được)") from None
    found = find_number(out_dir, spec)
    if found is None:
        known = [i.number for i in all_issued(out_dir)[0]]
        listed = "; ".join(visible(n) for n in known) if known else "chưa có báo cáo nào"
        raise UsageError(f"không tìm thấy báo cáo đã ban hành số “{visible(spec)}” trong "
                         f"“{visible(str(issued_root(out_dir)))}” (các số đã ban hành: {listed}); hoặc ghi đường dẫn "
                         f"thư mục của bản đã ban hành, hoặc “{DRAFT}” cho bản dự thảo hiện nay")
    return found


def load_issued(spec: str, out_dir: Path) -> Loaded:
    """An issued version: by number in `out_dir`'s da-ban-hanh/, or by its folder."""
    issued = _issued(spec, out_dir)
    try:
        version = read_version(issued.folder, issued.name)
    except (OSError, ValueError):
        raise UsageError(f"không đọc được nội dung đã lưu của {visible(issued.name)} trong "
                         f"“{visible(str(issued.folder))}”") from None
    map_year = None
    try:
        map_year = json.loads((issued.folder / PARAMS_FILE).read_text(encoding="utf-8"))["report"].get("map")
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    return Loaded(version, issued.folder / FORMS_DIR, issued.period, issued.unit_code, issued.unit_name, issued.map,
                  issued.folder.name, issued=issued, map_year=map_year)


def load_draft(*, data_dir: Path, params_file: Path | None, period: str | None, unit: str | None,
               map_year: str | None) -> Loaded:
    """The report as `report` would make it now (computed, not rendered)."""
    params = load_params(params_file, period=period, map=map_year, unit=unit)
    code = AREA_CODE if params.unit[0] == "city" else params.unit[0]
    if len(params.unit) != 1 or code == "all":
        raise UsageError("--unit: so sánh từng báo cáo một: city hoặc mã một xã, phường")
    dataset = load_dataset(Path(data_dir), params.period)
    if len(dataset.errors):
        raise DataError(f"số liệu trong “{visible(str(data_dir))}” có {len(dataset.errors)} lỗi: chạy "
                        "`python -m analysis validate` để xem và sửa", dataset.errors)
    computed = compute_for(dataset, params)
    if code not in computed.unit_names:
        raise UsageError(f"không có đơn vị mã “{visible(code)}” trên bản đồ đơn vị của báo cáo")
    report = made_visible(build_report(computed, params, code))
    name = f"Dự thảo hiện nay (số liệu trong {Path(data_dir).name or data_dir})"
    return Loaded(version_of(report, name), Path(data_dir), params.period, code, report.meta.unit_name,
                  map_of_units(computed.day), DRAFT, computed=computed, map_year=params.map)


def load(spec: str, *, out_dir: Path, data_dir: Path, params_file: Path | None, period: str | None,
         unit: str | None, map_year: str | None, like: Loaded | None = None) -> Loaded:
    """Version `spec`; a draft takes the period, unit and map of `like` (the other side) unless given."""
    if spec.strip().lower() != DRAFT:
        loaded = load_issued(spec, out_dir)
        if unit and (AREA_CODE if unit == "city" else unit) != loaded.unit_code:
            raise UsageError(f"{visible(loaded.version.name)} là báo cáo của {visible(loaded.unit_name)} (mã "
                             f"{loaded.unit_code}), không phải của đơn vị --unit {visible(unit)}")
        return loaded
    if like is not None:
        period = period or f"{like.period[0]}-{like.period[1]}"
        unit = unit or like.unit_code
        map_year = map_year or (str(like.map_year) if like.map_year else None)
    return load_draft(data_dir=data_dir, params_file=params_file, period=period, unit=unit, map_year=map_year)


def check_comparable(a: Loaded, b: Loaded) -> tuple[str, ...]:
    """Refuse two versions that cannot be compared (other unit, other map); notes for a reader."""
    if a.unit_code != b.unit_code:
        raise UsageError(f"hai bản thuộc hai đơn vị khác nhau: {visible(a.version.name)} của {visible(a.unit_name)}, "
                         f"{visible(b.version.name)} của {visible(b.unit_name)}; chỉ so sánh hai bản của cùng một "
                         "báo cáo (dùng --unit để chọn đơn vị của bản dự thảo)")
    if a.map.key != b.map.key:
        raise UsageError(
            f"không so sánh được hai báo cáo lập trên hai bản đồ đơn vị khác nhau: {visible(a.version.name)} lập "
            f"theo {a.map.description}, {visible(b.version.name)} lập theo {b.map.description}. Cùng một mã, "
            "cùng một tên có thể là hai đơn vị khác nhau trên hai bản đồ; chỉ so sánh hai bản cùng bản đồ đơn vị "
            "(với bản dự thảo: chọn --map, --period như bản đã ban hành)")
    notes = []
    if a.period != b.period:
        notes.append(f"Hai bản khác kỳ báo cáo: {a.period[0]}–{a.period[1]} và {b.period[0]}–{b.period[1]}; các số "
                     "liệu được ghép theo tên bảng, dòng và cột.")
    return tuple(notes)


def _computed_of(loaded: Loaded):
    """What the reports compute from the version's forms (an issued one: read from its copy)."""
    if loaded.computed is not None:
        return loaded.computed
    dataset = load_dataset(loaded.forms, loaded.period)
    if len(dataset.errors):
        raise DataError(f"các biểu lưu trong “{visible(str(loaded.forms))}” có lỗi", dataset.errors)
    return compute_all(dataset, map_day=dt.date.fromisoformat(loaded.map.day))


def comparison_of(a: Loaded, b: Loaded) -> Comparison:
    """What differs from `a` to `b`, with the form cells changed between the forms of each."""
    notes = check_comparable(a, b)
    computed = _computed_of(b)
    cells = changed_cells(a.forms, b.forms, computed=computed,
                          before=a.computed.dataset if a.computed is not None else None)
    return compare(a.version, b.version, cells=cells, scope=scope_of(computed, b.unit_code), notes=notes)
