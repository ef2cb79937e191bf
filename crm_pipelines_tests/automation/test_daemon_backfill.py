"""With dagster-daemon running against the repo's dagster.yaml, a 5-day backfill of the HubSpot hourly job
(one run per day, every run tagged crm=hubspot) never has more HubSpot runs in flight than configured (five runs
submitted at once would all overlap without the limit)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

from crm_pipelines_tests.sources.hubspot.conftest import TOKEN
from crm_pipelines_tests.support import cli_environment

pytestmark = pytest.mark.slow  # subprocesses of the dagster CLI (and daemon)

REPO_ROOT = Path(__file__).resolve().parents[2]
DAYS = [f"2026-11-{d:02d}" for d in range(1, 6)]
FINISHED = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}


def configured_crm_limit() -> int:
    config = yaml.safe_load((REPO_ROOT / "dagster.yaml").read_text())
    [rule] = [r for r in config["concurrency"]["runs"]["tag_concurrency_limits"] if r["key"] == "crm"]
    return rule["limit"]


def max_overlap(intervals: list[tuple[float, float]]) -> int:
    events = sorted([(start, 1) for start, _ in intervals] + [(end, -1) for _, end in intervals])
    current = peak = 0
    for _, step in events:
        current += step
        peak = max(peak, current)
    return peak


@pytest.mark.timeout(900)
def test_a_backfill_runs_within_the_per_crm_run_limit(control, sandbox, pg_url, db, tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    env = cli_environment(pg_url, tmp_path, HUBSPOT_BASE_URL=sandbox.hubspot_url, HUBSPOT_ACCESS_TOKEN=TOKEN)
    env["DAGSTER_HOME"] = str(home)
    control.faults({"route": "search", "delay_s": 0.1})  # runs that last long enough to overlap if allowed
    bin_dir = Path(sys.executable).parent
    # Create the instance's storage before two processes race to migrate the same SQLite files.
    DagsterInstance.from_config(str(home)).dispose()
    daemon = subprocess.Popen([str(bin_dir / "dagster-daemon"), "run", "-w", "workspace.yaml"], cwd=REPO_ROOT,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        submitted = subprocess.run(
            [str(bin_dir / "dagster"), "job", "backfill", "-w", "workspace.yaml", "-j", "hubspot_hourly",
             "--from", DAYS[0], "--to", DAYS[-1], "--noprompt"],
            cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=180)
        assert submitted.returncode == 0, submitted.stdout[-2000:] + submitted.stderr[-2000:]
        with DagsterInstance.from_config(str(home)) as instance:
            deadline = time.monotonic() + 600
            while True:
                runs = instance.get_run_records(RunsFilter(job_name="hubspot_hourly"))
                if len(runs) == len(DAYS) and all(r.dagster_run.status in FINISHED for r in runs):
                    break
                assert daemon.poll() is None, "dagster-daemon exited"
                assert time.monotonic() < deadline, f"{len(runs)} runs, not all finished in time"
                time.sleep(1)
    finally:
        os.killpg(daemon.pid, signal.SIGTERM)
        daemon.wait(timeout=60)

    assert {r.dagster_run.status for r in runs} == {DagsterRunStatus.SUCCESS}
    assert sorted(r.dagster_run.tags["dagster/partition"] for r in runs) == DAYS
    assert all(r.dagster_run.tags["crm"] == "hubspot" for r in runs)
    peak = max_overlap([(r.start_time, r.end_time) for r in runs])
    assert 1 <= peak <= configured_crm_limit()
    days_loaded = {d.isoformat() for (d,) in db.execute(
        "SELECT DISTINCT (_source_updated_at AT TIME ZONE 'UTC')::date FROM hubspot.contacts")}
    assert set(DAYS) <= days_loaded
