"""The Arrivy client against a real HTTP server: paging, termination, the schedule scan, 401, 429, 5xx."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from crm_pipelines.core.http import SourceApiError
from crm_pipelines.sources.arrivy.resource import (
    AUTH_KEY_ENV, AUTH_TOKEN_ENV, EARLIEST_SCHEDULE, LATEST_SCHEDULE, ArrivyAuthError, ArrivyResource,
)
from crm_pipelines_tests.sources.arrivy.canned import CannedServer, Reply, Seen

KEY, TOKEN = "ak-test-key-77", "at-secret-token-99"


def client(url: str, **overrides) -> ArrivyResource:
    settings = {"requests_per_minute": 0, "backoff_base_s": 0.01, "backoff_max_s": 0.02, "timeout_s": 5.0,
                **overrides}
    return ArrivyResource(base_url=f"{url}/api", auth_key=KEY, auth_token=TOKEN, **settings)


def numbered(count: int, start: int = 5348024557502464) -> list[dict]:
    return [{"id": start + i} for i in range(count)]


def paged(records: list[dict]):
    """A list endpoint that honours page/items_per_page, as Arrivy documents."""
    def route(seen: Seen) -> Reply:
        page, size = int(seen.query.get("page", 1)), int(seen.query.get("items_per_page", 500))
        return Reply(body=records[(page - 1) * size: page * size])
    return route


def test_pages_send_items_per_page_and_end_on_a_short_page():
    records = numbered(250)
    with CannedServer(paged(records)) as server:
        pages = list(client(server.url, groups_per_page=100).pages("/groups", 100))
    assert [len(p) for p in pages] == [100, 100, 50]
    assert [s.query["page"] for s in server.seen] == ["1", "2", "3"]
    assert all(s.query["items_per_page"] == "100" and "page_size" not in s.query for s in server.seen)
    assert all(s.path == "/api/groups" for s in server.seen)
    assert all((s.headers["x-auth-key"], s.headers["x-auth-token"]) == (KEY, TOKEN) for s in server.seen)


def test_an_exact_multiple_ends_on_the_empty_page():
    with CannedServer(paged(numbered(200))) as server:
        pages = list(client(server.url).pages("/groups", 100))
    assert [len(p) for p in pages] == [100, 100]
    assert len(server.seen) == 3  # the empty third page is the end signal


def test_records_without_ids_page_on():
    # Readings carry no id: two full pages must not look alike just because their ids are all missing.
    readings = [{"lat": 47.6, "lng": -122.3, "time": f"2025-06-02T17:{n // 60:02d}:{n % 60:02d}.848640"}
                for n in range(250)]
    with CannedServer(paged(readings)) as server:
        pages = list(client(server.url).pages("/entities/1/readings", 100))
    assert [len(p) for p in pages] == [100, 100, 50]


def test_sixteen_digit_ids_arrive_as_exact_integers():
    with CannedServer(paged([{"id": 9007199254740993}])) as server:
        (page,) = client(server.url).pages("/tasks", 500)
    assert page[0]["id"] == 9007199254740993 and isinstance(page[0]["id"], int)


def test_a_page_that_ignores_page_numbers_fails_instead_of_looping():
    first = numbered(100)
    with CannedServer(lambda seen: Reply(body=first)) as server:
        with pytest.raises(SourceApiError, match="repeats page 1"):
            list(client(server.url).pages("/entities", 100))
    assert len(server.seen) == 2


def test_an_endpoint_that_ignores_paging_entirely_is_read_once():
    everything = numbered(458)
    with CannedServer(lambda seen: Reply(body=everything)) as server:
        pages = list(client(server.url).pages("/entities", 100))
    assert len(pages) == 1 and len(pages[0]) == 458


def test_the_task_scan_covers_all_schedule_time_and_asks_for_unscheduled_and_undated_tasks():
    now = dt.datetime(2026, 12, 2, 6, 0, tzinfo=dt.timezone.utc)
    resource = client("http://127.0.0.1:1", schedule_start="2024-01-01", schedule_window_days=365,
                      schedule_horizon_days=400)
    windows = resource.schedule_windows(now)
    assert windows[0][0] == EARLIEST_SCHEDULE and windows[-1][1] == LATEST_SCHEDULE
    for (_, end), (start, _) in zip(windows, windows[1:]):
        assert start < end  # overlapping: a task scheduled on a boundary is in a window
    assert any(start <= now + dt.timedelta(days=400) <= end for start, end in windows)

    scheduled = {1: "2025-06-02T16:00:00+00:00", 4: "2027-08-01T09:00:00+00:00", 5: "1999-01-01T00:00:00+00:00",
                 6: windows[3][0].isoformat(), 7: windows[3][1].isoformat()}

    def route(seen: Seen) -> Reply:  # Arrivy's semantics: from/to select by schedule time
        if seen.query.get("unscheduled") == "true":
            return Reply(body=[{"id": 2}])
        if seen.query.get("tasks_with_no_datetime") == "true":
            return Reply(body=[{"id": 3}])
        low, high = (dt.datetime.fromisoformat(seen.query[k]) for k in ("from", "to"))
        return Reply(body=[{"id": i} for i, at in scheduled.items()
                           if low < dt.datetime.fromisoformat(at) < high])  # even if both bounds were exclusive

    with CannedServer(route) as server:
        ids = {r["id"] for page in client(server.url, schedule_start="2024-01-01", schedule_window_days=365,
                                           schedule_horizon_days=400).all_tasks(now) for r in page}
    assert ids == {1, 2, 3, 4, 5, 6, 7}
    windowed = [s for s in server.seen if "from" in s.query]
    assert len(windowed) == len(windows)
    # `+00:00` must reach Arrivy percent-encoded, or it reads the `+` as a space.
    assert all("%2B00%3A00" in s.raw_query and s.query["from"].endswith("+00:00") for s in windowed)
    assert all(s.query["items_per_page"] == "500" for s in server.seen)


def test_401_fails_at_once_naming_the_variables_without_the_secrets():
    with CannedServer(lambda seen: Reply(401, {"message": "UNAUTHORIZED"})) as server:
        with pytest.raises(ArrivyAuthError) as failure:
            list(client(server.url).pages("/tasks", 500))
    text = str(failure.value)
    assert AUTH_KEY_ENV in text and AUTH_TOKEN_ENV in text
    assert KEY not in text and TOKEN not in text
    assert len(server.seen) == 1


def test_429_waits_for_retry_after():
    answers = iter([Reply(429, {"message": "slow down"}, {"Retry-After": "1"})])

    def route(seen: Seen) -> Reply:
        return next(answers, Reply(body=[{"id": 1}]))

    with CannedServer(route) as server:
        resource = client(server.url)
        started = time.monotonic()
        pages = list(resource.pages("/groups", 100))
        waited = time.monotonic() - started
    assert pages == [[{"id": 1}]]
    assert waited >= 1.0
    assert resource.call_stats().retries == 1


def test_5xx_and_dropped_answers_are_retried():
    answers = iter([Reply(503), Reply(500, {"description": "oops"})])
    with CannedServer(lambda seen: next(answers, Reply(body=[]))) as server:
        assert list(client(server.url).pages("/groups", 100)) == []
    assert len(server.seen) == 3


def test_a_timed_out_request_is_retried():
    calls = []

    def route(seen: Seen) -> Reply:
        calls.append(seen)
        if len(calls) == 1:
            time.sleep(1.0)  # the server stalls past the client's timeout once
        return Reply(body=[{"id": 1}])

    with CannedServer(route) as server:
        resource = client(server.url, timeout_s=0.3)
        assert list(resource.pages("/groups", 100)) == [[{"id": 1}]]
    assert len(calls) == 2 and resource.call_stats().retries == 1


def test_a_deleted_task_reads_as_none_and_a_live_one_as_itself():
    def route(seen: Seen) -> Reply:
        if seen.path == "/api/tasks/5348024557502464":
            return Reply(body={"id": 5348024557502464, "title": "x"})
        return Reply(404, {"message": "NOT_FOUND", "description": "Task not found"})

    with CannedServer(route) as server:
        resource = client(server.url)
        assert resource.task("5348024557502464")["title"] == "x"
        assert resource.task("5348024557502465") is None
