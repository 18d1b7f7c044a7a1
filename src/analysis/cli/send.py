"""`python -m analysis send MESSAGE.eml --to ADDRESS…`: a dry run unless --yes.

Exit 0 sent or dry run, 2 usage error, 4 the server refused or could not be reached.
"""

from __future__ import annotations

import argparse
import sys

from analysis.cli.options import path_option


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("message", type=path_option, metavar="THƯ.eml", help="tệp thư do lệnh report --format eml tạo")
    parser.add_argument("--to", nargs="+", metavar="ĐỊA_CHỈ", help="người nhận (mặc định: khóa to của tệp cấu hình)")
    parser.add_argument("--config", type=path_option, help="tệp cấu hình thư (mặc định: mail.yaml; xem mail.example.yaml)")
    parser.add_argument("--yes", action="store_true", help="gửi thật (mặc định chỉ in thông tin, không gửi)")


def run(args: argparse.Namespace) -> int:
    from analysis.formatting import fmt_number
    from analysis.mail import MAX_VISIBLE_RECIPIENTS, load_settings, plain_password_warning, read_message, send
    from analysis.render.eml import attachments
    from analysis.terminal import visible

    message = read_message(args.message)
    settings = load_settings(args.config, to=args.to)
    print(f"Người nhận: {visible(', '.join(settings.recipients))}")
    if settings.blind:
        print(f"Quá {MAX_VISIBLE_RECIPIENTS} người nhận: mỗi người nhận một bản sao ẩn (Bcc), không thấy địa chỉ "
              f"của người khác ({len(settings.recipients)} người nhận).")
    warning = plain_password_warning(settings)
    if warning:
        print(warning, file=sys.stderr)
    print(f"Tiêu đề: {visible(message['Subject'])}")
    print(f"Dung lượng thư: {fmt_number(args.message.stat().st_size / 2**20, 2)} MB")
    for name, data in attachments(message).items():
        print(f"Đính kèm: {visible(name)} ({fmt_number(len(data) / 1024, 0)} KB)")
    if not args.yes:
        print("Chạy thử: chưa gửi. Thêm --yes để gửi.")
        return 0
    send(message, settings)
    print(f"Đã gửi qua {visible(settings.host)}:{settings.port}.")
    return 0
