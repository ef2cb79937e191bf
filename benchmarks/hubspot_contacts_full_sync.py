"""hubspot/contacts full sync from the sandbox (another process, no rate limit) into PostgreSQL, through
dagster.materialize in this process. Prints one JSON line with the run's own metadata.

    .venv/bin/python benchmarks/hubspot_contacts_full_sync.py --contacts 100000 [--profile out.prof]

The warehouse is CRM_WAREHOUSE_URL (a scratch schema is dropped first!) or the embedded PostgreSQL.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os

import psycopg
from dagster import materialize

from crm_pipelines.core.assets import build_entity_asset, history_partitions
from crm_pipelines.core.embedded_pg import embedded_url
from crm_pipelines.core.warehouse import Warehouse
from crm_pipelines.local.stack import SANDBOX_HUBSPOT_TOKEN, sandbox_process
from crm_pipelines.sources.hubspot import ENTITIES
from crm_pipelines.sources.hubspot.resource import HubSpotResource


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--profile", help="write a cProfile of the sync to this file")
    args = parser.parse_args()

    url = os.environ.get("CRM_WAREHOUSE_URL") or embedded_url()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS hubspot CASCADE")
    spec = next(e for e in ENTITIES if e.name == "contacts")
    asset = build_entity_asset(spec, history_partitions())
    counts = f"contacts={args.contacts},companies=1,deals=1,appointments=1,divisions=1,genius_users=1,owners=1"
    with sandbox_process(["--hubspot-counts", counts]) as sandbox_url:
        hubspot = HubSpotResource(base_url=f"{sandbox_url}/hubspot", access_token=SANDBOX_HUBSPOT_TOKEN,
                                  requests_per_10s=0, search_requests_per_s=0)
        run = lambda: materialize(  # noqa: E731
            [asset], resources={"hubspot": hubspot, "warehouse": Warehouse(url=url)}, partition_key="2026-11-01",
            run_config={"ops": {"hubspot__contacts": {"config": {"full_refresh": True,
                                                                 "batch_size": args.batch_size}}}})
        if args.profile:
            profiler = cProfile.Profile()
            result = profiler.runcall(run)
            profiler.dump_stats(args.profile)
        else:
            result = run()
    meta = {k: v.value for k, v in result.asset_materializations_for_node("hubspot__contacts")[0].metadata.items()
            if k != "quarantine_sample"}
    meta["records_per_api_call"] = round(meta["records_fetched"] / max(meta["api_calls"], 1), 1)
    print(json.dumps({"scenario": "hubspot_contacts_full_sync", "contacts": args.contacts, **meta}))


if __name__ == "__main__":
    main()
