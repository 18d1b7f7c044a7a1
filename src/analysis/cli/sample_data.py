"""`python -m analysis sample-data --out DIR`: write the bundled sample forms."""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis import config


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=config.RAW_DIR, help="thư mục ghi các biểu mẫu (mặc định: data/raw)")


def run(args: argparse.Namespace) -> int:
    from analysis.sample_data import write_sample_data

    for path in write_sample_data(args.out):
        print(path)
    return 0
