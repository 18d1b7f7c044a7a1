"""Early cutoff: what each output of a report is made from, hashed before it is rendered, and the
comparison that keeps a file whose content did not change.

Every output of a report has a *content id* in the record (analysis.incremental):

* a format of the report (html, pdf, docx, …): the document model the writer receives (the built
  report without its companion: analysis.report.document; a figure by what its pictures are drawn
  from, `Figure.drawn_from`, not by the pictures), the format's name, the formats it embeds (the
  email attaches the HTML and the PDF) and what renders it (the package's code, templates and
  fonts, the libraries, the reference files the charts read: `render_settings`). Computed before
  any chart is drawn: a format whose id is the recorded one and whose file is intact is not
  written again, and when every format and the report notebook are so, no chart is drawn and the
  report notebook does not run (`report_notebook_source`).
* an executed notebook (the analyst's trail): the notebook's cells and their outputs as shown (the
  plain-text form of an output that has a richer one is its object's repr, with an address), without
  what every run changes (papermill's timings, the execution's metadata, and the time of the run:
  `VOLATILE_PARAMETERS`; a kept notebook's data parameters name the files kept beside it). Notebooks 01-03 are not
  run at all when their inputs (`ReportInputs.notebooks`, computed by the parent from the checked data)
  are the recorded ones.
* the companion file: its model without what describes the run that made it (its time, the sizes
  and SHA-256 of the input files: a kept report's companion shows those of the run that made it),
  with the content ids of the notebooks it shows.

Whatever the ids say, a file is moved into place only when its content differs from the file
already there (`same_content`): a rendered file is never rewritten with identical bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from pathlib import Path

from analysis.incremental import digest

# A parameter only `report` passes, the time of the run (see the notebooks' parameter cells: "dùng nội
# bộ"): not part of what a notebook shows. The others that name the run's staging files are pointed at
# the files kept beside the notebook before it is compared (analysis.report.notebook.point_parameters_at).
VOLATILE_PARAMETERS = ("generated_at",)
POINTED_PARAMETERS = ("computed_file", "report_file")  # analysis.report.notebook.point_parameters_at
# The time of the run, as the companion prints it ("lập lúc 10:05 ngày …", "Lập lúc 2026-…"): in its
# model's text (companion_id) and on its page (same_content), up to the end of the sentence or the tag.
_RUN_TIME_PATTERN = r"[Ll]ập lúc \d[^.<]*"
_RUN_TIME = re.compile(_RUN_TIME_PATTERN)
_VOLATILE_LINE = re.compile(rf"^({'|'.join(VOLATILE_PARAMETERS)})\s*=.*$", re.MULTILINE)


def _canonical(value, out: list) -> None:
    """`value` as a list of plain parts, the same in every process (no hash order, no address)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(type(value).__qualname__)
        # a figure named by what it is drawn from is compared by that name, not by its pictures
        # (they may not be drawn yet: analysis.report.chart_theme.drawing_deferred)
        drawn = getattr(value, "DRAWN", ()) if getattr(value, "drawn_from", "") else ()
        for field in dataclasses.fields(value):
            if field.compare and field.name not in drawn:  # a figure's `redraw` (a function) is not compared
                out.append(field.name)
                _canonical(getattr(value, field.name), out)
    elif isinstance(value, (tuple, list)):
        out.append(f"[{len(value)}")
        for item in value:
            _canonical(item, out)
    elif isinstance(value, dict):
        out.append(f"{{{len(value)}")
        for key in sorted(value, key=repr):
            out.append(repr(key))
            _canonical(value[key], out)
    elif isinstance(value, (set, frozenset)):
        out.append(f"set{sorted(repr(item) for item in value)}")
    elif isinstance(value, bytes):
        out.append(hashlib.sha256(value).hexdigest())
    elif isinstance(value, (dt.date, dt.datetime)):
        out.append(value.isoformat())
    else:  # str, numbers (numpy's too), None, bool: their repr names the type and the value
        out.append(repr(value))


def model_digest(value) -> str:
    parts: list = []
    _canonical(value, parts)
    return digest(parts)


