"""kill -9 in the middle of a run, then the same partition again: no duplicates, no gaps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crm_pipelines_tests.sources.hubspot.conftest import TOKEN, day_window, ids, quarantined
from crm_pipelines_tests.support import cli_environment, finish, kill_9_once, start_materialize

pytestmark = pytest.mark.slow  # subprocesses of the dagster CLI

DAY = dt.date(2026, 11, 12)


def start_cli(pg_url: str, base_url: str, tmp_path: Path):
    env = cli_environment(pg_url, tmp_path, HUBSPOT_BASE_URL=base_url, HUBSPOT_ACCESS_TOKEN=TOKEN)
    # Small pages and batches: the killed run has loaded several batches inside its transaction.
    config = {"ops": {"hubspot__contacts": {"config": {"batch_size": 10}}},
              "resources": {"hubspot": {"config": {"access_token": {"env": "HUBSPOT_ACCESS_TOKEN"},
                                                   "base_url": base_url, "search_page_size": 5,
                                                   "requests_per_10s": 0, "search_requests_per_s": 0}}}}
    return start_materialize(env, "hubspot/contacts", config, DAY.isoformat())


def test_kill_9_mid_run_then_rerun_leaves_no_duplicates_and_no_gaps(control, sandbox, pg_url, db, tmp_path):
    control.faults({"route": "search", "delay_s": 0.25})  # a slow API keeps the run in flight
    # Several pages fetched and batches loaded before the kill.
    kill_9_once(start_cli(pg_url, sandbox.hubspot_url, tmp_path), lambda: control.requests("search") >= 4)

    # The killed run's transaction died with it: nothing half-loaded.
    assert db.execute("SELECT count(*) FROM hubspot.contacts").fetchone()[0] == 0

    control.faults()
    finish(start_cli(pg_url, sandbox.hubspot_url, tmp_path))
    expected = control.truth("contacts", *day_window(DAY))
    loaded = ids(db, "hubspot.contacts")
    assert len(loaded) == len(set(loaded))
    assert set(loaded) | set(quarantined(db, "contacts")) == expected
