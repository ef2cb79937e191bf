"""LeadConduit full read end to end through Dagster: the sandbox's LeadConduit emulator (its own process, no
latency, pacing off) -> client (keyset paging, 1,000 events a page) -> processing -> PostgreSQL, as a full
refresh of `leadconduit/leads` (every event read, the `source` ones loaded). Prints one JSON line.

    .venv/bin/python benchmarks/leadconduit_full_read.py [--events 200000]
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
from crm_pipelines.sources.leadconduit import SANDBOX_API_KEY, SOURCE
from crm_pipelines.sources.leadconduit.resource import LeadConduitResource


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200_000)
    args = parser.parse_args()

    sandbox_args = ["--crm", "leadconduit", "--leadconduit-counts", f"events={args.events}",
                    "--set", 'leadconduit.events_start="2026-06-01T00:00:00Z"']
    asset = SOURCE.entity_assets(history_partitions())["leads"]
    with scratch_database("leadconduit") as url, running_sandbox(sandbox_args) as (sandbox_url, proc):
        client = LeadConduitResource(base_url=f"{sandbox_url}/leadconduit", api_key=SANDBOX_API_KEY,
                                     requests_per_minute=0)
        with CpuMeter(url, proc.pid) as meter:
            started = time.perf_counter()
            result = materialize([asset], resources={"leadconduit": client, "warehouse": Warehouse(url=url)},
                                 partition_key="2026-11-01",
                                 run_config={"ops": {"leadconduit__leads": {"config": {"full_refresh": True}}}})
            wall = time.perf_counter() - started
    meta = {k: v.value for k, v in result.asset_materializations_for_node("leadconduit__leads")[0].metadata.items()}
    # records_fetched counts the leads (source events); every event of the history was read.
    emit({"benchmark": "leadconduit_full_read", "events": args.events, "leads_fetched": meta["records_fetched"],
          "records_created": meta["records_created"], "records_quarantined": meta["records_quarantined"],
          "duration_s": meta["duration_s"], "leads_per_s": meta["records_per_s"],
          "events_per_s": round(args.events / max(meta["duration_s"], 1e-9), 1), "wall_s": round(wall, 2),
          "api_calls": meta["api_calls"], "api_calls_per_event": round(meta["api_calls"] / max(args.events, 1), 5),
          "api_calls_per_lead": round(meta["api_calls"] / max(meta["records_fetched"], 1), 5),
          "retries": meta["retries"], "peak_rss_mb": meta["peak_rss_mb"], "process_peak_rss_mb": peak_rss_mb(),
          **meter.report()})


if __name__ == "__main__":
    main()
