"""hubspot/contacts full sync end to end through Dagster: the sandbox's pages (its own process, no latency, no
rate limit), served pre-rendered by benchmarks/prerendered.py (an untimed identical sync renders them first)
-> client -> processing -> validation -> PostgreSQL. Prints one JSON line.

    .venv/bin/python benchmarks/hubspot_contacts_full_sync.py [--contacts 200000] [--profile out.prof] [--live]

`--live` times the sync against the sandbox itself, whose rendering (~35-40 µs a record) is then in the figure.

`records_per_s` is the materialization's own figure (the sync inside the asset); `records_per_s_wall`
also counts Dagster starting and finishing the run. `cpu_s` splits the CPU time between this process (the
run), the page server (`sandbox`: the pre-rendered server, or the sandbox with `--live`) and the
PostgreSQL backends. The warehouse is a scratch database created on the server
of CRM_WAREHOUSE_URL (or the embedded PostgreSQL) and dropped afterwards.
"""

from __future__ import annotations

import argparse
import cProfile
import time

from _common import ONLY_CONTACTS, SANDBOX_TOKEN, CpuMeter, emit, sandbox_process, scratch_database
from dagster import materialize
from prerendered import prerendered

from crm_pipelines.core.assets import history_partitions
from crm_pipelines.core.report import peak_rss_mb
from crm_pipelines.core.warehouse import Warehouse
from crm_pipelines.sources.hubspot import SOURCE
from crm_pipelines.sources.hubspot.resource import HubSpotResource


def sync(sandbox_url: str, warehouse_url: str, batch_size: int, requests_per_10s: int = 0,
         profile: str | None = None, *, search_requests_per_s: int = 0, partition_range: tuple[str, str] | None = None,
         **client: int) -> tuple[dict, float]:
    """One sync of hubspot/contacts through dagster.materialize: (its metadata, wall seconds). A full
    refresh (list endpoint), or with `partition_range` a single-run backfill of those days (search)."""
    spec = SOURCE.entity("contacts")
    asset = SOURCE.entity_assets(history_partitions())[spec.name]
    hubspot = HubSpotResource(base_url=f"{sandbox_url}/hubspot", access_token=SANDBOX_TOKEN,
                              requests_per_10s=requests_per_10s, search_requests_per_s=search_requests_per_s,
                              **client)
    if partition_range is None:
        selection = {"partition_key": "2026-11-01"}
        config = {"full_refresh": True, "batch_size": batch_size}
    else:
        selection = {"tags": {"dagster/asset_partition_range_start": partition_range[0],
                              "dagster/asset_partition_range_end": partition_range[1]}}
        config = {"batch_size": batch_size}

    def run():
        return materialize(
            [asset], resources={"hubspot": hubspot, "warehouse": Warehouse(url=warehouse_url)},
            run_config={"ops": {"hubspot__contacts": {"config": config}}}, **selection)

    started = time.perf_counter()
    if profile:
        profiler = cProfile.Profile()
        result = profiler.runcall(run)
        profiler.dump_stats(profile)
    else:
        result = run()
    wall = time.perf_counter() - started
    meta = {k: v.value for k, v in result.asset_materializations_for_node("hubspot__contacts")[0].metadata.items()
            if k != "quarantine_sample"}
    return meta, wall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=200_000)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--profile", help="write a cProfile of the run to this file")
    parser.add_argument("--live", action="store_true", help="time against the sandbox, not pre-rendered pages")
    args = parser.parse_args()

    with (scratch_database("sync") as url, sandbox_process({"contacts": args.contacts, **ONLY_CONTACTS}) as sandbox,
          prerendered(sandbox.url) as server):
        if args.live:
            source_url, source_pid = sandbox.url, sandbox.pid
        else:  # every page rendered once by an untimed identical sync into a database of its own
            with scratch_database("warmup") as warmup:
                sync(server.url, warmup, args.batch_size)
            source_url, source_pid = server.url, server.pid
        forwarded = server.forwarded()
        with CpuMeter(url, source_pid) as meter:
            meta, wall = sync(source_url, url, args.batch_size, profile=args.profile)
        rendered_during_run = server.forwarded() - forwarded
    fetched = meta["records_fetched"]
    emit({
        "benchmark": "hubspot_contacts_full_sync", "contacts": args.contacts, "batch_size": args.batch_size,
        "records_fetched": fetched, "records_created": meta["records_created"],
        "records_quarantined": meta["records_quarantined"], "records_deleted": meta["records_deleted"],
        "duration_s": meta["duration_s"], "records_per_s": meta["records_per_s"],
        "wall_s": round(wall, 2), "records_per_s_wall": round(fetched / wall, 1),
        "api_calls": meta["api_calls"], "api_calls_per_record": round(meta["api_calls"] / max(fetched, 1), 5),
        "retries": meta["retries"], "peak_rss_mb": meta["peak_rss_mb"], "process_peak_rss_mb": peak_rss_mb(),
        "server": "sandbox" if args.live else "prerendered", "pages_rendered_during_run": rendered_during_run,
        **meter.report(),
    })


if __name__ == "__main__":
    main()
