"""The switch (analysis.publish.switch): every file of a run, and the record, put in place as one
step. Made to fail at each of its moves, in turn: the folder afterwards is byte for byte what it was,
with the message saying so; run whole, it is wholly the new one."""

import importlib
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import RenderError
from analysis.publish.switch import KEPT, switch

switch_module = importlib.import_module("analysis.publish.switch")  # the package exports a function of this name

NAMES = st.lists(st.from_regex(r"[a-z]{1,8}\.(html|pdf|ipynb)", fullmatch=True), min_size=1, max_size=6, unique=True)


def folder_state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def prepare(root: Path, old: list[str], new: list[str]) -> tuple[Path, Path, list[tuple[Path, Path]]]:
    out, staging = root / "out", root / "out" / ".staging-1"
    out.mkdir(parents=True)
    staging.mkdir()
    for name in old:
        (out / name).write_bytes(f"old {name}".encode())
    (out / ".ban-ghi.json").write_bytes(b"old record")
    moves = []
    for name in [*new, ".ban-ghi.json"]:
        (staging / name).write_bytes(f"new {name}".encode())
        moves.append((staging / name, out / name))
    return out, staging, moves


def run_switch(out: Path, staging: Path, moves) -> None:
    def moves_in(journal) -> None:
        for source, target in moves:
            journal.replace(source, target)

    switch(out, moves_in, staging)


@settings(max_examples=15, deadline=None)
@given(old=NAMES, new=NAMES)
def test_every_failure_point_leaves_the_folder_as_it_was(tmp_path_factory, old, new):
    root = tmp_path_factory.mktemp("switch")
    count = []
    real = switch_module.step
    out, staging, moves = prepare(root / "count", old, new)
    before = folder_state(out)

    def counting(move, source, target):
        count.append(1)
        real(move, source, target)

    switch_module.step = counting
    try:
        run_switch(out, staging, moves)
    finally:
        switch_module.step = real
    expected = {**before, **{target.name: f"new {target.name}".encode() for _, target in moves}}
    assert folder_state(out) == expected  # whole: wholly the new one
    for failing in range(len(count)):  # every move of the switch, in turn, fails
        out, staging, moves = prepare(root / f"fail-{failing}", old, new)
        before = folder_state(out)
        calls = []

        def failing_step(move, source, target, failing=failing, calls=calls):
            calls.append(1)
            if len(calls) == failing + 1:
                raise OSError(28, "No space left on device")
            real(move, source, target)

        switch_module.step = failing_step
        try:
            with pytest.raises(RenderError) as error:
                run_switch(out, staging, moves)
        finally:
            switch_module.step = real
        assert KEPT in str(error.value) and "đã trả lại như trước" in str(error.value)
        assert folder_state(out) == before, failing


def test_a_folder_without_links_is_switched_by_renames(tmp_path: Path, monkeypatch):
    out, staging, moves = prepare(tmp_path, ["a.html"], ["a.html", "b.pdf"])
    before = folder_state(out)

    def no_link(source, target):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_link)
    real = switch_module.step
    calls = []

    def fail_at_the_record(move, source, target):
        calls.append(Path(target).name)
        if Path(target).name == ".ban-ghi.json" and move is os.replace and Path(source).parent == staging:
            raise OSError(30, "Read-only file system")
        real(move, source, target)

    monkeypatch.setattr(switch_module, "step", fail_at_the_record)
    with pytest.raises(RenderError, match=KEPT):
        run_switch(out, staging, moves)
    assert folder_state(out) == before


def test_a_rollback_that_fails_says_the_folder_is_mixed_and_keeps_the_old_files(tmp_path: Path, monkeypatch):
    out, staging, moves = prepare(tmp_path, ["a.html", "b.pdf"], ["a.html", "b.pdf"])
    real = switch_module.step
    real_replace = os.replace

    def fail_at_the_record(move, source, target):
        if Path(target).name == ".ban-ghi.json" and Path(target).parent == out:
            monkeypatch.setattr(os, "replace", refuse_putting_back)  # the disk is gone from now on
            raise OSError(5, "Input/output error")
        real(move, source, target)

    def refuse_putting_back(source, target):
        if Path(target).parent == out:  # an old file back in place
            raise OSError(5, "Input/output error")
        real_replace(source, target)

    monkeypatch.setattr(switch_module, "step", fail_at_the_record)
    with pytest.raises(RenderError) as error:
        run_switch(out, staging, moves)
    assert "thư mục đang lẫn bản cũ và mới" in str(error.value) and KEPT not in str(error.value)
    assert (staging / switch_module.KEEP_MARK).is_file()
    kept = {p.name.split("-", 1)[1]: p.read_bytes() for p in (staging / switch_module.OLD_FOLDER).iterdir()}
    assert kept["a.html"] == b"old a.html" and kept["b.pdf"] == b"old b.pdf"
