"""A source that is not HTTP, in process: what a database client (a MySQL or an Athena source) gives the
asset factory. It reads its rows a page per query, counts each query (and each retried one) on the
SourceResource counter, and can lose rows, carry bad ones, or fail mid-read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from dagster import materialize

from crm_pipelines.core import columns as c
from crm_pipelines.core.assets import build_entity_asset, history_partitions
from crm_pipelines.core.checks import Thresholds
from crm_pipelines.core.columns import EntitySchema, Text, Timestamp
from crm_pipelines.core.entity import EntitySpec, FetchRequest, Page
from crm_pipelines.core.processing import record_processor
from crm_pipelines.core.resource import SourceResource

CRM, RESOURCE_KEY, POOL = "tablecrm", "table", "tablecrm_db"
MODIFIED_BASE = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)


class Job(EntitySchema):
    id: Text = c.key()
    kind: Text = c.key()  # required: a row without it cannot be loaded (quarantined, key intact)
    email: Text = c.email()
    modified: Timestamp = c.optional()
    scheduled: Timestamp = c.optional()


class TableClient(SourceResource):
    """Rows 0..rows-1 except `missing`; `bad` rows lack the required `kind` (quarantined, key intact);
    queries before `flaky` fail once and are retried; query number `fail_at_query` raises."""

    rows: int = 0
    page_size: int = 10
    missing: list[int] = []
    bad: list[int] = []
    flaky: int = 0
    fail_at_query: int | None = None
    per_day: int = 1
    unread: list[int] = []  # rows a read misses (written while it ran) that a count sees

    def scheduled(self, i: int) -> dt.datetime:
        return MODIFIED_BASE + dt.timedelta(days=i // self.per_day, hours=9)

    def record(self, i: int) -> dict[str, Any]:
        # Modified one hour apart from the base; scheduled `per_day` a day from the base's day, at 09:00.
        return {"id": f"job-{i:04d}", "kind": None if i in self.bad else "install", "email": f"j{i}@example.com",
                "modified": (MODIFIED_BASE + dt.timedelta(hours=i)).isoformat(),
                "scheduled": self.scheduled(i).isoformat()}

    def present(self, start: dt.datetime | None = None, end: dt.datetime | None = None) -> list[int]:
        """Row numbers the source holds, those scheduled in [start, end) when given."""
        missing = set(self.missing)
        return [i for i in range(self.rows) if i not in missing
                and (start is None or start <= self.scheduled(i) < end)]

    def pages(self, start: dt.datetime | None = None, end: dt.datetime | None = None
              ) -> Iterator[list[dict[str, Any]]]:
        unread = set(self.unread)
        wanted = [i for i in self.present(start, end) if i not in unread]
        for query, start in enumerate(range(0, len(wanted), self.page_size)):
            self.count_call()
            if query < self.flaky:  # the database dropped the connection; the query is run again
                self.count_retry()
                self.count_call()
            if query == self.fail_at_query:
                raise ConnectionError(f"query {query}: server has gone away")
            yield [self.record(i) for i in wanted[start:start + self.page_size]]


class PrefetchingTableClient(TableClient):
    def fetch_ahead_pages(self) -> int:
        return 2


def fetch_jobs(client: TableClient, request: FetchRequest) -> Iterator[Page]:
    for records in client.pages():
        yield Page(records=records)


def fetch_scheduled(client: TableClient, request: FetchRequest) -> Iterator[Page]:
    """Filters on the scheduled time, the only axis this source can filter on."""
    for records in client.pages(request.window.start, request.window.end):
        yield Page(records=records)


def count_scheduled(client: TableClient, window: Any) -> int:
    client.count_call()
    return len(client.present(window.start, window.end))


def jobs_spec(**overrides: Any) -> EntitySpec:
    settings: dict[str, Any] = {"crm": CRM, "name": "jobs", "schema": Job, "resource_key": RESOURCE_KEY,
                                "fetch": fetch_jobs, "process": record_processor(Job, dict, "modified"),
                                "partitioned": False, **overrides}
    return EntitySpec(**settings)


def run(spec: EntitySpec, client: Any, warehouse: Any, *, partition: str | None = None,
        raise_on_error: bool = True, **config: Any):
    """Materialize the entity through Dagster; return (result, metadata as plain values or {})."""
    asset = build_entity_asset(spec, history_partitions(), Thresholds(), POOL)
    node = f"{spec.crm}__{spec.name}"
    result = materialize([asset], resources={RESOURCE_KEY: client, "warehouse": warehouse},
                         partition_key=partition, raise_on_error=raise_on_error,
                         run_config={"ops": {node: {"config": config}}})
    if not result.success:
        return result, {}
    materialization = result.asset_materializations_for_node(node)[0]
    return result, {k: v.value for k, v in materialization.metadata.items()}


def live_ids(db, table: str = "tablecrm.jobs") -> set[str]:
    return {r[0] for r in db.execute(f"SELECT id FROM {table} WHERE _deleted_at IS NULL")}


def deleted_ids(db, table: str = "tablecrm.jobs") -> set[str]:
    return {r[0] for r in db.execute(f"SELECT id FROM {table} WHERE _deleted_at IS NOT NULL")}
