"""`python -m analysis lab`: the analyst's JupyterLab, the same on every path (make, conda, venv).

Installs or refreshes the notebooks' kernel (`kontum-analysis`) in the environment this command
runs in (its interpreter, under sys.prefix: never per user, so each clone or environment keeps its
own), then opens JupyterLab at the project root with notebooks/ in view (data/ and reports/ stay
reachable from a notebook). `--kernel-only` stops after the kernel (make's first install uses it).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from analysis import config


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kernel-only", action="store_true",
                        help="chỉ cài (hoặc cập nhật) nhân Python của các sổ tính, không mở JupyterLab")
    parser.add_argument("--no-browser", action="store_true",
                        help="không tự mở trình duyệt (in địa chỉ để mở bằng tay; máy chủ, máy từ xa)")
    parser.add_argument("--port", type=int, help="cổng của JupyterLab (mặc định: JupyterLab tự chọn, từ 8888)")
    parser.add_argument("--allow-root", action="store_true", help="cho chạy bằng tài khoản root (Linux)")


def install_kernel(prefix: str = sys.prefix) -> Path:
    """The kernel spec of this interpreter under `prefix` (written again each time: an environment
    moved or rebuilt gets its own interpreter's path); returns its folder."""
    from ipykernel.kernelspec import install

    return Path(install(kernel_name=config.KERNEL_NAME, display_name=config.KERNEL_DISPLAY_NAME, prefix=prefix))


def lab_command(args: argparse.Namespace) -> list[str]:
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={config.ROOT}",
               "--ServerApp.default_url=/lab/tree/notebooks"]
    if args.no_browser:
        command.append("--no-browser")
    if args.port is not None:
        command.append(f"--port={args.port}")
    if args.allow_root:
        command.append("--allow-root")
    return command


def run(args: argparse.Namespace) -> int:
    import importlib.util
    import signal

    from analysis.errors import UsageError

    folder = install_kernel()
    print(f"Đã cài nhân “{config.KERNEL_DISPLAY_NAME}” ({config.KERNEL_NAME}) cho {sys.executable} "
          f"tại {folder}", flush=True)
    if args.kernel_only:
        return 0
    if importlib.util.find_spec("jupyterlab") is None:
        raise UsageError("chưa cài JupyterLab trong môi trường này: chạy "
                         "python -m pip install -c constraints.txt -e \".[dev,lab]\" (với conda: "
                         "conda env update -f environment.yml), rồi chạy lại lệnh")
    print(f"Mở JupyterLab tại {config.ROOT}, thư mục notebooks (Ctrl+C hai lần để dừng)…", flush=True)
    # Ctrl+C belongs to JupyterLab (it asks before stopping): this process only waits for it.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return subprocess.call(lab_command(args), cwd=config.ROOT)
    finally:
        signal.signal(signal.SIGINT, previous)
