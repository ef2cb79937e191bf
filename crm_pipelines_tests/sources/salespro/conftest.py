"""SalesPro fixtures: the sandbox emulator (Athena over real HTTP, CSV exports in a temp folder), its control
API, a client resource pointed at it through boto3's endpoint_url, and a materialize helper."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from dagster import materialize

from crm_pipelines.core.assets import history_partitions
from crm_pipelines.sources.salespro import SOURCE
from crm_pipelines.sources.salespro.resource import SalesProResource
from crm_pipelines_tests.support import SandboxControl

ACCESS_KEY_ID = "AKIATESTSALESPRO0001"
DAY = dt.date(2026, 11, 28)
LOOKBACK = dt.timedelta(minutes=15)
SETTINGS = {"access_key_id": ACCESS_KEY_ID, "modified_start": "2026-11-25T00:00:00Z",
            "modified_end": "2026-12-02T00:00:00Z", "query_running_s": 0.0, "same_timestamp_burst": 0,
            "counts": {"customers": 400, "estimates": 1100, "credit_applications": 40, "lead_results": 300,
                       "offices": 12, "users": 80},
            "missing_key_rate": 0.01, "null_rate": 0.1, "truncated_export": "", "query_faults": []}


class SalesProControl(SandboxControl):
    def __init__(self, root_url: str, exports_dir: str):
        super().__init__(root_url, "salespro", {**SETTINGS, "exports_dir": exports_dir})

    def in_window(self, table: str, start: dt.datetime | None = None, end: dt.datetime | None = None) -> dict:
        params = {}
        if start is not None:
            params["modified_from"] = start.isoformat()
        if end is not None:
            params["modified_to"] = end.isoformat()
        return self._json(self.http.get(f"/truth/{table}", params=params))

    def in_partition(self, table: str, day: dt.date = DAY) -> dict:
        start = dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)
        return self.in_window(table, start - LOOKBACK, start + dt.timedelta(days=1))

    def operations(self, status: int | None = 200) -> dict[str, int]:
        counts: dict[str, int] = {}
        for entry in self.stats()["log"]:
            if status is None or entry["status"] == status:
                counts[entry["route"]] = counts.get(entry["route"], 0) + 1
        return counts


@pytest.fixture(scope="session")
def exports_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("salespro_exports"))


@pytest.fixture(scope="session")
def sandbox(exports_dir):
    from crm_pipelines.sandbox import Sandbox, SalesProConfig

    with Sandbox(salespro=SalesProConfig.from_dict({**SETTINGS, "exports_dir": exports_dir}), port=0) as sb:
        yield sb


@pytest.fixture
def control(sandbox, exports_dir):
    ctl = SalesProControl(sandbox.url, exports_dir)
    ctl.reset()
    yield ctl
    ctl.close()


def endpoint(sandbox) -> str:
    # Without the trailing slash boto3 itself needs (the resource adds it), as an operator would write it.
    return sandbox.url_for("salespro")


def emulated_client(sandbox, exports_dir: str, **overrides: Any) -> SalesProResource:
    settings = {"aws_access_key_id": ACCESS_KEY_ID, "aws_secret_access_key": "test-secret",
                "endpoint_url": endpoint(sandbox), "exports_dir": exports_dir, "backoff_base_s": 0.01,
                "backoff_max_s": 0.05, "poll_initial_s": 0.01, "poll_max_s": 0.05, "timeout_s": 10.0,
                **overrides}
    return SalesProResource(**settings)


@pytest.fixture
def emulated(sandbox, exports_dir) -> SalesProResource:
    return emulated_client(sandbox, exports_dir)


def sync(client: SalesProResource, warehouse, entity: str, *, day: dt.date | None = DAY,
         config: dict | None = None, raise_on_error: bool = True):
    """Materialize one entity (the partition of `day` when partitioned); (result, {asset name: metadata})."""
    spec = SOURCE.entity(entity)
    asset = SOURCE.entity_assets(history_partitions())[entity]
    result = materialize([asset], resources={"salespro": client, "warehouse": warehouse},
                         partition_key=day.isoformat() if spec.partitioned else None, raise_on_error=raise_on_error,
                         run_config={"ops": {f"salespro__{entity}": {"config": config or {}}}})
    if not result.success:
        return result, {}
    metadata = {}
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        metadata[materialization.asset_key.path[-1]] = {k: v.value for k, v in materialization.metadata.items()}
    return result, metadata


def stored(db, table: str, key: str = "id") -> list[str]:
    return [r[0] for r in db.execute(f"SELECT {key} FROM salespro.{table} WHERE _deleted_at IS NULL")]


def quarantined(db, table: str) -> list:
    return [r[0] for r in db.execute("SELECT source_id FROM salespro._quarantine WHERE entity = %s "
                                     "AND resolved_at IS NULL", [table])]


def failure_text(result) -> str:
    return "\n".join(e.event_specific_data.error.to_string() for e in result.get_step_failure_events())
