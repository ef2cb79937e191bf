"""Arrivy entities read per parent (task status history, location reports) and the plain lists, into
PostgreSQL: only parents changed since their last read, in the partition, cost calls."""

from __future__ import annotations

import copy

from crm_pipelines.core.warehouse import Warehouse

from crm_pipelines_tests.sources.arrivy import samples
from crm_pipelines_tests.sources.arrivy.conftest import FIRST_TASK, edited, sync

DAY = "2026-11-20"


def status(status_id: int, kind: str, time: str) -> dict:
    return {**copy.deepcopy(samples.STATUS), "id": status_id, "type": kind, "time": time}


def test_status_history_is_read_only_for_tasks_changed_in_the_partition(api, server, arrivy, warehouse, db):
    changed = [FIRST_TASK + 100, FIRST_TASK + 101]
    for task_id in changed:
        api.tasks[task_id] = edited(api.tasks[task_id], updated=f"{DAY}T09:30:00.250000")
    api.histories[changed[0]] = [status(5910974510923776, "STARTED", f"{DAY}T09:00:00"),
                                 status(5910974510923777, "COMPLETE", f"{DAY}T09:29:59.999999")]
    api.histories[changed[1]] = [status(5910974510923778, "ENROUTE", f"{DAY}T08:00:00")]
    api.histories[FIRST_TASK + 102] = [status(5910974510923779, "ENROUTE", "2025-06-01T08:00:00")]
    sync("tasks", arrivy, warehouse)
    server.seen.clear()

    _, meta = sync("task_statuses", arrivy, warehouse, partition=DAY)
    assert sorted(server.paths()) == sorted(f"/api/tasks/{t}/status" for t in changed)
    rows = db.execute("SELECT id, task_id, type, time FROM arrivy.task_statuses ORDER BY id").fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("5910974510923776", str(changed[0]), "STARTED"), ("5910974510923777", str(changed[0]), "COMPLETE"),
        ("5910974510923778", str(changed[1]), "ENROUTE")]
    assert rows[1][3].microsecond == 999999
    assert meta["records_created"] == 3

    # The next run asks for no history: no task changed since its history was read.
    server.seen.clear()
    _, meta = sync("task_statuses", arrivy, warehouse, partition=DAY)
    assert server.paths() == [] and (meta["records_created"], meta["records_updated"]) == (0, 0)

    # A task changed again is read again, alone. Its history is complete on each read: a status Arrivy no
    # longer lists is soft-deleted (one of three rows is over the default 5 % guard, hence the wider share
    # for this small table).
    api.tasks[changed[0]] = edited(api.tasks[changed[0]], updated=f"{DAY}T11:00:00")
    api.histories[changed[0]] = api.histories[changed[0]][1:]
    sync("tasks", arrivy, warehouse)
    server.seen.clear()
    _, meta = sync("task_statuses", arrivy, Warehouse(url=warehouse.url, max_delete_share=0.5), partition=DAY)
    assert server.paths() == [f"/api/tasks/{changed[0]}/status"]
    assert meta["records_deleted"] == 1
    gone = db.execute("SELECT id FROM arrivy.task_statuses WHERE _deleted_at IS NOT NULL").fetchall()
    assert gone == [("5910974510923776",)]


def test_location_reports_are_read_only_for_entities_that_reported_in_the_partition(api, server, arrivy,
                                                                                     warehouse, db):
    active, quiet = 6473924464345088, 6473924464345089
    api.lists["entities"] = [
        {**samples.ENTITY, "id": active, "lastreading": {**samples.ENTITY["lastreading"], "time": f"{DAY}T17:59:58.848640"}},
        {**samples.ENTITY, "id": quiet, "lastreading": {**samples.ENTITY["lastreading"], "time": "2026-10-01T10:00:00"}},
    ]
    api.readings[active] = [{**samples.READING, "time": "2026-11-19T23:44:59.999999"},
                            {**samples.READING, "time": f"{DAY}T17:59:58.848640"},
                            {**samples.READING, "time": f"{DAY}T17:59:58.848641"},
                            {**samples.READING, "time": "2026-11-21T00:00:00.000001"}]

    _, meta = sync("location_reports", arrivy, warehouse, partition=DAY)
    assert server.paths() == ["/api/entities", f"/api/entities/{active}/readings"]
    # The partition start less the 15-minute lookback, less a second (Arrivy reads strictly after `time`).
    assert server.seen[1].query["time"] == "2026-11-19T23:44:59+00:00"
    rows = db.execute("SELECT entity_id, time FROM arrivy.location_reports ORDER BY time").fetchall()
    assert [(r[0], r[1].isoformat()) for r in rows] == [
        (str(active), f"{DAY}T17:59:58.848640+00:00"), (str(active), f"{DAY}T17:59:58.848641+00:00")]
    assert meta["records_created"] == 2


def test_the_plain_lists_load_in_full(api, arrivy, warehouse, db):
    api.lists["groups"] = [{"id": 6100296669331456 + i, "name": f"Division {i}", "exact_location": {"lat": 1, "lng": 2},
                            "updated": "2026-01-01T00:00:00"} for i in range(150)]
    api.lists["statuses"] = [{"id": 5000000000000001, "title": "On our way", "type": "ENROUTE", "order": 2,
                              "is_active": True, "updated": "2026-01-01T00:00:00"}]
    api.lists["crews"] = [{"id": 5000000000000100, "name": "Crew A", "entities_data": [samples.ENTITY]}]
    api.lists["bookings"] = [{"id": 5000000000000200, "title": "Booked", "start_datetime": "2026-12-10T15:00:00",
                              "customer_email": "a@b.co"}]
    api.lists["entities"] = [samples.ENTITY]
    for entity, count in (("groups", 150), ("statuses", 1), ("crews", 1), ("bookings", 1), ("entities", 1)):
        _, meta = sync(entity, arrivy, warehouse)
        assert meta["records_created"] == count, entity
        assert meta["dagster/row_count"] == count, entity
    assert db.execute('SELECT "order", type FROM arrivy.statuses').fetchone() == (2, "ENROUTE")
    assert db.execute("SELECT entities_data->0->>'name' FROM arrivy.crews").fetchone() == ("Alex Crew",)
