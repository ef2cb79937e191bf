"""The Arrivy emulator over real HTTP: auth, page-number paging and its end, schedule windows, ids, writes,
faults."""

from __future__ import annotations

import json

import httpx
import pytest

from crm_pipelines.sandbox import ArrivyConfig, Sandbox

KEY, TOKEN = "k-test", "t-test"
AUTH = {"X-Auth-Key": KEY, "X-Auth-Token": TOKEN}
COUNTS = {"tasks": 1200, "entities": 12, "groups": 3, "crews": 2, "statuses": 13, "bookings": 30}


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(arrivy=ArrivyConfig(auth_key=KEY, auth_token=TOKEN, counts=COUNTS, implicit_cap=300), port=0) as sb:
        yield sb


@pytest.fixture
def api(sandbox):
    sandbox.arrivy.reset()
    with httpx.Client(base_url=sandbox.url_for("arrivy") + "/api", headers=AUTH, timeout=30) as client:
        yield client


def walk(api, path: str, per_page: int, **params) -> tuple[list[dict], int]:
    """Every page until a short one; returns (records, requests)."""
    records, page = [], 1
    while True:
        got = api.get(path, params={**params, "page": page, "items_per_page": per_page})
        assert got.status_code == 200, got.text
        records += got.json()
        if len(got.json()) < per_page:
            return records, page
        page += 1


EVERYTHING = {"from": "1970-01-01T00:00:00Z", "to": "2200-01-01T00:00:00Z"}


def test_both_auth_headers_are_required(api):
    assert api.get("/tasks", params=EVERYTHING).status_code == 200
    for headers in ({"X-Auth-Key": KEY}, {"X-Auth-Token": TOKEN}, {"X-Auth-Key": KEY, "X-Auth-Token": "wrong"}):
        got = httpx.get(str(api.base_url).rstrip("/") + "/tasks", headers=headers)
        assert got.status_code == 401 and got.json()["message"] == "UNAUTHORIZED"


def test_pages_are_bare_arrays_ending_on_a_short_page_and_page_size_is_ignored(api, sandbox):
    tasks, requests = walk(api, "/tasks", 97, **EVERYTHING)
    ids = [t["id"] for t in tasks]
    assert len(ids) == len(set(ids)) and requests == len(ids) // 97 + 1
    scheduled = {t["id"] for t in tasks}
    assert all(t["start_datetime"] for t in tasks)
    live = set(map(int, sandbox.arrivy.truth("tasks")["ids"]))
    assert scheduled < live and len(live - scheduled) > 0  # unscheduled and undated ones are not in windows
    assert len(api.get("/tasks", params={**EVERYTHING, "page_size": 5}).json()) == 500  # items_per_page default
    assert api.get("/tasks", params={**EVERYTHING, "page": 99}).json() == []


def test_windows_select_by_schedule_time_and_flags_add_the_other_kinds(api, sandbox):
    every = {t["id"]: t for t in walk(api, "/tasks", 500, **EVERYTHING)[0]}
    unscheduled = {t["id"] for t in walk(api, "/tasks", 500, unscheduled="true", **EVERYTHING)[0]} - set(every)
    undated = {t["id"] for t in walk(api, "/tasks", 500, tasks_with_no_datetime="true", **EVERYTHING)[0]} - set(every)
    assert unscheduled and undated and not unscheduled & undated
    live = set(map(int, sandbox.arrivy.truth("tasks")["ids"]))
    assert set(every) | unscheduled | undated == live
    for task_id in unscheduled:
        assert api.get(f"/tasks/{task_id}").json()["unscheduled"] is True
    # `from`/`to` are schedule bounds (both inclusive), whatever the task's `updated`.
    task = next(iter(every.values()))
    start = task["start_datetime"] + "Z"
    inside = [t["id"] for t in walk(api, "/tasks", 500, **{"from": start, "to": start})[0]]
    assert task["id"] in inside and all(every[i]["start_datetime"] == task["start_datetime"] for i in inside)
    by_update = walk(api, "/tasks", 500, **{"from": task["updated"] + "Z", "to": task["updated"] + "Z"})[0]
    assert task["id"] not in {t["id"] for t in by_update}
    # Without a window, at most implicit_cap scheduled tasks come back (a client must pass from/to).
    assert len(walk(api, "/tasks", 500)[0]) == 300


def test_an_unencoded_plus_in_a_window_bound_is_refused(api):
    got = api.get("/tasks?from=2026-01-01T00:00:00+00:00&to=2026-02-01T00:00:00%2B00:00")
    assert got.status_code == 400 and got.json()["message"] == "INVALID_INPUT"


