"""Arrivy through Dagster into PostgreSQL against the sandbox emulator: every table equals the emulator's
truth; faults lose nothing; edits at any schedule date, deletions, new statuses and in-flight edits are
right after the next run; a 401 fails at once."""

from __future__ import annotations

import datetime as dt

import httpx

from crm_pipelines.sources.arrivy.resource import AUTH_KEY_ENV, AUTH_TOKEN_ENV
from crm_pipelines_tests.sources.arrivy.conftest import failure_text, sync
from crm_pipelines_tests.sources.arrivy.emulated import KEY, TOKEN, UNPARTITIONED, emulated_client, live_ids
from crm_pipelines_tests.support import assert_same_keys

FULL = {"full_refresh": True}
AUTH = {"X-Auth-Key": KEY, "X-Auth-Token": TOKEN}
DAY = "2026-11-21"


def sync_all(emulated, warehouse) -> None:
    for entity in UNPARTITIONED:
        sync(entity, emulated, warehouse)
    for entity in ("task_statuses", "location_reports"):
        sync(entity, emulated, warehouse, partition=DAY, config=FULL)


def raw_of(db, table: str) -> dict[str, dict]:
    return {str(k): v for k, v in db.execute(f"SELECT id, _raw FROM arrivy.{table} WHERE _deleted_at IS NULL")}


def quarantined(db, entity: str) -> list[str]:
    """Records held back for invalid values (the emulator's data is messy on purpose: bad emails, phones)."""
    return [r[0] for r in db.execute("SELECT source_id FROM arrivy._quarantine WHERE entity = %s "
                                     "AND resolved_at IS NULL", (entity,))]


def assert_exact(control, db, table: str) -> dict[str, dict]:
    """Loaded plus quarantined records are exactly the emulator's live ones; returns the loaded ones."""
    rows = raw_of(db, table)
    assert_same_keys([*rows, *quarantined(db, table)], control.truth(table), f"arrivy.{table}")
    return rows


def assert_tasks_exact(control, db) -> None:
    rows = assert_exact(control, db, "tasks")
    for task_id, raw in rows.items():
        assert raw == control.truth_record("tasks", task_id), task_id


def assert_statuses_exact(control, db, sandbox) -> None:
    """The histories of the tasks the warehouse holds: the emulator's, less those of quarantined tasks
    (a history is read for the tasks in `arrivy.tasks`)."""
    held_back = set()
    with httpx.Client(base_url=f"{sandbox.url_for('arrivy')}/api", headers=AUTH) as api:
        for task_id in quarantined(db, "tasks"):
            held_back |= {str(s["id"]) for s in api.get(f"/tasks/{task_id}/status").json()}
    assert_same_keys(live_ids(db, "task_statuses"), control.truth("task_statuses") - held_back,
                     "arrivy.task_statuses")


def test_every_table_equals_the_emulator(control, sandbox, emulated, warehouse, db):
    sync_all(emulated, warehouse)
    assert_tasks_exact(control, db)
    for table in UNPARTITIONED[1:]:
        rows = assert_exact(control, db, table)
        sample = sorted(rows)[0]
        assert rows[sample] == control.truth_record(table, sample)
    assert_statuses_exact(control, db, sandbox)
    reports = [f"{e}|{t:%Y-%m-%dT%H:%M:%S.%f}" for e, t in db.execute(
        "SELECT entity_id, time AT TIME ZONE 'UTC' FROM arrivy.location_reports WHERE _deleted_at IS NULL")]
    assert_same_keys(reports, control.truth("location_reports"), "arrivy.location_reports")
    # Ids above 2**53 are exact (a float would have rounded the odd ones).
    assert any(int(i) > 2 ** 53 and int(i) % 2 for i in live_ids(db, "tasks"))


def test_429_storms_5xx_and_slow_pages_lose_nothing(control, sandbox, emulated, warehouse, db):
    control.faults({"route": "any", "status": 429, "retry_after": None, "probability": 0.25, "times": 40},
                   {"route": "tasks", "status": 429, "retry_after": 1, "times": 1},
                   {"route": "any", "status": 503, "probability": 0.1, "times": 15},
                   {"route": "any", "status": 500, "probability": 0.05, "times": 5},
                   {"route": "tasks", "delay_s": 0.2, "probability": 0.1, "times": 5})
    sync_all(emulated, warehouse)
    fired = [rule["fired"] for rule in control.http.get("/faults").json()["rules"]]
    assert all(n > 0 for n in fired), fired
    control.faults()
    assert_tasks_exact(control, db)
    assert_statuses_exact(control, db, sandbox)
    assert_exact(control, db, "entities")


