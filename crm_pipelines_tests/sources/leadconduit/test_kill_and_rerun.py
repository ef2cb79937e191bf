"""kill -9 in the middle of a LeadConduit leads run (the `dagster asset materialize` CLI), then again: exact."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_pipelines.sources.leadconduit.resource import API_KEY_ENV
from crm_pipelines_tests.sources.leadconduit.conftest import DAY, KEY, stored
from crm_pipelines_tests.support import assert_same_keys, cli_environment, finish, kill_9_once, start_materialize

pytestmark = pytest.mark.slow  # subprocesses of the dagster CLI


def start_cli(pg_url: str, base_url: str, tmp_path: Path):
    env = cli_environment(pg_url, tmp_path, **{API_KEY_ENV: KEY})
    config = {"ops": {"leadconduit__leads": {"config": {"batch_size": 20}}},
              "resources": {"leadconduit": {"config": {"api_key": {"env": API_KEY_ENV}, "base_url": base_url,
                                                       "requests_per_minute": 0, "page_limit": 60}}}}
    return start_materialize(env, "leadconduit/leads", config, DAY.isoformat())


def test_kill_9_mid_run_then_rerun_is_exact(control, sandbox, pg_url, db, tmp_path):
    control.faults({"route": "events", "delay_s": 0.1})  # a slow API keeps the run in flight
    base_url = sandbox.url_for("leadconduit")
    # Several pages fetched and batches loaded before the kill.
    kill_9_once(start_cli(pg_url, base_url, tmp_path), lambda: control.requests("events") >= 6)
    exists = db.execute("SELECT to_regclass('leadconduit.leads')").fetchone()[0]
    assert not exists or db.execute("SELECT count(*) FROM leadconduit.leads").fetchone()[0] == 0

    control.faults()
    finish(start_cli(pg_url, base_url, tmp_path))
    assert_same_keys(stored(db), control.leads(), "leadconduit.leads")
