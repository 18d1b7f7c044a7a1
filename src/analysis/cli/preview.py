"""`python -m analysis preview [--unit ĐƠN_VỊ] [--port CỔNG]`: the report served on 127.0.0.1,
rebuilt and reloaded in the browser whenever a form, the narrative or a parameters file is saved.

Nothing is written into reports/. Ctrl+C stops it (exit 0).
"""

from __future__ import annotations

import argparse
import signal
import threading

from analysis import config
from analysis.cli.options import path_option
from analysis.terminal import visible

DEFAULT_PORT = 8765


def port_number(text: str) -> int:
    """A TCP port, 1–65535, or 0 (the system picks a free one); anything else is a usage error (exit 2)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"“{visible(text)}” không phải số cổng: cần một số từ 1 đến 65535 "
                                         "(hoặc 0: chọn một cổng trống)")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--unit", default="city", metavar="ĐƠN_VỊ",
                        help="city (toàn địa bàn, mặc định) hoặc mã một đơn vị (xã, phường)")
    parser.add_argument("--port", type=port_number, default=DEFAULT_PORT,
                        help=f"cổng trên 127.0.0.1 (mặc định {DEFAULT_PORT}; 0: chọn một cổng trống)")
    parser.add_argument("--data", type=path_option, default=config.RAW_DIR, help="thư mục các biểu (mặc định: data/raw)")
    parser.add_argument("--period", help="kỳ báo cáo: năm đầu-năm cuối, ví dụ 2021-2025 (mặc định: theo tệp tham số)")
    parser.add_argument("-f", "--params", type=path_option, metavar="TỆP.yaml",
                        help="tệp tham số bổ sung (cùng khóa với data/reference/report.yaml), theo dõi cả tệp này")


def run(args: argparse.Namespace) -> int:
    from analysis.errors import UsageError
    from analysis.outputs import why
    from analysis.preview import run_preview
    from analysis.publish.selection import unit_codes
    from analysis.reference import load_units
    from analysis.report.params import load_params

    if args.unit == "all":
        raise UsageError("xem trước từng báo cáo một: dùng --unit city hoặc mã một xã, phường")
    params = load_params(args.params, period=args.period)  # a bad option stops here, before the server starts
    (unit,) = unit_codes([args.unit], load_units(on=params.map_day))
    if not args.data.is_dir():
        raise UsageError(f"không tìm thấy thư mục số liệu “{args.data}”")

    # Ctrl+C (or SIGTERM) asks the loop to stop: a rebuild under way ends first (an exception raised
    # inside it would only become an error of the notebook cell). A second Ctrl+C stops at once.
    stop = threading.Event()

    def ask_to_stop(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    signal.signal(signal.SIGTERM, ask_to_stop)
    signal.signal(signal.SIGINT, ask_to_stop)  # also when started from a job that ignores SIGINT
    try:
        run_preview(data_dir=args.data, unit=unit, port=args.port, params_file=args.params, period=args.period,
                    ready=lambda url: print(f"Xem trước tại {url} (Ctrl+C để dừng)", flush=True), stop=stop)
    except OSError as error:
        raise UsageError(f"không mở được cổng {args.port} trên 127.0.0.1: {why(error)}; thử --port khác") from None
    print("Đã dừng xem trước.", flush=True)
    return 0
