"""A report period ("2021-2025") as years: standard library only, so that reading the parameters
(and the up-to-date check of `report`, analysis.incremental) does not import the data stack."""

from __future__ import annotations

from analysis.errors import UsageError


def parse_period(text: str) -> tuple[int, int]:
    """"2021-2025" -> (2021, 2025); a UsageError in Vietnamese otherwise."""
    parts = str(text).replace("–", "-").split("-")
    try:
        start, end = (int(parts[0]), int(parts[-1]))
    except ValueError:
        raise UsageError(f"kỳ báo cáo “{text}” không hợp lệ: ghi dạng năm đầu-năm cuối, ví dụ 2021-2025") from None
    if not (1900 < start <= end < 2100):
        raise UsageError(f"kỳ báo cáo “{text}” không hợp lệ: năm đầu phải nhỏ hơn hoặc bằng năm cuối")
    return start, end
