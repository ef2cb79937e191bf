"""kill -9 in the middle of a Genius leads run (the `dagster asset materialize` CLI), then again: exact."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_pipelines.sandbox.genius import data
from crm_pipelines.sources.genius.resource import DATABASE_URL_ENV, TIMEZONE_ENV
from crm_pipelines_tests.sources.genius.conftest import SHARED_DAY, ZONE, mysql_url
from crm_pipelines_tests.support import assert_same_keys, cli_environment, finish, kill_9_once, start_materialize

pytestmark = pytest.mark.slow  # subprocesses of the dagster CLI
COPIES = 30  # the scratch database's leads, 30 more times: a run long enough to be killed in flight


def grow_leads(mariadb, database: str) -> None:
    names = [c.name for c in data.COLUMNS["lead"]]
    picked = ", ".join("l.lead_id + s.seq * 100000" if n == "lead_id" else f"l.`{n}`" for n in names)
    cur = mariadb.cursor()
    cur.execute(f"INSERT INTO `{database}`.lead ({', '.join(f'`{n}`' for n in names)}) "
                f"SELECT {picked} FROM `{database}`.lead l JOIN seq_1_to_{COPIES} s")
    cur.close()


def start_cli(pg_url: str, database: str, tmp_path: Path):
    env = cli_environment(pg_url, tmp_path, **{DATABASE_URL_ENV: mysql_url(database), TIMEZONE_ENV: ZONE})
    config = {"ops": {"genius__leads": {"config": {"batch_size": 200, "full_refresh": True}}},
              "resources": {"genius": {"config": {"database_url": {"env": DATABASE_URL_ENV}, "timezone": ZONE,
                                                  "page_size": 100}}}}
    return start_materialize(env, "genius/leads", config, SHARED_DAY.isoformat())


def reading(mariadb, database: str) -> bool:
    cur = mariadb.cursor()
    cur.execute("SELECT count(*) FROM information_schema.processlist WHERE db = %s AND id <> CONNECTION_ID()",
                (database,))
    busy = cur.fetchone()[0] > 0
    cur.close()
    return busy


def test_kill_9_mid_run_then_rerun_is_exact(scratch_db, mariadb, pg_url, db, tmp_path):
    grow_leads(mariadb, scratch_db)
    kill_9_once(start_cli(pg_url, scratch_db, tmp_path), lambda: reading(mariadb, scratch_db))
    exists = db.execute("SELECT to_regclass('genius.leads')").fetchone()[0]
    assert not exists or db.execute("SELECT count(*) FROM genius.leads").fetchone()[0] == 0

    finish(start_cli(pg_url, scratch_db, tmp_path))
    cur = mariadb.cursor()
    cur.execute(f"SELECT lead_id FROM `{scratch_db}`.lead WHERE NOT ((updated_at IS NULL OR updated_at < '1000-01-01')"
                f" AND (added_on IS NULL OR added_on < '1000-01-01'))")
    placeable = {row[0] for row in cur.fetchall()}
    cur.close()
    assert len(placeable) > 5_000
    stored = {r[0] for r in db.execute("SELECT id FROM genius.leads")}
    assert_same_keys(stored, placeable, "genius.leads")