def format_id(report, name: str, render_settings: str, embedded: dict[str, str]) -> str:
    """The content id of format `name` of `report` (the built document model, its companion aside),
    `embedded`: the content ids of the files it embeds (the email's attachments)."""
    document = dataclasses.replace(report, companion=None)
    return digest(["format", name, render_settings, model_digest(document),
                   *(f"{key}={value}" for key, value in sorted(embedded.items()))])


def report_notebook_source(report, render_settings: str, notebook_parameters) -> str:
    """What the executed report notebook shows: the document model (as format_id sees it) and the
    parameters its first cells show (those of the run aside: VOLATILE_PARAMETERS and the files
    the kept notebook is pointed at)."""
    document = dataclasses.replace(report, companion=None)
    shown = sorted((name, repr(value)) for name, value in dict(notebook_parameters).items()
                   if name not in (*VOLATILE_PARAMETERS, *POINTED_PARAMETERS))
    return digest(["report notebook", render_settings, model_digest(document), repr(shown)])


def companion_id(report, name: str, render_settings: str, notebooks: dict[str, str]) -> str:
    """The content id of the companion in format `name`: its model without what describes the run
    that made it (the time, and the table of the input files' sizes and SHA-256, which a kept
    report's companion shows as they were when it was made), the content ids of the notebooks it shows."""
    companion = report.companion
    hashes = {digest_ for _, digest_ in companion.provenance.inputs}

    def of_the_run(block) -> bool:  # the table of the input files: a row per (file, size, SHA-256)
        return bool(hashes) and isinstance(getattr(block, "rows", None), tuple) and any(
            hashes & {str(cell) for cell in row} for row in block.rows)

    sections = tuple(dataclasses.replace(section, blocks=tuple(b for b in section.blocks if not of_the_run(b)))
                     for section in companion.sections)
    model = dataclasses.replace(companion, sections=sections, provenance=dataclasses.replace(
        companion.provenance, inputs=(), generated_at=dt.datetime.min))
    parts: list = []
    _canonical(model, parts)
    return digest(["companion", name, render_settings, *(_RUN_TIME.sub("…", str(part)) for part in parts),
                   *(f"{key}={value}" for key, value in sorted(notebooks.items()))])


def notebook_content(data: bytes) -> dict:
    """An executed notebook as what it shows: each cell's type, source (internal parameters aside)
    and outputs; no metadata, no execution counts' timing."""
    notebook = json.loads(data.decode("utf-8"))
    cells = []
    for cell in notebook.get("cells", []):
        source = "".join(cell.get("source", ""))
        if cell.get("cell_type") == "code":
            source = _VOLATILE_LINE.sub("", source)
        outputs = [_shown(output) for output in cell.get("outputs", [])]
        cells.append({"type": cell.get("cell_type"), "source": source, "outputs": outputs})
    return {"cells": cells}


def _shown(output: dict) -> dict:
    """An output as a reader sees it: no metadata, and its plain-text form only when it has no other
    (a table's plain text is the object's repr, with its address in memory)."""
    shown = {k: v for k, v in output.items() if k != "metadata"}
    data = shown.get("data")
    if isinstance(data, dict) and len(data) > 1:
        shown["data"] = {mime: value for mime, value in data.items() if mime != "text/plain"}
    return shown


_PAGE_RUN_TIME = re.compile(_RUN_TIME_PATTERN.encode())


def _without_time(page: bytes) -> bytes:
    return _PAGE_RUN_TIME.sub(b"", page)


def notebook_id(path: Path) -> str:
    return digest(["notebook", json.dumps(notebook_content(Path(path).read_bytes()), sort_keys=True,
                                          ensure_ascii=False)])


def same_content(old: Path, new: Path, *, run_time: bool = False) -> bool:
    """The file in place shows what the new one shows: the same bytes, or for an executed notebook
    the same cells and outputs (see notebook_content); `run_time`: a page that prints the time of
    the run that made it (the companion file), compared without it."""
    try:
        if old.is_symlink() or not old.is_file():
            return False
        if old.stat().st_size == new.stat().st_size and old.read_bytes() == new.read_bytes():
            return True
        if new.suffix == ".ipynb":
            return notebook_content(old.read_bytes()) == notebook_content(new.read_bytes())
        if run_time and new.suffix == ".html":
            return _without_time(old.read_bytes()) == _without_time(new.read_bytes())
    except (OSError, ValueError):
        return False
    return False
