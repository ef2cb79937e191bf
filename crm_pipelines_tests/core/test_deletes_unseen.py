"""Deletion by absence (EntitySpec.deletes_unseen) against the real PostgreSQL: only a complete read of the
whole set deletes, exactly the rows it did not see, under the mass-deletion guard."""

from __future__ import annotations

import pytest

from crm_pipelines.core.warehouse import Warehouse
from crm_pipelines_tests.core.table_source import TableClient, deleted_ids, jobs_spec, live_ids, run

SPEC = jobs_spec(deletes_unseen=True)


def job(i: int) -> str:
    return f"job-{i:04d}"


def load_all(warehouse, rows: int = 100) -> None:
    _, meta = run(SPEC, TableClient(rows=rows), warehouse)
    assert meta["records_created"] == rows and meta["records_deleted"] == 0


def test_a_multi_batch_run_deletes_exactly_the_rows_it_did_not_see(warehouse, db):
    load_all(warehouse)
    gone = [5, 17, 44, 99]
    # 96 rows in 14 queries of 7, loaded in batches of about 10: the evidence spans the whole run
    _, meta = run(SPEC, TableClient(rows=100, missing=gone, page_size=7), warehouse, batch_size=10)
    assert meta["records_deleted"] == 4 and meta["dagster/row_count"] == 96
    assert deleted_ids(db) == {job(i) for i in gone}
    # a record that comes back is live again
    _, meta = run(SPEC, TableClient(rows=100, missing=[5, 17, 44]), warehouse)
    assert meta["records_deleted"] == 0
    assert deleted_ids(db) == {job(5), job(17), job(44)}


def test_without_the_declaration_absence_deletes_nothing(warehouse, db):
    run(jobs_spec(), TableClient(rows=100), warehouse)
    _, meta = run(jobs_spec(), TableClient(rows=100, missing=[1, 2]), warehouse)
    assert meta["records_deleted"] == 0 and deleted_ids(db) == set()


def test_a_limited_run_deletes_nothing(warehouse, db):
    load_all(warehouse)
    _, meta = run(SPEC, TableClient(rows=100, missing=[70]), warehouse, limit=50)
    assert meta["records_deleted"] == 0 and deleted_ids(db) == set()


def test_a_failed_fetch_deletes_nothing_and_keeps_nothing(warehouse, db):
    load_all(warehouse)
    # the last query fails: a guard of 50 % would let its 10 unseen rows go, so only the failure keeps them
    lenient = Warehouse(url=warehouse.url, max_delete_share=0.5)
    client = TableClient(rows=100, missing=[2], page_size=10, fail_at_query=9)
    result, _ = run(SPEC, client, lenient, raise_on_error=False, batch_size=10)
    assert not result.success
    assert "server has gone away" in "".join(e.event_specific_data.error.to_string()
                                              for e in result.get_step_failure_events())
    assert deleted_ids(db) == set() and len(live_ids(db)) == 100


def test_a_windowed_run_deletes_nothing_and_a_full_refresh_does(warehouse, db):
    spec = jobs_spec(deletes_unseen=True, partitioned=True)
    run(spec, TableClient(rows=100), warehouse, partition="2026-03-02", full_refresh=True)
    _, meta = run(spec, TableClient(rows=100, missing=[30]), warehouse, partition="2026-03-02")
    assert meta["records_deleted"] == 0 and deleted_ids(db) == set()
    _, meta = run(spec, TableClient(rows=100, missing=[30]), warehouse, partition="2026-03-02", full_refresh=True)
    assert meta["records_deleted"] == 1 and deleted_ids(db) == {job(30)}


def test_the_guard_refuses_more_than_five_percent_and_keeps_nothing(warehouse, db):
    load_all(warehouse)
    gone = [1, 2, 3, 4, 5, 6]  # 6 of 100
    result, _ = run(SPEC, TableClient(rows=101, missing=gone), warehouse, raise_on_error=False, batch_size=10)
    assert not result.success
    failure = "".join(e.event_specific_data.error.to_string() for e in result.get_step_failure_events())
    assert "MassDeletionError" in failure and "refusing to soft-delete 6 of 100" in failure
    # nothing of the run was kept: neither the deletions nor the new record it loaded
    assert deleted_ids(db) == set() and live_ids(db) == {job(i) for i in range(100)}
    # five are allowed
    _, meta = run(SPEC, TableClient(rows=100, missing=gone[:5]), warehouse, batch_size=10)
    assert meta["records_deleted"] == 5


def test_a_quarantined_record_with_a_key_is_seen_not_deleted(warehouse, db):
    load_all(warehouse)
    _, meta = run(SPEC, TableClient(rows=100, bad=[8, 60], missing=[9]), warehouse, batch_size=10)
    assert meta["records_quarantined"] == 2 and meta["records_deleted"] == 1
    assert deleted_ids(db) == {job(9)}
    assert {job(8), job(60)} <= live_ids(db)


def test_a_dry_run_reports_the_deletions_and_writes_none(warehouse, db):
    load_all(warehouse)
    _, meta = run(SPEC, TableClient(rows=100, missing=[3, 4]), warehouse, dry_run=True)
    assert meta["records_deleted"] == 2
    assert deleted_ids(db) == set()


def test_a_weekly_full_read_is_declared_on_a_partitioned_entity_only():
    assert jobs_spec(weekly_full_read=True, partitioned=True).weekly_full_read
    with pytest.raises(ValueError, match="weekly_full_read is for a partitioned entity"):
        jobs_spec(weekly_full_read=True, partitioned=False)
