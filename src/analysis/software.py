"""The versions of the software a report is made with: listed in its companion file and part of
the record that tells whether a report is up to date (analysis.incremental). Standard library
only: the up-to-date check imports it."""

from __future__ import annotations

import platform
from importlib import metadata

from analysis import __version__

SOFTWARE = ("pandas", "numpy", "matplotlib", "papermill", "nbconvert", "weasyprint", "openpyxl")


def software_versions() -> str:
    parts = [f"analysis {__version__}", f"Python {platform.python_version()}"]
    for name in SOFTWARE:
        try:
            parts.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return ", ".join(parts)
