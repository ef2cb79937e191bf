"""Tests for the datetime and date converters of crm_pipelines.core.normalize (normalize_datetime.py).

Expected values are worked out by hand (epoch arithmetic, zone offsets), not copied from the
implementation's output.
"""

from __future__ import annotations

import random
import re
import zoneinfo
from datetime import date, datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest

from crm_pipelines.core.normalize import EMPTY_PLACEHOLDERS, to_date, to_datetime_utc
from crm_pipelines_tests.core.normalize_support import one, utc

# --- datetime -------------------------------------------------------------------------------------------

DATETIMES = [
    ("2024-01-15T10:30:00Z", "2024-01-15T10:30:00Z"),
    ("2024-01-15T10:30:00.123Z", "2024-01-15T10:30:00.123Z"),
    ("2024-01-15T10:30:00.123456789Z", "2024-01-15T10:30:00.123456789Z"),
    ("2024-01-15T10:30:00z", "2024-01-15T10:30:00Z"),
    ("2024-01-15T10:30:00+02:00", "2024-01-15T08:30:00Z"),
    ("2024-01-15T10:30:00+0200", "2024-01-15T08:30:00Z"),
    ("2024-01-15T10:30:00.5+02:00", "2024-01-15T08:30:00.5Z"),
    ("2024-01-15T10:30:00-05:00", "2024-01-15T15:30:00Z"),
    ("2024-01-15T23:30:00-0130", "2024-01-16T01:00:00Z"),
    ("2024-01-15T01:00:00+05:30", "2024-01-14T19:30:00Z"),
    ("2024-01-15T10:30Z", "2024-01-15T10:30:00Z"),
    ("2024-01-15 10:30:00", "2024-01-15T10:30:00Z"),
    ("2024-01-15t10:30:00", "2024-01-15T10:30:00Z"),
    ("2024-01-15T10:30:00.5", "2024-01-15T10:30:00.5Z"),
    ("2024-01-15T10:30", "2024-01-15T10:30:00Z"),
    ("2024-02-29T12:00:00Z", "2024-02-29T12:00:00Z"),
    ("2024-01-15", "2024-01-15T00:00:00Z"),
    ("1700000000000", "2023-11-14T22:13:20Z"),
    ("1700000000123", "2023-11-14T22:13:20.123Z"),
    ("0", "1970-01-01T00:00:00Z"),
    ("-86400000", "1969-12-31T00:00:00Z"),
    ("9223372036854", "2262-04-11T23:47:16.854Z"),  # the last millisecond datetime64[ns] can hold
    ("-9223372036854", "1677-09-21T00:12:43.146Z"),
    (1700000000000, "2023-11-14T22:13:20Z"),
    (1700000000000.0, "2023-11-14T22:13:20Z"),
    ("3/5/25 2:30 PM EST", "2025-03-05T19:30:00Z"),
    ("3/5/2025 2:30 PM EST", "2025-03-05T19:30:00Z"),
    ("03/05/25 02:30 pm EST", "2025-03-05T19:30:00Z"),
    ("7/4/24 9:05 AM EDT", "2024-07-04T13:05:00Z"),
    ("12/31/24 11:59 PM PST", "2025-01-01T07:59:00Z"),
    ("1/1/25 12:00 AM CST", "2025-01-01T06:00:00Z"),
    ("1/1/25 12:00 PM CDT", "2025-01-01T17:00:00Z"),
    ("6/15/25 8:00 AM MDT", "2025-06-15T14:00:00Z"),
    ("6/15/25 8:00 AM MST", "2025-06-15T15:00:00Z"),
    ("6/15/25 8:00 AM PDT", "2025-06-15T15:00:00Z"),
    ("6/15/25 8:00 AM UTC", "2025-06-15T08:00:00Z"),
    ("6/15/25 8:00 PM GMT", "2025-06-15T20:00:00Z"),
    ("6/15/99 8:00 AM UTC", "1999-06-15T08:00:00Z"),
    ("6/15/69 8:00 AM UTC", "1969-06-15T08:00:00Z"),  # two-digit years pivot like strptime's %y
    ("6/15/68 8:00 AM UTC", "2068-06-15T08:00:00Z"),
    (datetime(2024, 1, 15, 10, 30, tzinfo=timezone(timedelta(hours=-5))), "2024-01-15T15:30:00Z"),
    (pd.Timestamp("2024-01-15T10:30:00.000000001Z"), "2024-01-15T10:30:00.000000001Z"),
]


@pytest.mark.parametrize("raw, expected", DATETIMES)
def test_to_datetime_utc(raw, expected):
    assert one(to_datetime_utc, raw) == (utc(expected), False)


