"""`python -m analysis report`: validate, compute and render the report(s).

Prints each file written on stdout, one per line; progress goes to stderr. A report whose inputs
did not change since the record in the output folder is kept, not made again (analysis.incremental;
`--force` makes every report again); its files are printed all the same.
A final report with a number (`--final --number "Số 127-BC/TU"`) is also kept in
`<out>/da-ban-hanh/<number>/` (analysis.archive.issued); a later draft of the same period and unit
says what changed since (analysis.archive.revision).
Exit 0 done, 1 data errors, 2 usage error (also a bad --out: a file, the data folder or inside
it; `--number` with several reports; a number already issued with other content), 3 rendering failure (also the output folder read-only or the disk full), 130 interrupted by
Ctrl+C, 143 by SIGTERM.
"""

from __future__ import annotations

import argparse

from analysis import config
from analysis.cli.options import path_option


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"“{text}” không hợp lệ: cần một số nguyên từ 1 trở lên")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=path_option, default=config.RAW_DIR, help="thư mục các biểu (mặc định: data/raw)")
    parser.add_argument("--out", type=path_option, default=config.REPORTS_DIR, help="thư mục ghi báo cáo (mặc định: reports)")
    parser.add_argument("--period", help="kỳ báo cáo: năm đầu-năm cuối, ví dụ 2021-2025 (mặc định: theo tệp tham số; "
                                         "kỳ có tệp data/reference/reviews/<kỳ>.yaml lấy thêm tham số ở đó)")
    parser.add_argument("--map", metavar="NĂM",
                        help="bản đồ đơn vị của báo cáo: các xã, phường theo biểu của năm NĂM, ví dụ 2024 (mặc định: "
                             "các đơn vị có hiệu lực vào ngày báo cáo; số liệu các năm trước được cộng theo bảng "
                             "chuyển đổi)")
    parser.add_argument("--unit", nargs="+", metavar="ĐƠN_VỊ",
                        help="city (toàn địa bàn, mặc định), all (toàn địa bàn và từng đơn vị: xã, phường) "
                             "hoặc mã một đơn vị")
    parser.add_argument("--format", default="html,pdf", help="các định dạng, cách nhau dấu phẩy (mặc định: html,pdf)")
    parser.add_argument("-f", "--params", type=path_option, metavar="TỆP.yaml",
                        help="tệp tham số bổ sung (cùng khóa với data/reference/report.yaml)")
    parser.add_argument("--review-date", help="ngày của báo cáo, YYYY-MM-DD")
    # retired: how far each year's figures go is what the forms say; given, the command says so (exit 2)
    parser.add_argument("--data-as-of", help=argparse.SUPPRESS)
    parser.add_argument("--number", help="số, ký hiệu văn bản, ví dụ “Số 127-BC/TU”")
    parser.add_argument("--signer", help="họ tên người ký")
    parser.add_argument("--final", action="store_true",
                        help="bản chính thức: không in dấu DỰ THẢO; có số văn bản thì lưu vào da-ban-hanh/<số>/ "
                             "(một lần, không ghi đè) và vào sổ đăng ký")
    parser.add_argument("--force", action="store_true",
                        help="lập lại mọi báo cáo, kể cả khi số liệu, tham số, nhận định không đổi")
    parser.add_argument("--workers", type=positive_int, help="số báo cáo lập song song (mặc định: số nhân CPU)")


def run(args: argparse.Namespace) -> int:
    from analysis.errors import UsageError
    from analysis.report.params import load_params
    from analysis.publish import publish
    from analysis.publish.formats import parse_formats
    from analysis.terminal import visible

    overrides = {"period": args.period, "map": args.map, "unit": args.unit, "review_date": args.review_date,
                 "data_as_of": args.data_as_of, "number": args.number, "signer_name": args.signer,  # data_as_of: refused
                 "draft": False if args.final else None}
    params = load_params(args.params, **overrides)
    if args.number:  # a number is one document's: the area's report or one unit's own
        if len(params.unit) != 1 or params.unit[0] == "all":
            raise UsageError(f"--number “{visible(args.number)}” là số của một văn bản: chỉ dùng khi lập một báo cáo "
                             "(--unit city hoặc mã một xã, phường); số của từng đơn vị ghi trong tệp tham số "
                             "(units: {mã: {number: …}})")
        params = params.with_number(params.unit[0], args.number)
    formats = parse_formats(args.format)
    notebook_parameters = {
        "params_file": str(args.params.resolve()) if args.params else "", "map_year": args.map or "",
        "review_date": args.review_date or "", "number": args.number or "",
        "signer_name": args.signer or "", "draft": "không" if args.final else "",
    }
    for path in publish(data_dir=args.data, out_dir=args.out, params=params, formats=formats,
                        notebook_parameters=notebook_parameters, workers=args.workers, force=args.force):
        print(visible(path))
    return 0
