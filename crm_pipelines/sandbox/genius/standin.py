"""An embedded stand-in for the Genius database that speaks the MySQL protocol (mysql-mimic) over a generated
database kept in SQLite: `make demo` on a machine with only Python still reads Genius through the real client.

It answers the SELECTs a Genius client sends (the statement is parsed as MySQL by sqlglot and run as SQLite),
storing values as MySQL's text protocol sends them: DATETIME/DATE/TIME as their text (zero dates included,
which sort and compare as MySQL's do for the client's conditions), DECIMAL as exact text typed NEWDECIMAL,
TINYINT(1) as TINY. What it does not mimic: collations (the `hubspot` label compares case-sensitively),
the server's own typing of a DATETIME selected without CAST (it arrives as text), anything but SELECT.
Tests use the machine's MariaDB, never this.
"""

from __future__ import annotations

import asyncio
import re
import socket
import sqlite3
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

from mysql_mimic import MysqlServer, ResultColumn, Session
from mysql_mimic.types import ColumnType

from crm_pipelines.sandbox.genius.data import COLUMNS, Generator

_INTEGER = re.compile(r"(?:SMALL|BIG)?INT(?: UNSIGNED)?")


def _column_types() -> dict[str, ColumnType]:
    """Result column name -> protocol type. Names are consistent across Genius tables; temporal columns are
    text (the client reads them with CAST ... AS CHAR)."""
    types: dict[str, ColumnType] = {}
    for columns in COLUMNS.values():
        for column in columns:
            kind = column.mysql_type
            if kind == "TINYINT(1)":
                types[column.name] = ColumnType.TINY
            elif _INTEGER.fullmatch(kind):
                types[column.name] = ColumnType.LONGLONG
            elif kind.startswith("DECIMAL"):
                types[column.name] = ColumnType.NEWDECIMAL
    types.update(primary_user_id=ColumnType.LONGLONG)
    return types


TYPES = _column_types()


def write_sqlite(path: Path, generated: Generator) -> None:
    """The generated tables in SQLite, values as MySQL stores them (temporal and decimal values as text)."""
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    for table, columns in COLUMNS.items():
        key = {"lead": "lead_id", "user_data": "user_id", "job_financing": "job_id",
               "marketsharp_marketing_source_map": "marketsharp_id"}.get(table, "id")
        keys = "appointment_id, service_id" if table == "appointment_to_service" else key
        conn.execute(f"CREATE TABLE {table} ({', '.join(c.name for c in columns)}, PRIMARY KEY ({keys}))")
        rows = [tuple(str(v) if isinstance(v, Decimal) else v for v in (row[c.name] for c in columns))
                for row in generated.rows[table]]
        conn.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(columns))})", rows)
    conn.commit()
    conn.close()


class StandInSession(Session):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self._db = sqlite3.connect(path, check_same_thread=False)

    async def query(self, expression: Any, sql: str, attrs: dict[str, str]) -> Any:
        statement = expression.sql(dialect="sqlite")
        cursor = self._db.execute(statement)
        names = [d[0] for d in cursor.description or []]
        columns = [ResultColumn(name, TYPES.get(name, ColumnType.STRING)) for name in names]
        return cursor.fetchall(), columns

    async def schema(self) -> dict:
        return {table: {c.name: "TEXT" for c in columns} for table, columns in COLUMNS.items()}


class StandIn:
    """The stand-in server in a daemon thread of its own (its own asyncio loop) until `stop()`."""

    def __init__(self, path: Path, host: str = "127.0.0.1", port: int = 0, database: str = "genius") -> None:
        self.path, self.host, self.database = path, host, database
        self.port = port or _free_port(host)
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="genius-standin", daemon=True)

    @property
    def url(self) -> str:
        return f"mysql://sandbox@{self.host}:{self.port}/{self.database}"

    def start(self) -> StandIn:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the Genius stand-in did not start")
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = MysqlServer(session_factory=lambda: StandInSession(self.path))
        self._loop.run_until_complete(server.start_server(host=self.host, port=self.port))
        self._ready.set()
        self._loop.run_forever()

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)


def _free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


_LOCAL: StandIn | None = None
_LOCAL_LOCK = threading.Lock()


def start_local(seed: int = 7) -> str:
    """URL of this process's stand-in over a freshly generated database (started once, lives as long as
    the process: the local stack's launcher, whose Dagster runs connect to it)."""
    global _LOCAL
    import tempfile

    from crm_pipelines.sandbox.genius.data import generate

    with _LOCAL_LOCK:
        if _LOCAL is None:
            path = Path(tempfile.mkdtemp(prefix="genius-standin-")) / "genius.sqlite"
            write_sqlite(path, generate(seed))
            _LOCAL = StandIn(path).start()
        return _LOCAL.url
