"""`python -m analysis COMMAND`: one sub-module per command, loaded only when it is used.

Each command module defines `add_arguments(parser)` and `run(args) -> int`. Errors from the
package (`analysis.errors`) become a Vietnamese message on stderr and their exit code:
0 done, 1 data errors, 2 usage error, 3 rendering failure, 4 delivery failure, 130 interrupted.

Vietnamese must never crash the output: a console or a redirected stream whose code page
cannot write it (cp1252, cp437 under cmd.exe; cp1258 lacks most precomposed letters) gets UTF-8
where the console takes it, otherwise the error handler "analysis-vietnamese": a letter the code
page lacks is written as its base letter plus combining marks when the code page has those
(exact, as Windows-1258 text is written), else without its diacritics ("Lỗi" -> "Loi", "đ" ->
"d"), and anything else as a backslash escape.
"""

from __future__ import annotations

import argparse
import codecs
import importlib
import itertools
import sys
import unicodedata

from analysis import __version__
from analysis.errors import AnalysisError

# name -> (module, one-line help shown by `python -m analysis --help`)
COMMANDS = {
    "sample-data": ("analysis.cli.sample_data", "viết bộ số liệu mẫu (biểu 01, biểu 02) vào một thư mục"),
    "validate": ("analysis.cli.validate", "kiểm tra các biểu, liệt kê lỗi và cảnh báo"),
    "report": ("analysis.cli.report", "tạo báo cáo sơ kết (HTML, PDF, ...)"),
    "send": ("analysis.cli.send", "gửi thư báo cáo (.eml) qua SMTP"),
}


# Letters a stream must be able to write as they are (NFC) to be left alone.
VIETNAMESE_SAMPLE = "Lỗi ở đơn vị “Phòng Tổng hợp”: Báo cáo sơ kết, Đắk Blà, Ngọk Bay, ư ữ ự ỹ ỷ ẵ ẫ ặ"
ERROR_HANDLER = "analysis-vietnamese"
# Punctuation without a decomposition, for code pages that lack it.
_PLAIN = {"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "...", "›": ">", "‹": "<",
          "Đ": "D", "đ": "d", "\u00a0": " "}


def _spellings(char: str) -> list[str]:
    """Ways to write `char`, most faithful first: precomposed, then a precomposed part plus
    combining marks (canonically the same letter), then the base letter without diacritics."""
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    exact = []
    for size in range(len(marks), -1, -1):
        for kept in itertools.combinations(marks, size):
            rest = list(marks)
            for mark in kept:
                rest.remove(mark)
            exact.append(unicodedata.normalize("NFC", base + "".join(kept)) + "".join(rest))
    return [*dict.fromkeys(exact), _PLAIN.get(char, base)]


def error_handler(encoding: str) -> str:
    """The name of the "analysis-vietnamese" error handler for `encoding`, registered on first use
    (a handler must know the code page: charmap codecs report their encoding as "charmap")."""
    encoding = codecs.lookup(encoding).name
    name = f"{ERROR_HANDLER}:{encoding}"
    try:
        codecs.lookup_error(name)
    except LookupError:
        def fallback(error: UnicodeError) -> tuple[str, int]:
            if not isinstance(error, UnicodeEncodeError):
                raise error
            written = []
            for char in error.object[error.start:error.end]:
                for spelling in _spellings(char):
                    try:
                        spelling.encode(encoding)
                    except UnicodeEncodeError:
                        continue
                    written.append(spelling)
                    break
                else:
                    written.append(char.encode("ascii", "backslashreplace").decode("ascii"))
            return "".join(written), error.end

        codecs.register_error(name, fallback)
    return name


def can_write_vietnamese(stream) -> bool:
    try:
        VIETNAMESE_SAMPLE.encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _utf8_console(stream) -> bool:
    """A Windows console whose output code page is UTF-8 (chcp 65001) takes UTF-8 bytes."""
    if sys.platform != "win32" or not stream.isatty():
        return False
    import ctypes

    return ctypes.windll.kernel32.GetConsoleOutputCP() == 65001


def prepare_stream(stream, utf8_console: bool) -> None:
    """Make `stream` write Vietnamese without ever raising (see the module's docstring)."""
    if can_write_vietnamese(stream) or not hasattr(stream, "reconfigure"):
        return
    if utf8_console:
        stream.reconfigure(encoding="utf-8", errors="backslashreplace")
    else:
        stream.reconfigure(errors=error_handler(stream.encoding))


def build_parser(argv: list[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Báo cáo sơ kết Cuộc vận động ĐBDTTS, thành phố Kon Tum.",
    )
    parser.add_argument("--version", action="version", version=f"analysis {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", required=True)
    # Only the command being run is imported: `validate` must not pay for matplotlib.
    wanted = next((a for a in argv if not a.startswith("-")), None)
    for name, (module_name, help_text) in COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        if name == wanted:
            module = importlib.import_module(module_name)
            module.add_arguments(command_parser)
            command_parser.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            prepare_stream(stream, _utf8_console(stream))
    try:
        args = build_parser(argv).parse_args(argv)
        return int(args.run(args) or 0)
    except AnalysisError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu (Ctrl+C).", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
