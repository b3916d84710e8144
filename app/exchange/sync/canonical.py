"""Canonical JSON: one byte string per value, on every machine (docs/sync-format.md §3).

orjson with sorted keys, no spaces, UTF-8 without escapes for non-ASCII, integers within
64 bits, finite floats only (orjson would silently write NaN as null, so it is refused
here). Decimal is written as its exact string (str(Decimal("1500.00")) == "1500.00") so
money never passes through float. Every other type orjson does not know is refused.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from decimal import Decimal

import orjson

from app.exchange.sync.errors import SyncError

_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_UTC_Z


def _default(value: object) -> object:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
        return str(value)
    raise TypeError(f"type {type(value).__name__} is not allowed in canonical JSON")


def _check_finite(obj: object) -> None:
    """Refuse NaN and infinities anywhere in obj (orjson would write them as null)."""
    stack = [obj]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind is str or kind is int or kind is bool or value is None:
            continue
        if isinstance(value, float):
            if not math.isfinite(value):
                raise ValueError(f"not a finite number: {value!r}")
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, (list, tuple)):
            stack.extend(value)


def canonical_json(obj: object) -> bytes:
    """The canonical bytes of obj; ValueError/TypeError for values JSON cannot carry exactly."""
    _check_finite(obj)
    try:
        return orjson.dumps(obj, default=_default, option=_OPTIONS)
    except orjson.JSONEncodeError as exc:
        raise ValueError(str(exc)) from exc


def jsonl(lines: Iterable[dict]) -> bytes:
    """Canonical JSON lines, each ended by b"\\n"; b"" for no lines."""
    parts = [canonical_json(line) for line in lines]
    if not parts:
        return b""
    parts.append(b"")
    return b"\n".join(parts)


def iter_jsonl(data: bytes, *, entry: str) -> Iterator[dict]:
    """Parse JSON lines lazily. Every line must be one JSON object ended by b"\\n"; an empty
    line, a line that is not an object, or a missing final newline raises
    SyncError("E_RECORD", line=N, entry=entry) with N counted from 1."""
    view = memoryview(data)
    size = len(data)
    start = 0
    line_no = 0
    loads = orjson.loads
    while start < size:
        line_no += 1
        end = data.find(b"\n", start)
        if end < 0:
            raise SyncError("E_RECORD", line=line_no, entry=entry, details="the last line has no newline")
        try:
            value = loads(view[start:end])
        except orjson.JSONDecodeError as exc:
            raise SyncError("E_RECORD", line=line_no, entry=entry, details=str(exc)) from None
        if type(value) is not dict:
            raise SyncError("E_RECORD", line=line_no, entry=entry, details="the line is not a JSON object")
        yield value
        start = end + 1


def count_lines(data: bytes, *, entry: str) -> int:
    """The number of lines of a JSON-lines payload (b"" has none; a missing final newline -> E_RECORD)."""
    if data and not data.endswith(b"\n"):
        raise SyncError("E_RECORD", line=data.count(b"\n") + 1, entry=entry, details="the last line has no newline")
    return data.count(b"\n")
