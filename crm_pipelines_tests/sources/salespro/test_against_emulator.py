"""SalesPro through Dagster into PostgreSQL against the sandbox's Athena stand-in (boto3 over real HTTP)
and its CSV exports: every table equals the emulator's records exactly."""

from __future__ import annotations

from crm_pipelines_tests.sources.salespro.conftest import quarantined, stored, sync
from crm_pipelines_tests.support import assert_same_keys


def test_a_partition_holds_exactly_the_estimates_of_its_window(control, emulated, warehouse, db):
    _, meta = sync(emulated, warehouse, "estimates")
    truth = control.in_partition("estimates")
    assert truth["count"] > 150
    assert_same_keys(stored(db, "estimates"), truth["ids"], "salespro.estimates")
    assert meta["estimates"]["api_calls"] == sum(control.operations().values())
