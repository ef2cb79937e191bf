"""Partitioned HubSpot syncs through Dagster against the sandbox: exactness under every paging and fault
condition the real API shows."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from dagster import DagsterInstance

from crm_pipelines.core.report import METADATA_KEYS
from crm_pipelines_tests.sources.hubspot.conftest import failure_text, client_for, day_window, ids, quarantined, sync

DAY = dt.date(2026, 11, 10)


def late_in(day: dt.date, ms: int = 1) -> str:
    """A modification time at the very end of `day`: later than any the sandbox generated for it (HubSpot's
    modified times only move forward, and the upsert refuses a version older than the stored one)."""
    return (day_window(day)[1] - dt.timedelta(milliseconds=ms)).isoformat()


def assert_exact(db, control, entity: str, start, end, object_type: str | None = None):
    """Every non-archived record of the window is loaded or quarantined, once; nothing else is there."""
    expected = control.truth(object_type or entity, start, end)
    loaded = ids(db, f"hubspot.{entity}")
    bad = set(quarantined(db, entity))
    assert len(loaded) == len(set(loaded)), "duplicate rows"
    assert set(loaded) | bad == expected
    assert not set(loaded) & bad
    return expected, set(loaded), bad


def test_one_day_is_exact_and_reports_the_metadata_contract(control, hubspot, warehouse, db):
    _, meta = sync("contacts", hubspot, warehouse, partition=DAY.isoformat())
    expected, loaded, bad = assert_exact(db, control, "contacts", *day_window(DAY))
    assert len(expected) > 20
    assert set(METADATA_KEYS) <= set(meta)
    assert meta["records_fetched"] == len(expected)
    assert meta["records_created"] == len(loaded)
    assert meta["records_quarantined"] == len(bad)
    assert meta["dagster/row_count"] == len(loaded)
    # One search call per 200 records, plus one count for the reconciliation check; no more.
    assert meta["api_calls"] == -(-len(expected) // 200) + 1
    assert meta["window_start"] == "2026-11-09T23:45:00+00:00"
    assert meta["window_end"] == "2026-11-11T00:00:00+00:00"
    with_issues = db.execute("SELECT count(*) FROM hubspot.contacts WHERE _issues IS NOT NULL").fetchone()[0]
    assert meta["records_with_issues"] == with_issues
    assert meta["data_quality_score"] == round((len(loaded) - with_issues) / len(expected), 4)


def test_rerun_is_idempotent_with_exact_counts(control, hubspot, warehouse, db):
    _, first = sync("contacts", hubspot, warehouse, partition=DAY.isoformat())
    _, second = sync("contacts", hubspot, warehouse, partition=DAY.isoformat())
    assert first["records_created"] > 0
    assert (second["records_created"], second["records_updated"]) == (0, 0)
    loaded = sorted(ids(db, "hubspot.contacts"))
    changed = loaded[:4]
    control.mutate(object_type="contacts", ids=changed, action="set", properties={"firstname": "Renamed"},
                   modified_at=late_in(DAY))
    _, third = sync("contacts", hubspot, warehouse, partition=DAY.isoformat())
    assert (third["records_created"], third["records_updated"]) == (0, 4)
    assert {r[0] for r in db.execute("SELECT id FROM hubspot.contacts WHERE firstname = 'Renamed'")} == set(changed)


def test_the_search_cap_is_never_a_silent_end(control, sandbox, warehouse, db):
    control.reset(search_cap=30)
    small_pages = client_for(sandbox.hubspot_url, search_page_size=10)
    sync("contacts", small_pages, warehouse, partition=DAY.isoformat())
    expected, _, _ = assert_exact(db, control, "contacts", *day_window(DAY))
    assert len(expected) > 30 * 1.5


def test_short_and_empty_pages_with_a_cursor_do_not_end_paging(control, sandbox, warehouse, db):
    control.faults({"route": "search", "short_page": 3, "times": 2},
                   {"route": "search", "short_page": 0, "after": 2, "times": 2})
    sync("contacts", client_for(sandbox.hubspot_url, search_page_size=20), warehouse, partition=DAY.isoformat())
    assert_exact(db, control, "contacts", *day_window(DAY))
    shorts = [e for e in control.stats()["log"] if e["route"] == "search"]
    assert len(shorts) >= 4


def test_a_backfill_of_several_days_is_one_run(control, hubspot, warehouse, db):
    instance = DagsterInstance.ephemeral()
    result, meta = sync("contacts", hubspot, warehouse, instance=instance, tags={
        "dagster/asset_partition_range_start": "2026-11-03", "dagster/asset_partition_range_end": "2026-11-06"})
    assert result.success
    assert len(instance.get_runs()) == 1
    assert_exact(db, control, "contacts", *day_window(dt.date(2026, 11, 3), days=4))
    assert meta["window_start"] == "2026-11-02T23:45:00+00:00"
    assert meta["window_end"] == "2026-11-07T00:00:00+00:00"


def test_records_changed_mid_sync_are_not_lost(control, sandbox, warehouse, db):
    start, end = day_window(DAY)
    before = sorted(control.truth("contacts", start, end), key=int)
    # After the 2nd page, the first records of the window (already read) move out of it: with offset paging
    # every later record would shift left and one per moved record would be skipped.
    control.mutate(object_type="contacts", ids=before[:3], action="touch", after_requests=2, route="search",
                   modified_at="2026-11-27T12:00:00Z")
    sync("contacts", client_for(sandbox.hubspot_url, search_page_size=10), warehouse, partition=DAY.isoformat())
    after = control.truth("contacts", start, end)
    loaded = set(ids(db, "hubspot.contacts")) | set(quarantined(db, "contacts"))
    assert after == set(before) - set(before[:3])
    assert after <= loaded


@pytest.mark.parametrize("retry_after", [1, None])
def test_rate_limited_requests_are_retried(control, sandbox, warehouse, db, retry_after):
    control.faults({"route": "search", "status": 429, "retry_after": retry_after, "policy": "SECONDLY",
                    "after": 1, "times": 2})
    _, meta = sync("contacts", client_for(sandbox.hubspot_url, search_page_size=10), warehouse,
                   partition=DAY.isoformat())
    assert_exact(db, control, "contacts", *day_window(DAY))
    assert meta["retries"] == 2
    log = [e for e in control.stats()["log"] if e["route"] == "search"]
    limited = [i for i, e in enumerate(log) if e["status"] == 429]
    assert len(limited) == 2
    if retry_after:
        # The server asked for a pause; the next request came no sooner.
        gap = log[limited[-1] + 1]["t"] - log[limited[-1]]["t"]
        assert gap >= retry_after * 0.95


def test_5xx_timeouts_and_connection_resets_are_retried(control, sandbox, warehouse, db):
    control.faults({"route": "search", "status": 503, "after": 1, "times": 2},
                   {"route": "search", "delay_s": 2.5, "after": 3, "times": 1},
                   {"route": "search", "drop": True, "after": 4, "times": 1},
                   {"route": "search", "status": 520, "after": 5, "times": 1})
    client = client_for(sandbox.hubspot_url, search_page_size=10, timeout_s=1.0)
    _, meta = sync("contacts", client, warehouse, partition=DAY.isoformat())
    assert_exact(db, control, "contacts", *day_window(DAY))
    assert meta["retries"] >= 5


def test_a_fetch_that_keeps_failing_fails_the_run_and_keeps_nothing_of_it(control, sandbox, warehouse, db):
    hubspot = client_for(sandbox.hubspot_url, search_page_size=10, max_attempts=3)
    sync("contacts", hubspot, warehouse, partition=DAY.isoformat())
    snapshot = db.execute("SELECT md5(string_agg(_raw::text || _synced_at::text, ',' ORDER BY id)) "
                          "FROM hubspot.contacts").fetchone()
    control.mutate(object_type="contacts", ids=sorted(ids(db, "hubspot.contacts"))[:5], action="set",
                   properties={"firstname": "Changed"}, modified_at=late_in(DAY))
    control.faults({"route": "search", "status": 500, "after": 2})
    result, _ = sync("contacts", hubspot, warehouse, partition=DAY.isoformat(), raise_on_error=False)
    assert not result.success
    failure = failure_text(result)
    assert "failed after 3 attempts" in failure and "HTTP 500" in failure
    assert db.execute("SELECT md5(string_agg(_raw::text || _synced_at::text, ',' ORDER BY id)) "
                      "FROM hubspot.contacts").fetchone() == snapshot


def test_malformed_fields_load_as_null_with_issues_and_clear_once_fixed(control, hubspot, warehouse, db):
    start, end = day_window(DAY)
    victim = sorted(control.truth("contacts", start, end), key=int)[0]
    control.mutate(object_type="contacts", ids=[victim], action="set",
                   properties={"email": "broken@", "lead_is_dnc": "maybe"}, modified_at=late_in(DAY, ms=2))
    _, meta = sync("contacts", hubspot, warehouse, partition=DAY.isoformat())
    row = "SELECT email, lead_is_dnc, _issues FROM hubspot.contacts WHERE id = %s"
    assert db.execute(row, (victim,)).fetchone() == \
        (None, None, {"email": "not a valid email address", "lead_is_dnc": "not a boolean"})
    assert victim not in quarantined(db, "contacts")
    assert meta["records_quarantined"] == 0 and meta["records_with_issues"] >= 1
    control.mutate(object_type="contacts", ids=[victim], action="set",
                   properties={"email": "fixed@example.com", "lead_is_dnc": "false"},
                   modified_at=late_in(DAY, ms=1))
    _, again = sync("contacts", hubspot, warehouse, partition=DAY.isoformat())
    assert db.execute(row, (victim,)).fetchone() == ("fixed@example.com", False, None)
    assert again["records_updated"] >= 1


def test_secrets_never_reach_logs_metadata_or_errors(control, sandbox, warehouse, db, capfd):
    instance = DagsterInstance.ephemeral()
    hubspot = client_for(sandbox.hubspot_url, search_page_size=10)
    control.faults({"route": "search", "status": 429, "retry_after": None, "after": 1, "times": 1})
    result, meta = sync("contacts", hubspot, warehouse, partition=DAY.isoformat(), instance=instance)
    wrong = client_for(sandbox.hubspot_url, access_token="pat-na1-not-the-right-one-777")
    failed, _ = sync("contacts", wrong, warehouse, partition=DAY.isoformat(), instance=instance,
                     raise_on_error=False)
    assert not failed.success
    captured = capfd.readouterr()
    texts = [str(meta), captured.out, captured.err]
    for run in instance.get_runs():
        for entry in instance.all_logs(run.run_id):
            texts.append(entry.user_message or "")
            texts.append(repr(entry.dagster_event))
    blob = "\n".join(texts)
    assert "INVALID_AUTHENTICATION" in blob or "401" in blob  # the failure itself is visible...
    for secret in (hubspot.access_token, wrong.access_token):
        assert secret not in blob  # ...the tokens are not


def checks_of(result) -> dict:
    return {e.check_name: e for e in result.get_asset_check_evaluations()}


def test_reconciliation_passes_when_the_window_is_complete(control, hubspot, warehouse, db):
    result, _ = sync("contacts", hubspot, warehouse, partition=DAY.isoformat())
    reconciliation = checks_of(result)["reconciliation"]
    assert reconciliation.passed
    counts = {k: v.value for k, v in reconciliation.metadata.items()}
    assert counts["source_count"] == counts["warehouse_count"] > 0


def test_reconciliation_detects_a_record_the_sync_missed(control, sandbox, warehouse, db):
    start, end = day_window(DAY)
    outside = sorted(control.truth("contacts") - control.truth("contacts", start, end), key=int)
    # A record with a small id enters the window after the keyset has passed its id: this sync cannot see
    # it (the next one will), so the source's count is one above the warehouse's.
    control.mutate(object_type="contacts", ids=outside[:1], action="touch", after_requests=2, route="search",
                   modified_at=late_in(DAY))
    result, _ = sync("contacts", client_for(sandbox.hubspot_url, search_page_size=10), warehouse,
                     partition=DAY.isoformat())
    reconciliation = checks_of(result)["reconciliation"]
    assert not reconciliation.passed
    counts = {k: v.value for k, v in reconciliation.metadata.items()}
    assert counts["source_count"] - counts["warehouse_count"] == 1
    assert reconciliation.severity.value == "ERROR"  # 1 of ~50 is above the 1 % threshold
    again, _ = sync("contacts", client_for(sandbox.hubspot_url, search_page_size=10), warehouse,
                    partition=DAY.isoformat())
    assert checks_of(again)["reconciliation"].passed
    assert outside[0] in ids(db, "hubspot.contacts") + list(quarantined(db, "contacts"))


def test_a_daily_limit_429_fails_at_once_instead_of_retrying_for_hours(control, sandbox, warehouse, db):
    control.faults({"route": "search", "status": 429, "policy": "DAILY", "retry_after": 3600})
    started = time.monotonic()
    result, _ = sync("contacts", client_for(sandbox.hubspot_url), warehouse, partition=DAY.isoformat(),
                     raise_on_error=False)
    assert not result.success
    assert "daily API limit reached; not retried" in failure_text(result)
    assert time.monotonic() - started < 30  # Retry-After: 3600 was not honoured
    assert [e["status"] for e in control.stats()["log"] if e["route"] == "search"] == [429]
