"""Arrivy full read end to end through Dagster: the sandbox's Arrivy emulator (its own process, no latency,
pacing off) -> client -> processing -> PostgreSQL. `arrivy/tasks` (the schedule scan plus the unscheduled
and undated calls), then `arrivy/task_statuses` as a full refresh (one history call per task). Prints one
JSON line.

    .venv/bin/python benchmarks/arrivy_full_read.py [--tasks 15000]
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
from crm_pipelines.sources.arrivy import SANDBOX_KEY, SANDBOX_TOKEN, SOURCE
from crm_pipelines.sources.arrivy.resource import ArrivyResource


def read(entity: str, client: ArrivyResource, warehouse_url: str, config: dict) -> tuple[dict, float]:
    asset = SOURCE.entity_assets(history_partitions())[entity]
    started = time.perf_counter()
    result = materialize([asset], resources={"arrivy": client, "warehouse": Warehouse(url=warehouse_url)},
                         partition_key="2026-11-01" if SOURCE.entity(entity).partitioned else None,
                         run_config={"ops": {f"arrivy__{entity}": {"config": config}}})
    wall = time.perf_counter() - started
    meta = {k: v.value for k, v in result.asset_materializations_for_node(f"arrivy__{entity}")[0].metadata.items()}
    return meta, wall


def summary(meta: dict, wall: float) -> dict:
    fetched = meta["records_fetched"]
    return {"records_fetched": fetched, "records_created": meta["records_created"],
            "records_quarantined": meta["records_quarantined"], "duration_s": meta["duration_s"],
            "records_per_s": meta["records_per_s"], "wall_s": round(wall, 2), "api_calls": meta["api_calls"],
            "api_calls_per_record": round(meta["api_calls"] / max(fetched, 1), 5), "retries": meta["retries"],
            "peak_rss_mb": meta["peak_rss_mb"]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=15_000)
    args = parser.parse_args()

    sandbox_args = ["--crm", "arrivy", "--arrivy-counts", f"tasks={args.tasks}"]
    with scratch_database("arrivy") as url, running_sandbox(sandbox_args) as (sandbox_url, proc):
        client = ArrivyResource(base_url=f"{sandbox_url}/arrivy/api", auth_key=SANDBOX_KEY, auth_token=SANDBOX_TOKEN,
                                requests_per_minute=0)
        with CpuMeter(url, proc.pid) as meter:
            tasks = summary(*read("tasks", client, url, {}))
            statuses = summary(*read("task_statuses", client, url, {"full_refresh": True}))
    emit({"benchmark": "arrivy_full_read", "tasks": args.tasks, "arrivy/tasks": tasks,
          "arrivy/task_statuses": statuses, "process_peak_rss_mb": peak_rss_mb(), **meter.report()})


if __name__ == "__main__":
    main()
