"""The versions of the software a report is made with: listed in its companion file and part of
the record that tells whether a report is up to date (analysis.incremental). Standard library
only: the up-to-date check imports it."""

from __future__ import annotations

import os
import platform
import sys
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


def installed() -> str:
    """Every distribution installed where this Python imports from, by its metadata folder's name
    (name and version: "kiwisolver-1.4.8.dist-info"): what draws a chart or lays out a page
    (matplotlib and kiwisolver, Pillow, Babel, WeasyPrint and Pyphen, …) is one of them, and a
    report whose renderer changed is made again (analysis.incremental.Plan.render). The folders
    are listed, not read: the up-to-date check stays quick."""
    found: set[str] = set()
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as listing:
                found.update(item.name for item in listing if item.name.endswith((".dist-info", ".egg-info")))
        except OSError:  # not a folder (a zip file, a path that is gone)
            continue
    return ";".join(sorted(found))
