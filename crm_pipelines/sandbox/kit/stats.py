"""Request accounting the tests assert on (what the client actually asked for)."""

from __future__ import annotations

from collections import Counter, deque
from typing import Any

LOG_SIZE = 20_000


class Stats:
    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()
        self.log: deque[dict[str, Any]] = deque(maxlen=LOG_SIZE)

    def record(self, entry: dict[str, Any]) -> None:
        self.requests[entry["route"]] += 1
        self.statuses[str(entry["status"])] += 1
        self.log.append(entry)

    def snapshot(self) -> dict[str, Any]:
        return {"requests": dict(self.requests), "statuses": dict(self.statuses), "log": list(self.log)}
