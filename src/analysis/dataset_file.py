"""The checked data set in one file of open formats, kept beside the executed notebooks of a
report so that they re-run as they are, on the data they were run on (the forms may have changed
since): a ZIP archive holding one Parquet file per frame of `Dataset` and `bo-so-lieu.json` (the
period and the day of the map the reports are on). Never a pickle: a notebook that loads one runs
whatever code the file holds; Parquet and JSON hold only data, and open in any tool.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pandas as pd

from analysis.dataset import Dataset
from analysis.errors import UsageError
from analysis.outputs import why, write_atomically

FRAMES = ("form01", "models", "reported_totals", "reported_percents", "findings", "sources", "as_of")
ABOUT = "bo-so-lieu.json"
SUFFIX = ".zip"
VERSION = 1


def _entry(name: str) -> zipfile.ZipInfo:
    """A member with a fixed date: the same data set gives the same bytes (a re-run keeps the file)."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write_dataset_file(dataset: Dataset, path: Path, *, map_day: dt.date | None) -> Path:
    """`path` (written atomically): every frame as Parquet, the period and the map's day as JSON."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        about = {"version": VERSION, "period": list(dataset.period),
                 "map_day": map_day.isoformat() if map_day else None, "frames": list(FRAMES)}
        archive.writestr(_entry(ABOUT), json.dumps(about, ensure_ascii=False, indent=1))
        for name in FRAMES:
            frame = io.BytesIO()
            getattr(dataset, name).to_parquet(frame, index=False)
            archive.writestr(_entry(f"{name}.parquet"), frame.getvalue())
    return write_atomically(Path(path), buffer.getvalue())


def read_dataset_file(path: Path) -> tuple[Dataset, dt.date | None]:
    """The data set and the map's day written by write_dataset_file; a damaged or foreign file is
    a UsageError saying so."""
    try:
        with zipfile.ZipFile(path) as archive:
            about = json.loads(archive.read(ABOUT))
            frames = {name: pd.read_parquet(io.BytesIO(archive.read(f"{name}.parquet"))) for name in FRAMES}
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise UsageError(f"không đọc được tệp số liệu đã kiểm tra “{path}”: {_why(error)}") from None
    if about.get("version") != VERSION:
        raise UsageError(f"tệp số liệu “{path}” được ghi bởi một phiên bản khác của chương trình "
                         f"(phiên bản tệp {about.get('version')}); lập lại báo cáo để có tệp mới")
    day = dt.date.fromisoformat(about["map_day"]) if about.get("map_day") else None
    return Dataset(period=(int(about["period"][0]), int(about["period"][1])), **frames), day


def _why(error: BaseException) -> str:
    if isinstance(error, OSError):
        return why(error)
    if isinstance(error, KeyError):
        return "thiếu một phần trong tệp (không phải tệp do lệnh report ghi, hoặc tệp bị hỏng)"
    return "tệp bị hỏng hoặc không phải tệp do lệnh report ghi"
