"""Output folders that cannot be used: exit 2 (a usage error) or 3 (cannot write), never a traceback,
nothing written, no staging folder left."""

import errno
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis import config
from analysis.cli import main
from analysis.processes import context
from analysis.publish.staging import OWNER_FILE, make_staging, remove_stale_staging


def report(capsys, *args: str) -> tuple[int, str]:
    code = main(["report", "--format", "html", *args])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def test_out_pointing_at_a_file_is_a_usage_error(tmp_path: Path, capsys):
    target = tmp_path / "bao-cao.html"
    target.write_text("cũ", encoding="utf-8")
    code, err = report(capsys, "--out", str(target))
    assert code == 2 and "là một tệp, không phải thư mục" in err
    code, err = report(capsys, "--out", str(target / "con"))
    assert code == 2 and "là một tệp, không phải thư mục" in err
    assert [p.name for p in tmp_path.iterdir()] == ["bao-cao.html"] and target.read_text(encoding="utf-8") == "cũ"


def test_out_equal_to_or_inside_the_data_folder_is_a_usage_error(tmp_path: Path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    for out in (data, data / "reports", tmp_path / "data" / "." / "x" / ".."):
        code, err = report(capsys, "--data", str(data), "--out", str(out))
        assert code == 2 and "không được là thư mục số liệu" in err
    assert list(data.iterdir()) == []


@pytest.mark.parametrize("value", ["-1", "0", "hai"])
def test_workers_below_one_is_a_usage_error(value, capsys, tmp_path: Path):
    with pytest.raises(SystemExit) as stop:  # argparse's usage error
        main(["report", "--workers", value, "--out", str(tmp_path / "out")])
    assert stop.value.code == 2
    assert "cần một số nguyên từ 1 trở lên" in capsys.readouterr().err and not (tmp_path / "out").exists()


def test_a_folder_that_cannot_be_written_exits_3(tmp_path: Path, capsys):
    if os.geteuid() == 0:  # root writes through file modes: use a kernel folder that refuses everyone
        out = Path("/sys/kernel/analysis-bao-cao")
        if not Path("/sys/kernel").is_dir():
            pytest.skip("no read-only folder for root")
    else:
        locked = tmp_path / "chi-doc"
        locked.mkdir(mode=0o500)
        out = locked / "reports"
    code, err = report(capsys, "--out", str(out))
    assert code == 3 and "không tạo được thư mục báo cáo" in err and not out.exists()


def test_a_full_disk_exits_3_and_leaves_nothing(tmp_path: Path, capsys, monkeypatch):
    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pickle, "dump", no_space)  # the first write into the staging folder
    out = tmp_path / "out"
    code, err = report(capsys, "--out", str(out))
    assert code == 3 and "đĩa đầy" in err and "các báo cáo cũ giữ nguyên" in err
    assert list(out.iterdir()) == []


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_killed_runs_staging_folder_is_removed_only_when_its_owner_is_gone(tmp_path: Path):
    gone = tmp_path / f".staging-{dead_pid()}-abc"
    gone.mkdir()
    (gone / OWNER_FILE).write_text(f"{gone.name.split('-')[1]} 123\n", encoding="ascii")
    (gone / "computed.pickle").write_bytes(b"x" * 1000)
    running = tmp_path / f".staging-{os.getpid()}-def"
    running.mkdir()
    (running / OWNER_FILE).write_text(f"{os.getpid()}\n", encoding="ascii")
    reused = tmp_path / ".staging-reused"  # our pid, but another start time: a pid reused after a kill
    reused.mkdir()
    (reused / OWNER_FILE).write_text(f"{os.getpid()} 1\n", encoding="ascii")
    legacy_old, legacy_new = tmp_path / ".staging-old", tmp_path / ".staging-new"
    legacy_old.mkdir()
    legacy_new.mkdir()
    os.utime(legacy_old, (time.time() - 7200, time.time() - 7200))
    keep = tmp_path / "bao-cao.html"
    keep.write_text("cũ", encoding="utf-8")
    removed = remove_stale_staging(tmp_path)
    assert sorted(p.name for p in removed) == sorted([gone.name, reused.name, legacy_old.name])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([running.name, legacy_new.name, keep.name])


def test_the_next_run_removes_a_dead_runs_staging_folder(tmp_path: Path, capsys):
    out, data = tmp_path / "reports", tmp_path / "data"
    out.mkdir()
    data.mkdir()
    pid = dead_pid()
    stale = out / f".staging-{pid}-xyz"
    (stale / "608-abc").mkdir(parents=True)
    (stale / OWNER_FILE).write_text(f"{pid} 42\n", encoding="ascii")
    (stale / "608-abc" / "bao-cao.pdf").write_bytes(b"%PDF" + b"0" * 100_000)
    code, err = report(capsys, "--data", str(data), "--out", str(out))  # stops at validation: no forms
    assert code == 2 and "không có tệp biểu mẫu" in err
    assert "Đã xóa thư mục tạm" in err and list(out.iterdir()) == []



def _own_staging(out: str, ready, release) -> None:
    """A run's process in a child (spawned as on Windows): it makes its staging folder, then waits."""
    make_staging(Path(out))
    ready.set()
    release.wait(600)


def test_a_spawned_runs_staging_is_kept_while_it_runs_and_removed_once_it_is_gone(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_START_METHOD", "spawn")
    ctx = context()
    ready, release = ctx.Event(), ctx.Event()
    child = ctx.Process(target=_own_staging, args=(str(tmp_path), ready, release))
    child.start()
    try:
        assert ready.wait(300), "the spawned process never made its staging folder"  # a guard, not a duration
        (staging,) = tmp_path.glob(".staging-*")
        pid, started = (staging / OWNER_FILE).read_text(encoding="ascii").split()
        assert int(pid) == child.pid and float(started) > 0
        assert remove_stale_staging(tmp_path) == [] and staging.is_dir()  # its owner runs: kept
    finally:
        child.kill()  # killed outright: nothing of its own cleans up
        child.join()
    assert remove_stale_staging(tmp_path) == [staging] and not staging.exists()

@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="file size limits: POSIX")
def test_a_file_size_limit_hit_while_writing_exits_3_without_traceback(tmp_path: Path):
    """A real write failure from the kernel (EFBIG under RLIMIT_FSIZE, as a full disk gives ENOSPC)."""
    import resource
    import signal

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (32 * 1024, 32 * 1024))

    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(config.PACKAGE_DIR.parent)}
    result = subprocess.run([sys.executable, "-m", "analysis", "report", "--format", "html", "--out", str(out)],
                            cwd=config.ROOT, env=env, capture_output=True, text=True, timeout=300, preexec_fn=limit)
    assert result.returncode == 3, result.stderr
    assert "không ghi được báo cáo" in result.stderr and "đĩa đầy" in result.stderr
    assert "Traceback" not in result.stderr and list(out.iterdir()) == []


def test_a_badly_typed_parameters_file_exits_2_and_writes_nothing(tmp_path: Path, capsys):
    params = tmp_path / "p.yaml"
    params.write_text("review_date: 2023-13-45\ndraft: không\n", encoding="utf-8")
    out = tmp_path / "out"
    code, err = report(capsys, "-f", str(params), "--out", str(out))
    assert code == 2 and "khóa review_date = “2023-13-45”" in err and "dòng 1" in err
    assert not out.exists()
