"""Epoch milliseconds <-> ISO-8601 timestamp strings, fast enough to format a page per request."""

from __future__ import annotations

import re
from functools import lru_cache
from datetime import date, datetime, timezone

import numpy as np

_DIGITS = re.compile(r"^-?\d+$")


def iso_ms_array(ms: np.ndarray, with_ms: bool = True) -> np.ndarray:
    """Vectorised `2026-10-01T12:00:00.000Z` formatting (object array), from pre-built pieces."""
    from .pooled import DAY_MS, FIRST_DAY, LAST_DAY, iso_parts

    ms = np.asarray(ms, dtype=np.int64)
    days = ms // DAY_MS
    if len(ms) and (days.min() < FIRST_DAY or days.max() >= LAST_DAY):
        text = np.datetime_as_string(ms.astype("datetime64[ms]"), unit="ms" if with_ms else "s")
        return text.astype(object) + "Z"
    day_names, times, millis = iso_parts()
    rem = ms - days * DAY_MS
    secs = rem // 1000
    out = day_names[days - FIRST_DAY] + times[secs]
    return out + (millis[rem - secs * 1000] if with_ms else "Z")


def iso_ms(ms: np.ndarray) -> list[str]:
    from .pooled import DAY_MS, FIRST_DAY, LAST_DAY, iso_parts

    ms = np.asarray(ms, dtype=np.int64)
    days = ms // DAY_MS
    if len(ms) == 0 or days.min() < FIRST_DAY or days.max() >= LAST_DAY:
        return iso_ms_array(ms).tolist()
    # List indexing beats numpy object arithmetic on page-sized arrays.
    day_names, times, millis = iso_parts()
    rem = ms - days * DAY_MS
    d, t, m = (days - FIRST_DAY).tolist(), (rem // 1000).tolist(), (rem % 1000).tolist()
    dl, tl, ml = _parts_lists()
    return [dl[a] + tl[b] + ml[c] for a, b, c in zip(d, t, m)]


def day_names() -> list[str]:
    """"YYYY-MM-DD" for every day from pooled.FIRST_DAY."""
    return _parts_lists()[0]


@lru_cache(maxsize=1)
def _parts_lists() -> tuple[list[str], list[str], list[str]]:
    from .pooled import iso_parts

    return tuple(part.tolist() for part in iso_parts())  # type: ignore[return-value]


def iso_one(ms: int) -> str:
    return iso_ms(np.array([ms], dtype=np.int64))[0]


def parse_ms(value: object) -> int | None:
    """Accept what HubSpot accepts and emits: epoch-ms digits, ISO date, ISO datetime (Z, offset or naive=UTC)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if _DIGITS.match(text):
        return int(text)
    try:
        if len(text) == 10:
            d = date.fromisoformat(text)
            return int(datetime(d.year, d.month, d.day, tzinfo=timezone.utc).timestamp() * 1000)
        dt = datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return int(round(dt.timestamp() * 1000))


def require_ms(value: object, what: str) -> int:
    ms = parse_ms(value)
    if ms is None:
        raise ValueError(f"{what}: cannot parse timestamp {value!r}")
    return ms
