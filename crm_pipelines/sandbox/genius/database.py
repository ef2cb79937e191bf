"""Write a generated Genius database into a MySQL/MariaDB server (tests, benchmarks, `make demo` with a server)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import mysql.connector

from crm_pipelines.sandbox.genius.data import COLUMNS, SCHEMA_SQL, Generator

# Strict (a generator bug fails loudly instead of being clamped) but without NO_ZERO_DATE / NO_ZERO_IN_DATE:
# zero dates can be written, as in an old Genius.
LEGACY_SQL_MODE = "STRICT_ALL_TABLES"


def connect(host: str = "127.0.0.1", port: int = 3306, user: str = "root", password: str = "",
            database: str | None = None) -> Any:
    conn = mysql.connector.connect(host=host, port=port, user=user, password=password, database=database,
                                   charset="utf8mb4", collation="utf8mb4_unicode_ci", autocommit=True)
    cur = conn.cursor()
    cur.execute(f"SET SESSION sql_mode = '{LEGACY_SQL_MODE}'")
    cur.close()
    return conn


def create_database(conn: Any, name: str) -> None:
    cur = conn.cursor()
    cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
    cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    cur.execute(f"USE `{name}`")
    for statement in SCHEMA_SQL.read_text().split(";"):
        body = "\n".join(line for line in statement.splitlines() if not line.startswith("--")).strip()
        if body:
            cur.execute(body)
    cur.close()


def drop_database(conn: Any, name: str) -> None:
    cur = conn.cursor()
    cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
    cur.close()


def insert_rows(conn: Any, table: str, rows: Iterable[dict[str, Any]], chunk: int = 2000) -> None:
    names = [c.name for c in COLUMNS[table]]
    statement = (f"INSERT INTO `{table}` ({', '.join(f'`{n}`' for n in names)}) "
                 f"VALUES ({', '.join(['%s'] * len(names))})")
    cur = conn.cursor()
    batch: list[tuple] = []
    for row in rows:
        batch.append(tuple(row[n] for n in names))
        if len(batch) >= chunk:
            cur.executemany(statement, batch)  # rewritten by the driver into multi-row INSERTs
            batch = []
    if batch:
        cur.executemany(statement, batch)
    cur.close()


def write(conn: Any, name: str, generated: Generator) -> None:
    """Create database `name` afresh with the generated rows of every table."""
    create_database(conn, name)
    for table, rows in generated.rows.items():
        insert_rows(conn, table, rows)