@pytest.mark.parametrize("raw", [
    "soon", "2024-13-01", "2024-02-30", "2023-02-29", "2024-01-15T25:00:00Z", "2024-01-15T10:60:00Z",
    "2024-01-15T10:30:00+25:00", "2024-01", "2024-1-5", "2024-01-15T10", "15/01/2024", "15.01.2024",
    "3/5/25 2:30 PM", "3/5/25 2:30 PM XYZ", "3/5/25 2:30 PM est", "3/5/25 13:30 PM EST", "3/5/25 0:30 AM EST",
    "13/5/25 2:30 PM EST", "2/30/25 2:30 PM EST", "3/5/25 2:61 PM EST", "99999999999999999999", "1e12", "12:30",
    "2024-01-15T10:30:00 Z", "2024-01-15T10:30:00.1234567891Z", "Jan 15, 2024", "2024-W03-1", "20240115T103000",
    "99999999999999", "9223372036855", "-9223372036855", "-", "--5", "12-34", "+1700000000000", "1700000000000ms",
    "١٧٠٠٠٠٠٠٠٠٠٠٠", "２０２４-01-15T10:30:00Z", True,
])
def test_to_datetime_utc_invalid(raw):
    value, invalid = one(to_datetime_utc, raw)
    assert value is pd.NaT and invalid


_REFERENCE_ISO = re.compile(r"(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?"
                            r"([Zz]|[+-]\d\d(?::?\d\d)?)?", re.ASCII)


