"""`python -m analysis sample-data [--period START-END] [--out DIR] [--force]`: write the bundled sample forms.

--period picks the set (samples.write_sample_data): by default the bundled one;
the five-year set runs across the 2025 reorganisation of the units. Any other period: exit 2.

A form in DIR that differs from the sample (an analyst's own data) is never replaced without
--force: the command names those files and exits 2, writing nothing.
"""

from __future__ import annotations

import argparse

from analysis import config
from analysis.cli.options import path_option


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=path_option, default=config.RAW_DIR, help="thư mục ghi các biểu mẫu (mặc định: data/raw)")
    parser.add_argument("--period", help="bộ số liệu mẫu của kỳ nào: năm đầu-năm cuối, ví dụ 2021-2025 "
                                         "(mặc định: bộ số liệu mẫu đi kèm trong data/raw)")
    parser.add_argument("--force", action="store_true",
                        help="ghi đè cả những biểu cùng tên nhưng khác bộ số liệu mẫu (mặc định: không ghi đè, báo lỗi)")


def run(args: argparse.Namespace) -> int:
    from analysis.periods import parse_period
    from analysis.errors import RenderError
    from analysis.outputs import check_output_dir, make_output_dir, why
    from samples import check_sample_period, install_sample_data
    from analysis.terminal import visible

    period = parse_period(args.period) if args.period else None
    if period is not None:
        check_sample_period(period)  # before any folder is made
    check_output_dir(args.out, option="--out", what="thư mục biểu mẫu")
    make_output_dir(args.out, "--out", "thư mục biểu mẫu")
    try:
        paths = install_sample_data(args.out, force=args.force, period=period)
    except OSError as error:
        raise RenderError(f"không ghi được bộ số liệu mẫu vào “{visible(str(args.out))}”: {why(error)}") from None
    for path in paths:
        print(visible(path))
    return 0
