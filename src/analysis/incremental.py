"""Regenerate only what changed: a content-addressed record of what each report was made from.

The record is one JSON file beside the reports, `<out>/.ban-ghi.json`, with one entry per
report (period and unit code). An entry holds three SHA-256 digests and the SHA-256 of every
file the report wrote:

* `settings`: everything but the forms: every file in data/reference/, the narrative file the
  report uses (or that it has none), where the forms are (the executed notebooks name the folder), the contents of `earlier_figures`, the effective
  ReportParams (all fields, the unit selection included), the formats, the unit code, the
  package version and the versions the companion file lists, and every file of the package
  itself (src/analysis: code, nbconvert templates, fonts) and the four notebooks it runs.
* `inputs`: the name and SHA-256 of every file in the data folder (the cheap check: no form is
  parsed to compute it).
* `data`: what the report and its analysis notebooks read from the checked data (analysis.report_inputs; computed only
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
import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

from analysis import __version__, config
from analysis.read import input_files
from analysis.read.files import sha256_file
from analysis.errors import RenderError
from analysis.outputs import why
from analysis.reference import load_units
from analysis.report.params import narrative_file_for
from analysis.software import installed, software_versions
from analysis.terminal import visible
from analysis.vocabulary import AREA_CODE

RECORD_FILE = ".ban-ghi.json"
RECORD_FORMAT = "analysis-ban-ghi/2"
UP_TO_DATE = "đã cập nhật, không cần lập lại"


def digest(parts: Iterable[object]) -> str:
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


def matplotlib_settings() -> list[Path]:
    """The files matplotlib may read its settings from at start (its documented search order, without
    importing it): the working folder's, $MATPLOTLIBRC, the user's configuration folder."""
    home = Path.home()
    config_dir = Path(os.environ.get("MPLCONFIGDIR") or Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
                      / "matplotlib")
    given = os.environ.get("MATPLOTLIBRC")
    candidates = [Path.cwd() / "matplotlibrc", config_dir / "matplotlibrc", home / ".matplotlib" / "matplotlibrc"]
    if given:
        candidates.insert(1, Path(given) / "matplotlibrc" if Path(given).is_dir() else Path(given))
    return [path for path in candidates if path.is_file()]


def params_text(params) -> str:
    return json.dumps({name: _plain(getattr(params, name)) for name in type(params).model_fields},
                      ensure_ascii=False, sort_keys=True)


def inputs_digest(data_dir: Path) -> str | None:
    """The cheap check: every file the reader would read, by name and content; None when the
    folder has entries the reader refuses (those are errors: validation must run)."""
    files, refused = input_files(Path(data_dir))
    if refused:
        return None
    return digest(part for path in files for part in (path.name, sha256_file(path)))


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


# The roles of a report's files in its entry: its formats by name, and these.
COMPANION_ROLE = "companion.{}"     # the companion file in format {} (html; xlsx when xlsx is asked)
NOTEBOOK_ROLE = "notebook.{}"       # an executed notebook, by its stem (01_…, …, 04_bao_cao)
DATA_ROLE = "data"                  # the checked data set the executed notebooks re-run on (one per period)
RECORD_LIMIT = 64 * 1024 * 1024     # bytes: a record larger than this is not ours


def companion_formats(formats) -> tuple[str, ...]:
    """The companion file's formats for a report in `formats`: HTML, and Excel when Excel is asked."""
    return ("html", "xlsx") if "xlsx" in formats else ("html",)


def roles(formats, notebooks: Iterable[str]) -> list[str]:
    """Every file a report in `formats` has: the formats, the companion(s), the executed notebooks and
    the data set they re-run on (shared by the reports of a period: analysis.publish.keep_notebook_data)."""
    notebooks = [NOTEBOOK_ROLE.format(name) for name in notebooks]
    return [*formats, *(COMPANION_ROLE.format(name) for name in companion_formats(formats)), *notebooks,
            *([DATA_ROLE] if notebooks else [])]


