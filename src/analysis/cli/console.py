"""Console output in Vietnamese that never crashes.

Vietnamese must never crash the output: a console or a redirected stream whose code page
cannot write it (cp1252, cp437 under cmd.exe; cp1258 lacks most precomposed letters) gets UTF-8
where the console takes it, otherwise the error handler "analysis-vietnamese": a letter the code
page lacks is written as its base letter plus combining marks when the code page has those
(exact, as Windows-1258 text is written), else without its diacritics ("Lỗi" -> "Loi", "đ" ->
"d"), and anything else as a backslash escape.
"""

from __future__ import annotations

import codecs
import itertools
import sys
import unicodedata

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
    if not hasattr(stream, "reconfigure"):
        return
    if can_write_vietnamese(stream):
        if getattr(stream, "errors", "strict") == "strict":  # a lone surrogate (an undecodable argument) never raises
            stream.reconfigure(errors="backslashreplace")
        return
    if utf8_console:
        stream.reconfigure(encoding="utf-8", errors="backslashreplace")
    else:
        stream.reconfigure(errors=error_handler(stream.encoding))


def prepare_streams() -> None:
    """Prepare the process's stdout and stderr (the command line calls this first)."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            prepare_stream(stream, _utf8_console(stream))
