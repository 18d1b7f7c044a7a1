"""The issued reports of an output folder, each kept once and never over.

`report --final --number "Số 127-BC/TU"` keeps, beside the reports, `da-ban-hanh/127-BC-TU/`:

* the formats that run wrote (HTML, PDF, and any of eml, docx, xlsx) and its companion file;
* `so-lieu-in.csv`: every printed figure with its place, label, printed text and raw value, and
  `cau-van.csv`: every sentence and the header and signature lines (analysis.archive.printed);
* `tham-so.json`: the parameters (every key of report.yaml as used, the unit, the formats, the map);
* `bieu/`: the forms as read, byte for byte, and `bieu.sha256` (their SHA-256, in the form
  `sha256sum -c bieu.sha256` checks);
* `thong-tin.json`: number, date, period, unit, title, map of units, the content digest, the
  report it replaces, when it was made, and the SHA-256 of every file above.

Its files are made read-only once in place. The folder is built in the run's staging folder and renamed into place
after the reports. A number already issued is written again only never: the same content
(analysis.archive.printed.content_digest) is accepted and leaves the folder as it is; other
content is refused (exit 2) before anything is moved. The register `da-ban-hanh/so-dang-ky.csv`
(number, date, period, unit, title, digest, folder) is rewritten from the folders' `thong-tin.json`
each time a report is issued.

`report`'s up-to-date check reads the issued state (`state`) without the data stack: nothing this
module imports loads pandas (the unit history is read only by `map_of_units`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pickle
import re
import shutil
import stat
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from analysis.archive.printed import content_digest, read_version, version_of, write_printed
from analysis.archive.textcsv import write_rows
from analysis.errors import RenderError, UsageError
from analysis.formatting import fmt_short_date
from analysis.read import input_files
from analysis.read.files import safe_name, sha256_file
from analysis.reference import in_force, load_unit_history
from analysis.report.changes import bare_number
from analysis.report.comparison import Scope, figure_changes, sentence_changes
from analysis.terminal import visible
from analysis.vocabulary import area_on

ISSUED_DIR = "da-ban-hanh"
REGISTER_FILE = "so-dang-ky.csv"
MANIFEST_FILE = "thong-tin.json"
PARAMS_FILE = "tham-so.json"
FORMS_DIR = "bieu"
FORMS_SUMS = "bieu.sha256"
MANIFEST_FORMAT = "analysis-ban-hanh/1"
REGISTER_COLUMNS = ("Số văn bản", "Ngày văn bản", "Kỳ báo cáo", "Mã đơn vị", "Đơn vị", "Trích yếu", "Thay thế",
                    "Thư mục", "Mã kiểm tra nội dung (SHA-256)", "Lập lúc")


def number_slug(number: str) -> str | None:
    """"Số 127-BC/TU" -> "127-BC-TU", "Số 12-BC/ĐU" -> "12-BC-DU": the folder of an issued number;
    None for a number left blank to be filled in by hand ("Số       -BC/TU")."""
    text = re.sub(r"^\s*s[ốo]\s*[.:]?\s*", "", str(number), flags=re.IGNORECASE)
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    slug = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")
    return slug if re.search(r"\d", slug) else None


def same_number(a: str, b: str) -> bool:
    return number_slug(a) is not None and number_slug(a) == number_slug(b)


@dataclass(frozen=True)
class MapOfUnits:
    """The map of units a report is on: the units in force on `day`."""

    day: str                    # ISO date
    since: str = ""             # the latest date a unit of it took effect ("" for the first map)
    until: str = ""             # the earliest date a unit of it ceased ("" when still in force)
    units: int = 0
    key: str = ""               # SHA-256 of its units' codes and names: two reports on one map share it
    description: str = ""       # "bản đồ 6 phường, xã có hiệu lực từ ngày 1/7/2025"


def map_of_units(day: dt.date) -> MapOfUnits:
    """The map of units in force on `day` (units.csv), with its key and a description for a reader."""
    history = load_unit_history()
    units = history[in_force(history, day)]
    key = hashlib.sha256("\n".join(sorted(f"{c}:{n}" for c, n in zip(units["code"], units["name"]))).encode()).hexdigest()
    since = units["valid_from"].max() if units["valid_from"].notna().any() else None
    until = units["valid_to"].min() if units["valid_to"].notna().any() else None
    words = [f"bản đồ {len(units)} {area_on(day).units_word}"]
    if since is not None:
        words.append(f"có hiệu lực từ ngày {fmt_short_date(since.date())}")
    if until is not None:
        words.append(f"đến ngày {fmt_short_date(until.date())}")
    return MapOfUnits(day=day.isoformat(), since=since.date().isoformat() if since is not None else "",
                      until=until.date().isoformat() if until is not None else "", units=len(units), key=key,
                      description=" ".join(words))


@dataclass(frozen=True)
class Issued:
    """One issued report, as its `thong-tin.json` describes it."""

    folder: Path
    number: str
    date: dt.date
    period: tuple[int, int]
    unit_code: str
    unit_name: str
    title: str
    content: str                # analysis.archive.printed.content_digest
    map: MapOfUnits
    replaces: str = ""
    made_at: str = ""
    files: dict[str, str] = field(default_factory=dict)
    forms: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """"Báo cáo số 127-BC/TU ngày 23/6/2023"."""
        return f"Báo cáo số {bare_number(self.number)} ngày {self.date.day}/{self.date.month}/{self.date.year}"

    def manifest(self) -> dict:
        data = asdict(self)
        data.pop("folder")
        return {"format": MANIFEST_FORMAT, **data, "date": self.date.isoformat(), "period": list(self.period)}


def read_issued(folder: Path) -> Issued:
    """The issued report kept in `folder` (ValueError when its thong-tin.json is missing or not ours)."""
    try:
        data = json.loads((Path(folder) / MANIFEST_FILE).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
            raise ValueError("not a manifest")
        start, end = data["period"]
        return Issued(folder=Path(folder), number=str(data["number"]), date=dt.date.fromisoformat(data["date"]),
                      period=(int(start), int(end)), unit_code=str(data["unit_code"]),
                      unit_name=str(data["unit_name"]), title=str(data["title"]), content=str(data["content"]),
                      map=MapOfUnits(**data["map"]), replaces=str(data.get("replaces", "")),
                      made_at=str(data.get("made_at", "")), files=dict(data.get("files", {})),
                      forms=dict(data.get("forms", {})))
    except (OSError, KeyError, TypeError, ValueError) as error:
        raise ValueError(str(error)) from None


def issued_root(out_dir: Path) -> Path:
    return Path(out_dir) / ISSUED_DIR


def all_issued(out_dir: Path) -> tuple[list[Issued], list[Path]]:
    """(the issued reports of `out_dir` by date and time made, the folders that cannot be read)."""
    root = issued_root(out_dir)
    found, unreadable = [], []
    if not root.is_dir():
        return [], []
    for folder in sorted(root.iterdir()):
        if folder.name.startswith(".") or folder.is_symlink() or not folder.is_dir():
            continue
        try:
            found.append(read_issued(folder))
        except ValueError:
            unreadable.append(folder)
    return sorted(found, key=lambda i: (i.date, i.made_at, i.folder.name)), unreadable


def find_number(out_dir: Path, number: str) -> Issued | None:
    slug = number_slug(number)
    if slug is None:
        return None
    folder = issued_root(out_dir) / slug
    try:
        return read_issued(folder)
    except ValueError:
        return None


def latest(out_dir: Path, period: tuple[int, int], unit_code: str, map_key: str | None = None,
           *, other_than: str = "") -> Issued | None:
    """The last report issued for this period and unit (on this map, when `map_key` is given)."""
    matching = [i for i in all_issued(out_dir)[0] if i.period == tuple(period) and i.unit_code == unit_code
                and (map_key is None or i.map.key == map_key) and not (other_than and same_number(i.number, other_than))]
    return matching[-1] if matching else None


def state(out_dir: Path, period: tuple[int, int], unit_code: str, *, other_than: str = "") -> str:
    """What the issued reports of this period and unit are (their folders and digests), but the
    report's own number: part of a report's record, so that a draft is made again when a report
    it is compared with is issued (and an issued report is not made again for being issued)."""
    return ";".join(f"{i.folder.name}:{i.content}" for i in all_issued(out_dir)[0]
                    if i.period == tuple(period) and i.unit_code == unit_code
                    and not (other_than and same_number(i.number, other_than)))


# --- issuing ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StagedIssue:
    """An issued folder built in the staging folder, to be renamed into place."""

    folder: Path
    issued: Issued

    @property
    def slug(self) -> str:
        return self.folder.name


def _read_only(folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


def copy_forms(data_dir: Path, target: Path, read: Mapping[str, str]) -> dict[str, str]:
    """Copy the forms the run read (name -> SHA-256 as read) into `target`, byte for byte; a form
    that changed since it was read stops the run (the archive would not be what the report shows)."""
    target.mkdir()
    copied: dict[str, str] = {}
    for path in input_files(Path(data_dir))[0]:
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        name = safe_name(path.name)
        if read.get(name) != digest:
            raise RenderError(f"biểu “{visible(name)}” đã thay đổi trong khi lập báo cáo; chạy lại lệnh (các báo cáo "
                              "cũ giữ nguyên)")
        (target / path.name).write_bytes(data)
        copied[name] = digest
    if set(copied) != set(read):
        raise RenderError("các tệp biểu đã thay đổi trong khi lập báo cáo; chạy lại lệnh (các báo cáo cũ giữ nguyên)")
    return copied


def stage_issue(report, *, staging: Path, files: Iterable[tuple[str, str]], data_dir: Path, forms: Mapping[str, str],
                parameters: Mapping[str, object], map_of: MapOfUnits, replaces: str = "",
                made_at: str = "") -> StagedIssue:
    """Build the issued folder of `report` (final, with a number) in `staging`: `files` are the
    (staged path, final name) pairs of the formats and the companion this run wrote; `forms` the
    forms as the run read them (name -> SHA-256)."""
    slug = number_slug(report.meta.number)
    if slug is None:
        raise UsageError("bản chính thức cần số văn bản để lưu (--number “Số 127-BC/TU”)")
    folder = Path(staging) / slug
    folder.mkdir(parents=True)
    for source, name in files:
        shutil.copyfile(source, folder / name)
    copied = copy_forms(Path(data_dir), folder / FORMS_DIR, forms)
    (folder / FORMS_SUMS).write_text("".join(f"{digest}  {FORMS_DIR}/{name}\n" for name, digest in sorted(copied.items())),
                                     encoding="utf-8")
    write_printed(folder, report)
    (folder / PARAMS_FILE).write_text(json.dumps(dict(parameters), ensure_ascii=False, indent=1, sort_keys=True,
                                                 default=str) + "\n", encoding="utf-8")
    m = report.meta
    issued = Issued(folder=folder, number=" ".join(m.number.split()), date=m.date, period=tuple(m.period),
                    unit_code=m.unit_code, unit_name=m.unit_name, title=f"{m.doc_type} {' '.join(m.title.split())}",
                    content=content_digest(version_of(report, ""), copied), map=map_of, replaces=replaces,
                    made_at=made_at,
                    files={p.relative_to(folder).as_posix(): sha256_file(p) for p in sorted(folder.rglob("*"))
                           if p.is_file()},
                    forms=copied)
    (folder / MANIFEST_FILE).write_text(json.dumps(issued.manifest(), ensure_ascii=False, indent=1) + "\n",
                                        encoding="utf-8")
    return StagedIssue(folder, issued)


def _conflict(existing: Issued, staged: StagedIssue) -> str:
    """What differs between an issued report and a new one under its number, in a few words."""
    reasons = []
    try:
        then, now = read_version(existing.folder, ""), read_version(staged.folder, "")
        figures = figure_changes(then.figures, now.figures, (), Scope(names={}))
        said = sentence_changes(then.sentences, now.sentences, (), Scope(names={}))
        header = [n.place.split(": ", 1)[-1] for o, n in zip(then.header, now.header) if o.text != n.text]
        if figures:
            reasons.append(f"{len(figures)} số liệu khác (ví dụ {figures[0].label}: {figures[0].then} → "
                           f"{figures[0].now})")
        if said:
            reasons.append(f"{len(said)} câu khác")
        if header:
            reasons.append("khác ở " + ", ".join(header))
    except (OSError, ValueError):
        reasons.append("không đọc được nội dung bản đã ban hành")
    forms = {k for k in {*existing.forms, *staged.issued.forms}
             if existing.forms.get(k) != staged.issued.forms.get(k)}
    if forms:
        reasons.append(f"{len(forms)} tệp biểu khác ({', '.join(sorted(forms)[:3])}{', …' if len(forms) > 3 else ''})")
    return "; ".join(reasons) or "nội dung khác"


def check_issues(out_dir: Path, staged: list[StagedIssue], *, log=lambda message: None) -> list[StagedIssue]:
    """The staged issues to move into place. A number already issued with the same content is left
    as it is (and said so); with other content, or given twice in this run, the run stops (exit 2)
    before anything is moved."""
    seen: dict[str, StagedIssue] = {}
    for item in staged:
        if item.slug in seen:
            raise UsageError(f"hai báo cáo của lần chạy này cùng số văn bản “{visible(item.issued.number)}” "
                             f"({visible(seen[item.slug].issued.unit_name)}, {visible(item.issued.unit_name)}); mỗi "
                             "văn bản một số. Không ghi gì; các báo cáo cũ giữ nguyên.")
        seen[item.slug] = item
    keep = []
    for item in staged:
        target = issued_root(out_dir) / item.slug
        if not target.exists() and not target.is_symlink():
            keep.append(item)
            continue
        try:
            existing = read_issued(target)
        except ValueError:
            raise UsageError(f"đã có thư mục “{visible(str(target))}” nhưng không đọc được {MANIFEST_FILE} của nó; "
                             "không ghi đè một bản đã ban hành. Không ghi gì; các báo cáo cũ giữ nguyên.") from None
        if existing.content == item.issued.content:
            log(f"{existing.name} đã ban hành, nội dung không đổi: giữ nguyên thư mục lưu "
                f"“{visible(str(target))}”.")
            continue
        start, end = existing.period
        raise UsageError(
            f"số văn bản “{visible(item.issued.number)}” đã ban hành: {visible(existing.name)} ({start}–{end}, "
            f"{visible(existing.unit_name)}), lưu ở “{visible(str(target))}”. Bản lập lần này khác bản đã ban hành: "
            f"{visible(_conflict(existing, item))}. Một số văn bản chỉ ban hành một lần: bỏ --final để lập dự thảo, "
            "hoặc dùng số văn bản mới cho bản sửa đổi, bổ sung. Không ghi gì; các báo cáo cũ giữ nguyên.")
    return keep


def move_issues(out_dir: Path, staged: list[StagedIssue], journal=None) -> list[Path]:
    """Rename the staged folders into `da-ban-hanh/` (never over an existing one), then rewrite the
    register. `journal` (analysis.publish.switch.Journal): each move through it, the register
    written beside the staged folders and moved in, so that the whole can be rolled back."""
    if not staged:
        return []
    root = issued_root(out_dir)
    root.mkdir(exist_ok=True)
    moved = []
    for item in staged:
        target = root / item.slug
        if target.exists() or target.is_symlink():  # made meanwhile by another run: never over it
            raise RenderError(f"thư mục “{visible(str(target))}” vừa được tạo bởi một lần chạy khác; không ghi đè")
        if journal is None:
            os.rename(item.folder, target)
        else:
            journal.rename_folder(item.folder, target)
        _read_only(target)  # in place only: a staging folder left by a failed run stays removable (Windows)
        moved.append(target)
    if journal is None:
        write_register(out_dir)
    else:
        register = Path(staged[0].folder).parent / REGISTER_FILE
        write_rows(register, REGISTER_COLUMNS, register_rows(all_issued(out_dir)[0]))
        journal.replace(register, root / REGISTER_FILE)
    return moved


def register_rows(issued: list[Issued]) -> list[list[str]]:
    return [[i.number, f"{i.date.day}/{i.date.month}/{i.date.year}", f"{i.period[0]}–{i.period[1]}", i.unit_code, i.unit_name, i.title,
             i.replaces, f"{ISSUED_DIR}/{i.folder.name}", i.content, i.made_at.replace("T", " ")] for i in issued]


def write_register(out_dir: Path) -> Path:
    """`da-ban-hanh/so-dang-ky.csv`, from the folders' thong-tin.json (the folders are the record)."""
    path = issued_root(out_dir) / REGISTER_FILE
    write_rows(path, REGISTER_COLUMNS, register_rows(all_issued(out_dir)[0]))
    return path


