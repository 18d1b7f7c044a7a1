"""The formats a report is written in: the writer of each (write(report, path, artifacts), one
file), what a format needs made first in the same run, and the analyst's companion file's writers.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Mapping
from pathlib import Path

from analysis.errors import UsageError


# Format -> "module:function"; each writer is write(report, path, artifacts) and writes one file.
FORMAT_WRITERS = {
    "html": "analysis.render.html:write_html",
    "pdf": "analysis.render.pdf:write_pdf",
    "docx": "analysis.render.docx:write_docx",
    "xlsx": "analysis.render.xlsx:write_xlsx",
    "eml": "analysis.publish.formats:write_eml",
}
NEEDS = {"eml": ("html", "pdf"), "pdf": ("html",)}
# The analyst's companion ("kiem-tra-so-lieu-…") written beside every report: HTML always, Excel
# when xlsx is asked. It holds the check material that the signed report does not.
COMPANION_WRITERS = {
    "html": "analysis.render.companion:write_companion_html",
    "xlsx": "analysis.render.companion:write_companion_xlsx",
}


def available_formats() -> list[str]:
    return [name for name, target in FORMAT_WRITERS.items()
            if importlib.util.find_spec(target.split(":")[0]) is not None]


def parse_formats(text: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in formats if f not in available_formats()]
    if unknown or not formats:
        raise UsageError(f"định dạng không hỗ trợ: {', '.join(unknown) or '(trống)'}; "
                         f"các định dạng có: {', '.join(available_formats())}")
    return formats


def write_eml(report, path: Path, artifacts: Mapping[str, Path]) -> None:
    """The email draft (analysis.render.eml), From the configured sender (mail.yaml or
    ANALYSIS_SMTP_FROM / _USER) when there is one: the writer writes, the application reads the settings."""
    from analysis.mail import configured_sender  # noqa: PLC0415 (lazy: see the module's docstring)
    from analysis.render.eml import write_eml as write  # noqa: PLC0415 (lazy: see the module's docstring)

    write(report, path, artifacts, sender=configured_sender())


def _writer(name: str) -> Callable:
    module, function = FORMAT_WRITERS[name].split(":")
    return getattr(importlib.import_module(module), function)
