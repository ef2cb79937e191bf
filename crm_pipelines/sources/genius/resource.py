"""Genius client resource: plain SELECTs on the Genius MySQL/MariaDB database through mysql-connector-python
(its C extension: 2.5x PyMySQL's rows/s, benchmarks/README.md), keyset pages, a dropped connection resumed
from the last row read, and a login failure that names GENIUS_DATABASE_URL without ever printing it."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import mysql.connector
from dagster import Failure
from mysql.connector import errors as myerrors
from pydantic import PrivateAttr, field_validator

from crm_pipelines.core.config_rules import between
from crm_pipelines.core.resource import SourceResource
from crm_pipelines.sources.genius import sql
from crm_pipelines.sources.genius.tables import TableDef

DATABASE_URL_ENV = "GENIUS_DATABASE_URL"
TIMEZONE_ENV = "GENIUS_TIMEZONE"
DEFAULT_TIMEZONE = "UTC"
# The widest jump of a wall clock at a DST change: a UTC window is widened by it on both sides once in
# wall time, so the ambiguous and skipped hours cannot fall outside it (a row read twice is upserted once).
DST_MARGIN = dt.timedelta(hours=1)

# Login refused, no such database or no rights: a configuration error, never retried.
_CONFIG_ERRNOS = frozenset({1044, 1045, 1049, 1142, 1698})
# The server went away, the connection was killed or reset, the server is starting or stopping; a
# deadlock or lock wait (not expected on SELECTs, cheap to retry).
_TRANSIENT_ERRNOS = frozenset({1053, 1205, 1213, 1927, 2002, 2003, 2006, 2013, 2055})

Records = list[dict[str, Any]]
log = logging.getLogger(__name__)


class GeniusConfigError(Failure):
    """The Genius database refused the configuration. Names the variable, never its value."""


class GeniusDatabaseError(Failure):
    """A query failed for a reason retrying does not fix, or retries ran out."""


def parse_url(url: str) -> dict[str, Any]:
    """Connection arguments from `mysql://user:password@host:3306/db`. Errors name the variable only."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("mysql", "mariadb", "mysql+pymysql", "mysql+mysqlconnector") or not parts.hostname:
        raise GeniusConfigError(f"{DATABASE_URL_ENV} must look like mysql://user:password@host:3306/database")
    database = parts.path.lstrip("/")
    if not database or not parts.username:
        raise GeniusConfigError(f"{DATABASE_URL_ENV} must name a user and a database "
                                "(mysql://user:password@host:3306/database)")
    try:
        port = parts.port or 3306
    except ValueError:
        raise GeniusConfigError(f"{DATABASE_URL_ENV} has a port that is not a number") from None
    return {"host": parts.hostname, "port": port, "user": unquote(parts.username),
            "password": unquote(parts.password or ""), "database": unquote(database)}


def _errno(exc: BaseException) -> int | None:
    return getattr(exc, "errno", None)


def _transient(exc: BaseException) -> bool:
    """A connection-level failure (lost, killed, reset, not available): a new connection may succeed.
    SQL errors (syntax, rights, data) are not: retrying them would only repeat them."""
    if _errno(exc) in _CONFIG_ERRNOS:
        return False
    return (_errno(exc) in _TRANSIENT_ERRNOS or isinstance(exc, OSError)
            or isinstance(exc, (myerrors.OperationalError, myerrors.InterfaceError)))


