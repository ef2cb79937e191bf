"""SalesPro's declaration: the contract's seven tables, hourly at minute 10 in pool salespro_athena,
lead_results and its line items one op; unset credentials fail the run naming the variable."""

from __future__ import annotations

import pytest
from dagster import DagsterInvalidConfigError, materialize

from crm_pipelines.core.assets import history_partitions
from crm_pipelines.definitions import defs
from crm_pipelines.sources.salespro import SOURCE, build_resources
from crm_pipelines.sources.salespro.resource import ACCESS_KEY_ENV, SECRET_KEY_ENV

REPOSITORY = defs.get_repository_def()
TABLES = {"customers", "estimates", "credit_applications", "lead_results", "lead_result_line_items", "offices",
          "users"}


def test_the_seven_tables_are_assets_of_the_hourly_job_in_their_pool():
    job = REPOSITORY.get_job("salespro_hourly")
    assert {"/".join(k.path) for k in job.asset_layer.selected_asset_keys} == {f"salespro/{t}" for t in TABLES}
    assert REPOSITORY.get_schedule_def("salespro_hourly_schedule").cron_schedule == "10 * * * *"
    assets = SOURCE.entity_assets(history_partitions())
    lead_results = assets["lead_results"]
    assert {"/".join(k.path) for k in lead_results.keys} == {"salespro/lead_results", "salespro/lead_result_line_items"}
    assert lead_results.node_def.name == "salespro__lead_results"
    assert {a.node_def.pools.pop() for a in assets.values()} == {"salespro_athena"}
    keys = {name: SOURCE.entity(name).key for name in ("customers", "offices")}
    assert keys == {"customers": ("id",), "offices": ("id",)}
    assert SOURCE.entity("lead_results").companions[0].spec.key == ("estimate_id", "job_type_number")


def test_unset_credentials_fail_the_run_naming_the_variable(monkeypatch, warehouse):
    monkeypatch.delenv(ACCESS_KEY_ENV, raising=False)
    monkeypatch.delenv(SECRET_KEY_ENV, raising=False)
    asset = SOURCE.entity_assets(history_partitions())["estimates"]
    with pytest.raises(DagsterInvalidConfigError, match=f'variable "{ACCESS_KEY_ENV}" which is not set'):
        materialize([asset], resources={**build_resources(), "warehouse": warehouse}, partition_key="2026-11-28")
