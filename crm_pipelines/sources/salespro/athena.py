"""SQL the client sends Athena: a window on updated_at and a keyset on (updated_at, key), so a read split
over several queries never loses or repeats rows that share an updated_at (BEHAVIOR.md #6-#8)."""

from __future__ import annotations

import datetime as dt
import re

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def ident(name: str) -> str:
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a plain identifier: {name!r}")
    return name


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def timestamp(moment: dt.datetime) -> str:
    """An Athena timestamp literal in UTC (Athena's timestamps carry no zone and hold UTC)."""
    if moment.tzinfo is None:
        raise ValueError("window bounds must be timezone-aware")
    utc = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return f"timestamp '{utc.isoformat(sep=' ', timespec='milliseconds')}'"


def after(cursor: tuple[str | None, str | None], key: str, full: bool) -> str:
    """Rows after the cursor (the last row read: its updated_at as Athena wrote it, its key) in the order
    `updated_at NULLS LAST, key NULLS FIRST`. Rows without updated_at come last, and only a full read
    (`full`) asks for them; a row without a key sorts first among its updated_at's."""
    moment, last_key = cursor
    key = ident(key)
    if moment is None:
        tail = f"{key} > {literal(last_key)}" if last_key is not None else f"{key} IS NOT NULL"
        return f"(updated_at IS NULL AND {tail})"
    at = f"timestamp {literal(moment)}"
    same = f"{key} > {literal(last_key)}" if last_key is not None else f"{key} IS NOT NULL"
    parts = [f"updated_at > {at}", f"(updated_at = {at} AND {same})"]
    if full:
        parts.append("updated_at IS NULL")
    return "(" + " OR ".join(parts) + ")"


def select(table: str, key: str, start: dt.datetime | None, end: dt.datetime | None,
           cursor: tuple[str | None, str | None] | None, limit: int) -> str:
    """One query of a read: the window [start, end) of updated_at (none: everything), past the cursor,
    in keyset order, at most `limit` rows."""
    conditions = []
    if start is not None:
        conditions.append(f"updated_at >= {timestamp(start)}")
    if end is not None:
        conditions.append(f"updated_at < {timestamp(end)}")
    if cursor is not None:
        conditions.append(after(cursor, key, full=start is None and end is None))
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    return (f"SELECT * FROM {ident(table)}{where} ORDER BY updated_at ASC NULLS LAST, {ident(key)} ASC NULLS FIRST "
            f"LIMIT {int(limit)}")
