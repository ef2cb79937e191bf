"""MarketSharp full read end to end through Dagster: the sandbox's MarketSharp emulator (its own process, no
latency, pacing off, server pages of 1,000 rows with rel="next" links) -> client (HMAC-signed requests, Atom
parsed with defusedxml, keyset on (lastUpdate, id)) -> processing -> PostgreSQL, as a full refresh of
`marketsharp/contacts`. Prints one JSON line (rows/s, requests per row, peak RSS).

    .venv/bin/python benchmarks/marketsharp_full_read.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import time

from _common import CpuMeter, emit, scratch_database
from dagster import materialize

from crm_pipelines.core.assets import history_partitions
from crm_pipelines.core.report import peak_rss_mb
from crm_pipelines.core.warehouse import Warehouse
from crm_pipelines.local.stack import running_sandbox
from crm_pipelines.sources.marketsharp import SANDBOX_API_KEY, SANDBOX_COMPANY_ID, SANDBOX_SECRET_KEY, SOURCE
from crm_pipelines.sources.marketsharp.resource import MarketSharpResource


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()

    sandbox_args = ["--crm", "marketsharp", "--marketsharp-counts", f"contacts={args.rows}"]
    asset = SOURCE.entity_assets(history_partitions())["contacts"]
    with scratch_database("marketsharp") as url, running_sandbox(sandbox_args) as (sandbox_url, proc):
        client = MarketSharpResource(base_url=f"{sandbox_url}/marketsharp/WcfDataService.svc",
                                     company_id=SANDBOX_COMPANY_ID, api_key=SANDBOX_API_KEY,
                                     secret_key=SANDBOX_SECRET_KEY, requests_per_minute=0)
        with CpuMeter(url, proc.pid) as meter:
            started = time.perf_counter()
            result = materialize([asset], resources={"marketsharp": client, "warehouse": Warehouse(url=url)},
                                 partition_key="2026-11-28",
                                 run_config={"ops": {"marketsharp__contacts": {"config": {"full_refresh": True}}}})
            wall = time.perf_counter() - started
    meta = {k: v.value for k, v in result.asset_materializations_for_node("marketsharp__contacts")[0].metadata.items()}
    emit({"benchmark": "marketsharp_full_read", "rows": args.rows, "records_fetched": meta["records_fetched"],
          "records_created": meta["records_created"], "records_quarantined": meta["records_quarantined"],
          "duration_s": meta["duration_s"], "rows_per_s": meta["records_per_s"], "wall_s": round(wall, 2),
          "api_calls": meta["api_calls"], "api_calls_per_row": round(meta["api_calls"] / max(args.rows, 1), 5),
          "retries": meta["retries"], "peak_rss_mb": meta["peak_rss_mb"], "process_peak_rss_mb": peak_rss_mb(),
          **meter.report()})


if __name__ == "__main__":
    main()
