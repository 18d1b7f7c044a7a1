"""The formats a report is written in: a registry of callables, one `Format` each.

A writer is `write(report, path, artifacts)` and writes one file; `artifacts` maps the formats
already written in the same run to their files (the email attaches the HTML and the PDF). The
registry holds small functions that import their writer when called: `report` reads this module
to check `--format` before anything else, and the up-to-date check must not load WeasyPrint,
python-docx or openpyxl (tests/test_incremental.py), so each import below is lazy on purpose.

To add a format: a writer in analysis.render, a small function here that imports and calls it,
and one `Format` in FORMATS (its order is the order of writing; `needs`: formats written first).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.errors import UsageError

if TYPE_CHECKING:
    from analysis.report.document import Report

Writer = Callable[["Report", Path, Mapping[str, Path]], None]


@dataclass(frozen=True)
class Format:
    name: str
    write: Writer
    needs: tuple[str, ...] = ()  # formats written first in the same run (their files are artifacts)
    library: str = ""            # a library the writer needs: the format is offered only when it is installed

    @property
    def available(self) -> bool:
        return not self.library or importlib.util.find_spec(self.library) is not None


def write_html(report: Report, path: Path, artifacts: Mapping[str, Path]) -> None:
    from analysis.render.html import write_html as write  # noqa: PLC0415 (lazy: see the module's docstring)

    write(report, path, artifacts)


def write_pdf(report: Report, path: Path, artifacts: Mapping[str, Path]) -> None:
    from analysis.render.pdf import write_pdf as write  # noqa: PLC0415 (lazy: see the module's docstring)

    write(report, path, artifacts)


def write_docx(report: Report, path: Path, artifacts: Mapping[str, Path]) -> None:
    from analysis.render.docx import write_docx as write  # noqa: PLC0415 (lazy: see the module's docstring)

    write(report, path, artifacts)


def write_xlsx(report: Report, path: Path, artifacts: Mapping[str, Path]) -> None:
    from analysis.render.xlsx import write_xlsx as write  # noqa: PLC0415 (lazy: see the module's docstring)

    write(report, path, artifacts)


def write_eml(report: Report, path: Path, artifacts: Mapping[str, Path]) -> None:
    """The email draft (analysis.render.eml), From the configured sender (mail.yaml or
    ANALYSIS_SMTP_FROM / _USER) when there is one: the writer writes, the application reads the settings."""
    from analysis.mail import configured_sender, configured_signature  # noqa: PLC0415 (lazy: see the module's docstring)
    from analysis.render.eml import write_eml as write  # noqa: PLC0415 (lazy: see the module's docstring)

    write(report, path, artifacts, sender=configured_sender(), signature=configured_signature())


def write_pptx(report: Report, path: Path, artifacts: Mapping[str, Path]) -> None:
    from analysis.render.pptx import write_pptx as write  # noqa: PLC0415 (lazy: see the module's docstring)

    write(report, path, artifacts)


def write_companion_html(report: Report, path: Path, artifacts: Mapping[str, Path]) -> None:
    from analysis.render.companion import write_companion_html as write  # noqa: PLC0415 (lazy: see above)

    write(report, path, artifacts)


def write_companion_xlsx(report: Report, path: Path, artifacts: Mapping[str, Path]) -> None:
    from analysis.render.companion import write_companion_xlsx as write  # noqa: PLC0415 (lazy: see above)

    write(report, path, artifacts)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("html", write_html),
    Format("pdf", write_pdf, needs=("html",), library="weasyprint"),
    Format("docx", write_docx, library="docx"),
    Format("xlsx", write_xlsx, library="openpyxl"),
    Format("eml", write_eml, needs=("html", "pdf")),
    Format("pptx", write_pptx, library="pptx"),
)}
# The analyst's companion ("kiem-tra-so-lieu-…") written beside every report: HTML always, Excel
# when xlsx is asked. It holds the check material that the signed report does not.
COMPANION_FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("html", write_companion_html),
    Format("xlsx", write_companion_xlsx, library="openpyxl"),
)}


def available_formats() -> list[str]:
    return [name for name, format_ in FORMATS.items() if format_.available]


def parse_formats(text: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in formats if f not in available_formats()]
    if unknown or not formats:
        raise UsageError(f"định dạng không hỗ trợ: {', '.join(unknown) or '(trống)'}; "
                         f"các định dạng có: {', '.join(available_formats())}")
    return formats


def writing_order(wanted: tuple[str, ...]) -> list[str]:
    """The formats to write for `wanted`, those another one needs included, in the registry's order."""
    needed = set(wanted) | {need for name in wanted for need in FORMATS[name].needs}
    return [name for name in FORMATS if name in needed]
