"""kill -9 in the middle of a MarketSharp contacts run (the `dagster asset materialize` CLI), then again: exact."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_pipelines.sources.marketsharp.resource import API_KEY_ENV, COMPANY_ID_ENV, SECRET_KEY_ENV
from crm_pipelines_tests.sources.marketsharp.conftest import API_KEY, COMPANY_ID, DAY, SECRET_KEY, service_root, stored
from crm_pipelines_tests.support import assert_same_keys, cli_environment, finish, kill_9_once, start_materialize

pytestmark = pytest.mark.slow  # subprocesses of the dagster CLI


def start_cli(pg_url: str, base_url: str, tmp_path: Path):
    env = cli_environment(pg_url, tmp_path, **{COMPANY_ID_ENV: COMPANY_ID, API_KEY_ENV: API_KEY,
                                               SECRET_KEY_ENV: SECRET_KEY})
    config = {"ops": {"marketsharp__contacts": {"config": {"batch_size": 20}}},
              "resources": {"marketsharp": {"config": {
                  "company_id": {"env": COMPANY_ID_ENV}, "api_key": {"env": API_KEY_ENV},
                  "secret_key": {"env": SECRET_KEY_ENV}, "base_url": base_url, "requests_per_minute": 0,
                  "page_size": 25}}}}
    return start_materialize(env, "marketsharp/contacts", config, DAY.isoformat())


def test_kill_9_mid_run_then_rerun_is_exact(control, sandbox, pg_url, db, tmp_path):
    control.faults({"route": "feed", "delay_s": 0.1})  # a slow API keeps the run in flight
    base_url = service_root(sandbox)
    kill_9_once(start_cli(pg_url, base_url, tmp_path), lambda: control.requests("feed") >= 4)
    exists = db.execute("SELECT to_regclass('marketsharp.contacts')").fetchone()[0]
    assert not exists or db.execute("SELECT count(*) FROM marketsharp.contacts").fetchone()[0] == 0

    control.faults()
    finish(start_cli(pg_url, base_url, tmp_path))
    assert_same_keys(stored(db, "contacts"), control.in_partition("contacts"), "marketsharp.contacts")
