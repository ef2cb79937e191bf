"""`make demo`: start the sandbox and the embedded warehouse, run a full sync of every entity through
Dagster (`dagster asset materialize`, as an operator would), and print a per-entity summary."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

from crm_pipelines.local.stack import REPO_ROOT, restore_default_signals, sandbox_process, stack_environment
from crm_pipelines.sources import discover

SUMMARY_KEYS = ("records_fetched", "records_created", "records_updated", "records_with_issues", "records_quarantined",
                "records_deleted", "api_calls", "records_per_s", "peak_rss_mb")


def materialize(env: dict[str, str], selection: list[str], run_config: dict, partition: str | None) -> None:
    command = [sys.executable, "-m", "dagster", "asset", "materialize", "-m", "crm_pipelines.definitions",
               "--select", ",".join(selection), "--config-json", json.dumps(run_config)]
    if partition:
        command += ["--partition", partition]
    result = subprocess.run(command, env={**os.environ, **env}, cwd=REPO_ROOT, capture_output=True, text=True,
                            preexec_fn=restore_default_signals)
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"demo: materializing {selection} failed (exit {result.returncode})")


def summary(env: dict[str, str], keys: list[str]) -> str:
    os.environ.update(env)
    from dagster import AssetKey, DagsterInstance

    instance = DagsterInstance.get()
    header = f"{'asset':<30}" + "".join(f"{k.replace('records_', ''):>13}" for k in SUMMARY_KEYS)
    lines = [header, "-" * len(header)]
    for key in keys:
        event = instance.get_latest_materialization_event(AssetKey(key.split("/")))
        metadata = event.asset_materialization.metadata if event else {}
        cells = "".join(f"{_value(metadata.get(k)):>13}" for k in SUMMARY_KEYS)
        lines.append(f"{key:<30}{cells}")
    return "\n".join(lines)


def _value(entry) -> str:
    return "-" if entry is None else str(entry.value)


def runs_in_dependency_order(entities: list) -> list[tuple[bool, list]]:
    """The entities as runs of one kind each (partitioned or not: one `dagster asset materialize` cannot mix
    a partition key with unpartitioned assets), every entity after those of its CRM it depends on."""
    names = {e.name for e in entities}
    done: set[str] = set()
    left = list(entities)
    runs = []
    while left:
        ready = [e for e in left if all(d[-1] in done for d in e.deps if d[-1] in names)]
        if not ready:
            raise ValueError(f"dependency cycle among {[e.name for e in left]}")
        kind = ready[0].partitioned
        run = [e for e in ready if e.partitioned == kind]
        runs.append((kind, run))
        done.update(e.name for e in run)
        left = [e for e in left if e.name not in done]
    return runs


def main() -> None:
    sources = discover()
    with sandbox_process() as sandbox_url:
        env = stack_environment(sandbox_url)
        print(f"sandbox: {sandbox_url}  warehouse: {env['CRM_WAREHOUSE_URL']}  "
              f"DAGSTER_HOME: {env['DAGSTER_HOME']}", flush=True)
        today = dt.datetime.now(dt.timezone.utc).date().isoformat()
        shown = []
        for source in sources:
            resources = {key: {"config": dict(config)} for key, config in source.sandbox.resource_config.items()}
            for partitioned, entities in runs_in_dependency_order(list(source.entities)):
                # An entity with companions is one op materializing them all: select every key, configure the op.
                keys = ["/".join(key) for e in entities for key in e.asset_keys]
                ops = [f"{source.crm}__{e.name}" for e in entities]
                if partitioned:  # a full refresh (a partition key is still required; any will do)
                    config = {"ops": {op: {"config": {"full_refresh": True}} for op in ops}, "resources": resources}
                    materialize(env, keys, config, today)
                else:
                    materialize(env, keys, {"resources": resources}, None)
                shown += keys
        print(summary(env, shown))


if __name__ == "__main__":
    main()
