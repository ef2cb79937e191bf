"""What the warehouse must hold for a generated Genius database, worked out here from the generator's rows
and GENIUS_SCHEMA.md alone (Python's zoneinfo, not the source's pandas path), to compare exactly."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from crm_pipelines.sandbox.genius import data
from crm_pipelines.sources.genius.tables import BY_SOURCE

EMAILS = {"john.doe@example.com": "john.doe@example.com", "  Mixed.Case@Example.COM ": "mixed.case@example.com",
          "zoë@example.com": "zoë@example.com", "x@example.com": "x@example.com",
          "john.doe@": "bad", "bob@@gmail.com": "bad", "n/a": None, "": None, None: None}
PHONES = {"215-555-0134": "+12155550134", "(215) 555-0134": "+12155550134", "+1 215 555 0134": "+12155550134",
          "2155550134": "+12155550134", "555": "bad", "n/a": None, "N/A": None, "": None, None: None}
TIMES_OF_DAY = {("appointment", "time"), ("job", "measure_time"), ("job", "install_time")}


def wall_to_utc(text: str, zone: str) -> dt.datetime:
    # fold=0: the first of a repeated hour; a skipped time takes the offset before the gap (§3).
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone), fold=0).astimezone(dt.timezone.utc)


def elapsed(text: str) -> dt.timedelta:
    sign, h, m, s = re.fullmatch(r"(-?)(\d+):(\d\d):(\d\d)", text).groups()
    span = dt.timedelta(hours=int(h), minutes=int(m), seconds=int(s))
    return -span if sign else span


def typed(table: str, column: data.ColumnDef, value: Any, zone: str) -> tuple[Any, str | None]:
    """(warehouse value, issue) of one source value."""
    kind, name = column.mysql_type, column.name
    if name in ("email", "personal_email", "signer_email"):
        out = EMAILS[value]
        return (None, "not a valid email address") if out == "bad" else (out, None)
    if name in ("phone1", "phone2"):
        out = PHONES[value]
        return (None, "not a valid phone number") if out == "bad" else (out, None)
    if value is None:
        return None, None
    if kind == "TINYINT(1)":
        return bool(value), None
    if kind == "DATETIME":
        return (None, "zero date") if value.startswith("0000") else (wall_to_utc(value, zone), None)
    if kind == "DATE":
        return (None, "zero date") if value.startswith("0000") else (dt.date.fromisoformat(value), None)
    if kind == "TIME":
        span = elapsed(value)
        if (table, name) in TIMES_OF_DAY:
            return (dt.datetime.min + span).time(), None
        return span, None
    if isinstance(value, Decimal):
        return value, None
    return value, None


def hubspot_ids(generated: data.Generator) -> dict[int, int]:
    """third_party_source id -> HubSpot id, for the sources of the `hubspot` type only."""
    hubspot_types = {r["id"] for r in generated.rows["third_party_source_type"] if r["label"] == "hubspot"}
    return {r["id"]: int(r["third_party_id"]) for r in generated.rows["third_party_source"]
            if r["third_party_source_type_id"] in hubspot_types}


def expected_table(generated: data.Generator, source: str, zone: str) -> tuple[dict, dict, set]:
    """({key: {column: value}}, {key: issues or None}, keys to be quarantined) of one table."""
    table = BY_SOURCE[source]
    columns = {c.name: c for c in data.COLUMNS[source]}
    hubspot = hubspot_ids(generated)
    primary = {r["id"]: r["primary_user_id"] for r in generated.rows["users_userassociations"]}
    rows, issues, quarantined = {}, {}, set()
    for raw in generated.rows[source]:
        out, problems = {}, {}
        for column in table.columns:
            value, problem = typed(source, columns[column.name], raw[column.name], zone)
            name = table.warehouse_name(column.name)
            out[name] = value
            if problem:
                problems[name] = problem
        for join in table.joins:
            via = raw[join.via]
            out[join.name] = (hubspot.get(via) if join.kind == "hubspot" else primary.get(via))
        key = tuple(out[k] for k in table.warehouse_key)
        modified = [out[table.warehouse_name(c)] for c in table.modified_columns]
        if table.partitioned and all(m is None for m in modified):
            quarantined.add(key)
            continue
        rows[key] = out
        issues[key] = problems or None
    return rows, issues, quarantined
