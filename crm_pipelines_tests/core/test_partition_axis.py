"""An entity partitioned on another axis than modification (a scheduled time): windows, the reconciliation
count and the quarantined records it adds all follow the declared column."""

from __future__ import annotations

import pytest

from crm_pipelines.core.assets import build_entity_asset, history_partitions
from crm_pipelines.core.checks import Thresholds
from crm_pipelines_tests.core.table_source import (
    POOL,
    TableClient,
    count_scheduled,
    fetch_scheduled,
    jobs_spec,
    live_ids,
    run,
)

SPEC = jobs_spec(partitioned=True, partition_column="scheduled", fetch=fetch_scheduled, count=count_scheduled)


def job(i: int) -> str:
    return f"job-{i:04d}"


def checks_of(result) -> dict:
    return {e.check_name: e for e in result.get_asset_check_evaluations()}


def test_a_partition_reads_and_reconciles_on_the_scheduled_axis(warehouse, db):
    # five jobs a day from 2026-03-01: 2026-03-05 holds jobs 20..24, modified on 2026-03-01 20:00-24:00
    client = TableClient(rows=60, per_day=5, bad=[22])
    result, meta = run(SPEC, client, warehouse, partition="2026-03-05")
    assert (meta["records_fetched"], meta["records_quarantined"]) == (5, 1)
    assert live_ids(db) == {job(i) for i in (20, 21, 23, 24)}
    reconciliation = checks_of(result)["reconciliation"]
    counts = {k: v.value for k, v in reconciliation.metadata.items()}
    # on the modified axis this window would hold no row and no quarantined record
    assert (counts["source_count"], counts["warehouse_count"]) == (5, 5)
    assert reconciliation.passed
    indexes = {r[0] for r in db.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'jobs'")}
    assert "jobs_scheduled_idx" in indexes


def test_reconciliation_on_the_scheduled_axis_sees_a_missed_record(warehouse, db):
    result, _ = run(SPEC, TableClient(rows=60, per_day=5, unread=[23]), warehouse, partition="2026-03-05")
    reconciliation = checks_of(result)["reconciliation"]
    counts = {k: v.value for k, v in reconciliation.metadata.items()}
    assert (counts["source_count"], counts["warehouse_count"]) == (5, 4)
    assert not reconciliation.passed


def test_the_partition_column_must_be_a_timestamp_of_the_schema():
    with pytest.raises(ValueError, match="partition_column 'email' must be a timestamp column"):
        build_entity_asset(jobs_spec(partitioned=True, partition_column="email"), history_partitions(), Thresholds(),
                           POOL)
    with pytest.raises(ValueError, match="found None"):
        build_entity_asset(jobs_spec(partitioned=True, partition_column="nope"), history_partitions(), Thresholds(),
                           POOL)
