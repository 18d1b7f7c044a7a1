"""`python -m analysis diff A B`: two versions of a report side by side, in the terminal and as an
HTML page (analysis.render.comparison).

A and B: an issued number ("Số 127-BC/TU", "127-BC/TU"), the folder of an issued report, or
`du-thao` (the report as `report` would make it now from `--data` and the parameters; by default
with the period, unit and map of the other version). Exit 0 done (whether or not they differ),
1 data errors (the draft's forms), 2 usage error (a version not found; two units; two maps of units).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis import config
from analysis.cli.options import path_option

SHOWN = 40  # figures and sentences printed on the terminal (the page has them all)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("first", metavar="A", help="bản trước: số văn bản đã ban hành (ví dụ “Số 127-BC/TU”), thư mục "
                                                   "của bản đã ban hành, hoặc du-thao")
    parser.add_argument("second", metavar="B", help="bản sau: như A (thường là du-thao: bản lập từ số liệu hiện nay)")
    parser.add_argument("--out", type=path_option, default=config.REPORTS_DIR,
                        help="thư mục báo cáo, nơi có da-ban-hanh/ (mặc định: reports)")
    parser.add_argument("--html", type=path_option, metavar="TỆP.html",
                        help="nơi ghi trang so sánh (mặc định: so-sanh-A-voi-B.html trong thư mục báo cáo)")
    parser.add_argument("--data", type=path_option, default=config.RAW_DIR, help="thư mục các biểu của bản dự thảo "
                                                                          "(mặc định: data/raw)")
    parser.add_argument("--period", help="kỳ của bản dự thảo (mặc định: kỳ của bản đã ban hành)")
    parser.add_argument("--map", metavar="NĂM", help="bản đồ đơn vị của bản dự thảo (mặc định: như bản đã ban hành)")
    parser.add_argument("--unit", metavar="ĐƠN_VỊ", help="city hoặc mã một xã, phường (bản dự thảo; mặc định: đơn vị "
                                                        "của bản đã ban hành)")
    parser.add_argument("-f", "--params", type=path_option, metavar="TỆP.yaml", help="tệp tham số bổ sung của bản dự thảo")


def terminal_text(comparison, a, b) -> list[str]:
    start, end = b.period
    lines = [f"So sánh {a.version.name} (bản trước) với {b.version.name} (bản sau)",
             f"{b.unit_name}, {start}–{end}; {b.map.description}.", *comparison.notes, ""]
    if comparison.same:
        lines.append(f"Hai bản giống nhau: không có số liệu, câu nào khác (trên {comparison.compared} số liệu).")
    lines.append(f"Số liệu khác nhau: {len(comparison.figures)} (trên {comparison.compared} số liệu in trong bảng "
                 "và phần số liệu chính)")
    for change in comparison.figures[:SHOWN]:
        lines.append(f"  {change.place}")
        lines.append(f"      bản trước: {change.then:>10}   bản sau: {change.now:>10}"
                     + (f"   ({change.difference})" if change.difference else ""))
        lines += [f"      ô đã sửa: {cell.text}" for cell in change.cells]
    if len(comparison.figures) > SHOWN:
        lines.append(f"  … và {len(comparison.figures) - SHOWN} số liệu khác (xem trang so sánh)")
    lines += ["", f"Câu khác nhau: {len(comparison.sentences)}"]
    for sentence in comparison.sentences[:SHOWN]:
        lines += [f"  {sentence.place}", f"      bản trước: {sentence.then or '(chưa có)'}",
                  f"      bản sau:   {sentence.now or '(đã bỏ)'}"]
    if len(comparison.sentences) > SHOWN:
        lines.append(f"  … và {len(comparison.sentences) - SHOWN} câu khác (xem trang so sánh)")
    if comparison.header:
        lines += ["", "Phần đầu và chữ ký khác nhau:"]
        lines += [f"  {h.place.split(': ', 1)[-1]}: “{h.then or '(trống)'}” → “{h.now or '(trống)'}”"
                  for h in comparison.header]
    lines += ["", f"Ô biểu đã sửa: {len(comparison.cells)}"]
    for cell in comparison.cells[:SHOWN]:
        who = ", ".join(str(part) for part in (cell.unit_name, cell.year) if part)
        lines.append(f"  {cell.where}" + (f" ({who}; {cell.what})" if who else f" ({cell.what})") + f": {cell.change}")
    if len(comparison.cells) > SHOWN:
        lines.append(f"  … và {len(comparison.cells) - SHOWN} ô khác (xem trang so sánh)")
    return lines


def run(args: argparse.Namespace) -> int:
    from analysis.archive.versions import DRAFT, comparison_of, load
    from analysis.outputs import check_output_dir, make_output_dir
    from analysis.render.comparison import write_comparison_html
    from analysis.terminal import visible

    out_dir = check_output_dir(args.out, args.data)  # never the forms' folder: the page would be read as a form
    if args.html:
        check_output_dir(Path(args.html).parent, args.data, option="--html", what="thư mục ghi trang so sánh")
    given = dict(out_dir=out_dir, data_dir=args.data, params_file=args.params, period=args.period, unit=args.unit,
                 map_year=args.map)
    # the issued side first: a draft takes its period, unit and map
    if args.first.strip().lower() == DRAFT and args.second.strip().lower() != DRAFT:
        b = load(args.second, **given)
        a = load(args.first, **given, like=b)
    else:
        a = load(args.first, **given)
        b = load(args.second, **given, like=a)
    comparison = comparison_of(a, b)
    for line in terminal_text(comparison, a, b):
        print(visible(line))
    target = args.html or out_dir / f"so-sanh-{a.slug}-voi-{b.slug}.html"
    make_output_dir(Path(target).parent, "--html" if args.html else "--out", "thư mục ghi trang so sánh")
    start, end = b.period
    write_comparison_html(target, comparison, a.version, b.version,
                          title=f"So sánh hai bản báo cáo: {b.unit_name}, {start}–{end}",
                          about=f"{b.unit_name}; kỳ báo cáo {start}–{end}; {b.map.description}.")
    print()
    print(visible(f"Trang so sánh: {target}"))
    return 0
