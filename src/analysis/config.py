"""Every path the package uses, derived from the project root in one place.

The root is the folder holding pyproject.toml (this file lives in src/analysis/); the
environment variable ANALYSIS_ROOT overrides it, for example to point an installed copy
at a project folder.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = Path(os.environ.get("ANALYSIS_ROOT", PACKAGE_DIR.parent.parent)).resolve()

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
