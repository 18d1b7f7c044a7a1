"""The schemas of the YAML settings files (report.yaml and its overrides, mail.yaml) as pydantic
models, with Vietnamese messages that say where each problem is.

A field's type carries its converter (`Text`, `Date`, `Boolean`, `TextList`, `Integer`, or
`checked(convert)` for a converter of a schema's own): a function that checks a value and returns
it typed, or raises `Invalid` with what is expected, in Vietnamese. `build` validates every key at
once and raises one UsageError that lists each problem with its place (file and line, or option),
the key, the value (never for a secrets-bearing file) and what is expected. Adding a key is adding
a field with one of these types (and its default to the YAML file). A key that is not a Python name
("from") is the field's alias. The files are read by analysis.safe_yaml (bounded, located) first.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Mapping
from typing import Annotated, Any, NoReturn, TypeVar

from pydantic import BaseModel, BeforeValidator, ValidationError

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


def checked(convert: Callable[[Any], Any]) -> BeforeValidator:
    """A field's own converter: `convert(value)` returns the typed value or raises Invalid."""
    return BeforeValidator(convert)


Text = Annotated[str, checked(text)]
NonEmptyText = Annotated[str, checked(nonempty_text)]
Date = Annotated[dt.date, checked(date)]
Boolean = Annotated[bool, checked(boolean)]
TextList = Annotated[tuple[str, ...], checked(text_list)]
Integer = Annotated[int, checked(integer)]


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


Model = TypeVar("Model", bound=BaseModel)


def build(schema: type[Model], data: Mapping[str, object], places: Mapping[str, str], *, title: str,
          secret: bool = False, check: Callable[[dict], list[tuple[str, str]]] | None = None) -> Model:
    """`schema` validated from `data`, or one UsageError listing every problem.

    `places[key]` says where a value came from ("tệp … dòng 3", "tùy chọn --review-date").
    `check(values)` returns (key, problem) pairs for rules across keys, run when each key is fine.
    """
    keys = [field.alias or name for name, field in schema.model_fields.items()]
    try:
        model = schema.model_validate(dict(data))
    except ValidationError as error:
        _raise(title, _problems(error, keys, data, places, secret=secret))
    if check is not None:
        values = {name: getattr(model, name) for name in schema.model_fields}
        problems = [f"khóa {key} ({places.get(key, '?')}): {problem}" for key, problem in check(values)]
        if problems:
            _raise(title, problems)
    return model


def _problems(error: ValidationError, keys: list[str], data: Mapping[str, object], places: Mapping[str, str], *,
              secret: bool) -> list[str]:
    """The Vietnamese line of each problem: unknown keys first (as in the file), then the fields in order."""
    unknown, invalid = [], {}
    for problem in error.errors():
        key = str(problem["loc"][0]) if problem["loc"] else ""
        if problem["type"] == "extra_forbidden":
            name = visible(key) if not secret else _safe_key(key)
            unknown.append(f"khóa {name} ({places.get(key, '?')}) không hợp lệ; các khóa có: {', '.join(keys)}")
        elif problem["type"] == "missing":
            invalid[key] = f"thiếu khóa {key}"
        else:
            cause = (problem.get("ctx") or {}).get("error")
            expected = cause.expected if isinstance(cause, Invalid) else "một giá trị đúng kiểu"
            value = "" if secret else f" = {show(data.get(key))}"
            invalid[key] = f"khóa {key}{value} ({places.get(key, '?')}): cần {expected}"
    return unknown + [invalid[key] for key in keys if key in invalid]


def _raise(title: str, problems: list[str]) -> NoReturn:
    if len(problems) == 1:
        raise UsageError(f"{title}: {problems[0]}")
    raise UsageError(f"{title} có {len(problems)} lỗi:\n" + "\n".join(f"  - {p}" for p in problems))


def _safe_key(key) -> str:
    """A key of a secrets file is named only when it looks like a key, not like a value."""
    key = str(key)
    if key.isascii() and key.replace("_", "").isalnum() and len(key) <= 20:
        return key
    return "(một khóa không hợp lệ)"


def located(key_lines: Mapping[str, int], where: str) -> dict[str, str]:
    return {key: f"{where}, dòng {line}" for key, line in key_lines.items()}

