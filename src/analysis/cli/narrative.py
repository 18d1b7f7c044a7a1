"""`python -m analysis narrative`: each report's narrative file, written whole for the unit to fill in.

For each report asked for (every unit by default; `city` for the area's), a file that does not
exist yet is written at the place the report reads it from (`narrative_dir`/<slug>.md of the
parameters, or the area's `narrative`): every heading of parts I–V, what the figures say as notes
to the author, and a line "[Cần viết: …]" for each thing only the unit can write. A file that
exists is never overwritten: the command says what it still lacks and which headings it read as
others. Prints each file written on stdout.
Exit 0 done, 1 data errors, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis import config


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=config.RAW_DIR, help="thư mục các biểu (mặc định: data/raw)")
    parser.add_argument("--period", help="kỳ báo cáo: năm đầu-năm cuối, ví dụ 2021-2025 (mặc định: theo tệp tham số)")
    parser.add_argument("--map", metavar="NĂM", help="bản đồ đơn vị của báo cáo (như lệnh report)")
    parser.add_argument("--unit", nargs="+", metavar="ĐƠN_VỊ", default=["all"],
                        help="all (mặc định: từng xã, phường và toàn địa bàn), city hoặc mã một đơn vị")
    parser.add_argument("-f", "--params", type=Path, metavar="TỆP.yaml",
                        help="tệp tham số bổ sung (cùng khóa với data/reference/report.yaml)")


def run(args: argparse.Namespace) -> int:
    # lazy: the check and compute stages (pandas) only when this command runs
    from analysis.check.findings_report import summary_line, text_table
    from analysis.compute.computed import compute_for
    from analysis.dataset import load_dataset
    from analysis.errors import DataError
    from analysis.outputs import write_atomically
    from analysis.publish.selection import unit_codes
    from analysis.report.content import ReportBuilder
    from analysis.report.params import expected_narrative_file, load_params
    from analysis.terminal import visible

    params = load_params(args.params, period=args.period, map=args.map, unit=args.unit)
    dataset = load_dataset(args.data, params.period)
    if len(dataset.errors):
        print(text_table(dataset.errors), file=sys.stderr)
        print(summary_line(dataset), file=sys.stderr)
        raise DataError(f"số liệu có {len(dataset.errors)} lỗi; chưa viết tệp nhận định nào.", dataset.errors)
    computed = compute_for(dataset, params)
    for code in unit_codes(params.unit, computed.units):
        builder = ReportBuilder(computed, params, code)
        path = expected_narrative_file(params, computed.units, code)
        shown = visible(_relative(path))
        if path.exists():
            narrative = builder.whole_narrative_notes()
            lacking = f"; còn phần chưa viết: {', '.join(narrative)}" if narrative else "; đã đủ các phần"
            print(f"Đã có {shown}, giữ nguyên{lacking}.", file=sys.stderr)
            for warning in builder.narrative_warnings:
                print(f"  Cảnh báo: {visible(warning)}", file=sys.stderr)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, builder.narrative_text().encode("utf-8"))
        print(shown)
    return 0


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(config.ROOT))
    except ValueError:
        return str(path)
