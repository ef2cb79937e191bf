"""Datetime and date converters (re-exported by normalize.py).

A column may mix every accepted form (HubSpot returns ISO strings from v3, epoch milliseconds from v1 and
legacy-imported `3/5/25 2:30 PM EST`), so each distinct value is classified by regex and every class is
parsed with one vectorised call.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import date

import numpy as np
import pandas as pd

from crm_pipelines.core.normalize_base import NAT, Converted, as_objects, build, distinct, each, matching

# All patterns are re.ASCII: a bare \d would also take "١٢٣", which int() then reads as 123.
# Gate for pandas' ISO8601 parser, which on its own would also take "2024", "2024-01" or "20240115".
# Groups: date, time, UTC designator/offset (absent when the value is naive).
_ISO_DATETIME = re.compile(r"(\d{4}-\d\d-\d\d)[Tt ](\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?)([Zz]|[+-]\d\d(?::?\d\d)?)?",
                           re.ASCII)
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d", re.ASCII)
# 14 digits is already past the 2262 limit of datetime64[ns]; longer strings would overflow int64.
_EPOCH_MS = re.compile(r"-?\d{1,14}", re.ASCII)
_LEGACY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\s+(\d{1,2}):(\d\d)\s*([AaPp][Mm])\s+"
                     r"(EDT|EST|CDT|CST|MDT|MST|PDT|PST|UTC|GMT)", re.ASCII)
# The legacy export wrote wall-clock times with a US zone abbreviation; each names a fixed offset (hours).
_LEGACY_OFFSETS = {"EDT": -4, "EST": -5, "CDT": -5, "CST": -6, "MDT": -6, "MST": -7, "PDT": -7, "PST": -8,
                   "UTC": 0, "GMT": 0}
_MAX_MS = np.iinfo(np.int64).max // 1_000_000
_NS_PER_DAY = 86_400 * 10**9
_HOUR_NS = 3_600 * 10**9
_UNIX_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _check_zone(name: str) -> str:
    zoneinfo.ZoneInfo(name)  # raises on an unknown name before any data is parsed
    return name


def _localize(naive: pd.DatetimeIndex, tz: str) -> np.ndarray:
    """Nanoseconds since epoch of wall-clock times in `tz`.

    Wall times that occur twice (DST ends) take the earlier instant, like Python's fold=0; times skipped by
    DST starting are moved forward to the first valid instant rather than dropped.
    """
    naive = naive.as_unit("ns")
    if tz in ("UTC", "Etc/UTC"):
        return naive.asi8
    aware = naive.tz_localize(tz, ambiguous=np.ones(len(naive), dtype=bool), nonexistent="shift_forward")
    return aware.tz_convert("UTC").asi8


def _offset_ns(designator: str) -> int:
    if designator in ("Z", "z"):
        return 0
    digits = designator[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        return NAT
    return (-1 if designator[0] == "-" else 1) * (hours * 3600 + minutes * 60) * 10**9


def _parse_iso(texts: np.ndarray, bodies: np.ndarray, naive_tz: str) -> np.ndarray:
    # pandas parses naive ISO strings ~10x faster than ones with an offset (it builds a tzinfo per value),
    # so the designator is cut off, read once per distinct designator and applied as integer arithmetic.
    wall = pd.DatetimeIndex(pd.to_datetime(bodies, format="ISO8601", errors="coerce")).as_unit("ns")
    codes, designators = pd.factorize(np.array([t[len(b):] for t, b in zip(texts, bodies)], dtype=object))
    naive = (designators == "")[codes]
    offset = np.array([_offset_ns(d) if d else 0 for d in designators], dtype=np.int64)[codes]
    i8 = wall.asi8
    out = np.where((i8 != NAT) & (offset != NAT), i8 - offset, NAT)
    if naive.any():
        out[naive] = _localize(wall[naive], naive_tz)
    return out


def _parse_legacy(matches: np.ndarray) -> np.ndarray:
    month, day, year, hour, minute = (np.array([int(m[i]) for m in matches], dtype=np.int64) for i in range(1, 6))
    # Two-digit years pivot like strptime's %y: 69-99 are 1900s, 00-68 are 2000s.
    two_digit = np.array([len(m[3]) == 2 for m in matches], dtype=bool)
    year = np.where(two_digit, year + np.where(year < 69, 2000, 1900), year)
    clock_ok = (hour >= 1) & (hour <= 12) & (minute <= 59)
    hour24 = hour % 12 + np.array([12 if m[6].upper() == "PM" else 0 for m in matches], dtype=np.int64)
    local = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day, "hour": hour24,
                                         "minute": minute}), errors="coerce")
    offset_ns = np.array([_LEGACY_OFFSETS[m[7]] for m in matches], dtype=np.int64) * _HOUR_NS
    i8 = pd.DatetimeIndex(local).as_unit("ns").asi8
    return np.where(clock_ok & (i8 != NAT), i8 - offset_ns, NAT)


def _parse(text: pd.Series, naive_tz: str, date_tz: str) -> np.ndarray:
    """UTC nanoseconds (NAT where unparseable) per text; `date_tz` places the date-only values."""
    texts = text.to_numpy()
    out = np.full(len(texts), NAT, dtype=np.int64)
    if len(texts) == 0:
        return out
    iso_match = _ISO_DATETIME.fullmatch

    def wall_clock(text: str) -> str | None:  # as long as the text up to its designator, sliced off later
        match = iso_match(text)
        return match[1] + "T" + match[2] if match else None  # pandas rejects a lower-case "t" separator

    # Most likely class first; each later regex only sees what the earlier ones left over.
    bodies = each(wall_clock, texts)
    iso = pd.notna(bodies)
    if iso.any():
        out[iso] = _parse_iso(texts[iso], bodies[iso], naive_tz)
    rest = np.flatnonzero(~iso)
    is_date = matching(_ISO_DATE, texts[rest])
    if is_date.any():
        parsed = pd.to_datetime(texts[rest[is_date]], format="%Y-%m-%d", errors="coerce")
        out[rest[is_date]] = _localize(pd.DatetimeIndex(parsed), date_tz)
    rest = rest[~is_date]
    is_epoch = matching(_EPOCH_MS, texts[rest])
    if is_epoch.any():
        ms = texts[rest[is_epoch]].astype(np.int64)
        out[rest[is_epoch]] = np.where(np.abs(ms) <= _MAX_MS, ms * 1_000_000, NAT)
    rest = rest[~is_epoch]
    matches = each(_LEGACY.fullmatch, texts[rest])  # few: keeping the matches is fine
    legacy = pd.notna(matches)
    if legacy.any():
        out[rest[legacy]] = _parse_legacy(matches[legacy])
    return out


def to_datetime_utc(raw: pd.Series, naive_tz: str = "UTC") -> Converted:
    """Instants as datetime64[ns, UTC]; naive values and plain dates are wall-clock times in `naive_tz`."""
    naive_tz = _check_zone(naive_tz)
    d = distinct(as_objects(raw))
    i8 = _parse(d.text, naive_tz, naive_tz)
    return build(raw, d, i8, i8 != NAT, "datetime")


def to_date(raw: pd.Series, naive_tz: str = "UTC") -> Converted:
    """datetime.date objects: a value with a time of day becomes its UTC date; a plain date stays that date."""
    naive_tz = _check_zone(naive_tz)
    d = distinct(as_objects(raw))
    i8 = _parse(d.text, naive_tz, naive_tz)
    ok = i8 != NAT
    days = np.where(ok, i8, 0) // _NS_PER_DAY  # floor division: instants before 1970 go to the earlier day
    codes, uniques = pd.factorize(days)
    dates = np.array([date.fromordinal(_UNIX_EPOCH_ORDINAL + int(u)) for u in uniques], dtype=object)[codes]
    # Sentinel dates such as 9999-12-31 are beyond datetime64[ns]; they are still valid calendar dates.
    texts = d.text.to_numpy()
    for i in np.flatnonzero(~ok):
        if _ISO_DATE.fullmatch(texts[i]):  # fromisoformat alone would also take "2024-W03-1"
            try:
                dates[i], ok[i] = date.fromisoformat(texts[i]), True
            except ValueError:
                pass
    return build(raw, d, dates, ok, "object")
