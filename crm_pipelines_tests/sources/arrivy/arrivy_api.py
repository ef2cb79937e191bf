"""A small Arrivy API over in-memory records, for a real HTTP server (crm_pipelines_tests...canned).

It behaves as the documented API does where that matters to the client: /tasks selects by *schedule*
time (from/to), returns unscheduled tasks only with unscheduled=true and undated ones only with
tasks_with_no_datetime=true; every list is a bare array paged by page/items_per_page; /tasks/{id} is 404
for a deleted task.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from crm_pipelines_tests.sources.arrivy.canned import Reply, Seen

_ONE = re.compile(r"^/api/tasks/(\d+)$")
_HISTORY = re.compile(r"^/api/tasks/(\d+)/status$")
_READINGS = re.compile(r"^/api/entities/(\d+)/readings$")


def _time(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


class ArrivyApi:
    def __init__(self) -> None:
        self.tasks: dict[int, dict[str, Any]] = {}
        self.histories: dict[int, list[dict[str, Any]]] = {}
        self.lists: dict[str, list[dict[str, Any]]] = {"entities": [], "groups": [], "crews": [], "bookings": [],
                                                       "statuses": []}
        self.readings: dict[int, list[dict[str, Any]]] = {}
        self.hidden_from_scan: set[int] = set()  # tasks a listing leaves out although they exist

    def __call__(self, seen: Seen) -> Reply:
        if seen.headers.get("x-auth-key") != "key" or seen.headers.get("x-auth-token") != "token":
            return Reply(401, {"message": "UNAUTHORIZED"})
        path, q = seen.path, seen.query
        if path == "/api/tasks":
            return self._page(self._scan(q), q)
        if match := _ONE.match(path):
            task = self.tasks.get(int(match[1]))
            return Reply(body=task) if task else Reply(404, {"message": "NOT_FOUND", "description": "No task"})
        if match := _HISTORY.match(path):
            return self._page(self.histories.get(int(match[1]), []), q)
        if match := _READINGS.match(path):
            readings = self.readings.get(int(match[1]), [])
            if "time" in q:
                readings = [r for r in readings if _time(r["time"]) > _time(q["time"])]
            return self._page(readings, q)
        if path == "/api/statuses":
            return Reply(body=self.lists["statuses"])
        name = path.removeprefix("/api/")
        if name in self.lists:
            return self._page(self.lists[name], q)
        return Reply(404, {"message": "NOT_FOUND"})

    def _scan(self, q: dict[str, str]) -> list[dict[str, Any]]:
        tasks = [t for i, t in sorted(self.tasks.items()) if i not in self.hidden_from_scan]
        if q.get("unscheduled") == "true":
            return [t for t in tasks if t.get("unscheduled")]
        if q.get("tasks_with_no_datetime") == "true":
            return [t for t in tasks if not t.get("unscheduled") and not t.get("start_datetime")]
        low, high = _time(q["from"]), _time(q["to"])
        return [t for t in tasks if not t.get("unscheduled") and t.get("start_datetime")
                and low <= _time(t["start_datetime"]) <= high]

    @staticmethod
    def _page(items: list[dict[str, Any]], q: dict[str, str]) -> Reply:
        page, size = int(q.get("page", 1)), int(q.get("items_per_page", 100))
        return Reply(body=items[(page - 1) * size: page * size])
