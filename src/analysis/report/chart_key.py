"""What a chart is drawn from, named by content (chart_key): the same name in every process for the
same function and the same data, so that a chart can be remembered (a long-running preview) and a
figure compared with the one in a file in place before anything is drawn (analysis.publish.cutoff).
"""

from __future__ import annotations

import dataclasses
import hashlib

import numpy as np
import pandas as pd


class _Unknown(Exception):
    """An argument whose value `_fingerprint` cannot name (an object it does not know)."""


def _values(values: pd.Series) -> bytes:
    """One column (or an index) by its content: its dtype in full (a categorical's categories and
    order), then its numbers' bytes (-0.0 apart from 0.0), or else each value's hash and type (1
    apart from "1")."""
    parts = [repr(values.dtype).encode()]
    if isinstance(values.dtype, np.dtype) and values.dtype.kind in "biufcmM":
        parts.append(np.ascontiguousarray(values.to_numpy()).tobytes())
    else:
        parts.append(pd.util.hash_pandas_object(values, index=False).to_numpy().tobytes())
        parts.append(repr([type(item).__name__ for item in values]).encode())
    return b"\x1f".join(parts)


def _fingerprint(value) -> str:
    """`value` named by its content, the same in every process: frames and series by their
    columns' names, types and values and by their index (_values); containers, dataclasses and
    plain values recursively. Anything else raises _Unknown (a chart of such an argument has no
    key: it is never remembered, and it is drawn to be compared)."""
    if isinstance(value, (pd.DataFrame, pd.Series)):
        frame = value if isinstance(value, pd.DataFrame) else value.to_frame(name=value.name)
        digest = hashlib.sha256(repr((type(value).__name__, list(frame.columns), list(frame.index.names))).encode())
        for index in range(frame.shape[1]):
            digest.update(_values(frame.iloc[:, index]))
        for level in range(frame.index.nlevels):
            digest.update(_values(pd.Series(frame.index.get_level_values(level))))
        return digest.hexdigest()
    if isinstance(value, dict):
        return "{" + ",".join(f"{_fingerprint(key)}:{_fingerprint(item)}" for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return f"{type(value).__name__}(" + ",".join(_fingerprint(item) for item in value) + ")"
    if isinstance(value, (set, frozenset)):
        return "set(" + ",".join(sorted(_fingerprint(item) for item in value)) + ")"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return type(value).__qualname__ + _fingerprint({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
    if value is None or isinstance(value, (str, bool, int, float, np.number, np.bool_)):
        return f"{type(value).__name__}:{value!r}"
    raise _Unknown(type(value).__name__)


def chart_key(function, args: tuple, kwargs: dict) -> str | None:
    """What a chart function draws from: its name and its arguments by content (None when one of
    them cannot be named). The same key draws the same pixels, with the same package code, fonts,
    libraries and reference files (analysis.publish.cutoff puts those in every content id)."""
    try:
        return "|".join([function.__module__, function.__qualname__, *(_fingerprint(a) for a in args),
                         _fingerprint(dict(sorted(kwargs.items())))])
    except _Unknown:
        return None


def digest_of(parts: list) -> str:
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode("utf-8")).hexdigest()
