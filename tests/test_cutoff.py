"""Early cutoff (analysis.publish.cutoff): after each kind of change, the files a run rewrites are
exactly those whose content changed, and none is stale.

Each test changes one thing in the built folder (incremental_fixture: the area and two wards in
HTML; put back after the test, so that every run reads its forms where the first one did), runs
`report` there, and builds the same reports from scratch into another folder.
What "changed" means is computed here from the files, independently of the code under test: a
file changed when the fresh build's file shows something else than the one that was there (for an
executed notebook its cells and outputs, without papermill's timings and the time of the run; for
a companion file, its text without the time of the run and
the table of the input files' SHA-256, which describe the run that made it). Rewritten means a new
inode or modification time. Then: rewritten == changed, and every file equals the fresh one."""

import email
import email.policy
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from analysis import config
from analysis.incremental import RECORD_FILE
from analysis.publish.lock import LOCK_FILE
from incremental_fixture import arguments, base, run  # noqa: F401 (base: the module's fixture)

INTERNAL = re.compile(r"^generated_at\s*=.*$", re.MULTILINE)  # the time of the run
RUN_TIME = re.compile(r"[Ll]ập lúc \d[^.<]*")
INPUT_FILES = re.compile(r"Các tệp đầu vào.*?Tham số", re.DOTALL)


def seen(output: dict) -> object:
    """An output without metadata; its text/plain only when it has nothing richer (a repr with an address)."""
    data = output.get("data", {})
    rich = {mime: value for mime, value in data.items() if mime != "text/plain"} if len(data) > 1 else data
    return {**{k: v for k, v in output.items() if k not in ("metadata", "data")}, "data": rich}


def shown(path: Path) -> object:
    """What a file shows its reader (see the module's docstring)."""
    data = path.read_bytes()
    if path.suffix == ".ipynb":
        cells = json.loads(data)["cells"]
        return [(c["cell_type"], INTERNAL.sub("", "".join(c["source"])), [seen(o) for o in c.get("outputs", [])])
                for c in cells]
    if path.suffix == ".eml":  # its date, message id and part boundaries are the sending's, not content
        message = email.message_from_bytes(data, policy=email.policy.default)
        return ([(k, v) for k, v in message.items() if k.lower() not in ("date", "message-id", "content-type")],
                [(part.get_content_type(), part.get_payload(decode=True)) for part in message.walk()
                 if not part.is_multipart()])
    if path.name.startswith("kiem-tra-so-lieu-"):
        return RUN_TIME.sub("", INPUT_FILES.sub("", data.decode("utf-8")))
    return data


def files(out: Path) -> dict[str, Path]:
    return {p.name: p for p in out.iterdir() if p.is_file() and p.name not in (RECORD_FILE, LOCK_FILE)}


def stamps(out: Path) -> dict[str, tuple[int, int]]:
    return {name: (p.stat().st_ino, p.stat().st_mtime_ns) for name, p in files(out).items()}


def check_cutoff(copy: Path, change, *extra: str, package: Path | None = None) -> set[str]:
    """Change, run, build afresh; assert rewritten == changed and nothing stale; the changed names.
    `package`: a folder holding the copy of the package both runs import (incremental_fixture.run)."""
    out = copy / "out"
    before_stamps = stamps(out)
    before = {name: shown(path) for name, path in files(out).items()}
    change(copy)
    result = run(copy, *extra, package=package)
    assert result.returncode == 0, result.stderr
    fresh = copy.parent / f"{copy.name}-fresh"  # the same forms and parameters, made from scratch
    command = arguments(copy, *extra)
    command[command.index("--out") + 1] = str(fresh)
    try:
        made = subprocess.run([sys.executable, "-m", "analysis", *command], capture_output=True, text=True,
                              cwd=config.ROOT, timeout=900,
                              env={**os.environ, "ANALYSIS_ROOT": str(copy.parent / "shared" / "root"),
                                   **({"PYTHONPATH": str(package)} if package is not None else {})})
        assert made.returncode == 0, made.stderr
        expected = {name: shown(path) for name, path in files(fresh).items()}
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
    after = stamps(out)
    assert {name: shown(path) for name, path in files(out).items() if name in expected} == expected  # none stale
    rewritten = {name for name in after if before_stamps.get(name) != after[name]}
    changed = {name for name in expected if before.get(name) != expected[name]}
    assert rewritten == changed
    return changed


def edit_cell(path: Path, unit_name: str, column: int, edit) -> None:
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    row = next(r for r in sheet.iter_rows(min_row=8) if r[2].value == unit_name)
    row[column].value = edit(row[column].value)
    workbook.save(path)


@pytest.mark.slow
def test_an_unprinted_model_name_rewrites_only_what_shows_it(copy: Path):
    changed = check_cutoff(copy, lambda c: edit_cell(c / "data" / "Bieu02_MoHinh.xlsx", "Phường Quang Trung", 1,
                                                     lambda name: f"{name} (đổi tên)"))
    assert not any(name.startswith("bao-cao-") for name in changed)  # no report prints a model's name
    assert "so-phan-tich-2021-2023-so-lieu.zip" in changed  # the checked data set holds the name
    assert "so-phan-tich-2021-2023-phuong-quang-trung-03-mo-hinh.ipynb" not in changed  # counts, not names
    assert not any("phuong-duy-tan" in name for name in changed)


