"""A paced full refresh reads the list cursor from the lowest id up and search ranges from the highest id
down, each on its own budget (BEHAVIOR.md #22): exact against the sandbox under its rate limits, also when
records change during the read, when search sees writes late, and when search orders ids as text."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from crm_pipelines_tests.sources.hubspot.conftest import client_for, failure_text, ids, quarantined, sync
from crm_pipelines_tests.support import assert_same_keys

FULL = {"full_refresh": True}
ANY_DAY = "2026-11-01"
# The sandbox enforces HubSpot's limits and the client is paced to exactly them, as in the rate-limit
# benchmark. Small pages make a few thousand records many requests on both sides.
LIMITS = {"ten_secondly_limit": 100, "search_per_second": 5, "latency_ms": 60}
PACED = {"requests_per_10s": 100, "search_requests_per_s": 5, "list_page_size": 25, "search_page_size": 50,
         "search_windows_in_flight": 3, "search_index_lag_s": 0.0}


def paced(sandbox, **overrides):
    return client_for(sandbox.hubspot_url, **{**PACED, **overrides})


def by_number(values) -> list[str]:
    return sorted(values, key=int)


def assert_loaded_exactly(db, control, entity: str, object_type: str) -> set[str]:
    expected = control.truth(object_type)
    loaded, bad = ids(db, f"hubspot.{entity}"), set(quarantined(db, entity))
    assert not set(loaded) & bad
    assert_same_keys(loaded + sorted(bad), expected, f"{entity} loaded or quarantined")
    return expected


def assert_no_429(control) -> dict:
    stats = control.stats()
    assert set(stats["statuses"]) == {"200"}, stats["statuses"]
    return stats


@pytest.mark.parametrize("entity,object_type", [("contacts", "contacts"), ("appointments", "appointments")])
def test_both_endpoints_read_every_record_once_without_a_429(control, sandbox, warehouse, db, entity, object_type):
    control.reset(**LIMITS)
    _, meta = sync(entity, paced(sandbox), warehouse, partition=ANY_DAY, config=FULL)
    expected = assert_loaded_exactly(db, control, entity, object_type)
    assert meta["records_fetched"] == len(expected)  # nothing read twice: the sides met without overlapping
    assert 0 < meta["records_via_search"] < len(expected)
    assert meta["records_deleted"] == 0 and meta["retries"] == 0
    requests = assert_no_429(control)["requests"]
    assert requests["list"] > 1 and requests["search"] > 1
    # Every search request carries a page of what is loaded but three: where the sides met, the first page of
    # the range not handed out and the request that found the list past it; and the final search.
    assert requests["search"] <= -(-meta["records_via_search"] // PACED["search_page_size"]) + 3


def test_records_changed_during_the_read_end_as_hubspot_has_them(control, sandbox, warehouse, db):
    """A second full refresh, during which records each side has already read are archived or modified."""
    client = paced(sandbox)
    control.reset(**LIMITS)
    sync("contacts", client, warehouse, partition=ANY_DAY, config=FULL)
    control.reset(**LIMITS)  # the same records; the rate limits' windows start afresh, as the run's limiters do
    before = by_number(control.truth("contacts"))
    # Read by the list's first four pages (25 a page); read by the first search page (the top 50 ids).
    listed, top = before[0:100:20], before[-50::10]
    control.mutate(object_type="contacts", ids=listed[:3], action="archive", after_requests=5, route="list")
    control.mutate(object_type="contacts", ids=listed[3:], action="touch", after_requests=5, route="list")
    control.mutate(object_type="contacts", ids=top[:3], action="archive", after_requests=2, route="search")
    control.mutate(object_type="contacts", ids=top[3:], action="touch", after_requests=2, route="search")
    _, meta = sync("contacts", client, warehouse, partition=ANY_DAY, config=FULL)
    assert control.http.get("/mutations").json()["pending"] == []  # every change happened during the read
    assert_loaded_exactly(db, control, "contacts", "contacts")
    # Read before they were archived, then soft-deleted by the archived listing, which follows every read.
    assert set(ids(db, "hubspot.contacts", deleted=True)) == set(listed[:3] + top[:3])
    assert meta["records_deleted"] == 6
    # The final search re-read the search side's records modified since the read began: their newest version
    # replaced the one the first page had. The list's keep the version it read, as a list-only read does.
    for record_id in top[3:]:
        stored = db.execute("SELECT lastmodifieddate FROM hubspot.contacts WHERE id = %s", (record_id,)).fetchone()[0]
        assert stored == dt.datetime.fromisoformat(control.record("contacts", record_id)["updatedAt"])
    assert_no_429(control)


def test_search_seeing_writes_late_loses_nothing_and_keeps_archived_records_deleted(control, sandbox, warehouse, db):
    """Just before the first search request of a second full refresh, the top records change: three come back
    from the archive (search does not see them yet), three are archived (search still finds them)."""
    lagging = {**LIMITS, "search_index_lag_ms": 1000}
    client = paced(sandbox, search_index_lag_s=2.0)
    control.reset(**lagging)
    sync("contacts", client, warehouse, partition=ANY_DAY, config=FULL)
    control.reset(**lagging)  # the same records; the rate limits' windows start afresh, as the run's limiters do
    unarchived = by_number(control.truth("contacts", archived="true"))[-3:]
    archived = by_number(control.truth("contacts"))[-3:]
    for victims, action in ((unarchived, "unarchive"), (archived, "archive")):
        control.mutate(object_type="contacts", ids=victims, action=action, after_requests=1, route="search")
    _, meta = sync("contacts", client, warehouse, partition=ANY_DAY, config=FULL)
    expected = assert_loaded_exactly(db, control, "contacts", "contacts")
    assert set(unarchived) <= expected  # found by the final search, once search saw them
    # The first search page still had them; the archived listing, read after every search, deleted them.
    assert set(ids(db, "hubspot.contacts", deleted=True)) == set(archived)
    assert meta["records_deleted"] == 3
    assert_no_429(control)


def test_search_ordering_ids_as_text_leaves_the_whole_read_to_the_list(control, sandbox, warehouse, db):
    control.reset(**LIMITS, search_compares_ids_as_text=True)
    _, meta = sync("contacts", paced(sandbox, list_page_size=100), warehouse, partition=ANY_DAY, config=FULL)
    assert_loaded_exactly(db, control, "contacts", "contacts")
    assert "records_via_search" not in meta
    assert assert_no_429(control)["requests"]["search"] == 1  # the first page showed the order


def test_search_breaking_its_order_mid_read_sends_the_list_on_to_its_end(control, sandbox, warehouse, db, caplog):
    """The fifth search answer comes late and in reverse order: by then the list has met the search ranges and
    is waiting for them; it then reads on to its end, so whatever search may have missed is read."""
    control.reset(**{**LIMITS, "latency_ms": 20})
    control.faults({"route": "search", "reverse_page": True, "delay_s": 4.0, "after": 4, "times": 1})
    _, meta = sync("contacts", paced(sandbox, list_page_size=100), warehouse, partition=ANY_DAY, config=FULL)
    expected = assert_loaded_exactly(db, control, "contacts", "contacts")
    assert "search returned ids out of numeric order" in caplog.text
    assert meta["records_fetched"] == len(expected) + meta["records_via_search"]  # the list read all of them
    assert control.stats()["requests"]["list"] == -(-len(expected) // 100) + 1  # + the archived listing's page


def test_a_set_the_list_alone_reads_within_twice_the_index_lag_is_not_split(control, sandbox, warehouse, db):
    control.reset(**LIMITS)
    # 2,900 records at 10 list requests of 100 a second: under 2 x 10 s of the list alone.
    client = paced(sandbox, list_page_size=100, search_index_lag_s=10.0)
    _, meta = sync("contacts", client, warehouse, partition=ANY_DAY, config=FULL)
    assert_loaded_exactly(db, control, "contacts", "contacts")
    assert "records_via_search" not in meta
    assert assert_no_429(control)["requests"]["search"] == 1  # the first page said how many there are


def test_a_failing_search_range_fails_the_run_at_once_and_keeps_nothing(control, sandbox, warehouse, db):
    control.reset(**LIMITS)
    control.faults({"route": "search", "status": 500, "after": 3})
    started = time.monotonic()
    result, _ = sync("contacts", paced(sandbox, max_attempts=2), warehouse, partition=ANY_DAY, config=FULL,
                     raise_on_error=False)
    assert not result.success
    assert "HTTP 500" in failure_text(result)
    assert db.execute("SELECT count(*) FROM hubspot.contacts").fetchone()[0] == 0
    # The list chain stopped with the failing range instead of holding the run up at the meeting point.
    assert time.monotonic() - started < 20
