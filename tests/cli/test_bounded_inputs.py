"""Issue 26: every file we read is bounded and regular, and the last tracebacks are messages.

Each test runs the real command (`python -m analysis …` in a subprocess, or `analysis.cli.main`)
and checks its exit code and its Vietnamese message. A FIFO opened for reading would block until a
writer comes, /dev/zero never ends: the `no_hang` guard fails a test that waits instead of refusing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from analysis import config
from analysis.cli import build_parser, main
from analysis.errors import UsageError
from analysis.read.files import sha256_file
from analysis.report.narrative import load_narrative
from analysis.safe_files import MAX_TABLE_BYTES, MAX_TEXT_BYTES

HAS_FIFO = hasattr(os, "mkfifo")
HAS_DEV_ZERO = Path("/dev/zero").exists()


def command(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=cwd or config.ROOT, timeout=300)


def special(tmp_path: Path, kind: str, name: str) -> Path:
    """A path that is not a regular file: a FIFO, a link to /dev/zero, a folder."""
    path = tmp_path / name
    if kind == "fifo":
        if not HAS_FIFO:
            pytest.skip("no FIFOs here")
        os.mkfifo(path)
    elif kind == "zero":
        if not HAS_DEV_ZERO:
            pytest.skip("no /dev/zero here")
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    return path


# --- ANALYSIS_ROOT ----------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("root, said", [
    (b"/", "không phải thư mục dự án: không có data/reference/fields.yaml"),
    (b"/khong-co-thu-muc-nay", "không phải một thư mục có thật"),
    (b"/tmp/\xff\xfe-du-an", "có byte không phải UTF-8"),
])
def test_a_bad_analysis_root_exits_2_before_anything_loads(root, said, tmp_path):
    env = {k.encode(): v.encode() for k, v in os.environ.items()}
    env[b"ANALYSIS_ROOT"] = root
    for args in (["validate"], ["report"], ["--version"]):
        done = subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, env=env,
                              cwd=tmp_path, timeout=120)
        err = done.stderr.decode("utf-8")
        assert done.returncode == 2, err
        assert err.startswith("Lỗi: biến môi trường ANALYSIS_ROOT") and said in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


# --- empty paths and ports ----------------------------------------------------------------------------

@pytest.mark.parametrize("argv", [
    ["report", "--out", ""], ["report", "--out", " "], ["report", "--data", ""], ["report", "-f", ""],
    ["validate", "--by-unit", ""], ["validate", "--processed", ""], ["validate", "--data", ""],
    ["issued", "--out", ""], ["diff", "du-thao", "du-thao", "--out", ""], ["sample-data", "--out", ""],
    ["send", "", "--to", "a@example.vn"], ["preview", "--data", ""],
])
def test_an_empty_path_is_a_usage_error_and_nothing_is_written(argv, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # `--out ""` once meant the current folder
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    assert "đường dẫn trống: ghi tên một thư mục hay tệp" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("port", ["99999", "65536", "-1", "abc", "1e3", ""])
def test_a_port_outside_1_to_65535_is_a_usage_error(port, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["preview", "--port", port])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and "không phải số cổng: cần một số từ 1 đến 65535" in err
    assert "Traceback" not in err and "OverflowError" not in err


@pytest.mark.parametrize("port, expected", [("1", 1), ("65535", 65535), ("0", 0), ("8765", 8765)])
def test_a_port_in_range_is_taken(port, expected):
    assert build_parser(["preview"]).parse_args(["preview", "--port", port]).port == expected


# --- files named in the parameters ------------------------------------------------------------------

@pytest.mark.parametrize("key", ["earlier_figures", "narrative"])
@pytest.mark.parametrize("kind", ["fifo", "zero", "folder"])
def test_a_parameter_naming_a_fifo_a_device_or_a_folder_exits_2_without_waiting(key, kind, tmp_path, no_hang,
                                                                                  capsys):
    target = special(tmp_path, kind, "tep.csv")
    params = tmp_path / "p.yaml"
    params.write_text(f"{key}: {target}\n", encoding="utf-8")
    (tmp_path / "data").mkdir()
    assert main(["report", "--data", str(tmp_path / "data"), "--out", str(tmp_path / "out"), "-f", str(params)]) == 2
    err = capsys.readouterr().err
    assert f"khóa {key}" in err and "Traceback" not in err
    assert {"fifo": "không phải tệp thông thường", "zero": "trỏ ra ngoài thư mục dự án",
            "folder": "là một thư mục"}[kind] in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_the_hash_of_an_input_never_waits_or_reads_forever(kind, tmp_path, no_hang):
    """The up-to-date check hashes earlier_figures and the narrative (analysis.incremental): a file
    swapped for a FIFO or a device after the parameters were checked is refused there too."""
    with pytest.raises(OSError):
        sha256_file(special(tmp_path, kind, "tep"))


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_reading_the_figures_or_the_narrative_never_waits(kind, tmp_path, no_hang):
    from analysis.compute.reconcile import load_published

    path = special(tmp_path, kind, "tep")
    with pytest.raises(UsageError, match="không phải tệp thông thường|trỏ ra ngoài thư mục dự án"):
        load_published(path)
    with pytest.raises(UsageError, match="tệp nhận định"):
        load_narrative(path)


def test_oversized_figures_and_narrative_are_refused_by_their_size(tmp_path):
    figures, narrative = tmp_path / "so-lieu.csv", tmp_path / "nhan-dinh.md"
    with open(figures, "wb") as handle:  # sparse: no disk is used
        handle.truncate(MAX_TABLE_BYTES + 1)
    with open(narrative, "wb") as handle:
        handle.truncate(MAX_TEXT_BYTES + 1)
    from analysis.compute.reconcile import load_published

    with pytest.raises(UsageError, match=r"quá lớn \(16\.777\.217 byte; tối đa 16\.777\.216 byte\)"):
        load_published(figures)
    with pytest.raises(UsageError, match=r"tệp nhận định .* quá lớn \(1\.048\.577 byte; tối đa 1\.048\.576 byte\)"):
        load_narrative(narrative)


@pytest.mark.slow
def test_an_oversized_narrative_stops_the_report_with_exit_2(tmp_path):
    narrative = tmp_path / "nhan-dinh.md"
    narrative.write_text("## Công tác lãnh đạo\n\n" + "Đoạn văn rất dài. " * (MAX_TEXT_BYTES // 18 + 10),
                         encoding="utf-8")
    params = tmp_path / "p.yaml"
    params.write_text(f"narrative: {narrative}\n", encoding="utf-8")
    done = command("report", "--format", "html", "--out", str(tmp_path / "out"), "-f", str(params))
    assert done.returncode == 2, done.stderr
    assert "Lỗi: tệp nhận định (tham số narrative)" in done.stderr and "quá lớn" in done.stderr
    assert "Traceback" not in done.stderr
    assert not any((tmp_path / "out").glob("bao-cao-*"))


# --- reference files ---------------------------------------------------------------------------------

def project_copy(tmp_path: Path) -> Path:
    root = tmp_path / "du-an"
    shutil.copytree(config.REFERENCE_DIR, root / "data" / "reference")
    return root


@pytest.mark.slow
@pytest.mark.parametrize("name", ["units.csv", "fields.yaml", "status_aliases.yaml", "report.yaml"])
@pytest.mark.parametrize("kind", ["fifo", "zero", "outside"])
def test_a_reference_file_that_is_not_a_regular_file_of_the_project_exits_2(name, kind, tmp_path):
    root = project_copy(tmp_path)
    reference = root / "data" / "reference"
    (reference / name).unlink()
    if kind == "outside":  # a link to a real file of the same name outside the project
        outside = tmp_path / name
        shutil.copy(config.REFERENCE_DIR / name, outside)
        (reference / name).symlink_to(outside)
    else:
        target = special(tmp_path, kind, "dac-biet")
        if kind == "fifo":
            os.rename(target, reference / name)
        else:
            (reference / name).symlink_to("/dev/zero")
    done = command("validate", "--data", str(config.RAW_DIR), env={"ANALYSIS_ROOT": str(root)})
    assert done.returncode == 2, done.stderr
    assert name in done.stderr and "Traceback" not in done.stderr
    assert {"fifo": "không phải tệp thông thường", "zero": "trỏ ra ngoài thư mục dự án",
            "outside": "trỏ ra ngoài thư mục dự án"}[kind] in done.stderr


@pytest.mark.parametrize("kind", ["fifo", "zero", "folder"])
def test_the_crosswalk_is_read_bounded_and_regular(kind, tmp_path, no_hang):
    from analysis.maps import load_crosswalk

    with pytest.raises(UsageError, match="bảng chuyển đổi đơn vị"):
        load_crosswalk(special(tmp_path, kind, "crosswalk.csv"))


def test_a_link_inside_the_project_is_followed(tmp_path, monkeypatch):
    """A link whose target stays in the project is an ordinary file (a shared reference folder)."""
    from analysis.safe_files import read_text_file

    root = project_copy(tmp_path)
    (root / "data" / "lien-ket.yaml").symlink_to(root / "data" / "reference" / "area.yaml")
    text = read_text_file(root / "data" / "lien-ket.yaml", what="tệp", within=root)
    assert text == (config.REFERENCE_DIR / "area.yaml").read_text(encoding="utf-8")


# --- a CSV field over the csv module's limit ----------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("line, padding", [(2, 140_000), (5, 200_000)])
def test_an_unbalanced_quote_in_a_large_csv_is_a_located_e_file(line, padding, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    rows = ["STT,Đơn vị,Tổng số hộ ĐBDTTS"] + [f"{i},Xã Ia Chim,{100 + i}" for i in range(1, line - 1)]
    rows.append(f'{line - 1},"Xã Đăk Cấm,120')  # the quote never closes: the field runs to the end
    rows += [f"{i},Xã Vinh Quang,{i}" for i in range(padding // 20)]
    (data / "Bieu01_2021.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    done = command("validate", "--data", str(data), "--period", "2021-2021")
    assert done.returncode == 1, done.stderr
    out = done.stdout
    assert "Traceback" not in done.stderr and "field larger than field limit" not in out + done.stderr
    assert "Bieu01_2021.csv" in out and "E-FILE" in out
    assert f"ô bắt đầu ở dòng {line} dài quá 131.072 ký tự" in out


# --- Word core properties -----------------------------------------------------------------------------

@pytest.mark.slow
def test_a_title_longer_than_word_allows_is_cut_in_the_properties_and_whole_in_the_text(tmp_path):
    words = " ".join(f"nội dung thứ {i}" for i in range(1, 40))  # 39 numbered parts, about 600 characters
    params = tmp_path / "p.yaml"
    params.write_text(f'title: "{{review}} thực hiện Cuộc vận động: {words}"\n', encoding="utf-8")
    done = command("report", "--format", "docx", "--out", str(tmp_path / "out"), "-f", str(params))
    assert done.returncode == 0, done.stderr
    (docx,) = (tmp_path / "out").glob("*.docx")
    with zipfile.ZipFile(docx) as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
        body = archive.read("word/document.xml").decode("utf-8")
    title = re.search(r"<dc:title>(.*?)</dc:title>", core).group(1)
    assert len(title) <= 255 and title.endswith("…") and title.startswith("BÁO CÁO")
    assert not title.endswith(" …")  # cut at a word's end
    assert "nội dung thứ 39" in re.sub(r"<[^>]+>", "", body)  # the whole title stays in the document
