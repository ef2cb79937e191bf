"""The throughput scenario with dlt instead: dlt's `rest_api` source pages the same sandbox list endpoint
(cursor `paging.next.after`, bearer token, the same properties) and loads to the same PostgreSQL server
with `write_disposition="merge"`, `primary_key="id"`. Ours runs first, in its own process, then dlt in
another; prints one JSON line with both and the ratio (needs the `bench` extra: `pip install -e .[bench]`).

    .venv/bin/python benchmarks/dlt_comparison.py [--contacts 200000]

Both sides are timed end to end: ours from Dagster's run start to its end (`records_per_s_wall`), dlt's
`pipeline.run()` (extract, normalize, load).
"""

from __future__ import annotations

import argparse
import tempfile
import time

import psycopg
from _common import (CONTACT_PROPERTIES, ONLY_CONTACTS, SANDBOX_TOKEN, CpuMeter, as_url, emit, run_json,
                     sandbox_process, scratch_database)

from crm_pipelines.core.report import peak_rss_mb


def run_dlt(contacts: int) -> dict:
    import dlt
    from dlt.sources.rest_api import rest_api_source

    with scratch_database("dlt") as url, sandbox_process({"contacts": contacts, **ONLY_CONTACTS}) as sandbox, \
            tempfile.TemporaryDirectory() as pipelines_dir:
        source = rest_api_source({
            "client": {"base_url": f"{sandbox.url}/hubspot/", "auth": {"type": "bearer", "token": SANDBOX_TOKEN}},
            "resource_defaults": {"primary_key": "id", "write_disposition": "merge"},
            "resources": [{
                "name": "contacts",
                "endpoint": {
                    "path": "crm/v3/objects/contacts",
                    "params": {"limit": 100, "properties": CONTACT_PROPERTIES},
                    "data_selector": "results",
                    "paginator": {"type": "cursor", "cursor_path": "paging.next.after", "cursor_param": "after"},
                },
            }],
        })
        pipeline = dlt.pipeline(pipeline_name="bench_hubspot_contacts", pipelines_dir=pipelines_dir,
                                destination=dlt.destinations.postgres(credentials=as_url(url, password_placeholder="trust")),
                                dataset_name="hubspot_dlt")
        with CpuMeter(url, sandbox.pid) as meter:
            started = time.perf_counter()
            pipeline.run(source)
            wall = time.perf_counter() - started
        with psycopg.connect(url) as conn:
            rows = conn.execute("SELECT count(*) FROM hubspot_dlt.contacts").fetchone()[0]
        return {"records_loaded": rows, "wall_s": round(wall, 2), "records_per_s": round(rows / wall, 1),
                "peak_rss_mb": peak_rss_mb(), **meter.report()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=200_000)
    parser.add_argument("--dlt-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dlt_only:
        emit(run_dlt(args.contacts))
        return
    ours = run_json(["benchmarks/hubspot_contacts_full_sync.py", "--contacts", str(args.contacts)])
    theirs = run_json(["benchmarks/dlt_comparison.py", "--dlt-only", "--contacts", str(args.contacts)])
    emit({
        "benchmark": "dlt_comparison", "contacts": args.contacts,
        "ours": {k: ours[k] for k in ("records_fetched", "records_per_s", "records_per_s_wall", "wall_s",
                                      "peak_rss_mb", "cpu_s", "loadavg_1m")},
        "dlt": theirs,
        "ratio_ours_to_dlt": round(ours["records_per_s_wall"] / theirs["records_per_s"], 2),
    })


if __name__ == "__main__":
    main()
