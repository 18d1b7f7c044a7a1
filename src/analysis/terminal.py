"""Text that came from the data (cells, file names, message subjects) made safe to show.

`visible` turns what a terminal would execute or what an encoder would refuse into something
to read: control characters (an escape sequence "\\x1b[2J" shows as "\\x1b[2J", never clears
the screen), bidirectional overrides, and the bytes of a file name that is not UTF-8 (kept by
Python as lone surrogates) as "\\xNN". `xml_safe` does the same for the writers whose format
forbids those characters (xlsx, docx): they never crash on a cell. `made_visible` applies it to
a whole report (every text of every block) before any writer sees it: the HTML, PDF, Word and
Excel files show "\\x1b" where a cell held an escape character, and none of them fails on it.
"""

from __future__ import annotations

import dataclasses
import re

# C0 and C1 controls, DEL; bidi embeddings, overrides and isolates; line/paragraph separators;
# lone surrogates (undecodable bytes of a file name); U+FFFE/U+FFFF (not characters).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff\ufffe\uffff]")
# What XML 1.0 (xlsx, docx) cannot hold at all; tab and newline stay.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the original byte of a non-UTF-8 name
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def visible(text: object, *, keep_newlines: bool = False) -> str:
    """`text` with every control character written out ("\\x1b"), safe for any terminal."""
    text = str(text)
    if keep_newlines:
        return "\n".join(_UNSAFE.sub(_escape, line) for line in text.split("\n"))
    return _UNSAFE.sub(_escape, text)


def xml_safe(text: object) -> str:
    """`text` that an XML writer accepts: forbidden characters written out as "\\x1b"."""
    return _NOT_XML.sub(_escape, str(text))


def made_visible(value):
    """`value` (a report: dataclasses, tuples, lists, dicts, texts) with every text passed through
    `visible`, newlines and tabs kept; numbers, dates and bytes (images) unchanged."""
    if isinstance(value, str):
        return "\t".join(visible(part, keep_newlines=True) for part in value.split("\t"))
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a named tuple
        return type(value)(*(made_visible(v) for v in value))
    if isinstance(value, (tuple, list)):
        return type(value)(made_visible(v) for v in value)
    if isinstance(value, dict):
        return {made_visible(k): made_visible(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: made_visible(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value
