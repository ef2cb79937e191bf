"""The Arrivy emulator as these tests use it: a session sandbox, its control API, a client resource."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crm_pipelines.sources.arrivy.resource import ArrivyResource
from crm_pipelines_tests.support import SandboxControl

KEY, TOKEN = "arrivy-test-key", "arrivy-test-token"
COUNTS = {"tasks": 500, "entities": 8, "groups": 3, "crews": 2, "statuses": 13, "bookings": 40}
SETTINGS = {"auth_key": KEY, "auth_token": TOKEN, "counts": COUNTS, "readings_per_entity": 12,
            "max_statuses_per_task": 4, "readings_start": "2026-11-20T00:00:00Z",
            "readings_end": "2026-11-23T00:00:00Z"}
UNPARTITIONED = ("tasks", "entities", "groups", "crews", "statuses", "bookings")


class ArrivyControl(SandboxControl):
    def __init__(self, root_url: str):
        super().__init__(root_url, "arrivy", SETTINGS)

    def truth(self, kind: str, start: dt.datetime | None = None, end: dt.datetime | None = None) -> set[str]:
        params = {}
        if start is not None:
            params["modified_from"] = start.isoformat()
        if end is not None:
            params["modified_to"] = end.isoformat()
        return set(self.truth_ids(kind, **params))


def emulated_client(base_url: str, **overrides: Any) -> ArrivyResource:
    settings = {"auth_key": KEY, "auth_token": TOKEN, "requests_per_minute": 0, "backoff_base_s": 0.01,
                "backoff_max_s": 0.05, "timeout_s": 10.0, **overrides}
    return ArrivyResource(base_url=base_url, **settings)


def live_ids(db, table: str, column: str = "id") -> list[str]:
    return [str(r[0]) for r in db.execute(f"SELECT {column} FROM arrivy.{table} WHERE _deleted_at IS NULL")]
