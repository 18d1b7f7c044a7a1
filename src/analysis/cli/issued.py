"""`python -m analysis issued`: the register of issued reports of an output folder (number, date,
period, unit, title, content digest), each checked against the SHA-256 its folder recorded.
Exit 0 (also when nothing was issued), 2 usage error."""

from __future__ import annotations

import argparse

from analysis import config
from analysis.cli.options import path_option


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=path_option, default=config.REPORTS_DIR,
                        help="thư mục báo cáo, nơi có da-ban-hanh/ (mặc định: reports)")


def intact(issued) -> list[str]:
    """The files of an issued folder that are missing or differ from what it recorded."""
    from analysis.read.files import sha256_file

    wrong = []
    for name, digest in issued.files.items():
        path = issued.folder / name
        try:
            if path.is_symlink() or sha256_file(path) != digest:
                wrong.append(name)
        except OSError:
            wrong.append(name)
    return wrong


def run(args: argparse.Namespace) -> int:
    from analysis.archive.issued import REGISTER_FILE, all_issued, issued_root
    from analysis.outputs import check_output_dir
    from analysis.terminal import visible

    out_dir = check_output_dir(args.out)
    issued, unreadable = all_issued(out_dir)
    root = issued_root(out_dir)
    if not issued and not unreadable:
        print(visible(f"Chưa có báo cáo nào được ban hành trong “{root}” (lập bản chính thức bằng "
                      "`python -m analysis report --final --number \"Số …\"`)."))
        return 0
    print(visible(f"Sổ đăng ký các báo cáo đã ban hành ({len(issued)} báo cáo), “{root / REGISTER_FILE}”:"))
    for number, item in enumerate(issued, 1):
        start, end = item.period
        wrong = intact(item)
        state = "nguyên vẹn" if not wrong else f"CÓ TỆP BỊ SỬA HOẶC THIẾU: {', '.join(wrong)}"
        lines = [f"{number}. {item.number}, ngày {item.date.day}/{item.date.month}/{item.date.year} – {item.unit_name} "
                 f"(mã {item.unit_code}), kỳ {start}–{end}",
                 f"   {item.title}",
                 f"   {item.map.description}" + (f"; thay thế {item.replaces}" if item.replaces else ""),
                 f"   thư mục: {item.folder}; mã kiểm tra nội dung: {item.content}; {state}"]
        for line in lines:
            print(visible(line))
    for folder in unreadable:
        print(visible(f"Thư mục “{folder}” không đọc được thông tin (thiếu hoặc hỏng tệp thong-tin.json)."))
    return 0
