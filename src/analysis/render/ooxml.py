"""What Word, Excel and PowerPoint files hold: text XML can carry, and nothing about the program
that wrote them.

Text: XML 1.0 forbids most control characters, so `clean` drops them (the report has already
made them visible as "\x1b" text, analysis.terminal.made_visible; this is the writers' last guard).

Program: python-docx, python-pptx and openpyxl fill docProps/app.xml with their own application name ("Microsoft
Macintosh Word" from python-docx's template, "Microsoft Excel Compatible / Openpyxl 3.1.5"),
which File > Properties shows to whoever opens the report. The signed report names no software,
so that part is replaced by an empty one (every element of it is optional in ECMA-376 Part 1,
22.2: Word and Excel fill in their own when the file is saved again).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: object) -> str:
    """`text` as an Office file can hold it (XML forbids most control characters), in NFC: a
    compatibility character typed in a form (U+F900) is stored as the letter it stands for."""
    return unicodedata.normalize("NFC", _CONTROL.sub("", str(text)))


APP_PART = "docProps/app.xml"
EMPTY_APP = (b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
             b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
             b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>')


def without_application(package: bytes) -> bytes:
    """The same package, its members in the same order, with an empty extended-properties part."""
    source = zipfile.ZipFile(io.BytesIO(package))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = EMPTY_APP if info.filename == APP_PART else source.read(info)
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