def _reference_utc(text: str) -> pd.Timestamp | None:
    """An independent (slow, scalar) reading of the accepted ISO datetime forms; None when invalid."""
    match = _REFERENCE_ISO.fullmatch(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, designator = match.groups()
    offset = timedelta(0)
    if designator and designator not in "Zz":
        hours, minutes = int(designator[1:3]), int(designator[3:].lstrip(":") or 0)
        if hours > 23 or minutes > 59:
            return None
        offset = (-1 if designator[0] == "-" else 1) * timedelta(hours=hours, minutes=minutes)
    try:
        clock = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
        wall = pd.Timestamp(clock).as_unit("ns")
    except (ValueError, OverflowError):  # impossible date/time, or beyond datetime64[ns]
        return None
    return (wall + pd.Timedelta(int((fraction or "").ljust(9, "0")), "ns") - offset).tz_localize("UTC")


def test_iso_datetimes_fuzzed_against_reference():
    rng = random.Random(20240115)
    bases = ["2024-01-15T10:30:00Z", "2024-01-15T10:30:00.123Z", "2024-12-31 23:59:59.123456789+02:00",
             "2024-02-29T00:00-0530", "2024-06-30T12:00:00+05", "1999-12-31t23:59:59.5z", "2024-01-15T10:30"]
    alphabet = "0123456789-+:.TtZz /x"
    fuzzed = set(bases)
    while len(fuzzed) < 4000:
        text, at = list(rng.choice(bases)), rng.randrange(20)
        for _ in range(rng.choice([1, 1, 2])):
            at = rng.randrange(len(text))
            action = rng.choice(["replace", "delete", "insert", "truncate"])
            if action == "replace":
                text[at] = rng.choice(alphabet)
            elif action == "delete" and len(text) > 1:
                del text[at]
            elif action == "insert":
                text.insert(at, rng.choice(alphabet))
            else:
                text = text[: max(at, 1)]
        candidate = "".join(text)
        # Other classes (dates, epoch milliseconds) are covered elsewhere; an empty text is not invalid.
        empty = candidate.strip().lower() in {"", *(p.lower() for p in EMPTY_PLACEHOLDERS)}
        if not empty and not re.fullmatch(r"\s*(\d{4}-\d\d-\d\d|-?\d+)\s*", candidate):
            fuzzed.add(candidate)
    texts = sorted(fuzzed)
    result = to_datetime_utc(pd.Series(texts, index=np.arange(len(texts)) * 3))
    expected = [_reference_utc(t) for t in texts]
    assert sum(e is not None for e in expected) > 250  # the fuzz keeps a fair share of valid values
    mismatches = [(t, v, e) for t, v, e in zip(texts, result.values, expected)
                  if (None if v is pd.NaT else v) != e]
    assert mismatches == []
    assert result.invalid.tolist() == [e is None for e in expected]


def test_all_digit_strings_are_epoch_milliseconds():
    # Even ones that look like YYYYMMDD: HubSpot only sends epoch milliseconds as bare digits.
    assert one(to_datetime_utc, "20240115") == (utc("1970-01-01T05:37:20.115Z"), False)


@pytest.mark.parametrize("raw, expected", [
    ("2024-01-15 10:30:00", "2024-01-15T15:30:00Z"),  # EST, UTC-5
    ("2024-07-15T10:30:00", "2024-07-15T14:30:00Z"),  # EDT, UTC-4
    ("2024-07-15", "2024-07-15T04:00:00Z"),
    ("2024-07-15T10:30:00Z", "2024-07-15T10:30:00Z"),  # an explicit offset wins over naive_tz
    ("2024-07-15T10:30:00+02:00", "2024-07-15T08:30:00Z"),
    ("1700000000000", "2023-11-14T22:13:20Z"),
    ("3/5/25 2:30 PM EST", "2025-03-05T19:30:00Z"),
    ("2024-03-10T02:30:00", "2024-03-10T07:00:00Z"),  # skipped by DST: moved forward to 03:00 EDT
    ("2024-11-03T01:30:00", "2024-11-03T05:30:00Z"),  # occurs twice: the earlier (EDT) instant
])
def test_to_datetime_utc_naive_tz(raw, expected):
    assert one(to_datetime_utc, raw, naive_tz="America/New_York") == (utc(expected), False)


def test_to_datetime_utc_naive_tz_east_of_utc():
    assert one(to_datetime_utc, "2024-01-15T10:30", naive_tz="Europe/Berlin") == (utc("2024-01-15T09:30Z"), False)


def test_to_datetime_utc_unknown_zone():
    with pytest.raises(zoneinfo.ZoneInfoNotFoundError):
        to_datetime_utc(pd.Series(["2024-01-15"]), naive_tz="Mars/Olympus_Mons")


def test_to_datetime_utc_mixed_formats_in_one_series():
    raw = pd.Series(
        ["2024-01-15T10:30:00Z", "1700000000000", "3/5/25 2:30 PM EST", "2024-01-15", None, "soon",
         "2024-01-15T10:30:00+0200", 1700000000000, "2024-01-15 10:30", "N/A", "2024-02-30"],
        index=[f"id{i}" for i in range(11)], dtype=object)
    result = to_datetime_utc(raw)
    assert str(result.values.dtype) == "datetime64[ns, UTC]"
    assert result.values.index.equals(raw.index)
    expected = ["2024-01-15T10:30Z", "2023-11-14T22:13:20Z", "2025-03-05T19:30Z", "2024-01-15T00:00Z", None, None,
                "2024-01-15T08:30Z", "2023-11-14T22:13:20Z", "2024-01-15T10:30Z", None, None]
    assert [None if v is pd.NaT else v for v in result.values] == [e and utc(e) for e in expected]
    assert result.invalid.tolist() == [False, False, False, False, False, True, False, False, False, False, True]


def test_to_datetime_utc_from_datetime_dtype():
    raw = pd.Series(pd.to_datetime(["2024-01-15 10:30", None]))
    result = to_datetime_utc(raw, naive_tz="America/New_York")
    assert result.values.iloc[0] == utc("2024-01-15T15:30Z") and result.values.iloc[1] is pd.NaT


# --- date -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("2024-01-15", date(2024, 1, 15)),
    ("2024-01-15T10:30:00Z", date(2024, 1, 15)),
    ("2024-01-15T23:30:00-05:00", date(2024, 1, 16)),  # 04:30 UTC the next day
    ("2024-01-15T01:00:00+05:30", date(2024, 1, 14)),
    ("1705276800000", date(2024, 1, 15)),  # 2024-01-15T00:00:00Z: HubSpot's date properties
    ("1705276799999", date(2024, 1, 14)),
    (1705276800000, date(2024, 1, 15)),
    ("-1", date(1969, 12, 31)),
    ("3/5/25 9:30 PM EST", date(2025, 3, 6)),  # 02:30 UTC
    ("9999-12-31", date(9999, 12, 31)),  # a common "never" sentinel, beyond datetime64[ns]
    ("0001-01-01", date(1, 1, 1)),
    (date(2024, 1, 15), date(2024, 1, 15)),
    (datetime(2024, 1, 15, 23, 0, tzinfo=timezone(timedelta(hours=-5))), date(2024, 1, 16)),
])
def test_to_date(raw, expected):
    value, invalid = one(to_date, raw)
    assert type(value) is date and value == expected and not invalid


@pytest.mark.parametrize("raw, expected", [
    ("2024-01-15", date(2024, 1, 15)),  # a plain date keeps its calendar day whatever the zone
    ("2024-01-15T00:30:00", date(2024, 1, 14)),  # 23:30 UTC the day before
    ("2024-01-15T12:00:00", date(2024, 1, 15)),
])
def test_to_date_naive_tz(raw, expected):
    assert one(to_date, raw, naive_tz="Europe/Berlin") == (expected, False)


@pytest.mark.parametrize("raw", ["2024-02-30", "9999-12-32", "soon", "2024-W03-1", "2024-015", "15/01/2024"])
def test_to_date_invalid(raw):
    value, invalid = one(to_date, raw)
    assert value is None and invalid


def test_to_date_mixed_series():
    raw = pd.Series(["2024-01-15", None, "1705276800000", "x", "2024-01-15T23:30:00-05:00"], index=[5, 4, 3, 2, 1])
    result = to_date(raw)
    assert result.values.tolist() == [date(2024, 1, 15), None, date(2024, 1, 15), None, date(2024, 1, 16)]
    assert result.invalid.tolist() == [False, False, False, True, False]
    assert list(result.values.index) == [5, 4, 3, 2, 1]
