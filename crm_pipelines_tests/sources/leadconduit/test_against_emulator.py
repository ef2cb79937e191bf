"""LeadConduit leads through Dagster into PostgreSQL against the sandbox emulator: the table equals the
emulator's source events exactly; faults lose nothing; a late event with an older id is in after the next
run; a 401 fails at once."""

from __future__ import annotations

from crm_pipelines.sources.leadconduit.resource import API_KEY_ENV
from crm_pipelines_tests.sources.leadconduit.conftest import emulated_client, stored, sync_leads
from crm_pipelines_tests.support import assert_same_keys


def test_a_partition_holds_exactly_the_source_events_of_its_window(control, emulated, warehouse, db):
    _, meta = sync_leads(emulated, warehouse)
    assert_same_keys(stored(db), control.leads(), "leadconduit.leads")
    row = db.execute("SELECT id, _raw FROM leadconduit.leads LIMIT 1").fetchone()
    assert row[1] == control.truth_record("events", row[0])
    # One request per 1,000 events of the window (and the short last page ends the read).
    assert meta["api_calls"] == control.requests("events")


def test_a_full_refresh_reads_every_source_event(control, emulated, warehouse, db):
    sync_leads(emulated, warehouse, config={"full_refresh": True})
    assert_same_keys(stored(db), control.truth_ids("leads"), "leadconduit.leads")


def test_429_storms_and_5xx_lose_nothing(control, sandbox, warehouse, db):
    # At most 7 injected failures in all, so no request can exhaust the client's 8 attempts.
    control.faults({"route": "events", "status": 429, "retry_after": None, "probability": 0.4, "times": 3},
                   {"route": "events", "status": 429, "retry_after": 1, "times": 1, "after": 3},
                   {"route": "events", "status": 503, "probability": 0.3, "times": 2},
                   {"route": "events", "status": 502, "times": 1, "after": 6},
                   {"route": "events", "delay_s": 0.3, "times": 1, "after": 8})
    sync_leads(emulated_client(sandbox.url_for("leadconduit"), page_limit=200), warehouse,
               config={"full_refresh": True})
    rules = control.http.get("/faults").json()["rules"]
    assert all(rule["fired"] for rule in rules), rules
    assert_same_keys(stored(db), control.truth_ids("leads"), "leadconduit.leads")


def test_a_late_event_with_an_older_id_is_in_after_the_next_run(control, emulated, warehouse, db):
    leads = sorted(control.leads())
    late = leads[len(leads) // 2]  # older than half the window's leads
    control.mutate(object_type="events", ids=[late], action="archive")  # still in flight
    sync_leads(emulated, warehouse)
    assert late not in stored(db)
    control.mutate(object_type="events", ids=[late], action="unarchive")  # arrives now, with its old id
    _, meta = sync_leads(emulated, warehouse)
    assert late in stored(db) and meta["records_created"] == 1
    assert_same_keys(stored(db), control.leads(), "leadconduit.leads")


def test_an_event_arriving_while_a_run_is_in_flight_is_in_after_the_next_run(control, emulated, warehouse, db):
    leads = sorted(control.leads())
    late = leads[10]  # on the first page: the in-flight run has already read past it when it arrives
    control.mutate(object_type="events", ids=[late], action="archive")
    control.mutate(object_type="events", ids=[late], action="unarchive", after_requests=2, route="events",
                   request_object_type="events")
    sync_leads(emulated, warehouse)
    assert late not in stored(db)
    sync_leads(emulated, warehouse)
    assert_same_keys(stored(db), control.leads(), "leadconduit.leads")


def test_short_and_slow_pages_lose_nothing(control, emulated, warehouse, db):
    # Short pages mid-stream (an empty one would be the end for any client: not injected).
    control.faults({"route": "events", "short_page": 40, "times": 2, "after": 1},
                   {"route": "events", "delay_s": 0.3, "times": 2})
    sync_leads(emulated, warehouse, config={"full_refresh": True})
    assert [rule["fired"] for rule in control.http.get("/faults").json()["rules"]] == [2, 2]
    assert_same_keys(stored(db), control.truth_ids("leads"), "leadconduit.leads")


def test_a_401_fails_at_once_naming_the_variable(control, sandbox, warehouse):
    client = emulated_client(sandbox.url_for("leadconduit"), api_key="wrong-key")
    result, _ = sync_leads(client, warehouse, raise_on_error=False)
    assert not result.success
    text = "\n".join(e.event_specific_data.error.to_string() for e in result.get_step_failure_events())
    assert API_KEY_ENV in text and "wrong-key" not in text
    assert control.requests("events", status=None) == 1
