"""Datetime and date converters (re-exported by normalize.py).

A column may mix every accepted form (HubSpot returns ISO strings from v3, epoch milliseconds from v1 and
legacy-imported `3/5/25 2:30 PM EST`), so each distinct value is classified by its shape and every class is
parsed with one vectorised call.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import date

import numpy as np
import pandas as pd

from crm_pipelines.core.normalize_base import NAT, Converted, as_objects, build, distinct, each

# All patterns are re.ASCII: a bare \d would also take "١٢٣", which int() then reads as 123.
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d", re.ASCII)
_LEGACY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\s+(\d{1,2}):(\d\d)\s*([AaPp][Mm])\s+"
                     r"(EDT|EST|CDT|CST|MDT|MST|PDT|PST|UTC|GMT)", re.ASCII)
# The legacy export wrote wall-clock times with a US zone abbreviation; each names a fixed offset (hours).
_LEGACY_OFFSETS = {"EDT": -4, "EST": -5, "CDT": -5, "CST": -6, "MDT": -6, "MST": -7, "PDT": -7, "PST": -8,
                   "UTC": 0, "GMT": 0}
_MAX_MS = np.iinfo(np.int64).max // 1_000_000
_NS_PER_DAY = 86_400 * 10**9
_HOUR_NS = 3_600 * 10**9
_UNIX_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_ISO_WIDTH = 35  # the longest accepted ISO form: 2024-01-15T10:30:00.123456789+02:00
_ISO_HEAD_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15]  # YYYY-MM-DD?HH:MM
_COLUMNS = np.arange(_ISO_WIDTH)
_ZERO, _COLON, _DOT, _PLUS, _MINUS = (ord(c) for c in "0:.+-")


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


def _parse_iso(points: np.ndarray, n: np.ndarray, naive_tz: str) -> tuple[np.ndarray, np.ndarray]:
    """(rows, UTC ns or NAT) of the code-point rows shaped YYYY-MM-DD[Tt ]HH:MM[:SS[.f{1,9}]][Z|z|±HH|±HHMM|±HH:MM].

    The shape gates pandas' ISO8601 parser, which alone would also take "2024" or "20240115"; the parser then
    rejects impossible dates and times. Designators are cut off and applied as integer arithmetic because
    pandas parses naive strings ~10x faster than ones with an offset (it builds a tzinfo per value).
    """
    row = np.arange(len(points))

    def char_at(col: np.ndarray) -> np.ndarray:  # one code point per row
        return points[row, np.minimum(col, _ISO_WIDTH - 1)]

    def digit_at(col: np.ndarray) -> np.ndarray:  # digit value, or >= 10 (unsigned wrap-around) if not a digit
        return char_at(col) - _ZERO

    digit = points - _ZERO < 10  # unsigned: code points below "0" wrap around to huge values
    ok = digit[:, _ISO_HEAD_DIGITS].all(1) & (points[:, 4] == _MINUS) & (points[:, 7] == _MINUS)
    ok &= (points[:, 13] == _COLON) & np.isin(points[:, 10], [ord("T"), ord("t"), ord(" ")])
    zulu = np.isin(char_at(n - 1), [ord("Z"), ord("z")])
    signs = (points == _PLUS) | (points == _MINUS)
    signs[:, :16] = False
    signed = signs.any(1) & ~zulu
    end = np.where(zulu, n - 1, np.where(signed, signs.argmax(1), n))  # where the wall-clock time ends
    ok &= (end == 16) | (end == 19) | ((end >= 21) & (end <= 29))  # HH:MM, HH:MM:SS, HH:MM:SS.f{1,9}
    ok &= (end < 19) | ((points[:, 16] == _COLON) & digit[:, 17] & digit[:, 18])
    ok &= (end < 21) | (points[:, 19] == _DOT)
    ok &= (digit | (_COLUMNS < 20) | (_COLUMNS >= end[:, None])).all(1)
    offset_len = n - end
    colon = offset_len == 6
    h1, h2, m1, m2 = (digit_at(end + k) for k in (1, 2, 3 + colon, 4 + colon))
    hours, minutes = h1 * 10 + h2, np.where(offset_len == 3, 0, m1 * 10 + m2)
    ok &= ~signed | (((offset_len == 3) | (offset_len == 5) | (colon & (char_at(end + 3) == _COLON)))
                     & (h1 < 10) & (h2 < 10) & ((offset_len == 3) | ((m1 < 10) & (m2 < 10)))
                     & (hours <= 23) & (minutes <= 59))
    sign = np.where(char_at(end) == _MINUS, -1, 1)
    offset = np.where(signed, sign * (hours.astype(np.int64) * 60 + minutes) * 60 * 10**9, 0)[ok]
    points, end, naive = points[ok], end[ok], (offset_len == 0)[ok]
    points[:, 10] = ord("T")  # pandas rejects a lower-case "t"
    points[_COLUMNS >= end[:, None]] = 0  # cut off the designator
    wall = pd.to_datetime(points.view(f"U{_ISO_WIDTH}").ravel().astype(object), format="ISO8601", errors="coerce")
    wall = pd.DatetimeIndex(wall).as_unit("ns")
    i8 = wall.asi8
    out = np.where(i8 != NAT, i8 - offset, NAT)
    if naive.any():
        out[naive] = _localize(wall[naive], naive_tz)
    return row[ok], out


_CANONICAL_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]  # YYYY-MM-DDTHH:MM:SS
_NUMBER_COLUMNS = [*_CANONICAL_DIGITS, 20, 21, 22]  # the 3 ms digits hold "Z" and digits when absent
_PLACE_VALUES = np.array([1000, 100, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 100, 10, 1], dtype=np.int64)
_FIRST_YEAR, _LAST_YEAR = 1678, 2261
# Days since 1970-01-01 of the first day of every month from _FIRST_YEAR to the month after _LAST_YEAR.
_MONTH_STARTS = np.arange(f"{_FIRST_YEAR}-01", f"{_LAST_YEAR + 1}-02", dtype="M8[M]").astype("M8[D]").astype(np.int64)


def _parse_canonical(points: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rows, UTC ns) of the rows spelled exactly YYYY-MM-DDTHH:MM:SS.sssZ or YYYY-MM-DDTHH:MM:SSZ.

    That is every timestamp HubSpot's v3 API emits, so nearly every value of a sync takes this path: plain
    integer arithmetic on the code points instead of pandas' string parser (~6x faster). It only claims
    values it can prove valid, inside datetime64[ns]'s range; everything else is left to `_parse_iso`.
    """
    rows = np.flatnonzero((n == 24) | (n == 20))
    p = points[rows, :24]
    with_ms = n[rows] == 24
    digit = p - _ZERO < 10  # unsigned: code points below "0" wrap around to huge values
    ok = digit[:, _CANONICAL_DIGITS].all(1) & (p[:, 4] == _MINUS) & (p[:, 7] == _MINUS)
    ok &= (p[:, 10] == ord("T")) & (p[:, 13] == _COLON) & (p[:, 16] == _COLON)
    ok &= np.where(with_ms, (p[:, 19] == _DOT) & digit[:, 20:23].all(1) & (p[:, 23] == ord("Z")),
                   p[:, 19] == ord("Z"))
    d = (p[:, _NUMBER_COLUMNS] - _ZERO).astype(np.int64) * _PLACE_VALUES
    year, month, day = d[:, 0:4].sum(1), d[:, 4:6].sum(1), d[:, 6:8].sum(1)
    hour, minute, second = d[:, 8:10].sum(1), d[:, 10:12].sum(1), d[:, 12:14].sum(1)
    millis = np.where(with_ms, d[:, 14:17].sum(1), 0)
    # Years well inside datetime64[ns]; a table of month starts replaces the calendar arithmetic.
    ok &= (year >= _FIRST_YEAR) & (year <= _LAST_YEAR) & (month >= 1) & (month <= 12)
    month_index = np.where(ok, (year - _FIRST_YEAR) * 12 + month - 1, 0)
    first_day = _MONTH_STARTS[month_index]
    ok &= (day >= 1) & (day <= _MONTH_STARTS[month_index + 1] - first_day)
    ok &= (hour <= 23) & (minute <= 59) & (second <= 59)
    seconds = (((first_day + day - 1) * 24 + hour) * 60 + minute) * 60 + second
    ns = seconds * 1_000_000_000 + millis * 1_000_000
    return rows[ok], ns[ok]


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
    # Shapes are checked on a matrix of code points, not by a regex per value: a third less time per column.
    lengths = np.fromiter(map(len, texts), dtype=np.intp, count=len(texts))
    rows = np.flatnonzero(lengths <= _ISO_WIDTH)
    points = np.array(texts[rows], dtype=f"U{_ISO_WIDTH}").view(np.uint32).reshape(len(rows), _ISO_WIDTH)
    n = lengths[rows]
    shaped = np.zeros(len(texts), dtype=bool)  # texts that took one of the vectorised paths
    canonical, values = _parse_canonical(points, n)
    if len(canonical):
        out[rows[canonical]] = values
        shaped[rows[canonical]] = True
        others = np.ones(len(rows), dtype=bool)
        others[canonical] = False
        rows, points, n = rows[others], points[others], n[others]
    long = n >= 16  # dates and epoch milliseconds are shorter than any ISO datetime
    if long.any():
        iso, values = _parse_iso(points[long], n[long], naive_tz)
        out[rows[long][iso]] = values
        shaped[rows[long][iso]] = True
        rows, points, n = rows[~long], points[~long], n[~long]
    if len(rows) == 0 and shaped.all():
        return out
    digit = points - _ZERO < 10
    is_date = (n == 10) & digit[:, [0, 1, 2, 3, 5, 6, 8, 9]].all(1)
    is_date &= (points[:, 4] == _MINUS) & (points[:, 7] == _MINUS)
    if is_date.any():
        parsed = pd.to_datetime(texts[rows[is_date]], format="%Y-%m-%d", errors="coerce")
        out[rows[is_date]] = _localize(pd.DatetimeIndex(parsed), date_tz)
    # -?\d{1,14}: 14 digits is already past the 2262 limit of datetime64[ns]; more could overflow int64.
    signed = points[:, 0] == _MINUS
    is_epoch = (digit | ((_COLUMNS == 0) & signed[:, None]) | (_COLUMNS >= n[:, None])).all(1)
    is_epoch &= (n - signed >= 1) & (n - signed <= 14)
    if is_epoch.any():
        ms = texts[rows[is_epoch]].astype(np.int64)
        out[rows[is_epoch]] = np.where(np.abs(ms) <= _MAX_MS, ms * 1_000_000, NAT)
    shaped[rows[is_date | is_epoch]] = True
    rest = np.flatnonzero(~shaped)
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
    i8 = _parse(d.text, naive_tz, "UTC")
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
