"""Acceptance: a HubSpot-shaped server that is not our sandbox, synced through the `dagster asset materialize`
command line, leaves exactly the non-archived contacts modified that day (plus lookback), typed."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from crm_pipelines_tests.sources.hubspot.other_hubspot import TOKEN, OtherHubSpot, make_contacts
from crm_pipelines_tests.support import cli_environment

pytestmark = pytest.mark.slow  # subprocesses of the dagster CLI (and daemon)

REPO_ROOT = Path(__file__).resolve().parents[3]
DAY = dt.date(2026, 11, 20)
LOOKBACK = dt.timedelta(minutes=15)


@pytest.fixture
def other_server():
    server = OtherHubSpot(make_contacts(DAY))
    yield server
    server.close()


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dagster", "asset", "materialize", "-m",
                           "crm_pipelines.definitions", *args], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=240)


def cli_env(pg_url: str, base_url: str, tmp_path: Path, token: str | None = TOKEN) -> dict[str, str]:
    env = cli_environment(pg_url, tmp_path, HUBSPOT_BASE_URL=base_url)
    if token is not None:
        env["HUBSPOT_ACCESS_TOKEN"] = token
    return env


def test_partition_of_another_hubspot_server_is_synced_exactly(other_server, pg_url, db, tmp_path):
    result = run_cli(cli_env(pg_url, other_server.url, tmp_path), "--select", "hubspot/contacts",
                     "--partition", DAY.isoformat())
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    start = dt.datetime.combine(DAY, dt.time(), tzinfo=dt.timezone.utc)
    expected = other_server.expected(start - LOOKBACK, start + dt.timedelta(days=1))
    bad = {c["id"] for c in other_server.contacts if c["properties"]["email"] == "Not An Email"}
    loaded = [r[0] for r in db.execute("SELECT id FROM hubspot.contacts")]
    assert len(loaded) == len(set(loaded))
    assert set(loaded) == expected and bad & expected  # a bad email keeps no record out of its table
    assert db.execute("SELECT count(*) FROM hubspot._quarantine").fetchone()[0] == 0
    issues = dict(db.execute("SELECT id, _issues FROM hubspot.contacts WHERE _issues IS NOT NULL"))
    assert issues == {i: {"email": "not a valid email address"} for i in bad & expected}

    row = db.execute("SELECT email, phone, lead_is_dnc, price, hs_merged_object_ids, lead_appointment_date, "
                     "lastmodifieddate FROM hubspot.contacts WHERE firstname = 'First3'").fetchone()
    assert row[0] == "person3@example.org"
    assert row[1] == "+14155550134"
    assert row[2] is False
    assert row[3] == Decimal("1250.5")
    assert row[4] == ["11", "22"]
    assert row[5] == dt.date(2025, 1, 9)
    assert row[6] == start + dt.timedelta(hours=1)
    uk = db.execute("SELECT phone, lead_is_dnc FROM hubspot.contacts WHERE firstname = 'First2'").fetchone()
    assert uk == ("+442079460958", True)


def test_missing_token_fails_the_run_naming_the_variable(other_server, pg_url, db, tmp_path):
    result = run_cli(cli_env(pg_url, other_server.url, tmp_path, token=None), "--select", "hubspot/contacts",
                     "--partition", DAY.isoformat())
    assert result.returncode != 0
    assert "HUBSPOT_ACCESS_TOKEN" in result.stdout + result.stderr
    assert other_server.requests == 0


def test_wrong_token_fails_without_printing_it(other_server, pg_url, db, tmp_path):
    wrong = "pat-na1-wrong-secret-value-123"
    result = run_cli(cli_env(pg_url, other_server.url, tmp_path, token=wrong), "--select", "hubspot/contacts",
                     "--partition", DAY.isoformat())
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "401" in output
    assert wrong not in output
