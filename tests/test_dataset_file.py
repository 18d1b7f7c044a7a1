"""The data set kept beside the executed notebooks (analysis.dataset_file): Parquet and JSON in a ZIP,
read back to the same frames; a damaged or foreign file is a Vietnamese message, never a traceback."""

import datetime as dt
import json
import zipfile

import pandas as pd
import pytest

from analysis import config
from analysis.dataset import load_dataset
from analysis.dataset_file import FRAMES, read_dataset_file, write_dataset_file
from analysis.errors import UsageError


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(config.RAW_DIR, (2021, 2023))


@pytest.mark.parametrize("map_day", [None, dt.date(2025, 7, 1)])
def test_the_kept_data_set_reads_back_to_the_same_frames(dataset, tmp_path, map_day):
    path = write_dataset_file(dataset, tmp_path / "so-lieu.zip", map_day=map_day)
    again, day = read_dataset_file(path)
    assert day == map_day and again.period == (2021, 2023)
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(again, name), getattr(dataset, name), check_dtype=True)
    assert len(again.form01) == 84 and len(again.warnings) == 3  # 21 units x 4 years; the bundled 3 warnings
    assert again.mid_years == (2023,)  # the as-of days came along: 2023 stops at 15/6
    with zipfile.ZipFile(path) as archive:
        about = json.loads(archive.read("bo-so-lieu.json"))
        assert about["period"] == [2021, 2023] and all(n.endswith((".parquet", ".json")) for n in archive.namelist())
    assert [p.name for p in tmp_path.iterdir()] == ["so-lieu.zip"]  # written atomically: no temporary left


def test_a_damaged_or_foreign_file_says_so_in_vietnamese(dataset, tmp_path):
    damaged = tmp_path / "hong.zip"
    damaged.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(UsageError, match="không đọc được tệp số liệu đã kiểm tra .*tệp bị hỏng"):
        read_dataset_file(damaged)
    foreign = tmp_path / "khac.zip"
    with zipfile.ZipFile(foreign, "w") as archive:
        archive.writestr("ghi-chu.txt", "không phải số liệu")
    with pytest.raises(UsageError, match="thiếu một phần trong tệp"):
        read_dataset_file(foreign)
    with pytest.raises(UsageError, match="không có tệp"):
        read_dataset_file(tmp_path / "khong-co.zip")


def test_a_file_written_atomically_gets_the_usual_permissions(tmp_path):
    # the kept notebooks and data set are rewritten through a temporary file (owner-only, 0600):
    # once in place they read like every other file of the folder (0666 less the umask)
    from analysis.outputs import write_atomically

    path = write_atomically(tmp_path / "a.ipynb", b"{}")
    plain = tmp_path / "b.txt"
    plain.write_bytes(b"{}")
    assert oct(path.stat().st_mode & 0o777) == oct(plain.stat().st_mode & 0o777)
