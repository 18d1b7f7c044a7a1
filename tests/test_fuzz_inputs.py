"""Standing fuzz targets of issue 26 (hypothesis, a small budget in every `make test`): the files the
package reads of its own (the parameters file and the files it names), a form as CSV, the mail
settings. Each input is read or refused with the package's own error (a located Vietnamese message,
an exit code); never another exception, never a wait (the `no_hang` guard), never a secret shown.
(The record of the output folder has its own target with the record's code.)
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analysis.errors import UsageError
from analysis.typed_config import boolean
from analysis.read import files
from analysis.read.sheet import FileProblem

BUDGET = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SECRET = "Bí-mật-9f3a"  # put in values of mail.yaml: it must never come back in a message

# --- the parameters file and the files it names -------------------------------------------------------

PATH_KINDS = ["regular", "missing", "folder", "fifo", "zero", "huge", "latin1", "outside-link", "empty"]


def hostile_path(root: Path, kind: str, name: str) -> Path:
    path = root / name
    if kind == "regular":
        path.write_text("## Công tác lãnh đạo\n\nsource,date,id\n", encoding="utf-8")
    elif kind == "folder":
        path.mkdir()
    elif kind == "fifo" and hasattr(os, "mkfifo"):
        os.mkfifo(path)
    elif kind == "zero" and Path("/dev/zero").exists():
        path.symlink_to("/dev/zero")
    elif kind == "huge":
        with open(path, "wb") as handle:
            handle.truncate(64 << 20)  # sparse
    elif kind == "latin1":
        path.write_bytes("Nh\xe2n d\xe2n".encode("latin-1"))
    elif kind == "outside-link":
        (root / "that.txt").write_text("x", encoding="utf-8")
        path.symlink_to(root / "that.txt")
    elif kind == "empty":
        path.write_bytes(b"")
    return path


@pytest.mark.usefixtures("no_hang")
@BUDGET
@given(narrative=st.sampled_from(PATH_KINDS), figures=st.sampled_from(PATH_KINDS),
       extra=st.dictionaries(st.sampled_from(["title", "signer_name", "draft", "period"]),
                             st.one_of(st.text(max_size=300), st.integers(), st.none()), max_size=2))
def test_the_parameters_and_the_files_they_name_are_read_or_refused(narrative, figures, extra):
    from analysis.compute.reconcile import load_published
    from analysis.report.narrative import load_narrative
    from analysis.report.params import load_params

    with tempfile.TemporaryDirectory() as name:
        root = Path(name)
        values = {**extra, "narrative": str(hostile_path(root, narrative, "nhan-dinh.md")),
                  "earlier_figures": str(hostile_path(root, figures, "so-lieu.csv"))}
        (root / "p.yaml").write_text(yaml.safe_dump(values, allow_unicode=True), encoding="utf-8")
        try:
            params = load_params(root / "p.yaml")
        except UsageError as error:
            assert str(error)
            return
        # what the parameters let through is then read bounded: a file swapped after the check too
        for read, path in ((load_narrative, params.narrative), (load_published, params.earlier_figures)):
            with contextlib.suppress(UsageError):
                read(path)


# --- a form as CSV --------------------------------------------------------------------------------------

PIECE = st.one_of(
    st.sampled_from(['"', '""', ",", ";", "\r\n", "\n", "\r", "\x00", "\ufeff", "Xã Ia Chim", "12.291", "=1+1",
                     "\t", "'", "Đơn vị", "STT"]),
    st.text(max_size=12),
    st.integers(min_value=0, max_value=3).map(lambda k: "x" * (0, 1_000, 131_071, 140_000)[k]),
)


@BUDGET
@example(pieces=["STT,Đơn vị\n", '1,"Xã Ia Chim', "x" * 140_000, "\n"], codec="utf-8")  # an unbalanced quote
@given(pieces=st.lists(PIECE, max_size=40), codec=st.sampled_from(["utf-8", "utf-8-sig", "cp1258", "latin-1"]))
def test_any_csv_is_read_or_is_a_file_problem(pieces, codec):
    data = "".join(pieces).encode(codec, "replace")
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "Bieu01_2021.csv"
        path.write_bytes(data)
        try:
            _, sheets = files.read_sheets(path)
            for sheet in sheets:
                assert all(isinstance(value, str) for row in sheet.rows for value in row)
        except FileProblem as problem:
            assert problem.code in {"E-FILE", "E-EMPTY"}
            if problem.code == "E-FILE":
                assert problem.values["reason"]


# --- the mail settings ------------------------------------------------------------------------------------

MAIL_KEYS = ["host", "port", "security", "user", "from", "to", "timeout", "send_password_unencrypted", "password",
             SECRET]
MAIL_VALUE = st.one_of(
    st.sampled_from(["smtp.example.vn", "none", "tls", "starttls", "có", "không", "yes", "0", "1", "65536", "600",
                     "601", "a@example.vn", "vanphong@example.vn", f"{SECRET}@example.vn", SECRET, "", "\x1b[2J"]),
    st.integers(min_value=-2, max_value=70_000), st.booleans(), st.none(),
    st.lists(st.sampled_from(["a@example.vn", "b@example.vn", SECRET, ""]), max_size=4),
    st.integers(min_value=0, max_value=600).map(lambda n: [f"h{i}@example.vn" for i in range(n)]),
)


@BUDGET
@given(values=st.dictionaries(st.sampled_from(MAIL_KEYS), MAIL_VALUE, max_size=6),
       raw=st.one_of(st.none(), st.binary(max_size=40)),
       to=st.one_of(st.none(), st.lists(st.sampled_from(["lanhdao@example.vn", "x", SECRET]), max_size=2)))
def test_any_mail_settings_are_read_or_refused_without_showing_a_value(values, raw, to):
    from analysis.mail import MAX_RECIPIENTS, load_settings

    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "mail.yaml"
        path.write_bytes(raw if raw is not None else yaml.safe_dump(values, allow_unicode=True).encode("utf-8"))
        saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("ANALYSIS_SMTP_")}
        try:
            settings_ = load_settings(path, to=to)
        except UsageError as error:
            assert SECRET not in str(error) or (to and SECRET in to)  # an address typed on the line is shown
            return
        finally:
            os.environ.update(saved)
    assert 1 <= len(settings_.recipients) <= MAX_RECIPIENTS
    if settings_.user and settings_.security == "none" and raw is None:  # only when mail.yaml said so
        assert boolean(values.get("send_password_unencrypted", False)) and settings_.password_unencrypted
    assert 1 <= settings_.timeout <= 600
