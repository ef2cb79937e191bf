"""The LeadConduit client against a real HTTP server: keyset paging, day bounds, 401, 429 and 5xx."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from crm_pipelines.core.http import SourceApiError
from crm_pipelines.sources.leadconduit.resource import API_KEY_ENV, LeadConduitAuthError, LeadConduitResource
from crm_pipelines_tests.sources.arrivy.canned import CannedServer, Reply
from crm_pipelines_tests.sources.leadconduit import samples
from crm_pipelines_tests.sources.leadconduit.events_api import EventsApi

KEY = "lc-secret-key-1f1b"
DAY = dt.datetime(2024, 7, 25, tzinfo=dt.timezone.utc)
DAY_MS = int(DAY.timestamp() * 1000)


def client(url: str, **overrides) -> LeadConduitResource:
    settings = {"requests_per_minute": 0, "backoff_base_s": 0.01, "backoff_max_s": 0.02, "timeout_s": 5.0,
                **overrides}
    return LeadConduitResource(base_url=url, api_key=KEY, **settings)


def day_events(count: int) -> list[dict]:
    return [samples.event(samples.object_id(n), start_timestamp=DAY_MS + n * 60_000) for n in range(count)]


def read_ids(resource: LeadConduitResource, start=DAY, end=DAY + dt.timedelta(days=1)) -> list[str]:
    return [e["id"] for page in resource.events(start, end) for e in page]


def test_keyset_pages_oldest_first_until_an_empty_page():
    events = day_events(7)
    with CannedServer(EventsApi(events)) as server:
        ids = read_ids(client(server.url, page_limit=3))
    assert ids == sorted(e["id"] for e in events)
    # The short page (one event) is not trusted as the end: only the empty page after it is.
    assert [s.query.get("after_id") for s in server.seen] == [None, ids[2], ids[5], ids[6]]
    assert all(s.query["sort"] == "asc" and s.query["limit"] == "3" for s in server.seen)
    expected = "Basic " + base64.b64encode(f"API:{KEY}".encode()).decode()
    assert all(s.headers["authorization"] == expected for s in server.seen)


def test_the_day_is_sent_as_utc_bounds_with_an_inclusive_end():
    inside, next_day = day_events(1), [samples.event(samples.object_id(99), start_timestamp=DAY_MS + 86_400_000)]
    with CannedServer(EventsApi(inside + next_day)) as server:
        ids = read_ids(client(server.url))
    assert ids == [inside[0]["id"]]
    assert server.seen[0].query["start"] == "2024-07-25T00:00:00.000Z"
    assert server.seen[0].query["end"] == "2024-07-25T23:59:59.999Z"
    assert server.seen[0].query["limit"] == "1000"


def test_a_server_that_ignores_sort_asc_is_refused():
    with CannedServer(EventsApi(day_events(5), honour_sort=False)) as server:
        with pytest.raises(SourceApiError, match="ascending"):
            read_ids(client(server.url, page_limit=2))


@pytest.mark.parametrize("fault", [Reply(429, {"error": "rate"}, {"Retry-After": "0"}), Reply(503), Reply(500)])
def test_throttling_and_server_errors_never_end_the_day_early(fault):
    api = EventsApi(day_events(7))
    with CannedServer(api) as server:
        resource = client(server.url, page_limit=3)
        pages = resource.events(DAY, DAY + dt.timedelta(days=1))
        first = next(pages)
        api.faults = [fault, fault]
        rest = [e["id"] for page in pages for e in page]
    assert len(first) + len(rest) == 7
    assert resource.call_stats().retries == 2


def test_401_fails_at_once_naming_the_variable_without_the_key():
    with CannedServer(lambda seen: Reply(401, {"message": "Authorization information is missing or invalid"})) as server:
        with pytest.raises(LeadConduitAuthError) as failure:
            read_ids(client(server.url))
    text = str(failure.value)
    assert API_KEY_ENV in text and KEY not in text
    assert base64.b64encode(f"API:{KEY}".encode()).decode() not in text
    assert len(server.seen) == 1
