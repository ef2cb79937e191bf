"""Genius rows -> typed warehouse columns (GENIUS_SCHEMA.md §1, §3; BEHAVIOR.md).

The driver already gives Python ints, Decimals and str; temporal columns arrive as MySQL's own text
(sql.py reads them with CAST ... AS CHAR), so zero dates are seen for what they are. Text is loaded exactly
as stored: no trimming, no Unicode normalisation, '' stays ''. Only emails and phones are normalised.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from crm_pipelines.core.entity import Process, Processed
from crm_pipelines.core.normalize import to_email, to_phone_e164
from crm_pipelines.sources.genius.tables import TableDef

ZERO_DATE = "zero date"
_TIME = re.compile(r"(-?)(\d+):([0-5]\d):([0-5]\d)(?:\.(\d{1,6}))?", re.ASCII)
_DAY = dt.timedelta(days=1)
_INT64_MAX = 2**63 - 1

# (values, problem per row or None) from one column's raw values
Converter = Callable[[list[Any]], tuple[Any, list[str | None]]]


def _clean(n: int) -> list[str | None]:
    return [None] * n


def _ints(values: list[Any]) -> tuple[Any, list[str | None]]:
    return pd.array(values, dtype="Int64"), _clean(len(values))


def _flags(values: list[Any]) -> tuple[Any, list[str | None]]:
    # TINYINT(1) may hold any -128..127; only 0 and 1 are flags.
    problems = [None if v is None or v in (0, 1) else "not a 0/1 flag" for v in values]
    flags = [None if v is None or p else bool(v) for v, p in zip(values, problems)]
    return pd.array(flags, dtype="boolean"), problems


def _exact(values: list[Any]) -> tuple[Any, list[str | None]]:
    """DECIMAL arrives as decimal.Decimal: kept as is (never a float)."""
    return np.array(values, dtype=object), _clean(len(values))


def _text(values: list[Any]) -> tuple[Any, list[str | None]]:
    out = np.array([v.decode("utf-8", "replace") if isinstance(v, (bytes, bytearray)) else v for v in values],
                   dtype=object)
    problems = _clean(len(values))
    present = [v for v in out if v is not None]
    if "\x00" in "".join(present):  # PostgreSQL text cannot hold NUL; one scan proves the usual absence
        for i, v in enumerate(out):
            if v is not None and "\x00" in v:
                out[i], problems[i] = None, "not text (holds a NUL character)"
    return out, problems


def _normalised(convert: Callable[[pd.Series], Any], problem: str) -> Converter:
    def run(values: list[Any]) -> tuple[Any, list[str | None]]:
        converted = convert(pd.Series(values, dtype=object))
        invalid = converted.invalid.to_numpy()
        return converted.values.to_numpy(dtype=object), [problem if bad else None for bad in invalid]

    return run


def _dates(values: list[Any]) -> tuple[Any, list[str | None]]:
    cache: dict[str, tuple[dt.date | None, str | None]] = {}

    def one(text: str) -> tuple[dt.date | None, str | None]:
        if text.startswith("0000-00-00"):
            return None, ZERO_DATE
        try:
            return dt.date.fromisoformat(text[:10]), None
        except ValueError:  # e.g. '2024-00-15', which MySQL accepts outside strict mode
            return None, "not a date"

    out, problems = [], []
    for v in values:
        if v is None:
            out.append(None)
            problems.append(None)
            continue
        hit = cache.get(v) or cache.setdefault(v, one(v))
        out.append(hit[0])
        problems.append(hit[1])
    return np.array(out, dtype=object), problems


def _datetimes(zone_name: str) -> Converter:
    zone = ZoneInfo(zone_name)

    def run(values: list[Any]) -> tuple[Any, list[str | None]]:
        texts = pd.Series(values, dtype=object)
        wall = pd.to_datetime(texts, format="%Y-%m-%d %H:%M:%S", errors="coerce")
        problems = _clean(len(values))
        for i in np.flatnonzero(wall.isna().to_numpy() & texts.notna().to_numpy()):
            problems[i] = ZERO_DATE if values[i].startswith("0000-00-00") else "not a datetime"
        if zone_name in ("UTC", "Etc/UTC"):
            return wall.dt.as_unit("ns").dt.tz_localize("UTC").array, problems
        # Wall times that occur twice or never (DST) are left to zoneinfo's fold=0 rule below: the first
        # of two offsets, and for a skipped time the offset in force before the gap (GENIUS_SCHEMA.md §3).
        aware = wall.dt.tz_localize(zone_name, ambiguous="NaT", nonexistent="NaT").dt.tz_convert("UTC")
        ns = aware.array.as_unit("ns").asi8.copy()
        for i in np.flatnonzero(aware.isna().to_numpy() & wall.notna().to_numpy()):
            local = wall.iloc[i].to_pydatetime().replace(tzinfo=zone, fold=0)
            ns[i] = pd.Timestamp(local.astimezone(dt.timezone.utc)).as_unit("ns").value
        return pd.Series(ns.view("M8[ns]")).dt.tz_localize("UTC").array, problems

    return run


def parse_time(text: str) -> dt.timedelta | None:
    """MySQL TIME text ('26:15:00', '-01:00:00', '838:59:59') as a timedelta; None if not that shape."""
    match = _TIME.fullmatch(text)
    if match is None:
        return None
    sign, hours, minutes, seconds, fraction = match.groups()
    span = dt.timedelta(hours=int(hours), minutes=int(minutes), seconds=int(seconds),
                        microseconds=int((fraction or "0").ljust(6, "0")))
    return -span if sign else span


def _durations(values: list[Any]) -> tuple[Any, list[str | None]]:
    """Elapsed TIME (may exceed 24 h): an interval, never wrapped modulo 24 h."""
    out, problems = [], []
    for v in values:
        span = None if v is None else parse_time(v)
        out.append(span)
        problems.append("not a MySQL TIME" if v is not None and span is None else None)
    return np.array(out, dtype=object), problems


def _times_of_day(values: list[Any]) -> tuple[Any, list[str | None]]:
    out, problems = [], []
    for v in values:
        span = None if v is None else parse_time(v)
        if v is None:
            out.append(None)
            problems.append(None)
        elif span is None or not dt.timedelta(0) <= span < _DAY:
            out.append(None)
            problems.append("not a time of day (00:00:00-23:59:59)")
        else:
            out.append((dt.datetime.min + span).time())
            problems.append(None)
    return np.array(out, dtype=object), problems


def _hubspot_ids(values: list[Any]) -> tuple[Any, list[str | None]]:
    """HubSpot ids are digit strings, many above 2^31: bigint; anything else is not a HubSpot id."""
    out, problems = [], []
    for v in values:
        text = v.strip() if isinstance(v, str) else v
        if text is None or text == "":
            out.append(None)
            problems.append(None)
        elif isinstance(text, str) and text.isascii() and text.isdigit() and int(text) <= _INT64_MAX:
            out.append(int(text))
            problems.append(None)
        else:
            out.append(None)
            problems.append("not a HubSpot id (digits)")
    return pd.array(out, dtype="Int64"), problems


def converters(zone: str) -> dict[str, Converter]:
    return {
        "int": _ints, "bool": _flags, "decimal": _exact, "text": _text, "date": _dates,
        "datetime": _datetimes(zone), "interval": _durations, "time": _times_of_day,
        "email": _normalised(to_email, "not a valid email address"),
        "phone": _normalised(to_phone_e164, "not a valid phone number"),
        "hubspot_id": _hubspot_ids,
    }


def columns_of(table: TableDef) -> list[tuple[str, str, str]]:
    """(source name, warehouse name, kind) of every column the table's rows carry, joins included."""
    out = [(c.name, table.warehouse_name(c.name), c.kind) for c in table.columns]
    out += [(j.name, j.name, "hubspot_id" if j.kind == "hubspot" else "int") for j in table.joins]
    return out


