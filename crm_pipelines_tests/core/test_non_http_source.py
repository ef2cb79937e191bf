"""The asset factory and the removal asset with a client that is not HTTP (the SourceClient protocol)."""

from __future__ import annotations

import pytest
from dagster import build_asset_context

from crm_pipelines.core.assets import EntityRunConfig, sync_entity
from crm_pipelines.core.entity import FetchWindow
from crm_pipelines.core.removal import RemovalRunConfig, RemovalSpec, run_removal
from crm_pipelines.core.resource import SourceClient
from crm_pipelines_tests.core.table_source import (
    CRM,
    RESOURCE_KEY,
    PrefetchingTableClient,
    TableClient,
    deleted_ids,
    jobs_spec,
    live_ids,
    run,
)


def test_a_database_client_syncs_through_the_factory_and_its_queries_are_the_api_calls(warehouse, db):
    client = TableClient(rows=35, page_size=10, flaky=2)
    assert isinstance(client, SourceClient)
    _, meta = run(jobs_spec(), client, warehouse, batch_size=10)
    # 4 queries, the first two run twice
    assert (meta["api_calls"], meta["retries"]) == (6, 2)
    assert (meta["records_fetched"], meta["records_created"], meta["dagster/row_count"]) == (35, 35, 35)
    assert live_ids(db) == {f"job-{i:04d}" for i in range(35)}
    # the counter runs on across materializations; each run reports only its own share
    _, meta = run(jobs_spec(), client, warehouse)
    assert (meta["api_calls"], meta["retries"], meta["records_updated"]) == (6, 2, 0)


def test_a_client_may_ask_for_pages_ahead(warehouse, db):
    _, meta = run(jobs_spec(), PrefetchingTableClient(rows=55, page_size=5), warehouse, batch_size=7)
    assert (meta["records_created"], meta["api_calls"]) == (55, 11)
    assert len(live_ids(db)) == 55


def test_a_client_without_call_stats_is_refused_by_name(warehouse):
    class Bare:
        def pages(self):
            return iter(())

    with pytest.raises(TypeError, match="resource 'table' \\(Bare\\) has no call_stats"):
        sync_entity(build_asset_context(), jobs_spec(), Bare(), warehouse, FetchWindow(), EntityRunConfig())


def test_a_removal_asset_works_with_a_database_client(warehouse, db):
    run(jobs_spec(), TableClient(rows=20), warehouse)
    gone = TableClient(rows=20, missing=[3, 7])

    def find_deleted(client: TableClient, keys: list[str]) -> list[str]:
        client.count_call()  # one "SELECT id ... WHERE id IN (...)" per chunk
        present = {r["id"] for page in client.pages() for r in page}
        return [k for k in keys if k not in present]

    spec = RemovalSpec(crm=CRM, entity="jobs", resource_key=RESOURCE_KEY, find_deleted=find_deleted, chunk=8)
    report = run_removal(build_asset_context(), spec, jobs_spec(), gone, warehouse,
                         RemovalRunConfig(max_delete_share=0.5))
    assert (report.checked, report.deleted) == (20, 2)
    assert report.api_calls == 3 + 3 * 2  # three chunks: one lookup and two page queries each
    assert deleted_ids(db) == {"job-0003", "job-0007"}
