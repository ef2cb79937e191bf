"""The LeadConduit emulator over real HTTP: Basic auth as `API`, limit/sort/after_id/before_id/start/end,
late events, faults."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from crm_pipelines.sandbox import LeadConduitConfig, Sandbox

KEY = "lc-test-key"
START, END = "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z"


@pytest.fixture(scope="module")
def sandbox():
    config = LeadConduitConfig(api_key=KEY, counts={"events": 2500}, events_start=START, events_end=END)
    with Sandbox(leadconduit=config, port=0) as sb:
        yield sb


@pytest.fixture
def api(sandbox):
    sandbox.leadconduit.reset()
    with httpx.Client(base_url=sandbox.url_for("leadconduit"), auth=("API", KEY), timeout=30) as client:
        yield client


def events(api, **params) -> list[dict]:
    got = api.get("/events", params=params)
    assert got.status_code == 200, got.text
    return got.json()


def walk(api, limit: int, **params) -> tuple[list[dict], int]:
    """Ascending keyset paging until an empty page; (events, requests)."""
    out, after, requests = [], None, 0
    while True:
        page = events(api, sort="asc", limit=limit, **params, **({"after_id": after} if after else {}))
        requests += 1
        if not page:
            return out, requests
        out += page
        after = page[-1]["id"]


def test_basic_auth_as_api_with_the_key(api, sandbox):
    url = sandbox.url_for("leadconduit") + "/events"
    for auth in (None, ("API", "wrong"), ("api", KEY), ("someone", KEY)):
        got = httpx.get(url, auth=auth)
        assert got.status_code == 401 and got.json() == {"message": "Authorization information is missing or invalid"}
    assert api.get("/events").status_code == 200


def test_limit_defaults_to_100_and_stays_within_1_to_1000(api):
    assert len(events(api)) == 100
    assert len(events(api, limit=1000)) == 1000
    for bad in (0, 1001, "x"):
        got = api.get("/events", params={"limit": bad})
        assert got.status_code == 400, bad


def test_sort_defaults_to_newest_first_and_ids_follow_creation_time(api, sandbox):
    newest = events(api, limit=50)
    oldest = events(api, limit=50, sort="asc")
    assert [e["id"] for e in newest] == sorted((e["id"] for e in newest), reverse=True)
    assert [e["id"] for e in oldest] == sorted(e["id"] for e in oldest)
    assert oldest[0]["id"] == sandbox.leadconduit.truth("events")["ids"][0]
    for event in oldest:
        assert len(event["id"]) == 24 and int(event["id"][:8], 16) == event["start_timestamp"] // 1000
    assert api.get("/events", params={"sort": "up"}).status_code == 400


def test_ascending_keyset_paging_reads_every_event_once(api, sandbox):
    read, requests = walk(api, 300)
    assert [e["id"] for e in read] == sandbox.leadconduit.truth("events")["ids"]
    assert requests == 2500 // 300 + 1 + 1  # the last page is short, then the empty one
    # With the default descending sort, after_id does not continue from the cursor: it gives the newest.
    cursor = read[10]["id"]
    assert events(api, limit=5, after_id=cursor) == list(reversed(read))[:5]
    assert events(api, limit=3, sort="asc", after_id=cursor) == read[11:14]  # exclusive
    assert events(api, limit=3, before_id=cursor) == list(reversed(read[7:10]))
    assert api.get("/events", params={"after_id": "not-an-id"}).status_code == 400


def test_start_and_end_are_inclusive_creation_bounds(api):
    read = walk(api, 1000)[0]
    first, last = read[100], read[200]
    iso = lambda ms: dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc).isoformat(timespec="milliseconds")
    window = walk(api, 1000, start=iso(first["start_timestamp"]), end=iso(last["start_timestamp"]))[0]
    assert window[0] == first and window[-1] == last


def test_events_of_a_lead_carry_typed_fields_and_steps(api, sandbox):
    page = events(api, sort="asc", limit=30)
    assert {e["type"] for e in page} == {"source", "recipient", "filter"}
    by_lead = {}
    for e in page:
        by_lead.setdefault(e["vars"]["lead"]["id"], []).append(e["type"])
    assert any(len(steps) > 1 for steps in by_lead.values())
    lead = page[0]["vars"]["lead"]
    assert {"normal", "raw"} <= set(lead["email"]) and {"normal", "raw", "area"} <= set(lead["phone_1"])
    assert lead["id"] != page[0]["id"] and "owner_hge" in lead
    sources = sandbox.leadconduit.truth("leads")["ids"]
    assert {e["id"] for e in page if e["type"] == "source"} <= set(sources)


def test_a_late_event_appears_with_an_id_older_than_events_already_listed(api, sandbox):
    truth = sandbox.leadconduit.truth("events")["ids"]
    late = truth[1000]
    sandbox.leadconduit.mutate(object_type="events", ids=[late], action="archive")
    assert late not in [e["id"] for e in walk(api, 1000)[0]]
    cursor = truth[-1]
    assert events(api, sort="asc", after_id=cursor) == []
    sandbox.leadconduit.mutate(object_type="events", ids=[late], action="unarchive")
    # A reader that kept the cursor never sees it; re-reading the window does.
    assert events(api, sort="asc", after_id=cursor) == []
    assert late in [e["id"] for e in walk(api, 1000)[0]]
    with pytest.raises(ValueError, match="immutable"):
        sandbox.leadconduit.mutate(object_type="events", ids=[late], action="touch")


def test_faults_and_a_short_page_whose_cursor_loses_nothing(api, sandbox):
    sandbox.leadconduit.set_faults([{"route": "events", "status": 429, "retry_after": 1, "times": 1},
                                    {"route": "events", "status": 502, "times": 1},
                                    {"route": "events", "short_page": 7, "times": 2}])
    assert api.get("/events").status_code == 429 and api.get("/events").status_code == 502
    read, _ = walk(api, 1000)
    assert [e["id"] for e in read] == sandbox.leadconduit.truth("events")["ids"]
    assert [s for s in sandbox.leadconduit.stats()["log"] if s.get("results") == 7]
