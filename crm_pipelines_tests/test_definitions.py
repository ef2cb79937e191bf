"""The code location keeps the CONVENTIONS.md contract for every discovered source: names, groups, kinds,
pools, partitions, run config; and its whole Dagster surface matches the reviewed snapshot."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from dagster import AssetKey, BackfillPolicy, DailyPartitionsDefinition

from crm_pipelines.definitions import defs
from crm_pipelines.sources import discover
from crm_pipelines_tests.support import env_without_credentials

REPO_ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = Path(__file__).with_name("definitions_snapshot.json")
UPDATE_ENV = "CRM_UPDATE_SNAPSHOT"
SOURCES = discover()
REPOSITORY = defs.get_repository_def()
ENTITIES = [(source, spec) for source in SOURCES for spec in source.entities]


def test_definitions_validate_without_any_credentials():
    result = subprocess.run([sys.executable, "-m", "dagster", "definitions", "validate", "-m",
                             "crm_pipelines.definitions"], cwd=REPO_ROOT, env=env_without_credentials(),
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


@pytest.mark.parametrize("source,spec", ENTITIES, ids=[f"{s.crm}/{e.name}" for s, e in ENTITIES])
def test_entity_asset_follows_the_conventions(source, spec):
    key = AssetKey([source.crm, spec.name])
    assets_def = defs.resolve_assets_def(key)
    asset_spec = assets_def.specs_by_key[key]
    assert asset_spec.group_name == source.crm
    assert asset_spec.kinds == {source.crm, "postgres"}
    assert assets_def.node_def.name == f"{source.crm}__{spec.name}"
    assert assets_def.node_def.pool == source.pool_name
    config_fields = set(assets_def.node_def.config_schema.config_type.fields)
    assert {"dry_run", "limit", "batch_size", "full_refresh"} <= config_fields
    assert {"quarantine_rate", "data_quality"} <= {c.name for c in assets_def.check_specs}
    if spec.partitioned:
        assert isinstance(asset_spec.partitions_def, DailyPartitionsDefinition)
        assert asset_spec.partitions_def.timezone == "UTC"
        assert assets_def.backfill_policy == BackfillPolicy.single_run()
    else:
        assert asset_spec.partitions_def is None


def test_pools_are_named_by_each_source():
    pools = {source.crm: source.pool_name for source in SOURCES}
    expected = {"genius": "genius_db", "salespro": "salespro_athena"}
    assert pools == {crm: expected.get(crm, f"{crm}_api") for crm in pools}


def surface() -> dict:
    """Every asset, check, job, schedule, sensor and pool of the code location, as plain data."""
    assets = {}
    for assets_def in REPOSITORY.assets_defs_by_key.values():
        for key in assets_def.keys:
            spec = assets_def.specs_by_key[key]
            assets["/".join(key.path)] = {
                "group": spec.group_name, "kinds": sorted(spec.kinds), "pool": assets_def.node_def.pool,
                "partitioned": spec.partitions_def is not None,
                "deps": sorted("/".join(d.asset_key.path) for d in spec.deps),
                "checks": sorted(c.name for c in assets_def.check_specs),
            }
    checks = sorted(f"{'/'.join(k.asset_key.path)}:{k.name}" for k in REPOSITORY.asset_graph.asset_check_keys)
    schedules = {s.name: {"cron": s.cron_schedule, "job": s.job_name, "status": s.default_status.value}
                 for s in REPOSITORY.schedule_defs}
    sensors = {s.name: s.default_status.value for s in REPOSITORY.sensor_defs}
    jobs = {job.name: sorted("/".join(k.path) for k in job.asset_layer.selected_asset_keys)
            for job in sorted(REPOSITORY.get_all_jobs(), key=lambda j: j.name) if not job.name.startswith("__")}
    return {"assets": dict(sorted(assets.items())), "checks": checks, "jobs": jobs,
            "schedules": dict(sorted(schedules.items())), "sensors": dict(sorted(sensors.items())),
            "pools": sorted({a["pool"] for a in assets.values() if a["pool"]})}


def test_dagster_surface_matches_the_reviewed_snapshot():
    current = surface()
    if os.environ.get(UPDATE_ENV):
        SNAPSHOT.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n")
    assert current == json.loads(SNAPSHOT.read_text()), (
        f"the Dagster surface changed: review the diff, then rerun with {UPDATE_ENV}=1 to accept it")


def test_history_start_is_configurable_and_checked(monkeypatch):
    from crm_pipelines.core.assets import history_partitions

    monkeypatch.setenv("CRM_HISTORY_START", "2024-05-01")
    assert history_partitions().start.date().isoformat() == "2024-05-01"
    monkeypatch.setenv("CRM_HISTORY_START", "May 2024")
    with pytest.raises(ValueError, match="CRM_HISTORY_START"):
        history_partitions()
