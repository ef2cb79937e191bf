"""The embedded stand-in `make demo` uses (mysql-mimic over SQLite) serves the real client the same values
the MariaDB database does, for the tables whose types it must mimic (decimals, flags, zero dates, TIME beyond
24 h, the HubSpot join)."""

from __future__ import annotations

import pytest

from crm_pipelines.sandbox.genius.standin import StandIn, write_sqlite
from crm_pipelines.sources.genius import SOURCE, local_database
from crm_pipelines.sources.genius.resource import DATABASE_URL_ENV, GeniusResource
from crm_pipelines_tests.sources.genius.conftest import ZONE, sync
from crm_pipelines_tests.sources.genius.expected import expected_table

TABLES = {"appointment": "appointments", "job": "jobs", "user_data": "user_data", "job_change_order": "job_change_orders"}


@pytest.fixture(scope="module")
def standin(generated, tmp_path_factory):
    path = tmp_path_factory.mktemp("standin") / "genius.sqlite"
    write_sqlite(path, generated)
    server = StandIn(path).start()
    yield server
    server.stop()


def test_the_standin_serves_what_mariadb_does(standin, generated, warehouse, db):
    genius = GeniusResource(database_url=standin.url, timezone=ZONE, page_size=40)
    for source, table in TABLES.items():
        partitioned = SOURCE.entity(table).partitioned
        sync(genius, warehouse, [table])
        want, issues, _ = expected_table(generated, source, ZONE)
        cur = db.execute(f"SELECT * FROM genius.{table}")
        names = [d.name for d in cur.description]
        got = {}
        for values in cur.fetchall():
            row = dict(zip(names, values))
            got[(row["id"],)] = ({k: v for k, v in row.items() if not k.startswith("_")}, row["_issues"])
        assert set(got) == set(want), table
        for key, row in want.items():
            assert got[key] == (row, issues[key]), f"{table} {key} (partitioned: {partitioned})"


def test_the_local_stack_uses_the_standin_only_without_a_database_url(monkeypatch):
    monkeypatch.setenv(DATABASE_URL_ENV, "mysql://u:p@db.example:3306/genius")
    assert local_database("http://sandbox") == {}
    monkeypatch.delenv(DATABASE_URL_ENV)
    url = local_database("http://sandbox")[DATABASE_URL_ENV]
    assert url.startswith("mysql://") and local_database("http://sandbox")[DATABASE_URL_ENV] == url  # once
    names, rows = GeniusResource(database_url=url).query("SELECT id FROM division ORDER BY id LIMIT 3")
    assert names == ["id"] and [r[0] for r in rows] == [1, 2, 3]