class GeniusResource(SourceResource):
    database_url: str
    timezone: str = DEFAULT_TIMEZONE
    page_size: int = 2500
    max_retries: int = 5
    retry_backoff_s: float = 0.5
    connect_timeout_s: int = 10

    _conn: Any = PrivateAttr(default=None)

    _sane_page = field_validator("page_size")(between(1, 100_000))
    _sane_retries = field_validator("max_retries")(between(0, 50))

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{TIMEZONE_ENV}: unknown IANA time zone {value!r}") from None
        return value

    def fetch_ahead_pages(self) -> int:
        # One page read ahead in a thread: the next query runs while this page is typed and loaded.
        return 1

    # -- connection ---------------------------------------------------------------------------------------
    def _connect(self) -> Any:
        args = parse_url(self.database_url)
        options = dict(args, charset="utf8mb4", collation="utf8mb4_unicode_ci", autocommit=True,
                       connection_timeout=self.connect_timeout_s)
        try:
            try:
                conn = mysql.connector.connect(**options, use_pure=False)
            except ImportError:  # the C extension did not load on this machine: same API, slower
                log.warning("mysql-connector C extension unavailable; using the pure-Python protocol")
                conn = mysql.connector.connect(**options, use_pure=True)
        except myerrors.Error as exc:
            if _errno(exc) in _CONFIG_ERRNOS:
                # `from None`: the driver's message is safe, but the chained traceback shows the connect
                # arguments (the password among them) in some frames' locals.
                raise GeniusConfigError(
                    f"{DATABASE_URL_ENV}: the Genius database refused the login or the database "
                    f"(MySQL error {_errno(exc)}); check the user, password and database name in it") from None
            raise
        self.count_call()
        return conn

    def _connection(self) -> Any:
        if self._conn is None:
            self._conn = self._connect()
        return self._conn

    def _drop_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # it is already broken; closing is a courtesy
                pass

    def teardown_after_execution(self, context) -> None:
        self._drop_connection()

    def query(self, statement: str, params: Sequence[Any] = ()) -> tuple[list[str], list[tuple]]:
        """(column names, rows) of one statement, retried on a fresh connection when the connection drops.

        Each statement is a whole keyset page, so retrying it reads exactly the rows after the last one
        already returned: nothing is read twice and nothing skipped.
        """
        attempt = 0
        while True:
            try:
                cursor = self._connection().cursor()
                try:
                    cursor.execute(statement, tuple(params))
                    rows = cursor.fetchall()
                    names = list(cursor.column_names)
                finally:
                    cursor.close()
                self.count_call()
                return names, rows
            except GeniusConfigError:
                raise
            except (myerrors.Error, OSError) as exc:
                self._drop_connection()
                errno = _errno(exc)
                if not _transient(exc):
                    raise GeniusDatabaseError(f"Genius query failed (MySQL error {errno}): "
                                              f"{getattr(exc, 'msg', None) or exc}") from None
                attempt += 1
                if attempt > self.max_retries:
                    raise GeniusDatabaseError(f"Genius connection kept failing ({attempt} attempts, last MySQL "
                                              f"error {errno})") from None
                self.count_retry()
                log.warning("Genius connection lost (MySQL error %s); reconnecting, attempt %s", errno, attempt)
                time.sleep(self.retry_backoff_s * 2 ** (attempt - 1))

    # -- reads --------------------------------------------------------------------------------------------
    def scan(self, read: sql.Read) -> Iterator[Records]:
        """The rows of one keyset scan, a page at a time, until a page comes back short."""
        last = None
        while True:
            statement, params = read.page_sql(last, self.page_size)
            names, rows = self.query(statement, params)
            if rows:
                records = [dict(zip(names, row)) for row in rows]
                last = [records[-1][c] for c in read.order]
                yield records
            if len(rows) < self.page_size:
                return

    def read(self, table: TableDef, start: dt.datetime | None, end: dt.datetime | None) -> Iterator[Records]:
        """Every row (no window), or the rows modified in the UTC window [start, end)."""
        if start is None and end is None:
            yield from self.scan(sql.full_read(table))
            return
        low, high = self.wall_window(start, end)
        inside = self._window_filter(table, start, end)
        for read in sql.window_reads(table, low, high):
            for records in self.scan(read):
                kept = records if inside is None else [r for r in records if inside(r)]
                if kept:
                    yield kept

    def _window_filter(self, table: TableDef, start: dt.datetime | None, end: dt.datetime | None):
        """In a zone with DST the wall-time bounds are widened (wall_window), so the rows read are checked
        against the exact UTC window by their modified time; in UTC the bounds are exact already."""
        if self.timezone in ("UTC", "Etc/UTC"):
            return None
        zone = ZoneInfo(self.timezone)
        delta, *fallbacks = table.delta

        def instant(text: str | None) -> dt.datetime | None:
            if text is None or text.startswith("0000"):
                return None
            return dt.datetime.fromisoformat(text).replace(tzinfo=zone, fold=0).astimezone(dt.timezone.utc)

        def inside(record: dict[str, Any]) -> bool:
            moment = instant(record[delta])
            for fallback in fallbacks:
                moment = moment or instant(record[fallback])
            return moment is not None and (start is None or moment >= start) and (end is None or moment < end)

        return inside

    def count(self, table: TableDef, start: dt.datetime, end: dt.datetime) -> int:
        """Rows whose modified time (delta, else fallback) lies in the UTC window [start, end): Genius's side of
        the reconciliation check, counted by the same scans a window read makes."""
        low, high = self.wall_window(start, end)
        zone = ZoneInfo(self.timezone)
        total = 0
        for read in sql.window_reads(table, low, high):
            statement, params = sql.modified_counts(read)
            _, rows = self.query(statement, params)
            for text, n in rows:
                moment = dt.datetime.fromisoformat(text).replace(tzinfo=zone, fold=0).astimezone(dt.timezone.utc)
                total += n if start <= moment < end else 0
        return total

    def wall_window(self, start: dt.datetime | None, end: dt.datetime | None) -> tuple[str, str]:
        """A UTC window as GENIUS_TIMEZONE wall-time bounds for the WHERE (DATETIME values are wall times)."""
        zone = ZoneInfo(self.timezone)
        margin = dt.timedelta(0) if self.timezone in ("UTC", "Etc/UTC") else DST_MARGIN
        low = (start or dt.datetime(1000, 1, 1, tzinfo=dt.timezone.utc))
        high = (end or dt.datetime(9999, 12, 31, tzinfo=dt.timezone.utc))
        as_wall = lambda moment, shift: (moment.astimezone(zone).replace(tzinfo=None) + shift)  # noqa: E731
        low_wall = as_wall(low, -margin) if start is not None else low.replace(tzinfo=None)
        high_wall = as_wall(high, margin) if end is not None else high.replace(tzinfo=None)
        return low_wall.strftime("%Y-%m-%d %H:%M:%S"), high_wall.strftime("%Y-%m-%d %H:%M:%S")

    def missing_keys(self, table: TableDef, keys: list[Any]) -> list[Any]:
        """The keys among `keys` that the table no longer has (a successful query that does not return them
        is the evidence)."""
        if not keys:
            return []
        _, rows = self.query(sql.existing_keys_sql(table, len(keys)), keys)
        present = {_same_key(row[0]) for row in rows}
        return [key for key in keys if _same_key(key) not in present]


def _same_key(value: Any) -> Any:
    """Keys compared across MySQL and the warehouse: integers as ints, text keys as text (the collation
    compares them case-insensitively, so a warehouse key found in another case is still present)."""
    if isinstance(value, str):
        return value.casefold()
    return int(value)
