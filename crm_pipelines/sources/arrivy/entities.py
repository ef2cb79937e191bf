"""The Arrivy entities as EntitySpecs (BEHAVIOR.md says why each is read the way it is)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from crm_pipelines.core.entity import EntitySpec, FetchRequest, FetchWindow, Page
from crm_pipelines.core.http import SourceApiError
from crm_pipelines.core.processing import record_processor
from crm_pipelines.sources.arrivy import schemas
from crm_pipelines.sources.arrivy.resource import ArrivyResource, Records

CRM = "arrivy"
RESOURCE_KEY = "arrivy"
# Warehouse rows are streamed in chunks of this many (bounded memory).
_CHUNK = 500


def _listing(read: Callable[[ArrivyResource], Iterator[Records]]):
    def fetch(client: ArrivyResource, request: FetchRequest) -> Iterator[Page]:
        for records in read(client):
            yield Page(records=records)

    return fetch


def fetch_tasks(client: ArrivyResource, request: FetchRequest) -> Iterator[Page]:
    """Every task (the schedule scan), then the deletion evidence for tasks the scan did not return.

    Arrivy has no "modified since" filter and no deleted-task listing, so each run reads all tasks. A task
    the warehouse holds but the complete scan did not return is asked for alone: a 404 is the deletion
    evidence (soft delete, under the warehouse's mass-deletion guard); a 200 means the scan missed it, and
    the task is loaded from that answer. Only ids are kept across pages, never records.
    """
    seen: set[str] = set()
    for records in client.all_tasks():
        seen.update(str(r.get("id")) for r in records)
        yield Page(records=records)
    absent = [task_id for chunk in request.read_keys(CRM, "tasks", chunk=_CHUNK)
              for task_id in chunk if task_id not in seen]
    if len(absent) > client.max_absent_checks:
        raise SourceApiError(f"the task scan did not return {len(absent)} tasks the warehouse holds (more than "
                             f"max_absent_checks={client.max_absent_checks}); not asking for each: check the scan")
    for start in range(0, len(absent), _CHUNK):
        found, gone = [], []
        for task_id in absent[start:start + _CHUNK]:
            task = client.task(task_id)
            if task is None:
                gone.append((task_id,))
            else:
                found.append(task)
        yield Page(records=found, deleted_keys=gone)


def _utc(value: Any) -> dt.datetime | None:
    """Arrivy's timestamps, naive ones read as UTC (its documented zone); None when unreadable."""
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.replace(tzinfo=dt.timezone.utc) if moment.tzinfo is None else moment


def _in_window(moment: dt.datetime | None, window: FetchWindow) -> bool:
    if window.is_full:
        return True
    return moment is not None and window.start <= moment < window.end


# Each status row records (in `_raw`) the task's `updated` at the time its history was read, so a run can
# tell which tasks changed since their history was last read.
READ_AT_TASK_VERSION = "task_updated"


def _history_versions(request: FetchRequest) -> dict[str, Any]:
    """task id -> the task `updated` at which the warehouse's copy of its history was read."""
    versions: dict[str, Any] = {}
    for chunk in request.read_keys(CRM, "task_statuses", column="_raw", chunk=_CHUNK * 10):
        for status in chunk:
            versions[str(status.get("task_id"))] = status.get(READ_AT_TASK_VERSION)
    return versions


def fetch_task_statuses(client: ArrivyResource, request: FetchRequest) -> Iterator[Page]:
    """The status history of each task changed in the window since its history was last read, one task's
    complete history per page. Tasks come from the warehouse's copy of `arrivy.tasks` (no listing calls);
    a full refresh reads every task's history."""
    window = request.window
    versions = {} if window.is_full else _history_versions(request)
    for chunk in request.read_keys(CRM, "tasks", column="_raw", chunk=_CHUNK):
        for task in chunk:
            task_id, updated = str(task["id"]), task.get("updated")
            if not _in_window(_utc(updated), window) or (updated is not None and versions.get(task_id) == updated):
                continue
            records = [{**status, "task_id": task_id, READ_AT_TASK_VERSION: updated}
                       for statuses in client.task_status_history(task_id) for status in statuses]
            # The history is complete for this task: statuses Arrivy no longer lists are soft-deleted.
            yield Page(records=records, complete_scope=("task_id", [task_id]))


def fetch_location_reports(client: ArrivyResource, request: FetchRequest) -> Iterator[Page]:
    """Readings in the window of each entity whose `lastreading` is not older than the window: an entity
    that reported nothing since costs no call. The entity list is read from Arrivy (a few pages), so the
    last readings are current whatever the `entities` asset's schedule."""
    window = request.window
    # `time` selects readings strictly after it: one second earlier keeps one taken exactly at the window
    # start; the window itself is applied here.
    since = None if window.is_full else window.start - dt.timedelta(seconds=1)
    for entities in client.pages("/entities", client.entities_per_page):
        for entity in entities:
            if not window.is_full:
                last = _utc((entity.get("lastreading") or {}).get("time"))
                if last is None or last < window.start:
                    continue
            entity_id = str(entity["id"])
            for readings in client.readings(entity_id, since):
                records = [{**r, "entity_id": entity_id} for r in readings
                           if window.is_full or _in_window(_utc(r.get("time")), window)]
                if records:
                    yield Page(records=records)


def _spec(name: str, schema, fetch, modified: str, description: str, *, partitioned: bool = False,
          key: tuple[str, ...] = ("id",), deps=(), hourly: bool | None = None, indexes=(),
          deletes_unseen: bool = False) -> EntitySpec:
    return EntitySpec(crm=CRM, name=name, schema=schema, resource_key=RESOURCE_KEY, fetch=fetch,
                      process=record_processor(schema, dict, modified), key=key, partitioned=partitioned,
                      deps=deps, description=description, hourly=hourly, indexes=indexes,
                      deletes_unseen=deletes_unseen)


def _list_spec(name: str, schema, fetch, description: str) -> EntitySpec:
    """A list read in full each run: what it no longer returns was deleted in Arrivy (soft-deleted here)."""
    return _spec(name, schema, fetch, "updated", description + " Rows Arrivy no longer lists are soft-deleted.",
                 deletes_unseen=True)


ENTITIES: list[EntitySpec] = [
    _spec("tasks", schemas.Task, fetch_tasks, "updated",
          "Arrivy tasks: every task at any schedule date, unscheduled and undated ones included, read in full "
          "each run (Arrivy filters tasks by schedule time only); deleted tasks are soft-deleted on a 404.",
          hourly=True),
    _spec("task_statuses", schemas.TaskStatus, fetch_task_statuses, "time",
          "Status history of the tasks changed in the partition (daily, UTC, on the task's `updated`) since "
          "their history was last read.",
          # Each task's history replaces its rows by `task_id`: indexed, or every replacement scans the table.
          partitioned=True, indexes=("task_id",), deps=[[CRM, "tasks"]]),
    _list_spec("bookings", schemas.Booking, _listing(lambda c: c.pages("/bookings", c.bookings_per_page)),
               "Arrivy bookings (self-scheduling records); no modified filter, read in full each run."),
    _list_spec("entities", schemas.Entity, _listing(lambda c: c.pages("/entities", c.entities_per_page)),
               "Arrivy entities (crew members and assets) with their last reading; read in full each run."),
    _list_spec("crews", schemas.Crew, _listing(lambda c: c.pages("/crews", c.crews_per_page)),
               "Arrivy crews with their embedded members; read in full each run."),
    _list_spec("groups", schemas.Group, _listing(lambda c: c.pages("/groups", c.groups_per_page)),
               "Arrivy groups (divisions, partner companies); read in full each run."),
    _list_spec("statuses", schemas.Status, _listing(lambda c: iter([c.statuses()])),
               "Arrivy status definitions; one call returns them all."),
    _spec("location_reports", schemas.LocationReport, fetch_location_reports, "time",
          "Entity location readings, partitioned by reading time (daily, UTC).",
          partitioned=True, key=("entity_id", "time")),
]
