"""SalesPro full read end to end through Dagster: the sandbox's Athena stand-in (its own process; DuckDB
runs the query) -> boto3 over HTTP (start, poll, GetQueryResults pages of 1,000 rows) -> typing -> PostgreSQL,
as a full refresh of `salespro/estimates`. Prints one JSON line: rows/s, the queries and result pages the
read took (per row too), peak RSS.

    .venv/bin/python benchmarks/salespro_full_read.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import tempfile
import time

import httpx
from _common import CpuMeter, emit, scratch_database
from dagster import materialize

from crm_pipelines.core.assets import history_partitions
from crm_pipelines.core.report import peak_rss_mb
from crm_pipelines.core.warehouse import Warehouse
from crm_pipelines.local.stack import running_sandbox
from crm_pipelines.sources.salespro import SANDBOX_ACCESS_KEY_ID, SANDBOX_SECRET, SOURCE
from crm_pipelines.sources.salespro.resource import SalesProResource


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--prefetch-pages", type=int, default=2)
    args = parser.parse_args()

    exports = tempfile.mkdtemp(prefix="salespro_exports_")
    sandbox_args = ["--crm", "salespro", "--salespro-counts", f"estimates={args.rows}",
                    "--set", f"salespro.exports_dir={exports}"]
    asset = SOURCE.entity_assets(history_partitions())["estimates"]
    with scratch_database("salespro") as url, running_sandbox(sandbox_args) as (sandbox_url, proc):
        client = SalesProResource(endpoint_url=f"{sandbox_url}/salespro/", aws_access_key_id=SANDBOX_ACCESS_KEY_ID,
                                  aws_secret_access_key=SANDBOX_SECRET, exports_dir=exports,
                                  prefetch_pages=args.prefetch_pages)
        with CpuMeter(url, proc.pid) as meter:
            started = time.perf_counter()
            result = materialize([asset], resources={"salespro": client, "warehouse": Warehouse(url=url)},
                                 partition_key="2026-11-28",
                                 run_config={"ops": {"salespro__estimates": {"config": {"full_refresh": True}}}})
            wall = time.perf_counter() - started
        requests = httpx.get(f"{sandbox_url}/_sandbox/salespro/stats", timeout=60).json()["requests"]
    meta = {k: v.value for k, v in result.asset_materializations_for_node("salespro__estimates")[0].metadata.items()}
    queries, pages = requests.get("StartQueryExecution", 0), requests.get("GetQueryResults", 0)
    emit({"benchmark": "salespro_full_read", "rows": args.rows, "records_fetched": meta["records_fetched"],
          "records_created": meta["records_created"], "records_quarantined": meta["records_quarantined"],
          "duration_s": meta["duration_s"], "rows_per_s": meta["records_per_s"], "wall_s": round(wall, 2),
          "queries": queries, "result_pages": pages, "polls": requests.get("GetQueryExecution", 0),
          "queries_per_row": round(queries / max(args.rows, 1), 7),
          "result_pages_per_row": round(pages / max(args.rows, 1), 5), "api_calls": meta["api_calls"],
          "retries": meta["retries"], "peak_rss_mb": meta["peak_rss_mb"], "process_peak_rss_mb": peak_rss_mb(),
          **meter.report()})


if __name__ == "__main__":
    main()