def stage_issues(reports: Iterable[tuple[str, list[tuple[str, str]]]], *, out_dir: Path, staging: Path,
                 data_dir: Path, computed, parameters: Mapping[str, object], formats,
                 log=lambda message: None) -> list[StagedIssue]:
    """The issued folders of a run's final reports, staged and checked (check_issues): `reports`
    are (report pickle, its staged (path, name) files) pairs; `parameters` the run's (every key of
    report.yaml as used). A final report without a number is said so and not kept (a number left
    blank is filled in by hand)."""

    forms = dict(zip(computed.dataset.sources["file"], computed.dataset.sources["sha256"]))
    map_of = map_of_units(computed.day)
    made_at = dt.datetime.now().replace(microsecond=0).isoformat()
    staged = []
    for report_file, files in reports:
        with open(report_file, "rb") as handle:
            report = pickle.load(handle)
        m = report.meta
        if m.draft:
            continue
        if number_slug(m.number) is None:
            log(f"Bản chính thức “{visible(m.unit_name)}” chưa có số văn bản: chưa lưu vào {ISSUED_DIR} "
                "(thêm --number “Số …”, hoặc number trong tệp tham số).")
            continue
        previous = latest(out_dir, m.period, m.unit_code, map_of.key, other_than=m.number)
        kept = {"report": dict(parameters), "unit_code": m.unit_code, "formats": list(formats), "map": asdict(map_of)}
        staged.append(stage_issue(report, staging=Path(staging) / ISSUED_DIR / m.unit_code, files=files,
                                  data_dir=data_dir, forms=forms, parameters=kept, map_of=map_of,
                                  replaces=previous.number if previous else "", made_at=made_at))
    return check_issues(out_dir, staged, log=log)
