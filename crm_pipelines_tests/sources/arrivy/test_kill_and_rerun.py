"""kill -9 in the middle of an Arrivy tasks run (the `dagster asset materialize` CLI), then again: exact."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_pipelines.sources.arrivy.resource import AUTH_KEY_ENV, AUTH_TOKEN_ENV
from crm_pipelines_tests.sources.arrivy.emulated import KEY, TOKEN, live_ids
from crm_pipelines_tests.support import assert_same_keys, cli_environment, finish, kill_9_once, start_materialize

pytestmark = pytest.mark.slow  # subprocesses of the dagster CLI


def start_cli(pg_url: str, base_url: str, tmp_path: Path):
    env = cli_environment(pg_url, tmp_path, **{AUTH_KEY_ENV: KEY, AUTH_TOKEN_ENV: TOKEN})
    # Small pages and batches: the killed run has loaded several batches inside its transaction.
    config = {"ops": {"arrivy__tasks": {"config": {"batch_size": 20}}},
              "resources": {"arrivy": {"config": {"auth_key": {"env": AUTH_KEY_ENV},
                                                  "auth_token": {"env": AUTH_TOKEN_ENV}, "base_url": base_url,
                                                  "requests_per_minute": 0, "tasks_per_page": 25}}}}
    return start_materialize(env, "arrivy/tasks", config)


def test_kill_9_mid_run_then_rerun_is_exact(control, sandbox, pg_url, db, tmp_path):
    control.faults({"route": "tasks", "delay_s": 0.1})  # a slow API keeps the run in flight
    base_url = f"{sandbox.url_for('arrivy')}/api"
    # Several pages fetched and batches loaded before the kill.
    kill_9_once(start_cli(pg_url, base_url, tmp_path), lambda: control.requests("tasks") >= 12)
    exists = db.execute("SELECT to_regclass('arrivy.tasks')").fetchone()[0]
    assert not exists or db.execute("SELECT count(*) FROM arrivy.tasks").fetchone()[0] == 0

    control.faults()
    finish(start_cli(pg_url, base_url, tmp_path))
    held = [r[0] for r in db.execute("SELECT source_id FROM arrivy._quarantine WHERE entity = 'tasks' "
                                     "AND resolved_at IS NULL")]
    assert_same_keys([*live_ids(db, "tasks"), *held], control.truth("tasks"), "arrivy.tasks")
