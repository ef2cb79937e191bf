"""HubSpot fixtures: the sandbox (real HTTP), a client resource pointed at it, and a materialize helper."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from dagster import DagsterInstance, materialize

from crm_pipelines.core.assets import history_partitions
from crm_pipelines.sandbox import HubSpotConfig, Sandbox
from crm_pipelines.sources.hubspot import SOURCE
from crm_pipelines.sources.hubspot.resource import HubSpotResource
from crm_pipelines_tests.support import SandboxControl

TOKEN = "pat-na1-test-sandbox-token-4242"
SMALL_COUNTS = {"contacts": 3000, "companies": 200, "deals": 300, "appointments": 600, "divisions": 23,
                "genius_users": 60, "owners": 12}
# The sandbox spreads modification times over these dates; tests pick days inside them.
MODIFIED_START, MODIFIED_END = "2026-10-01T00:00:00Z", "2026-11-28T00:00:00Z"
ASSETS = SOURCE.entity_assets(history_partitions())
LOOKBACK = dt.timedelta(minutes=15)


class HubSpotControl(SandboxControl):
    """The HubSpot emulator's control API, with this folder's defaults and HubSpot's truth filters."""

    def __init__(self, root_url: str):
        super().__init__(root_url, "hubspot", {"token": TOKEN, "counts": SMALL_COUNTS,
                                               "modified_start": MODIFIED_START, "modified_end": MODIFIED_END})

    def truth(self, object_type: str, start: dt.datetime | None = None, end: dt.datetime | None = None,
              archived: str = "false") -> set[str]:
        params = {"archived": archived}
        if start is not None:
            params["modified_from"] = start.isoformat()
        if end is not None:
            params["modified_to"] = end.isoformat()
        return set(self.truth_ids(object_type, **params))

    def record(self, object_type: str, record_id: str) -> dict[str, Any]:
        return self.truth_record(object_type, record_id)


@pytest.fixture(scope="session")
def sandbox():
    sb = Sandbox(hubspot=HubSpotConfig(token=TOKEN, counts=SMALL_COUNTS, modified_start=MODIFIED_START,
                                       modified_end=MODIFIED_END))
    sb.start()
    yield sb
    sb.stop()


@pytest.fixture
def control(sandbox):
    ctl = HubSpotControl(sandbox.url)
    ctl.reset()
    yield ctl
    ctl.close()


@pytest.fixture
def hubspot(sandbox) -> HubSpotResource:
    return client_for(sandbox.hubspot_url)


def client_for(base_url: str, **overrides: Any) -> HubSpotResource:
    settings = {"requests_per_10s": 0, "search_requests_per_s": 0, "backoff_base_s": 0.01,
                "backoff_max_s": 0.05, "timeout_s": 10.0, **overrides}
    return HubSpotResource(base_url=base_url, access_token=settings.pop("access_token", TOKEN), **settings)


def day_window(day: dt.date, days: int = 1) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)
    return start - LOOKBACK, start + dt.timedelta(days=days)


def sync(entity: str, hubspot: HubSpotResource, warehouse, *, partition: str | None = None,
         config: dict[str, Any] | None = None, instance: DagsterInstance | None = None,
         raise_on_error: bool = True, tags: dict[str, str] | None = None):
    """Materialize one HubSpot entity asset through Dagster; return (result, metadata as plain values)."""
    result = materialize(
        [ASSETS[entity]], resources={"hubspot": hubspot, "warehouse": warehouse},
        partition_key=partition, instance=instance, raise_on_error=raise_on_error, tags=tags,
        run_config={"ops": {f"hubspot__{entity}": {"config": config or {}}}})
    if not result.success:
        return result, {}
    materialization = result.asset_materializations_for_node(f"hubspot__{entity}")[0]
    return result, {k: v.value for k, v in materialization.metadata.items()}


def ids(db, table: str, *, deleted: bool = False, column: str = "id") -> list[str]:
    condition = "IS NOT NULL" if deleted else "IS NULL"
    return [str(r[0]) for r in db.execute(f"SELECT {column} FROM {table} WHERE _deleted_at {condition}")]


def quarantined(db, entity: str) -> dict[str, list[str]]:
    return dict(db.execute("SELECT source_id, reasons FROM hubspot._quarantine WHERE entity = %s "
                           "AND resolved_at IS NULL", (entity,)).fetchall())


def failure_text(result) -> str:
    """The whole error chain of a failed run's step (Dagster wraps the exception the asset raised)."""
    return "\n".join(e.event_specific_data.error.to_string() for e in result.get_step_failure_events())
