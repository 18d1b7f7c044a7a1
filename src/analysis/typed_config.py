"""Declared schemas for the YAML settings files: a frozen dataclass is the schema.

Each field's type (or a `convert` in the field's metadata) picks a converter that checks a
value and returns it typed, or raises `Invalid` with what is expected, in Vietnamese. `build`
checks every key at once and raises one UsageError that lists each problem with its place
(file and line, or option), the key, the value (never for a secrets-bearing file) and what is
expected. Adding a key is adding a field with one of the types below (and its default to the
YAML file): nothing else to write. A key that is not a Python name ("from") is given in the
field's metadata: `field(metadata={"key": "from"})`.

No dependency: the schemas are two flat files of text, dates, booleans and lists; a few
converters with Vietnamese messages are shorter than translating a validation library's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from collections.abc import Callable, Mapping

from analysis.errors import UsageError
from analysis.terminal import visible

TRUE_WORDS = {"có", "co", "yes", "y", "true", "đúng", "dung", "1", "on"}
FALSE_WORDS = {"không", "khong", "no", "n", "false", "sai", "0", "off"}
MAX_SHOWN = 60


class Invalid(ValueError):
    """A value that does not fit: `expected` says what would (Vietnamese)."""

    def __init__(self, expected: str):
        super().__init__(expected)
        self.expected = expected


def text(value) -> str:
    if value is None:
        raise Invalid("một giá trị (đang để trống)")
    if isinstance(value, bool):  # YAML reads yes/no/on/off as booleans
        raise Invalid("một dòng chữ (đặt trong dấu nháy kép nếu là yes, no, on, off)")
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise Invalid("một dòng chữ, không phải danh sách hay bảng")


def nonempty_text(value) -> str:
    result = text(value)
    if not result.strip():
        raise Invalid("một dòng chữ không trống")
    return result


def date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        raise Invalid("một ngày, không kèm giờ: YYYY-MM-DD, ví dụ 2023-06-23")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise Invalid("một ngày có thật, ghi dạng YYYY-MM-DD, ví dụ 2023-06-23 (không phải ngày)")


def boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (str, int)):
        word = unicodedata.normalize("NFC", str(value)).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise Invalid("có hoặc không (cũng nhận yes/no, true/false)")


def text_list(value) -> tuple[str, ...]:
    if isinstance(value, (list, tuple)):
        items = []
        for index, item in enumerate(value, start=1):
            try:
                items.append(text(item))
            except Invalid as error:
                raise Invalid(f"một danh sách các dòng chữ; phần tử thứ {index}: {error.expected}") from None
        return tuple(items)
    raise Invalid("một danh sách, mỗi dòng bắt đầu bằng “- ”")


def integer(value) -> int:
    if isinstance(value, bool):
        raise Invalid("một số nguyên")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 10:
        return int(value.strip())
    raise Invalid("một số nguyên")


CONVERTERS: dict[str, Callable] = {
    "str": text,
    "dt.date": date,
    "bool": boolean,
    "tuple[str, ...]": text_list,
    "int": integer,
}


def show(value) -> str:
    """A value as quoted in a message: short, one line, control characters visible."""
    if value is None:
        return "(trống)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "(một danh sách)"
    if isinstance(value, dict):
        return "(một bảng khóa: giá trị)"
    shown = visible(value)
    return f"“{shown[:MAX_SHOWN]}…”" if len(shown) > MAX_SHOWN else f"“{shown}”"


def converter(field: dataclasses.Field) -> Callable:
    convert = field.metadata.get("convert") or CONVERTERS.get(str(field.type))
    if convert is None:
        raise TypeError(f"{field.name}: no converter for type {field.type!r}; add one to CONVERTERS")
    return convert


def build(schema: type, data: Mapping[str, object], places: Mapping[str, str], *, title: str,
          secret: bool = False, check: Callable[[dict], list[tuple[str, str]]] | None = None):
    """`schema(**typed values)`, or one UsageError listing every problem.

    `places[key]` says where a value came from ("tệp … dòng 3", "tùy chọn --review-date").
    `check(values)` returns (key, problem) pairs for rules across keys, run when each key is fine.
    """
    fields = {f.metadata.get("key", f.name): f for f in dataclasses.fields(schema)}
    problems: list[str] = []
    for key in data:
        if key not in fields:
            name = visible(key) if not secret else _safe_key(key)
            problems.append(f"khóa {name} ({places.get(key, '?')}) không hợp lệ; các khóa có: {', '.join(fields)}")
    values: dict[str, object] = {}
    for name, field in fields.items():
        if name not in data:
            if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
                problems.append(f"thiếu khóa {name}")
            continue
        try:
            values[field.name] = converter(field)(data[name])
        except Invalid as error:
            value = "" if secret else f" = {show(data[name])}"
            problems.append(f"khóa {name}{value} ({places.get(name, '?')}): cần {error.expected}")
    if not problems and check is not None:
        for key, problem in check(values):
            problems.append(f"khóa {key} ({places.get(key, '?')}): {problem}")
    if problems:
        if len(problems) == 1:
            raise UsageError(f"{title}: {problems[0]}")
        raise UsageError(f"{title} có {len(problems)} lỗi:\n" + "\n".join(f"  - {p}" for p in problems))
    return schema(**values)


def _safe_key(key) -> str:
    """A key of a secrets file is named only when it looks like a key, not like a value."""
    key = str(key)
    if key.isascii() and key.replace("_", "").isalnum() and len(key) <= 20:
        return key
    return "(một khóa không hợp lệ)"


def located(key_lines: Mapping[str, int], where: str) -> dict[str, str]:
    return {key: f"{where}, dòng {line}" for key, line in key_lines.items()}

