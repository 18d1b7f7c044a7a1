"""Types of command-line options shared by the commands (argparse `type=`): a bad value is a usage
error (exit 2) with a Vietnamese message, never a silent default."""

from __future__ import annotations

import argparse
from pathlib import Path


def path_option(text: str) -> Path:
    """A path given on the command line: never empty (`--out ""` would be the current folder)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("đường dẫn trống: ghi tên một thư mục hay tệp")
    return Path(text)
