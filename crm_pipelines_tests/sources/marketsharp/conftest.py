"""MarketSharp fixtures for the end-to-end tests: the sandbox emulator (real HTTP), its control API, a
client resource pointed at it, a materialize helper."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from dagster import materialize

from crm_pipelines.core.assets import history_partitions
from crm_pipelines.sources.marketsharp import SOURCE
from crm_pipelines.sources.marketsharp.resource import MarketSharpResource
from crm_pipelines_tests.support import SandboxControl

COMPANY_ID, API_KEY = "77", "marketsharp-test-key"
SECRET_KEY = "dGVzdC1zZWNyZXQtZm9yLW1hcmtldHNoYXJw"  # base64 of "test-secret-for-marketsharp"
DAY = dt.date(2026, 11, 28)
# A small server page, so every read follows rel="next" links.
SETTINGS = {"company_id": COMPANY_ID, "api_key": API_KEY, "secret_key": SECRET_KEY, "server_page_size": 150,
            "modified_start": "2026-11-25T00:00:00Z", "modified_end": "2026-12-02T00:00:00Z",
            "counts": {"contacts": 1200, "appointments": 300, "inquiries": 300, "inquiry_statuses": 12},
            "invalid_char_rate": 0.05, "same_timestamp_burst": 0}
LOOKBACK = dt.timedelta(minutes=15)


class MarketSharpControl(SandboxControl):
    def __init__(self, root_url: str):
        super().__init__(root_url, "marketsharp", SETTINGS)

    def in_partition(self, table: str, day: dt.date = DAY) -> set[str]:
        start = dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)
        return set(self.truth_ids(table, modified_from=(start - LOOKBACK).isoformat(),
                                  modified_to=(start + dt.timedelta(days=1)).isoformat()))


@pytest.fixture(scope="session")
def sandbox():
    from crm_pipelines.sandbox import MarketSharpConfig, Sandbox

    with Sandbox(marketsharp=MarketSharpConfig.from_dict(SETTINGS), port=0) as sb:
        yield sb


@pytest.fixture
def control(sandbox):
    ctl = MarketSharpControl(sandbox.url)
    ctl.reset()
    yield ctl
    ctl.close()


def service_root(sandbox) -> str:
    return f"{sandbox.url_for('marketsharp')}/WcfDataService.svc"


def emulated_client(sandbox, **overrides: Any) -> MarketSharpResource:
    settings = {"company_id": COMPANY_ID, "api_key": API_KEY, "secret_key": SECRET_KEY, "requests_per_minute": 0,
                "backoff_base_s": 0.01, "backoff_max_s": 0.05, "timeout_s": 10.0, **overrides}
    return MarketSharpResource(base_url=service_root(sandbox), **settings)


@pytest.fixture
def emulated(sandbox) -> MarketSharpResource:
    return emulated_client(sandbox)


def sync(client: MarketSharpResource, warehouse, entity: str, *, day: dt.date | None = DAY,
         config: dict | None = None, raise_on_error: bool = True):
    """Materialize one entity (the partition of `day` when partitioned); (result, metadata values)."""
    spec = SOURCE.entity(entity)
    asset = SOURCE.entity_assets(history_partitions())[entity]
    result = materialize([asset], resources={"marketsharp": client, "warehouse": warehouse},
                         partition_key=day.isoformat() if spec.partitioned else None, raise_on_error=raise_on_error,
                         run_config={"ops": {f"marketsharp__{entity}": {"config": config or {}}}})
    if not result.success:
        return result, {}
    materialization = result.asset_materializations_for_node(f"marketsharp__{entity}")[0]
    return result, {k: v.value for k, v in materialization.metadata.items()}


def stored(db, table: str, key: str = "id") -> list[str]:
    """Loaded plus quarantined keys (the emulator's data is messy on purpose)."""
    loaded = [r[0] for r in db.execute(f"SELECT {key} FROM marketsharp.{table} WHERE _deleted_at IS NULL")]
    held = [r[0] for r in db.execute("SELECT source_id FROM marketsharp._quarantine WHERE entity = %s "
                                     "AND resolved_at IS NULL", [table])]
    return loaded + held


def failure_text(result) -> str:
    return "\n".join(e.event_specific_data.error.to_string() for e in result.get_step_failure_events())
