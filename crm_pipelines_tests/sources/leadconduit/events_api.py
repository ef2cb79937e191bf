"""An Events API over canned events for a real HTTP server: start/end (inclusive), sort, after_id, limit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crm_pipelines_tests.sources.arrivy.canned import Reply, Seen


def created(event: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromtimestamp(event["start_timestamp"] / 1000, dt.timezone.utc)


class EventsApi:
    def __init__(self, events: list[dict[str, Any]], *, honour_sort: bool = True):
        self.events = events
        self.honour_sort = honour_sort
        self.faults: list[Reply] = []  # answered first, one per request

    def __call__(self, seen: Seen) -> Reply:
        if self.faults:
            return self.faults.pop(0)
        q = seen.query
        descending = q.get("sort", "desc") == "desc" or not self.honour_sort  # desc is the default
        chosen = sorted(self.events, key=lambda e: e["id"], reverse=descending)
        if "start" in q:
            chosen = [e for e in chosen if created(e) >= dt.datetime.fromisoformat(q["start"])]
        if "end" in q:
            chosen = [e for e in chosen if created(e) <= dt.datetime.fromisoformat(q["end"])]
        if "after_id" in q:
            chosen = [e for e in chosen if e["id"] > q["after_id"]]
        return Reply(body=chosen[: int(q.get("limit", 100))])
