"""LeadConduit fixtures for the end-to-end tests: the sandbox emulator (real HTTP), its control API, a
client resource pointed at it, a materialize helper."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from dagster import materialize

from crm_pipelines.core.assets import history_partitions
from crm_pipelines.sources.leadconduit import SOURCE
from crm_pipelines.sources.leadconduit.resource import LeadConduitResource
from crm_pipelines_tests.support import SandboxControl

KEY = "leadconduit-test-key"
# Events over two days; tests read the second one (with the previous evening through the lookback).
DAY = dt.date(2026, 11, 12)
EVENTS_START, EVENTS_END = "2026-11-11T00:00:00Z", "2026-11-13T00:00:00Z"
SETTINGS = {"api_key": KEY, "counts": {"events": 3000}, "events_start": EVENTS_START, "events_end": EVENTS_END}
LOOKBACK = dt.timedelta(hours=2)


class LeadConduitControl(SandboxControl):
    def __init__(self, root_url: str):
        super().__init__(root_url, "leadconduit", SETTINGS)

    def leads(self, day: dt.date = DAY, **params: Any) -> set[str]:
        """The source events visible now, created in the partition's window (with the lookback)."""
        start = dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)
        return set(self.truth_ids("leads", modified_from=(start - LOOKBACK).isoformat(),
                                  modified_to=(start + dt.timedelta(days=1)).isoformat(), **params))


@pytest.fixture(scope="session")
def sandbox():
    from crm_pipelines.sandbox import LeadConduitConfig, Sandbox

    with Sandbox(leadconduit=LeadConduitConfig.from_dict(SETTINGS), port=0) as sb:
        yield sb


@pytest.fixture
def control(sandbox):
    ctl = LeadConduitControl(sandbox.url)
    ctl.reset()
    yield ctl
    ctl.close()


def emulated_client(base_url: str, **overrides: Any) -> LeadConduitResource:
    settings = {"api_key": KEY, "requests_per_minute": 0, "backoff_base_s": 0.01, "backoff_max_s": 0.05,
                "timeout_s": 10.0, **overrides}
    return LeadConduitResource(base_url=base_url, **settings)


@pytest.fixture
def emulated(sandbox) -> LeadConduitResource:
    return emulated_client(sandbox.url_for("leadconduit"))


def sync_leads(client: LeadConduitResource, warehouse, *, day: dt.date = DAY, config: dict | None = None,
               raise_on_error: bool = True):
    """Materialize the leads partition of `day` through Dagster; (result, metadata as plain values)."""
    asset = SOURCE.entity_assets(history_partitions())["leads"]
    result = materialize([asset], resources={"leadconduit": client, "warehouse": warehouse},
                         partition_key=day.isoformat(), raise_on_error=raise_on_error,
                         run_config={"ops": {"leadconduit__leads": {"config": config or {}}}})
    if not result.success:
        return result, {}
    materialization = result.asset_materializations_for_node("leadconduit__leads")[0]
    return result, {k: v.value for k, v in materialization.metadata.items()}


def stored(db) -> list[str]:
    """Loaded plus quarantined leads (the emulator's lead data is messy on purpose)."""
    loaded = [r[0] for r in db.execute("SELECT id FROM leadconduit.leads WHERE _deleted_at IS NULL")]
    held = [r[0] for r in db.execute("SELECT source_id FROM leadconduit._quarantine WHERE entity = 'leads' "
                                     "AND resolved_at IS NULL")]
    return loaded + held
