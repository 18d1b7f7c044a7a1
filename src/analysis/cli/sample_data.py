"""`python -m analysis sample-data --out DIR`: write the bundled sample forms."""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis import config


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=config.RAW_DIR, help="thư mục ghi các biểu mẫu (mặc định: data/raw)")


def run(args: argparse.Namespace) -> int:
    from analysis.errors import RenderError
    from analysis.outputs import check_output_dir, make_output_dir, why
    from analysis.sample_data import write_sample_data
    from analysis.terminal import visible

    check_output_dir(args.out, option="--out", what="thư mục biểu mẫu")
    make_output_dir(args.out, "--out", "thư mục biểu mẫu")
    try:
        paths = write_sample_data(args.out)
    except OSError as error:
        raise RenderError(f"không ghi được bộ số liệu mẫu vào “{visible(str(args.out))}”: {why(error)}") from None
    for path in paths:
        print(visible(path))
    return 0