def test_ids_are_16_digit_integers_some_beyond_float_precision(api):
    raw = api.get("/tasks", params={**EVERYTHING, "items_per_page": 1000}).text
    ids = [t["id"] for t in json.loads(raw)]
    assert all(len(str(i)) == 16 for i in ids)
    big = [i for i in ids if i > 2 ** 53 and int(float(i)) != i]
    assert big and all(str(i) in raw for i in big)
    task = json.loads(raw)[0]
    assert task["updated"].count(".") == 1 and len(task["updated"].split(".")[1]) == 6  # naive, µs
    assert task["start_datetime_original_iso_str"][-6] in "+-" and task["start_datetime_timezone"]


def test_edit_delete_and_status_report(api, sandbox):
    every = walk(api, "/tasks", 500, **EVERYTHING)[0]
    edited, deleted, reported = (str(t["id"]) for t in every[:3])
    sandbox.arrivy.mutate(object_type="tasks", ids=[edited], action="set", modified_at="2026-12-01T10:00:00Z",
                          properties={"start_datetime": "2031-05-01T09:00:00", "title": "moved"})
    moved = api.get(f"/tasks/{edited}").json()
    assert (moved["title"], moved["start_datetime"], moved["updated"][:19]) == \
        ("moved", "2031-05-01T09:00:00", "2026-12-01T10:00:00")
    window = {"from": "2031-05-01T00:00:00Z", "to": "2031-05-02T00:00:00Z"}
    assert int(edited) in {t["id"] for t in walk(api, "/tasks", 500, **window)[0]}
    sandbox.arrivy.mutate(object_type="tasks", ids=[deleted], action="archive")
    assert api.get(f"/tasks/{deleted}").status_code == 404
    assert int(deleted) not in {t["id"] for t in walk(api, "/tasks", 500, **EVERYTHING)[0]}
    before = api.get(f"/tasks/{reported}/status").json()
    sandbox.arrivy.mutate(object_type="tasks", ids=[reported], action="touch", modified_at="2026-12-01T11:00:00Z")
    after = api.get(f"/tasks/{reported}/status").json()
    assert after[:-1] == before and after[-1]["time"].startswith("2026-12-01T11:00:00")
    assert api.get(f"/tasks/{reported}").json()["updated"].startswith("2026-12-01T11:00:00")
    assert set(sandbox.arrivy.truth("task_statuses", "2026-12-01T11:00:00Z", "2026-12-01T11:00:01Z")["ids"]) \
        == {str(s["id"]) for s in after}


def test_status_history_pages_and_readings_after_a_time(api, sandbox):
    every = walk(api, "/tasks", 500, **EVERYTHING)[0]
    task = next(t for t in every if len(api.get(f"/tasks/{t['id']}/status").json()) >= 3)
    history = api.get(f"/tasks/{task['id']}/status").json()
    paged, _ = walk(api, f"/tasks/{task['id']}/status", 2)
    assert paged == history
    entity = api.get("/entities").json()[0]
    readings, _ = walk(api, f"/entities/{entity['id']}/readings", 7)
    assert len(readings) == 30 and readings[-1] == entity["lastreading"]
    after = api.get(f"/entities/{entity['id']}/readings", params={"time": readings[9]["time"]}).json()
    assert after == readings[10:]
    truth = sandbox.arrivy.truth("location_reports")["ids"]
    assert f"{entity['id']}|{readings[0]['time']}" in truth and len(truth) == 12 * 30


def test_the_other_lists(api):
    assert len(api.get("/statuses", params={"items_per_page": 2}).json()) == 13  # all at once
    crews = api.get("/crews").json()
    assert len(crews) == 2 and all(c["entities_data"] and c["entity_ids"] == [e["id"] for e in c["entities_data"]]
                                   for c in crews)
    assert len(walk(api, "/bookings", 7)[0]) == 30 and len(api.get("/groups").json()) == 3


def test_faults_429_with_and_without_retry_after_5xx_and_delay(api, sandbox):
    sandbox.arrivy.set_faults([{"route": "tasks", "status": 429, "retry_after": 2, "times": 1},
                               {"route": "tasks", "status": 429, "retry_after": None, "times": 1},
                               {"route": "tasks", "status": 503, "times": 1},
                               {"route": "statuses", "delay_s": 0.3, "times": 1}])
    first, second, third = (api.get("/tasks", params=EVERYTHING) for _ in range(3))
    assert (first.status_code, first.headers.get("retry-after")) == (429, "2")
    assert (second.status_code, second.headers.get("retry-after")) == (429, None)
    assert third.status_code == 503
    assert api.get("/tasks", params=EVERYTHING).status_code == 200
    slow = api.get("/statuses")
    assert slow.status_code == 200 and slow.elapsed.total_seconds() >= 0.3
    with pytest.raises(ValueError, match="short_page"):
        sandbox.arrivy.set_faults([{"route": "tasks", "short_page": 3}])
