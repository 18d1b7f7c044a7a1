"""`python -m analysis units [--map NĂM] [--unit MÃ]`: the units of a map with their codes and
names, and for a map that followed a merger, the old units each new one took in (old → new);
with --unit, what one code is on that map and what it was or became on the others."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--map", type=int, metavar="NĂM",
                        help="bản đồ đơn vị mà biểu của năm NĂM dùng, ví dụ 2025 (mặc định: năm cuối kỳ trong "
                             "data/reference/report.yaml)")
    parser.add_argument("--unit", metavar="MÃ", help="tra một mã: là đơn vị nào trên bản đồ đó, trước đây hay "
                                                     "nay thuộc đơn vị nào")


def run(args: argparse.Namespace) -> int:
    from analysis.errors import UsageError
    from analysis.unit_list import code_lines, map_lines
    from analysis.vocabulary import default_period

    year = args.map if args.map is not None else default_period()[1]
    if not 1900 <= year <= 2100:
        raise UsageError(f"--map {year}: ghi năm của biểu, ví dụ 2025")
    if args.unit is None:
        print("\n".join(map_lines(year)))
        return 0
    lines = code_lines(args.unit.strip(), year)
    if lines is None:
        raise UsageError(f"không có đơn vị nào mang mã “{args.unit}” trong danh sách đơn vị (data/reference/units.csv); "
                         f"xem các mã: python -m analysis units --map {year}")
    print("\n".join(lines))
    return 0
