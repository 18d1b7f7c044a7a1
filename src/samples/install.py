"""Writing a sample set into a folder: `write_sample_data` (the workbooks, as they are) and
`install_sample_data` (never over a form that differs from the sample, atomically)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from analysis import config
from analysis.errors import UsageError
from samples.sets import check_sample_period, periods, write_five_years, write_three_years


def write_sample_data(out_dir: Path = config.RAW_DIR, period: tuple[int, int] | None = None) -> list[Path]:
    """Write the sample workbooks into `out_dir`; return their paths.

    period None or the bundled set's (samples/data/three_years.yaml): its forms 01 and register,
    the files of data/raw. The five-year set's (five_years.yaml): the same forms 01 of the earlier
    years, the later years' forms (the last on the new map) and the register to its end instead.
    """
    bundled, five = periods()
    period = bundled if period is None else (period[0], period[1])
    check_sample_period(period)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return write_three_years(out_dir) if period == bundled else write_five_years(out_dir)


def _replace(path: Path, target: Path) -> None:
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".sample-", suffix=path.suffix)
    with os.fdopen(handle, "wb") as stream:
        stream.write(path.read_bytes())
    os.replace(temporary, target)


def install_sample_data(out_dir: Path = config.RAW_DIR, *, force: bool = False,
                        period: tuple[int, int] | None = None) -> list[Path]:
    """Write the sample workbooks into `out_dir` without ever replacing a form that differs from
    the bundled sample (an analyst's own data) unless `force`: a UsageError names those files and
    nothing is written. Files are replaced atomically; return every sample path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        fresh = write_sample_data(Path(folder), period=period)
        differing = [path.name for path in fresh
                     if (out_dir / path.name).exists() and (out_dir / path.name).read_bytes() != path.read_bytes()]
        if differing and not force:
            raise UsageError(
                f"thư mục {out_dir} đã có {len(differing)} biểu khác với bộ số liệu mẫu: {', '.join(differing)}. "
                "Không ghi đè số liệu của anh/chị. Muốn thay bằng số liệu mẫu: thêm --force "
                "(make sample-data FORCE=1); muốn giữ: ghi số liệu mẫu vào thư mục khác (--out THƯ_MỤC).")
        for path in fresh:
            target = out_dir / path.name
            if not (target.exists() and target.read_bytes() == path.read_bytes()):
                _replace(path, target)
    return [out_dir / path.name for path in fresh]
