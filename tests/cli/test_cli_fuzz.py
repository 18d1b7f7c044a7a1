"""Fuzzing the command line and the parameters file: never a traceback, an exit code from the
documented set, and nothing written when a command fails.

In process (`analysis.cli.main`), with stdout and stderr strict UTF-8 streams like a terminal's.
The data folder is always a tiny synthetic one (empty, or one form with an error), so a report
stops at validation at the latest: each example takes milliseconds.
"""

import contextlib
import datetime as dt
import io
import os
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.cli import main

EXIT_CODES = {0, 1, 2, 3, 4, 130, 143}
KEYS = ["period", "unit", "issuer_parent", "issuer", "number", "place", "review_date", "data_as_of", "doc_type",
        "title", "signer_on_behalf", "signer_title", "signer_name", "recipients", "draft", "narrative", "màu"]
NASTY = st.sampled_from(["", "\x1b[2J", "\x00", "có", "không", "yes", "null", "~", "&a", "*a", "2023-13-45", "-1",
                         "0", "9" * 30, "../..", "/dev/null", "/proc", "city", "all", "23326", "2021-2023", "—",
                         "\ud800", "Mật-khẩu"])
TEXT = st.one_of(NASTY, st.text(max_size=20))
VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), TEXT,
              st.dates(min_value=dt.date(1, 1, 1)), st.datetimes()),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)),
    max_leaves=6)


def params_text() -> st.SearchStrategy[bytes]:
    as_yaml = st.dictionaries(st.sampled_from(KEYS), VALUE, max_size=5).map(
        lambda d: yaml.safe_dump(d, allow_unicode=True).encode("utf-8", "surrogateescape"))
    return st.one_of(as_yaml, TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=64))


def folder(root: Path, kind: str) -> Path:
    """The paths an option may point at: created on demand inside `root`."""
    path = root / kind
    if kind == "tep":
        path.write_text("một tệp", encoding="utf-8")
    elif kind == "fifo" and hasattr(os, "mkfifo"):
        os.mkfifo(path)
    elif kind == "data-co-loi":
        path.mkdir()
        (path / "Bieu02.csv").write_text("STT,Tên mô hình,Đơn vị,Lĩnh vực,Năm xây dựng,Số hộ tham gia,Tình trạng\n"
                                         "1,Mô hình \x1b[2J,Xã Ia Chim,Chăn nuôi,20x1,10,Đang duy trì\n",
                                         encoding="utf-8")
    elif kind == "data-trong":
        path.mkdir()
    return path


PATH_KIND = st.sampled_from(["out", "tep", "fifo", "data-trong", "khong-co", "params.yaml"])
OPTION = st.one_of(
    st.tuples(st.sampled_from(["--out", "-f", "--params", "--by-unit", "--config", "--processed"]), PATH_KIND),
    st.tuples(st.sampled_from(["--period", "--unit", "--format", "--review-date", "--data-as-of", "--number",
                               "--signer", "--workers", "--to"]), TEXT),
    st.tuples(st.sampled_from(["--final", "--yes", "--help", "--version", "--", "-x", "--unit"]), st.none()),
)


def run(argv: list[str]) -> tuple[int, str]:
    out, err = io.BytesIO(), io.BytesIO()
    out_text = io.TextIOWrapper(out, encoding="utf-8", errors="strict", write_through=True)
    err_text = io.TextIOWrapper(err, encoding="utf-8", errors="strict", write_through=True)
    with contextlib.redirect_stdout(out_text), contextlib.redirect_stderr(err_text):
        try:
            code = main(argv)
        except SystemExit as stop:  # argparse: --help, --version (0), a usage error (2)
            code = stop.code
    return code, err.getvalue().decode("utf-8")


def snapshot(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.lstat().st_size for p in root.rglob("*") if not p.is_dir()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(command=st.sampled_from(["report", "validate", "send", "issued", "diff", "khong-co"]),
       options=st.lists(OPTION, max_size=5), params=params_text(),
       data_kind=st.sampled_from(["data-trong", "data-co-loi"]),
       versions=st.lists(st.one_of(st.just("du-thao"), NASTY), min_size=2, max_size=2))
def test_the_command_line_never_gives_a_traceback(command, options, params, data_kind, versions):
    with tempfile.TemporaryDirectory() as name:
        root = Path(name)
        data = folder(root, data_kind)
        (root / "params.yaml").write_bytes(params)
        argv = [command]
        if command == "send":
            argv.append(str(folder(root, "tep")))
        if command == "diff":  # an issued number or folder, or du-thao: none is issued here
            argv += [v if not v.startswith("-") else "du-thao" for v in versions]
        for option, value in options:
            argv.append(option)
            if value is not None:
                argv.append(str(folder(root, value) if value in {"out", "tep", "fifo", "data-trong", "khong-co",
                                                               "params.yaml"} and not (root / value).exists()
                                else root / value if option.startswith(("--out", "-f", "--params", "--by", "--con",
                                                                        "--pro")) else value))
        if command in ("report", "validate", "diff"):
            argv += ["--data", str(data)]  # last: never the bundled data, never a full report
        if command in ("issued", "diff"):
            argv += ["--out", str(root / "out")]  # last: never the project's reports/
        before = snapshot(root)
        with_env = {"ANALYSIS_SMTP_HOST": "127.0.0.1", "ANALYSIS_SMTP_PORT": "9", "ANALYSIS_SMTP_SECURITY": "none"}
        saved = {k: os.environ.get(k) for k in with_env}
        os.environ.update(with_env)
        try:
            code, err = run(argv)
        finally:
            for key, value in saved.items():
                os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
        assert code in EXIT_CODES, (argv, code, err)
        assert "Traceback" not in err, err
        if code != 0 and command in ("report", "diff"):
            assert snapshot(root) == before, argv  # a failed report writes nothing


@settings(max_examples=150, deadline=None)
@given(params=params_text())
def test_any_parameters_file_is_read_or_refused_with_a_usage_error(params):
    from analysis.errors import UsageError
    from analysis.report.params import load_params

    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "p.yaml"
        path.write_bytes(params)
        try:
            load_params(path)
        except UsageError as error:
            assert str(error) and "Traceback" not in str(error)
