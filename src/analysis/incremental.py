"""Regenerate only what changed: a content-addressed record of what each report was made from.

The record is one JSON file beside the reports, `<out>/.ban-ghi.json`, with one entry per
report (period and unit code). An entry holds three SHA-256 digests and the SHA-256 of every
file the report wrote:

* `settings`: everything but the forms: every file in data/reference/, the narrative file the
  report uses (or that it has none), the contents of `earlier_figures`, the effective
  ReportParams (all fields, the unit selection included), the formats, the unit code, the
  package version and the versions the companion file lists, and every file of the package
  itself (src/analysis: code, nbconvert templates, fonts) and the four notebooks it runs.
* `inputs`: the name and SHA-256 of every file in the data folder (the cheap check: no form is
  parsed to compute it).
* `data`: what the report and its analysis notebooks read from the checked data (computed only
  when the inputs changed). For the area report, the name, size and SHA-256 of every form (it
  aggregates all of them, and its notebooks show the whole data set and every ranking). For a
  ward's or commune's report, the rows that feed that unit (form 01 with their cell locations,
  its models, its percent columns, its warnings and those about no unit; on a map that
  regroups older units, those of its members and the sums), the area's indicators and yearly
  falls (printed beside the unit's own), whether the forms are the bundled sample and how many
  forms there are. Its notebooks show the same rows (Computed.rows_of). A form file
  holding several units thus changes only the reports of the units whose rows changed, plus
  the area report.

A report is up to date when its entry is there, its `settings` match, and either its `inputs`
match (then nothing is validated) or, after validation, its `data` match; and every file the
entry lists is in the output folder with the recorded SHA-256. Anything else (no record, a
corrupt or foreign record, a file edited or deleted) means "rebuild". The companion file of a
report that was kept describes the run that made it (its input hashes and time).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from analysis import __version__, config
from analysis.read import input_files
from analysis.read.files import sha256_file
from analysis.reference import load_units
from analysis.report.params import narrative_file_for
from analysis.software import software_versions
from analysis.vocabulary import AREA_CODE

RECORD_FILE = ".ban-ghi.json"
RECORD_FORMAT = "analysis-ban-ghi/1"
UP_TO_DATE = "đã cập nhật, không cần lập lại"


def _digest(parts: Iterable[object]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _tree(folder: Path, *, skip: tuple[str, ...] = ("__pycache__",)) -> list[tuple[str, str]]:
    """(relative path, SHA-256) of every regular file under `folder`, sorted."""
    found: list[tuple[str, str]] = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.rglob("*")):
        if any(part in skip for part in path.relative_to(folder).parts) or not path.is_file():
            continue
        found.append((path.relative_to(folder).as_posix(), sha256_file(path)))
    return found


def _file_state(path: Path | None) -> str:
    if path is None:
        return "none"
    try:
        return f"{path}:{sha256_file(path)}"
    except OSError:
        return f"{path}:absent"


def _plain(value):
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)  # dates


def params_text(params) -> str:
    return json.dumps({name: _plain(getattr(params, name)) for name in type(params).model_fields},
                      ensure_ascii=False, sort_keys=True)


def inputs_digest(data_dir: Path) -> str | None:
    """The cheap check: every file the reader would read, by name and content; None when the
    folder has entries the reader refuses (those are errors: validation must run)."""
    files, refused = input_files(Path(data_dir))
    if refused:
        return None
    return _digest(part for path in files for part in (path.name, sha256_file(path)))


def data_digest(computed, code: str) -> str:
    """What the report of `code` reads from the checked data (see the module's docstring)."""
    # lazy: the report stage (pandas) is loaded only once the forms are checked
    from analysis.report.companion import is_sample  # noqa: PLC0415

    dataset = computed.dataset
    sources = dataset.sources[["file", "sha256", "bytes"]]
    if code == AREA_CODE:
        return _digest(["area", sources.to_csv(index=False)])

    def rows(frame, **how):  # the rows that feed the unit (its old units' on a regrouped map)
        return computed.rows_of(frame, code, **how).reset_index(drop=True).to_csv(index=False)

    def own(frame):  # the unit's rows on the reports' map (the sums)
        return frame[frame["unit_code"] == code].reset_index(drop=True).to_csv(index=False)

    area = computed.indicators[computed.indicators["unit_code"] == AREA_CODE].reset_index(drop=True)
    area_falls = computed.falls[computed.falls["unit_code"] == AREA_CODE].reset_index(drop=True)
    regrouped = [own(computed.form01), own(computed.models)] if computed.regrouped else []
    return _digest(["unit", code, rows(dataset.form01), rows(dataset.models, year="year_built"),
                    rows(dataset.reported_percents), rows(dataset.warnings, with_no_unit=True),
                    area.to_csv(index=False), area_falls.to_csv(index=False),
                    is_sample(dataset.sources), len(sources), *regrouped])


def narrative_file(params, code: str) -> Path | None:
    """analysis.report.params.narrative_file_for, without reading the unit list (pandas) for the
    area's report: its text is the parameters' `narrative`."""
    if code == AREA_CODE:
        return params.narrative
    return narrative_file_for(params, load_units(on=params.map_day), code)


def final_number(params, code: str) -> str:
    """The number the report of `code` is issued under ("" for a draft)."""
    from analysis.vocabulary import AREA_CODE  # noqa: PLC0415 (lazy: the up-to-date check stays light)

    if params.draft:
        return ""
    return params.number if code == AREA_CODE else str(params.unit_settings(code).get("number", ""))


def issued_state(out_dir: Path, params, code: str) -> str:
    """The reports issued for this period and unit that the report is compared with (all but its own
    number when it is final): a report is made again when one of them is issued (analysis.archive)."""
    from analysis.archive.issued import state  # noqa: PLC0415 (lazy: the up-to-date check stays light)

    return state(out_dir, params.period, code, other_than=final_number(params, code))


def issued_missing(out_dir: Path, params, code: str) -> bool:
    """A final report with a number whose issued folder is not there (deleted by hand): made again,
    so that it is kept again."""
    from analysis.archive.issued import issued_root, number_slug  # noqa: PLC0415 (lazy: see issued_state)

    slug = number_slug(final_number(params, code))
    return slug is not None and not (issued_root(out_dir) / slug).is_dir()


class Plan:
    """The digests of one run and the record found in the output folder."""

    def __init__(self, *, out_dir: Path, params, formats, codes: list[str], force: bool = False):
        self.out_dir = Path(out_dir)
        self.force = force  # every report is rebuilt; the entries of other reports are kept
        self.period = f"{params.period[0]}-{params.period[1]}"
        common = _digest([
            RECORD_FORMAT, __version__, software_versions(), params_text(params), ",".join(sorted(formats)),
            json.dumps(_tree(config.REFERENCE_DIR)), json.dumps(_tree(config.PACKAGE_DIR)),
            *(_file_state(path) for path in sorted(config.NOTEBOOKS_DIR.glob("0[1-4]_*.ipynb"))),
            _file_state(params.earlier_figures),
        ])
        self.missing = {code for code in codes if issued_missing(self.out_dir, params, code)}
        self.settings = {code: _digest([common, code, _file_state(narrative_file(params, code)),
                                        issued_state(self.out_dir, params, code)]) for code in codes}
        self.entries = self._read()

    def key(self, code: str) -> str:
        return f"{self.period}/{code}"

    def _read(self) -> dict:
        try:
            record = json.loads((self.out_dir / RECORD_FILE).read_text(encoding="utf-8"))
            if not isinstance(record, dict) or record.get("format") != RECORD_FORMAT:
                return {}
            reports = record.get("reports")
            return {k: v for k, v in reports.items() if _valid_entry(v)} if isinstance(reports, dict) else {}
        except (OSError, ValueError, AttributeError):
            return {}

    def _outputs_intact(self, entry: dict) -> bool:
        for name, digest in entry["outputs"].items():
            path = self.out_dir / name
            if Path(name).name != name or path.is_symlink() or not path.is_file():
                return False
            try:
                if sha256_file(path) != digest:
                    return False
            except OSError:
                return False
        return True

    def kept(self, code: str, *, inputs: str | None = None, data: str | None = None) -> dict | None:
        """The entry of `code` when its report is up to date by `inputs` or by `data`, else None."""
        entry = None if self.force or code in self.missing else self.entries.get(self.key(code))
        if entry is None or entry["settings"] != self.settings[code]:
            return None
        if not ((inputs is not None and entry["inputs"] == inputs) or (data is not None and entry["data"] == data)):
            return None
        return entry if self._outputs_intact(entry) else None

    def paths(self, entry: dict) -> list[Path]:
        return [self.out_dir / name for name in entry["outputs"]]

    def entry(self, code: str, *, inputs: str | None, data: str, outputs: Mapping[str, str]) -> dict:
        return {"settings": self.settings[code], "inputs": inputs or "", "data": data, "outputs": dict(outputs)}

    def write(self, folder: Path, entries: Mapping[str, dict]) -> Path:
        """The new record (old entries of other reports kept) written in `folder`, to be moved in."""
        reports = {**self.entries, **{self.key(code): entry for code, entry in entries.items()}}
        path = Path(folder) / RECORD_FILE
        path.write_text(json.dumps({"format": RECORD_FORMAT, "reports": reports}, ensure_ascii=False, indent=1,
                                   sort_keys=True), encoding="utf-8")
        return path


def _valid_entry(entry) -> bool:
    return (isinstance(entry, dict) and all(isinstance(entry.get(k), str) for k in ("settings", "inputs", "data"))
            and isinstance(entry.get("outputs"), dict) and bool(entry["outputs"])
            and all(isinstance(k, str) and isinstance(v, str) for k, v in entry["outputs"].items()))


def hash_files(files: Iterable[tuple[str, str]]) -> dict[str, str]:
    """(staged path, final name) pairs -> {final name: SHA-256}."""
    return {name: sha256_file(Path(path)) for path, name in files}
