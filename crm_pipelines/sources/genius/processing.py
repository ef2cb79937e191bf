"""Genius rows -> typed warehouse columns (GENIUS_SCHEMA.md §1, §3; BEHAVIOR.md).

The driver already gives Python ints, Decimals and str; temporal columns arrive as MySQL's own text
(sql.py reads them with CAST ... AS CHAR), so zero dates are seen for what they are. Text is loaded exactly
as stored: no trimming, no Unicode normalisation, '' stays ''. Only emails and phones are normalised.
"""

from __future__ import annotations

import datetime as dt
import operator
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

# (values, {row: problem}) from one column's raw values; the problems are sparse (nearly always empty).
Problems = dict[int, str]
Converter = Callable[[list[Any]], tuple[Any, Problems]]


def _ints(values: list[Any]) -> tuple[Any, Problems]:
    return pd.array(values, dtype="Int64"), {}


def _flags(values: list[Any]) -> tuple[Any, Problems]:
    # TINYINT(1) may hold any -128..127; only 0 and 1 are flags.
    if set(values) <= {0, 1, None}:
        return pd.array(values, dtype="Int64").astype("boolean"), {}
    problems = {i: "not a 0/1 flag" for i, v in enumerate(values) if v not in (0, 1, None)}
    flags = [None if i in problems or v is None else v == 1 for i, v in enumerate(values)]
    return pd.array(flags, dtype="boolean"), problems


def _exact(values: list[Any]) -> tuple[Any, Problems]:
    """DECIMAL arrives as decimal.Decimal: kept as is (never a float)."""
    return _objects(values), {}


def _objects(values: list[Any]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _text(values: list[Any]) -> tuple[Any, Problems]:
    types = set(map(type, values))
    if types & {bytes, bytearray}:  # a binary collation would send bytes; Genius's columns are utf8mb4
        values = [v.decode("utf-8", "replace") if isinstance(v, (bytes, bytearray)) else v for v in values]
    out = _objects(values)
    problems: Problems = {}
    if "\x00" in "".join(v for v in values if v is not None):  # PostgreSQL text cannot hold NUL
        for i, v in enumerate(values):
            if v is not None and "\x00" in v:
                out[i], problems[i] = None, "not text (holds a NUL character)"
    return out, problems


def _normalised(convert: Callable[[pd.Series], Any], problem: str) -> Converter:
    def run(values: list[Any]) -> tuple[Any, Problems]:
        converted = convert(pd.Series(values, dtype=object))
        bad = np.flatnonzero(converted.invalid.to_numpy())
        return converted.values.to_numpy(dtype=object), {int(i): problem for i in bad}

    return run


def _by_distinct(one: Callable[[str], tuple[Any, str | None]]) -> Converter:
    """Apply `one` (text -> (value, problem)) once per distinct text: dates and times repeat a lot."""

    def run(values: list[Any]) -> tuple[Any, Problems]:
        cache: dict[str, tuple[Any, str | None]] = {}
        out = np.empty(len(values), dtype=object)
        problems: Problems = {}
        for i, v in enumerate(values):
            if v is None:
                continue
            hit = cache.get(v)
            if hit is None:
                hit = cache[v] = one(v)
            out[i] = hit[0]
            if hit[1] is not None:
                problems[i] = hit[1]
        return out, problems

    return run


def _date(text: str) -> tuple[dt.date | None, str | None]:
    if text.startswith("0000-00-00"):
        return None, ZERO_DATE
    try:
        return dt.date.fromisoformat(text[:10]), None
    except ValueError:  # e.g. '2024-00-15', which MySQL accepts outside strict mode
        return None, "not a date"


def _datetimes(zone_name: str) -> Converter:
    zone = ZoneInfo(zone_name)

    def run(values: list[Any]) -> tuple[Any, Problems]:
        texts = pd.Series(values, dtype=object)
        wall = pd.to_datetime(texts, format="%Y-%m-%d %H:%M:%S", errors="coerce")
        problems: Problems = {}
        for i in np.flatnonzero(wall.isna().to_numpy() & texts.notna().to_numpy()):
            problems[int(i)] = ZERO_DATE if values[i].startswith("0000-00-00") else "not a datetime"
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


def _duration(text: str) -> tuple[dt.timedelta | None, str | None]:
    """Elapsed TIME (may exceed 24 h): an interval, never wrapped modulo 24 h."""
    span = parse_time(text)
    return (span, None) if span is not None else (None, "not a MySQL TIME")


def _time_of_day(text: str) -> tuple[dt.time | None, str | None]:
    span = parse_time(text)
    if span is None or not dt.timedelta(0) <= span < _DAY:
        return None, "not a time of day (00:00:00-23:59:59)"
    return (dt.datetime.min + span).time(), None


def _hubspot_id(text: str) -> tuple[int | None, str | None]:
    """HubSpot ids are digit strings, many above 2^31: bigint; anything else is not a HubSpot id."""
    text = text.strip()
    if text == "":
        return None, None
    if text.isascii() and text.isdigit() and int(text) <= _INT64_MAX:
        return int(text), None
    return None, "not a HubSpot id (digits)"


def _hubspot_ids(values: list[Any]) -> tuple[Any, Problems]:
    out, problems = _by_distinct(_hubspot_id)(values)
    return pd.array(out, dtype="Int64"), problems


def converters(zone: str) -> dict[str, Converter]:
    return {
        "int": _ints, "bool": _flags, "decimal": _exact, "text": _text, "date": _by_distinct(_date),
        "datetime": _datetimes(zone), "interval": _by_distinct(_duration), "time": _by_distinct(_time_of_day),
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
    names = [source_name for source_name, _, _ in columns]

    pick_all = operator.itemgetter(*names) if len(names) > 1 else (lambda r: (r[names[0]],))

    def pick(record: dict[str, Any]) -> tuple[Any, ...]:
        try:
            return pick_all(record)  # every record of a SELECT has every column: one C call
        except KeyError:
            return tuple(map(record.get, names))

    def process(records: list[dict[str, Any]]) -> Processed:
        if zone.name is None:
            raise RuntimeError(f"genius.{table.table}: records processed before the fetch set the time zone")
        convert = converters(zone.name)
        index = pd.RangeIndex(len(records))
        typed: dict[str, Any] = {}
        issues: list[dict[str, str] | None] = [None] * len(records)
        # One C-level pass turns the records into columns (a list per column, None where a key is absent).
        values = zip(*map(pick, records)) if records else iter([[] for _ in columns])
        for (_, name, kind), column in zip(columns, values):
            converted, problems = convert[kind](list(column))
            # Object columns stay object: pandas would turn timedeltas into timedelta64 and Decimals are exact.
            typed[name] = pd.Series(converted, index=index, dtype=object) if isinstance(converted, np.ndarray) else converted
            for i, problem in problems.items():
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