def test_edits_at_any_schedule_date_and_a_deletion_are_right_after_the_next_run(control, emulated, warehouse, db):
    sync("tasks", emulated, warehouse)
    ids = sorted(control.truth("tasks"))
    now = dt.datetime.now(dt.timezone.utc).isoformat()
    schedules = {ids[0]: {"start_datetime": "2026-04-10T15:00:00"},  # last spring
                 ids[1]: {"start_datetime": "2027-09-01T10:00:00"},  # next year
                 ids[2]: {"start_datetime": "2009-02-01T10:00:00"},  # before the scan's calendar windows
                 ids[3]: {"unscheduled": "true"},
                 ids[4]: {"start_datetime": None}}  # no datetime at all
    for task_id, fields in schedules.items():
        control.mutate(object_type="tasks", ids=[task_id], action="set", modified_at=now,
                       properties={**fields, "title": f"edited {task_id}"})
    control.mutate(object_type="tasks", ids=[ids[5]], action="archive", modified_at=now)
    _, meta = sync("tasks", emulated, warehouse)
    assert (meta["records_updated"], meta["records_deleted"]) == (5, 1)
    assert_tasks_exact(control, db)
    titles = dict(db.execute("SELECT id, title FROM arrivy.tasks WHERE _deleted_at IS NULL").fetchall())
    assert all(titles[i] == f"edited {i}" for i in schedules if i not in quarantined(db, "tasks"))
    assert db.execute("SELECT _deleted_at IS NOT NULL FROM arrivy.tasks WHERE id = %s", (ids[5],)).fetchone()[0]


def test_a_crew_and_a_group_deleted_in_arrivy_are_soft_deleted_by_the_next_read(control, emulated, warehouse, db):
    for table in ("crews", "groups"):
        sync(table, emulated, warehouse)
        gone = sorted(control.truth(table))[0]
        control.mutate(object_type=table, ids=[gone], action="archive")
        _, meta = sync(table, emulated, warehouse)
        assert meta["records_deleted"] == 1
        assert db.execute(f"SELECT _deleted_at IS NOT NULL FROM arrivy.{table} WHERE id = %s", (gone,)).fetchone()[0]
        assert_exact(control, db, table)


def test_a_new_status_report_reaches_the_history_of_its_day(control, sandbox, emulated, warehouse, db):
    sync("tasks", emulated, warehouse)
    sync("task_statuses", emulated, warehouse, partition=DAY, config=FULL)
    task_id = sorted(control.truth("tasks"))[7]
    control.mutate(object_type="tasks", ids=[task_id], action="touch", modified_at=f"{DAY}T09:30:00Z")
    sync("tasks", emulated, warehouse)
    control.http.post("/stats/reset")
    sync("task_statuses", emulated, warehouse, partition=DAY)
    # The changed task's history was read again; of the others only those with an empty history (which
    # leave no row recording the version they were read at).
    read = {e["path"].split("/")[-2]: e["results"] for e in control.stats()["log"]}
    assert task_id in read and all(n == 0 for other, n in read.items() if other != task_id), read
    assert_statuses_exact(control, db, sandbox)


def test_a_task_edited_while_a_run_is_in_flight_is_right_after_the_next_run(control, emulated, warehouse, db):
    sync("tasks", emulated, warehouse)
    task_id = sorted(control.truth("tasks"))[11]
    control.mutate(object_type="tasks", ids=[task_id], action="set", properties={"title": "edited mid-run",
                   "start_datetime": "2030-01-01T08:00:00"}, after_requests=20, route="tasks")
    sync("tasks", emulated, warehouse)
    assert control.http.get("/mutations").json()["applied"], "the edit never happened mid-run"
    sync("tasks", emulated, warehouse)
    assert_tasks_exact(control, db)


def test_a_401_fails_at_once_naming_the_variables(control, sandbox, warehouse):
    client = emulated_client(f"{sandbox.url_for('arrivy')}/api", auth_token="wrong-token")
    result, _ = sync("tasks", client, warehouse, raise_on_error=False)
    assert not result.success
    text = failure_text(result)
    assert AUTH_KEY_ENV in text and AUTH_TOKEN_ENV in text and "wrong-token" not in text
    assert control.requests("tasks", status=None) == 1
