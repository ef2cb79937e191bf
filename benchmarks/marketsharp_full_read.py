"""MarketSharp full read end to end through Dagster: pages of the sandbox's MarketSharp emulator (server pages
of 1,000 rows with rel="next" links, forbidden characters included), pre-rendered (benchmarks/prerendered.py:
read once untimed, then served as bytes) -> client (HMAC-signed requests, defusedxml + lxml, keyset on
(lastUpdate, id), pacing off) -> processing -> PostgreSQL, as a full refresh of `marketsharp/contacts`.
Prints one JSON line (rows/s, requests per row, peak RSS; `cpu_s.server` is the pre-rendered server's).

    .venv/bin/python benchmarks/marketsharp_full_read.py [--rows 100000] [--live] [--profile f.prof]

`--live` times the run against the sandbox itself (its rendering, ~75 µs a row, is then in the figure).
"""

from __future__ import annotations

import argparse
import cProfile
import time

from _common import CpuMeter, emit, scratch_database
from dagster import materialize
from prerendered import prerendered

from crm_pipelines.core.assets import history_partitions
from crm_pipelines.core.report import peak_rss_mb
from crm_pipelines.core.warehouse import Warehouse
from crm_pipelines.local.stack import running_sandbox
from crm_pipelines.sources.marketsharp import SANDBOX_API_KEY, SANDBOX_COMPANY_ID, SANDBOX_SECRET_KEY, SOURCE
from crm_pipelines.sources.marketsharp.resource import MarketSharpResource
from crm_pipelines.sources.marketsharp.sets import SETS

SOURCE_SETS = {setdef.table: setdef for setdef in SETS}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--profile", help="write a cProfile of the run (its main thread) to this file")
    parser.add_argument("--live", action="store_true", help="time against the sandbox, not pre-rendered pages")
    args = parser.parse_args()

    sandbox_args = ["--crm", "marketsharp", "--marketsharp-counts", f"contacts={args.rows}"]
    asset = SOURCE.entity_assets(history_partitions())["contacts"]
    with (scratch_database("marketsharp") as url, running_sandbox(sandbox_args) as (sandbox_url, sandbox_proc),
          prerendered(sandbox_url) as server):
        base_url = sandbox_url if args.live else server.url
        client = MarketSharpResource(base_url=f"{base_url}/marketsharp/WcfDataService.svc",
                                     company_id=SANDBOX_COMPANY_ID, api_key=SANDBOX_API_KEY,
                                     secret_key=SANDBOX_SECRET_KEY, requests_per_minute=0)
        if not args.live:  # render every page once, untimed: the same queries a full refresh makes
            warmed = sum(len(page) for page in client.read(SOURCE_SETS["contacts"]))
            assert warmed == args.rows, f"warm-up read {warmed} of {args.rows} rows"
        forwarded_before = server.forwarded()
        with CpuMeter(url, sandbox_proc.pid if args.live else server.pid) as meter:
            started = time.perf_counter()

            def run():
                return materialize([asset], resources={"marketsharp": client, "warehouse": Warehouse(url=url)},
                                   partition_key="2026-11-28",
                                   run_config={"ops": {"marketsharp__contacts": {"config": {"full_refresh": True}}}})
            if args.profile:
                profiler = cProfile.Profile()
                result = profiler.runcall(run)
                profiler.dump_stats(args.profile)
            else:
                result = run()
            wall = time.perf_counter() - started
        rendered_during_run = server.forwarded() - forwarded_before
    meta = {k: v.value for k, v in result.asset_materializations_for_node("marketsharp__contacts")[0].metadata.items()}
    emit({"benchmark": "marketsharp_full_read", "rows": args.rows, "records_fetched": meta["records_fetched"],
          "records_created": meta["records_created"], "records_quarantined": meta["records_quarantined"],
          "duration_s": meta["duration_s"], "rows_per_s": meta["records_per_s"], "wall_s": round(wall, 2),
          "api_calls": meta["api_calls"], "api_calls_per_row": round(meta["api_calls"] / max(args.rows, 1), 5),
          "retries": meta["retries"], "peak_rss_mb": meta["peak_rss_mb"], "process_peak_rss_mb": peak_rss_mb(),
          "server": "sandbox" if args.live else "prerendered", "pages_rendered_during_run": rendered_during_run,
          **_server_key(meter.report())})


def _server_key(report: dict) -> dict:
    report["cpu_s"]["server"] = report["cpu_s"].pop("sandbox")
    return report


if __name__ == "__main__":
    main()