class ZoneHolder:
    """GENIUS_TIMEZONE as the run's resource has it: an entity's fetch (which has the resource) sets it
    before its first page, and its processor (which only gets records) reads it for every batch."""

    def __init__(self) -> None:
        self.name: str | None = None


def processor(table: TableDef, zone: ZoneHolder) -> Process:
    columns = columns_of(table)

    def process(records: list[dict[str, Any]]) -> Processed:
        if zone.name is None:
            raise RuntimeError(f"genius.{table.table}: records processed before the fetch set the time zone")
        convert = converters(zone.name)
        index = pd.RangeIndex(len(records))
        typed: dict[str, Any] = {}
        issues: list[dict[str, str] | None] = [None] * len(records)
        for source_name, name, kind in columns:
            values, problems = convert[kind]([r.get(source_name) for r in records])
            # Object columns stay object: pandas would turn timedeltas into timedelta64 and Decimals are exact.
            typed[name] = pd.Series(values, index=index, dtype=object) if isinstance(values, np.ndarray) else values
            for i, problem in enumerate(problems):
                if problem is not None:
                    if issues[i] is None:
                        issues[i] = {}
                    issues[i][name] = problem
        frame = pd.DataFrame(typed, index=index)
        modified = pd.Series(pd.NaT, index=index, dtype="datetime64[ns, UTC]")
        for column in table.modified_columns:
            modified = modified.fillna(frame[table.warehouse_name(column)])
        frame["_source_updated_at"] = modified
        raw = np.empty(len(records), dtype=object)
        raw[:] = records
        frame["_raw"] = pd.Series(raw, index=index, dtype=object)
        return Processed(frame=frame, issues=pd.Series(issues, index=index, dtype=object))

    return process
