"""Arrivy REST client resource: X-Auth-Key/X-Auth-Token, page-number paging over bare arrays, the
schedule-window scan of tasks (see BEHAVIOR.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from dagster import Failure
from pydantic import field_validator

from crm_pipelines.core.config_rules import at_least_one, between
from crm_pipelines.core.http import HeaderAuth, HttpSourceResource, SourceApiError
from crm_pipelines.core.ratelimit import Budget

AUTH_KEY_ENV = "ARRIVY_AUTH_KEY"
AUTH_TOKEN_ENV = "ARRIVY_AUTH_TOKEN"
BASE_URL_ENV = "ARRIVY_BASE_URL"
DEFAULT_BASE_URL = "https://app.arrivy.com/api"

# The schedule scan's outer windows reach these, so no schedule time falls outside every window.
EARLIEST_SCHEDULE = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
LATEST_SCHEDULE = dt.datetime(2200, 1, 1, tzinfo=dt.timezone.utc)
# Adjacent windows overlap by this much: whether Arrivy's `to` is inclusive is not documented, and a task
# scheduled exactly on a boundary must be in at least one window (a duplicate is harmless).
WINDOW_OVERLAP = dt.timedelta(minutes=1)

Records = list[dict[str, Any]]


class ArrivyAuthError(Failure):
    """Arrivy answered 401: the credentials are wrong. Names the variables, never their values."""


class ArrivyResource(HttpSourceResource):
    base_url: str = DEFAULT_BASE_URL
    auth_key: str
    auth_token: str
    # Arrivy documents no rate limit; integrators assume 30 requests a minute. 0 turns pacing off.
    requests_per_minute: int = 30
    # items_per_page defaults documented per endpoint: tasks 500, task status history and groups 100.
    tasks_per_page: int = 500
    statuses_per_page: int = 100
    groups_per_page: int = 100
    entities_per_page: int = 100
    crews_per_page: int = 100
    bookings_per_page: int = 100
    readings_per_page: int = 100
    # The schedule scan: calendar windows of `schedule_window_days` from `schedule_start` to
    # `schedule_horizon_days` past now, plus one window before and one after reaching any date.
    schedule_start: str = "2015-01-01"  # YYYY-MM-DD
    schedule_window_days: int = 92
    schedule_horizon_days: int = 1830
    # After a complete read, tasks the warehouse holds but the read did not return are asked for one by
    # one; more than this many means the listing itself is suspect, and the run fails instead.
    max_absent_checks: int = 1000

    _pages_in_range = field_validator(
        "tasks_per_page", "statuses_per_page", "groups_per_page", "entities_per_page", "crews_per_page",
        "bookings_per_page", "readings_per_page")(between(1, 1000))
    _positive_days = field_validator("schedule_window_days", "schedule_horizon_days")(at_least_one)
    _budget_not_negative = field_validator("requests_per_minute", "max_absent_checks")(between(0, 1_000_000))

    @field_validator("schedule_start")
    @classmethod
    def _a_date(cls, value: str) -> str:
        dt.date.fromisoformat(value)  # a ValueError names the bad value
        return value

    def setup_for_execution(self, context) -> None:
        for name, value in ((AUTH_KEY_ENV, self.auth_key), (AUTH_TOKEN_ENV, self.auth_token)):
            if not value.strip():
                raise Failure(f"{name} is empty: set it to the Arrivy API credential (Settings > Integrations)")

    def auth(self) -> HeaderAuth:
        return HeaderAuth({"X-Auth-Key": self.auth_key, "X-Auth-Token": self.auth_token})

    def secret_values(self) -> list[str]:
        return [self.auth_key, self.auth_token]

    def budgets(self) -> dict[str, Budget]:
        return {"general": Budget(self.requests_per_minute, 60.0)}  # one budget for every endpoint

    def _get(self, path: str, params: dict[str, Any] | None = None,
             accept: tuple[int, ...] = (200,)) -> tuple[int, Any]:
        try:
            return self.http.request_json("GET", path, params=params, limiter=self.limiter("general"),
                                         accept=accept)
        except SourceApiError as exc:
            if exc.status == 401:
                raise ArrivyAuthError(f"Arrivy rejected the credentials (HTTP 401 on GET {path}): check "
                                      f"{AUTH_KEY_ENV} (X-Auth-Key) and {AUTH_TOKEN_ENV} (X-Auth-Token)") from None
            raise

    def pages(self, path: str, per_page: int, params: dict[str, Any] | None = None) -> Iterator[Records]:
        """Every page of a bare-array list: `page` = 1, 2, ... with `items_per_page`; the list ends on a page
        shorter than `items_per_page` (an empty one included), the only end signal Arrivy gives."""
        previous: Records | None = None  # the last page, to notice an endpoint that ignores `page`
        page = 1
        while True:
            _, data = self._get(path, {**(params or {}), "page": page, "items_per_page": per_page})
            items = _array(data, path)
            if items and items == previous:
                # An endpoint that ignores `page` answers every page alike. If it also ignored
                # items_per_page (longer page), that one page held everything; if not, the rest is
                # unreachable and stopping would lose it silently.
                if len(items) > per_page:
                    return
                raise SourceApiError(f"GET {path}: page {page} repeats page {page - 1}; the endpoint ignores "
                                     "`page`, so the records after the first page cannot be read")
            if items:
                yield items
            if len(items) < per_page:
                return
            previous, page = items, page + 1

    # --- tasks -------------------------------------------------------------------------------------------

    def schedule_windows(self, now: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
        """Windows over schedule time that together cover every instant, each overlapping the next."""
        step = dt.timedelta(days=self.schedule_window_days)
        edge = dt.datetime.combine(dt.date.fromisoformat(self.schedule_start), dt.time(), tzinfo=dt.timezone.utc)
        horizon = now + dt.timedelta(days=self.schedule_horizon_days)
        edges = [EARLIEST_SCHEDULE]
        while edge < horizon:
            edges.append(edge)
            edge += step
        edges += [edge, LATEST_SCHEDULE]
        return [(start - WINDOW_OVERLAP if i else start, end) for i, (start, end) in enumerate(zip(edges, edges[1:]))]

    def all_tasks(self, now: dt.datetime | None = None) -> Iterator[Records]:
        """Every task, whatever its schedule: `from`/`to` select by schedule time, so the scan walks
        windows covering all time, then asks separately for unscheduled tasks and tasks without a datetime,
        which no window returns. A task may come twice (overlaps, flags); callers deduplicate."""
        for start, end in self.schedule_windows(now or dt.datetime.now(dt.timezone.utc)):
            yield from self.pages("/tasks", self.tasks_per_page, {"from": _iso(start), "to": _iso(end)})
        yield from self.pages("/tasks", self.tasks_per_page, {"unscheduled": "true"})
        yield from self.pages("/tasks", self.tasks_per_page, {"tasks_with_no_datetime": "true"})

    def task(self, task_id: str) -> dict[str, Any] | None:
        """One task, or None when Arrivy answers 404 (the task was deleted)."""
        status, data = self._get(f"/tasks/{quote(str(task_id), safe='')}", accept=(200, 404))
        if status == 404:
            return None
        if not isinstance(data, dict) or str(data.get("id")) != str(task_id):
            raise SourceApiError(f"GET /tasks/{task_id}: the answer is not that task")
        return data

    def task_status_history(self, task_id: str) -> Iterator[Records]:
        yield from self.pages(f"/tasks/{quote(str(task_id), safe='')}/status", self.statuses_per_page)

    # --- the other lists ---------------------------------------------------------------------------------

    def statuses(self) -> Records:
        """Status definitions: one call, returned all at once (no paging)."""
        _, data = self._get("/statuses")
        return _array(data, "/statuses")

    def readings(self, entity_id: str, since: dt.datetime | None) -> Iterator[Records]:
        """Location reports of one entity, after `since` when given (Arrivy's `time` parameter)."""
        params = {} if since is None else {"time": _iso(since)}
        yield from self.pages(f"/entities/{quote(str(entity_id), safe='')}/readings", self.readings_per_page, params)


def _iso(moment: dt.datetime) -> str:
    """ISO-8601 with an explicit offset; httpx percent-encodes the `+` (Arrivy reads a raw `+` as a space)."""
    if moment.tzinfo is None:
        raise ValueError("Arrivy query times must be timezone-aware")
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


def _array(data: Any, path: str) -> Records:
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise SourceApiError(f"GET {path}: expected a JSON array of objects, got {type(data).__name__}")
    return data
