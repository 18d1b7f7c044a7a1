"""Every path the package uses, derived from the project root in one place.

The root is the folder holding pyproject.toml (this file lives in src/analysis/); the
environment variable ANALYSIS_ROOT overrides it, for example to point an installed copy
at a project folder. `root_problem` says, in Vietnamese, why a root given that way cannot be
used (checked by the command line before anything is loaded).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = Path(os.environ.get("ANALYSIS_ROOT") or PACKAGE_DIR.parent.parent).resolve()

DATA_DIR = ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
REFERENCE_DIR = DATA_DIR / "reference"
PROCESSED_DIR = DATA_DIR / "processed"
REPORTS_DIR = ROOT / "reports"
NOTEBOOKS_DIR = ROOT / "notebooks"

FONTS_DIR = PACKAGE_DIR / "fonts"
TEMPLATES_DIR = PACKAGE_DIR / "templates"

# Reference files an analyst can read and edit.
UNITS_FILE = REFERENCE_DIR / "units.csv"
CROSSWALK_FILE = REFERENCE_DIR / "crosswalk.csv"
HEADER_ALIASES_FILE = REFERENCE_DIR / "header_aliases.yaml"
STATUS_ALIASES_FILE = REFERENCE_DIR / "status_aliases.yaml"
INDICATORS_FILE = REFERENCE_DIR / "indicators.yaml"
VALIDATION_RULES_FILE = REFERENCE_DIR / "validation_rules.yaml"
SAMPLE_CHECKSUMS_FILE = REFERENCE_DIR / "sample_inputs.sha256"
NARRATIVE_DIR = DATA_DIR / "narrative"
FIELDS_FILE = REFERENCE_DIR / "fields.yaml"
AREA_FILE = REFERENCE_DIR / "area.yaml"
LEGAL_FILE = REFERENCE_DIR / "legal.yaml"
REPORT_DEFAULTS_FILE = REFERENCE_DIR / "report.yaml"

# The notebooks' kernel (named in their metadata): installed into the environment that runs
# `python -m analysis lab` (or make), so papermill and JupyterLab find it on every path.
KERNEL_NAME = "kontum-analysis"
KERNEL_DISPLAY_NAME = "Python (báo cáo sơ kết)"


def root_problem() -> str | None:
    """Why the project folder (ANALYSIS_ROOT, when set) cannot be used, or None: a path that is not
    UTF-8, a folder that does not exist, or one without the project's reference files. An empty
    ANALYSIS_ROOT is as if it were not set (the folder holding pyproject.toml)."""
    given = os.environ.get("ANALYSIS_ROOT")
    if not given:
        return None
    try:
        given.encode("utf-8")
    except UnicodeEncodeError:
        shown = given.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        return (f"biến môi trường ANALYSIS_ROOT “{shown}” có byte không phải UTF-8: đặt lại biến này là "
                "đường dẫn thư mục dự án (thư mục có pyproject.toml và data/reference/)")
    shown = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in given)
    if not ROOT.is_dir():
        return f"biến môi trường ANALYSIS_ROOT “{shown}” không phải một thư mục có thật: đặt lại là thư mục dự án"
    missing = [path for path in (FIELDS_FILE, AREA_FILE, REPORT_DEFAULTS_FILE) if not os.path.lexists(path)]
    if missing:
        return (f"biến môi trường ANALYSIS_ROOT “{shown}” không phải thư mục dự án: không có "
                f"{missing[0].relative_to(ROOT).as_posix()}; đặt lại là thư mục có data/reference/")
    return None
