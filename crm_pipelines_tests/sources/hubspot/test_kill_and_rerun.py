"""kill -9 in the middle of a run, then the same partition again: no duplicates, no gaps."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crm_pipelines_tests.sources.hubspot.conftest import TOKEN, day_window, ids, quarantined
from crm_pipelines_tests.support import cli_environment

pytestmark = pytest.mark.slow  # subprocesses of the dagster CLI (and daemon)

REPO_ROOT = Path(__file__).resolve().parents[3]
DAY = dt.date(2026, 11, 12)


def start_cli(pg_url: str, base_url: str, tmp_path: Path) -> subprocess.Popen:
    env = cli_environment(pg_url, tmp_path, HUBSPOT_BASE_URL=base_url, HUBSPOT_ACCESS_TOKEN=TOKEN)
    # Small pages and batches: the killed run has loaded several batches inside its transaction.
    config = {"ops": {"hubspot__contacts": {"config": {"batch_size": 10}}},
              "resources": {"hubspot": {"config": {"access_token": {"env": "HUBSPOT_ACCESS_TOKEN"},
                                                   "base_url": base_url, "search_page_size": 5,
                                                   "requests_per_10s": 0, "search_requests_per_s": 0}}}}
    return subprocess.Popen(
        [sys.executable, "-m", "dagster", "asset", "materialize", "-m", "crm_pipelines.definitions",
         "--select", "hubspot/contacts", "--partition", DAY.isoformat(), "--config-json", json.dumps(config)],
        cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)


def search_requests(control) -> int:
    return sum(1 for e in control.stats()["log"] if e["route"] == "search" and e["status"] == 200)


def test_kill_9_mid_run_then_rerun_leaves_no_duplicates_and_no_gaps(control, sandbox, pg_url, db, tmp_path):
    control.faults({"route": "search", "delay_s": 0.25})  # a slow API keeps the run in flight
    proc = start_cli(pg_url, sandbox.hubspot_url, tmp_path)
    deadline = time.monotonic() + 120
    while search_requests(control) < 4:  # several pages fetched and batches loaded
        assert proc.poll() is None, proc.stdout.read().decode()[-3000:]
        assert time.monotonic() < deadline, "the run never got going"
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    # The killed run's transaction died with it: nothing half-loaded.
    assert db.execute("SELECT count(*) FROM hubspot.contacts").fetchone()[0] == 0

    control.faults()
    rerun = start_cli(pg_url, sandbox.hubspot_url, tmp_path)
    output = rerun.communicate(timeout=240)[0].decode()
    assert rerun.returncode == 0, output[-3000:]
    expected = control.truth("contacts", *day_window(DAY))
    loaded = ids(db, "hubspot.contacts")
    assert len(loaded) == len(set(loaded))
    assert set(loaded) | set(quarantined(db, "contacts")) == expected
