"""Arrivy fixtures: a small Arrivy API over real HTTP, a client resource pointed at it, a materialize helper."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from dagster import materialize

from crm_pipelines.core.assets import history_partitions
from crm_pipelines.sources.arrivy import SOURCE
from crm_pipelines.sources.arrivy.resource import ArrivyResource
from crm_pipelines_tests.sources.arrivy import samples
from crm_pipelines_tests.sources.arrivy.arrivy_api import ArrivyApi
from crm_pipelines_tests.sources.arrivy.canned import CannedServer

ASSETS = SOURCE.entity_assets(history_partitions())
# Task ids: 16 digits, beyond 2**53 (a float could not hold them).
FIRST_TASK = 9007199254740993
LAST_SPRING, NEXT_YEAR, LONG_AGO, UNSCHEDULED, UNDATED = (FIRST_TASK + i for i in range(5))
PLAIN_TASKS = 40


def seed(api: ArrivyApi) -> None:
    special = {
        LAST_SPRING: {"start_datetime": "2026-04-10T15:00:00"},
        NEXT_YEAR: {"start_datetime": "2027-09-01T10:00:00"},
        LONG_AGO: {"start_datetime": "2016-03-01T08:30:00"},
        UNSCHEDULED: {"start_datetime": None, "end_datetime": None, "unscheduled": True},
        UNDATED: {"start_datetime": None, "end_datetime": None},
    }
    for task_id, fields in special.items():
        api.tasks[task_id] = samples.task(task_id, **fields)
    for n in range(PLAIN_TASKS):
        task_id = FIRST_TASK + 100 + n
        api.tasks[task_id] = samples.task(task_id, start_datetime=f"2026-{1 + n % 12:02d}-15T12:00:00")


@pytest.fixture
def api() -> ArrivyApi:
    arrivy_api = ArrivyApi()
    seed(arrivy_api)
    return arrivy_api


@pytest.fixture
def server(api):
    with CannedServer(api) as canned:
        yield canned


@pytest.fixture
def arrivy(server) -> ArrivyResource:
    return client_for(server.url)


def client_for(url: str, **overrides: Any) -> ArrivyResource:
    settings = {"auth_key": "key", "auth_token": "token", "requests_per_minute": 0, "backoff_base_s": 0.01,
                "backoff_max_s": 0.02, "timeout_s": 5.0, "schedule_window_days": 365, **overrides}
    return ArrivyResource(base_url=f"{url}/api", **settings)


def sync(entity: str, arrivy: ArrivyResource, warehouse, *, partition: str | None = None,
         config: dict[str, Any] | None = None, raise_on_error: bool = True):
    """Materialize one Arrivy entity asset through Dagster; return (result, metadata as plain values)."""
    result = materialize(
        [ASSETS[entity]], resources={"arrivy": arrivy, "warehouse": warehouse}, partition_key=partition,
        raise_on_error=raise_on_error, run_config={"ops": {f"arrivy__{entity}": {"config": config or {}}}})
    if not result.success:
        return result, {}
    materialization = result.asset_materializations_for_node(f"arrivy__{entity}")[0]
    return result, {k: v.value for k, v in materialization.metadata.items()}


def failure_text(result) -> str:
    return "\n".join(e.event_specific_data.error.to_string() for e in result.get_step_failure_events())


def edited(record: dict[str, Any], **fields: Any) -> dict[str, Any]:
    changed = copy.deepcopy(record)
    changed.update(fields)
    return changed


# --- the Arrivy emulator (crm_pipelines.sandbox), for the end-to-end tests ---------------------------------

@pytest.fixture(scope="session")
def sandbox():
    from crm_pipelines.sandbox import ArrivyConfig, Sandbox
    from crm_pipelines_tests.sources.arrivy.emulated import SETTINGS

    with Sandbox(arrivy=ArrivyConfig.from_dict(SETTINGS), port=0) as sb:
        yield sb


@pytest.fixture
def control(sandbox):
    from crm_pipelines_tests.sources.arrivy.emulated import ArrivyControl

    ctl = ArrivyControl(sandbox.url)
    ctl.reset()
    yield ctl
    ctl.close()


@pytest.fixture
def emulated(sandbox) -> ArrivyResource:
    from crm_pipelines_tests.sources.arrivy.emulated import emulated_client

    return emulated_client(f"{sandbox.url_for('arrivy')}/api")
