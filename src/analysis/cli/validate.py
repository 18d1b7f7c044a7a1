"""`python -m analysis validate`: check the forms and list the findings, errors first.

Exit 0 when there is no error, 1 when there are errors, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys

from analysis import config
from analysis.cli.options import path_option
from analysis.vocabulary import default_period


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=path_option, default=config.RAW_DIR, help="thư mục các biểu (mặc định: data/raw)")
    parser.add_argument("--period", default="-".join(map(str, default_period())),
                        help="kỳ báo cáo: năm đầu-năm cuối, ví dụ 2021-2025 (năm gốc là năm trước năm đầu)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="cách in kết quả")
    parser.add_argument("--by-unit", type=path_option, metavar="THƯ_MỤC",
                        help="ghi mỗi xã, phường một tệp Excel kết quả kiểm tra, để gửi lại đơn vị sửa")
    parser.add_argument("--processed", type=path_option, default=None,
                        help="ghi các bảng đã làm sạch (Parquet) vào thư mục này (mặc định: không ghi)")


def run(args: argparse.Namespace) -> int:
    from analysis.cli.console import can_write_vietnamese
    from analysis.dataset import load_dataset, write_processed
    from analysis.periods import parse_period
    from analysis.check.findings_report import summary_line, text_table, write_by_unit
    from analysis.terminal import visible

    from analysis.errors import RenderError
    from analysis.outputs import check_output_dir, make_output_dir, why

    # Output folders are checked before the forms are read: not a file, not in the data folder.
    outputs = [(path, option) for path, option in ((args.by_unit, "--by-unit"), (args.processed, "--processed")) if path]
    for path, option in outputs:
        check_output_dir(path, args.data, option=option, what="thư mục kết quả")
    dataset = load_dataset(args.data, parse_period(args.period))
    findings = dataset.findings
    if args.format == "json":
        records = findings.assign(values=findings["values"].map(json.loads)).astype(object)
        records = records.where(records.notna(), None).to_dict(orient="records")
        # JSON escapes control characters itself; bytes of a non-UTF-8 file name become "\xNN";
        # \u escapes keep the JSON exact on a stream whose code page lacks Vietnamese letters.
        json.dump(_without_surrogates(records), sys.stdout, ensure_ascii=not can_write_vietnamese(sys.stdout), indent=1)
        print()
    else:
        if len(findings):
            print(text_table(findings))
        print(summary_line(dataset))
    try:
        for path, option in outputs:
            make_output_dir(path, option, "thư mục kết quả")
        if args.by_unit:
            for path in write_by_unit(findings, args.by_unit):
                print(visible(path), file=sys.stderr)
        if args.processed:
            write_processed(dataset, args.processed)
    except OSError as error:
        raise RenderError(f"không ghi được kết quả kiểm tra: {why(error)}") from None
    return 1 if len(dataset.errors) else 0


def _without_surrogates(value):
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    return value
