"""Small helpers every rule module uses: the key of a form row and how values read in a message."""

from __future__ import annotations

from analysis.formatting import fmt_int, fmt_number

KEY = ["file", "sheet", "row"]


def signed(value: float) -> str:
    return ("+" if value > 0 else "−") + fmt_int(abs(value))


def shown(raw) -> str:
    """A value as typed, for a message: text on one line, a number in Vietnamese."""
    return " ".join(str(raw).split()) if isinstance(raw, str) else fmt_number(raw, 2)