class Plan:
    """The digests of one run and the record found in the output folder."""

    def __init__(self, *, out_dir: Path, params, formats, codes: list[str], force: bool = False,
                 notebooks: Iterable[str] = (), data_dir: Path | None = None):
        self.out_dir = Path(out_dir)
        self.force = force  # every report is rebuilt; the entries of other reports are kept
        self.period = f"{params.period[0]}-{params.period[1]}"
        self.roles = roles(formats, notebooks)
        # what renders a report, whatever its content (analysis.publish.cutoff: part of every file's content id):
        # a figure is named by what its chart is drawn from (analysis.report.chart_key), not by its pixels, so
        # what else draws it is here: the reference files (a chart's labels and measures), every installed
        # library, and the settings files matplotlib reads at start (matplotlibrc)
        self.render = digest([
            RECORD_FORMAT, __version__, software_versions(), installed(), json.dumps(_tree(config.PACKAGE_DIR)),
            *(_file_state(path) for path in sorted(config.NOTEBOOKS_DIR.glob("0[1-4]_*.ipynb"))),
            json.dumps(_tree(config.REFERENCE_DIR)), *(_file_state(path) for path in matplotlib_settings()),
        ])
        # the data folder: the executed notebooks show where their forms are (moved, they are made again)
        self.parameters = digest([self.render, params_text(params),
                                  _file_state(params.earlier_figures),
                                  str(Path(data_dir).resolve()) if data_dir is not None else ""])
        self.missing = {code for code in codes if issued_missing(self.out_dir, params, code)}
        self.settings = {code: digest([self.parameters, code, _file_state(narrative_file(params, code)),
                                        issued_state(self.out_dir, params, code)]) for code in codes}
        self.entries = self.read()

    def key(self, code: str) -> str:
        return f"{self.period}/{code}"

    def read(self) -> dict:
        """The record's entries; {} when there is none or it is not ours (every report is made again).
        A record that is not a regular file of a sane size (a link, a pipe, a device, a folder) stops
        the run (read_record)."""
        try:
            record = json.loads(read_record(self.out_dir / RECORD_FILE))
        except FileNotFoundError:
            return {}
        except ValueError:
            return {}
        if not isinstance(record, dict) or record.get("format") != RECORD_FORMAT:
            return {}
        reports = record.get("reports")
        return {k: v for k, v in reports.items() if _valid_entry(v)} if isinstance(reports, dict) else {}

    def intact(self, output: dict) -> Path | None:
        """The file of a recorded output when it is in the folder with its recorded SHA-256."""
        name = output["file"]
        path = self.out_dir / name
        if Path(name).name != name or name.startswith(".") or path.is_symlink() or not path.is_file():
            return None
        try:
            return path if sha256_file(path) == output["sha256"] else None
        except OSError:
            return None

    def kept(self, code: str, *, inputs: str | None = None, data: str | None = None) -> dict | None:
        """The entry of `code` when every file the run asks for is up to date by `inputs` or by
        `data` and intact, else None."""
        entry = None if self.force or code in self.missing else self.entries.get(self.key(code))
        if entry is None:
            return None
        for role in self.roles:
            output = entry["outputs"].get(role)
            if output is None or output["settings"] != self.settings[code]:
                return None
            if not ((inputs is not None and output["inputs"] == inputs) or
                    (data is not None and output["data"] == data)):
                return None
            if self.intact(output) is None:
                return None
        return entry

    def paths(self, entry: dict) -> list[Path]:
        """The files of `entry` this run asks for."""
        return [self.out_dir / entry["outputs"][role]["file"] for role in self.roles]

    def previous(self, code: str) -> dict[str, tuple[str, str, str]]:
        """role -> (file in place, content id, inputs of a notebook) of every intact file of the last
        entry of `code` (analysis.publish.cutoff: a file whose content id is the same is not made again)."""
        entry = None if self.force else self.entries.get(self.key(code))
        found = {}
        for role, output in (entry or {}).get("outputs", {}).items():
            if (path := self.intact(output)) is not None:
                found[role] = (str(path), output["id"], output.get("source", ""))
        return found

    def entry(self, code: str, *, inputs: str | None, data: str, outputs: Mapping[str, dict]) -> dict:
        """The new entry of `code`: `outputs` (role -> file, SHA-256, content id) made or checked by this
        run, stamped with its settings and data; the files of other formats kept as they were."""
        old = (self.entries.get(self.key(code)) or {}).get("outputs", {})
        stamp = {"settings": self.settings[code], "inputs": inputs or "", "data": data}
        return {"outputs": {**{role: output for role, output in old.items() if role not in outputs},
                            **{role: {**output, **stamp} for role, output in outputs.items()}}}

    def write(self, folder: Path, entries: Mapping[str, dict]) -> Path:
        """The new record (old entries of other reports kept) written in `folder`, to be moved in."""
        reports = {**self.entries, **{self.key(code): entry for code, entry in entries.items()}}
        path = Path(folder) / RECORD_FILE
        path.write_text(json.dumps({"format": RECORD_FORMAT, "reports": reports}, ensure_ascii=False, indent=1,
                                   sort_keys=True), encoding="utf-8")
        return path


def read_record(path: Path) -> str:
    """The record's text, read only from a regular file of at most RECORD_LIMIT bytes, opened
    without following a link and without waiting on a pipe; FileNotFoundError when there is none,
    ValueError when it is not text; anything else stops the run (exit 3)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    shown = visible(str(path))
    if path.is_symlink():
        raise RenderError(f"bản ghi “{shown}” là một liên kết, không phải tệp: xóa nó rồi chạy lại "
                          "(các báo cáo sẽ được lập lại)")
    try:
        handle = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as error:
        raise RenderError(f"không đọc được bản ghi “{shown}”: {why(error)}; xóa nó rồi chạy lại") from None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise RenderError(f"bản ghi “{shown}” không phải tệp thường (thư mục, ống dẫn hay thiết bị): "
                              "xóa nó rồi chạy lại (các báo cáo sẽ được lập lại)")
        if info.st_size > RECORD_LIMIT:
            raise RenderError(f"bản ghi “{shown}” quá lớn ({info.st_size} byte, tối đa {RECORD_LIMIT}): "
                              "không phải bản ghi của lệnh report; xóa nó rồi chạy lại")
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(RECORD_LIMIT + 1)
    except OSError as error:
        raise RenderError(f"không đọc được bản ghi “{shown}”: {why(error)}; xóa nó rồi chạy lại") from None
    finally:
        os.close(handle)
    if len(data) > RECORD_LIMIT:
        raise RenderError(f"bản ghi “{shown}” lớn quá {RECORD_LIMIT} byte: xóa nó rồi chạy lại")
    return data.decode("utf-8")  # UnicodeDecodeError is a ValueError: not ours, every report made again


_OUTPUT_KEYS = ("file", "sha256", "id", "settings", "inputs", "data")


def _valid_entry(entry) -> bool:
    outputs = entry.get("outputs") if isinstance(entry, dict) else None
    return (isinstance(outputs, dict) and bool(outputs)
            and all(isinstance(role, str) and isinstance(output, dict)
                    and all(isinstance(output.get(k), str) for k in _OUTPUT_KEYS)
                    for role, output in outputs.items()))