@pytest.mark.slow
def test_a_printed_count_rewrites_every_report_that_prints_it(copy: Path):
    def change(folder: Path) -> None:  # Quang Trung's households in cooperatives, 2023: one more
        path = folder / "data" / "Bieu01_2023.xlsx"
        workbook = openpyxl.load_workbook(path)
        sheet = workbook.active
        header = next(r for r in sheet.iter_rows() if any("HTX" in str(c.value) for c in r))
        column = next(i for i, c in enumerate(header) if "HTX" in str(c.value))
        row = next(r for r in sheet.iter_rows() if any("Quang Trung" in str(c.value) for c in r))
        row[column].value = int(row[column].value) + 1
        workbook.save(path)

    changed = check_cutoff(copy, change)
    assert {"bao-cao-so-ket-2021-2023-thanh-pho-kon-tum.html",
            "bao-cao-so-ket-2021-2023-phuong-quang-trung.html"} <= changed


@pytest.mark.slow
def test_the_narrative(copy: Path):
    narrative = copy.parent / "shared" / "nhan-dinh.md"
    original = narrative.read_bytes()
    try:
        changed = check_cutoff(copy, lambda c: narrative.write_bytes(
            original.replace("\n## Kết quả thực hiện".encode(),  # a sentence at the end of part I
                             "\nMột câu nhận định mới.\n\n## Kết quả thực hiện".encode(), 1)))
    finally:
        narrative.write_bytes(original)
    assert "bao-cao-so-ket-2021-2023-thanh-pho-kon-tum.html" in changed
    assert not any(name.endswith((".ipynb",)) and "-04-" not in name for name in changed)  # 01-03 do not show it


@pytest.mark.slow
def test_a_parameter(copy: Path):
    changed = check_cutoff(copy, lambda c: None, "--signer", "Nguyễn Văn B")
    # the area's signer: the wards' reports have their own (report.yaml `units`), their companions list it
    assert "bao-cao-so-ket-2021-2023-thanh-pho-kon-tum.html" in changed


@pytest.mark.slow
def test_a_reference_file(copy: Path):
    statuses = copy.parent / "shared" / "root" / "data" / "reference" / "status_aliases.yaml"
    original = statuses.read_bytes()
    try:
        check_cutoff(copy, lambda c: statuses.write_bytes(
            original.replace("label: Chăn nuôi\n".encode(), "label: Chăn nuôi gia súc\n".encode())))
    finally:
        statuses.write_bytes(original)


@pytest.mark.slow
def test_a_font(copy: Path):
    from fontTools.ttLib import TTFont

    package = copy.parent / "package"  # another copy of the package, its serif font changed
    shutil.copytree(config.PACKAGE_DIR, package / "analysis", ignore=shutil.ignore_patterns("__pycache__"))
    try:
        settled = run(copy, package=package)  # the same files elsewhere: nothing to do
        assert settled.returncode == 0 and "đã cập nhật" in settled.stderr, settled.stderr

        def change(_):
            font_file = package / "analysis" / "fonts" / "LiberationSerif-Regular.ttf"
            font = TTFont(font_file)
            font["name"].setName("Version 2.00.1 (sửa)", 5, 3, 1, 0x409)  # the version string: another file
            font.save(font_file)
        check_cutoff(copy, change, package=package)
    finally:
        shutil.rmtree(package, ignore_errors=True)


@pytest.mark.slow
def test_a_new_format_writes_that_format_only(copy: Path):
    changed = check_cutoff(copy, lambda c: None, "--format", "html,eml")
    assert changed == {f"bao-cao-so-ket-2021-2023-{slug}.eml" for slug in ("thanh-pho-kon-tum", "phuong-quang-trung",
                                                                          "phuong-duy-tan")}
    again = run(copy)  # html only again: nothing to do
    assert again.returncode == 0 and "đã cập nhật" in again.stderr, again.stderr


def test_the_test_sees_a_changed_notebook_and_ignores_the_run_time(tmp_path: Path):
    """The control of `shown`: papermill's timings and the time of the run are not content; an output is."""
    cell = {"cell_type": "code", "source": ["period = '2021-2023'\n", "generated_at = '2026-12-06T10:00:00'\n"], "metadata": {},
            "outputs": [{"output_type": "stream", "name": "stdout", "text": ["12.291\n"], "metadata": {"x": 1}}]}
    first, second = tmp_path / "a.ipynb", tmp_path / "b.ipynb"
    first.write_text(json.dumps({"cells": [cell], "metadata": {"papermill": {"duration": 1.0}}}))
    moved = {**cell, "source": ["period = '2021-2023'\n", "generated_at = '2026-12-06T11:00:00'\n"]}
    second.write_text(json.dumps({"cells": [moved], "metadata": {"papermill": {"duration": 2.0}}}))
    assert shown(first) == shown(second)
    other = {**cell, "outputs": [{"output_type": "stream", "name": "stdout", "text": ["12.292\n"]}]}
    second.write_text(json.dumps({"cells": [other]}))
    assert shown(first) != shown(second)
    os.remove(second)


def test_a_companion_that_differs_only_in_its_run_time_is_the_same_content(tmp_path: Path):
    from analysis.publish.cutoff import same_content

    old, new = tmp_path / "old.html", tmp_path / "new.html"
    old.write_text("<p>Tệp kiểm tra lập lúc 10:05 ngày 06 tháng 12 năm 2026. Hộ nghèo: 1.234</p>", encoding="utf-8")
    new.write_text("<p>Tệp kiểm tra lập lúc 11:40 ngày 07 tháng 12 năm 2026. Hộ nghèo: 1.234</p>", encoding="utf-8")
    assert same_content(old, new, run_time=True)
    assert not same_content(old, new)  # another page: its bytes
    new.write_text("<p>Tệp kiểm tra lập lúc 11:40 ngày 07 tháng 12 năm 2026. Hộ nghèo: 1.235</p>", encoding="utf-8")
    assert not same_content(old, new, run_time=True)
