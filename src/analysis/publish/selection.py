"""Which reports a run makes: the area, all, or units by their GSO codes.
"""

from __future__ import annotations

from collections.abc import Sequence

from analysis.errors import UsageError
from analysis.vocabulary import AREA_CODE


def unit_codes(selection: Sequence[str], units) -> list[str]:
    """("city",) -> [the area's code]; ("all",) -> the area and every unit of `units` (the
    report's map); GSO codes as given (checked against `units`). `units` may be a function
    returning the units: it is called only when a selection needs them (not for "city": the
    up-to-date check of the area's report reads no unit list)."""
    if all(item in ("city", AREA_CODE) for item in selection):
        return list(dict.fromkeys(AREA_CODE for _ in selection))
    units = units() if callable(units) else units
    known = list(units["code"])
    codes: list[str] = []
    for item in selection:
        if item == "city":
            codes.append(AREA_CODE)
        elif item == "all":
            codes += [AREA_CODE, *known]
        elif item in known or item == AREA_CODE:
            codes.append(item)
        else:
            from analysis.unit_list import not_on_map  # noqa: PLC0415 (lazy: the up-to-date check loads no data stack)

            raise UsageError(f"không có đơn vị “{item}” trên bản đồ đơn vị của báo cáo: dùng city, all hoặc mã "
                             f"của một xã, phường; {not_on_map(str(item), units)} (tra mã: python -m analysis units)")
    return list(dict.fromkeys(codes))
