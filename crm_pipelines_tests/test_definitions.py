"""The code location keeps the CONVENTIONS.md contract: names, groups, kinds, pools, partitions, config."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from dagster import AssetKey, BackfillPolicy, DailyPartitionsDefinition

from crm_pipelines.definitions import defs

REPO_ROOT = Path(__file__).resolve().parents[1]
HUBSPOT = ["contacts", "companies", "deals", "appointments", "divisions", "genius_users", "owners",
           "contact_appointments", "contact_divisions"]
PARTITIONED = {"contacts", "companies", "deals", "appointments", "divisions", "genius_users"}


def _env_without_credentials() -> dict[str, str]:
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("HUBSPOT_", "CRM_", "DAGSTER_HOME"))}


def test_definitions_validate_without_any_credentials():
    result = subprocess.run([sys.executable, "-m", "dagster", "definitions", "validate", "-m",
                             "crm_pipelines.definitions"], cwd=REPO_ROOT, env=_env_without_credentials(),
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


@pytest.mark.parametrize("entity", HUBSPOT)
def test_hubspot_asset_follows_the_conventions(entity):
    key = AssetKey(["hubspot", entity])
    spec = defs.resolve_assets_def(key).specs_by_key[key]
    assets_def = defs.resolve_assets_def(key)
    assert spec.group_name == "hubspot"
    assert spec.kinds == {"hubspot", "postgres"}
    assert assets_def.node_def.name == f"hubspot__{entity}"
    assert assets_def.node_def.pool == "hubspot_api"
    config_fields = set(assets_def.node_def.config_schema.config_type.fields)
    assert {"dry_run", "limit", "batch_size", "full_refresh"} <= config_fields
    check_names = {c.name for c in assets_def.check_specs}
    assert {"quarantine_rate", "data_quality"} <= check_names
    if entity in PARTITIONED:
        assert isinstance(spec.partitions_def, DailyPartitionsDefinition)
        assert spec.partitions_def.timezone == "UTC"
        assert assets_def.backfill_policy == BackfillPolicy.single_run()
    else:
        assert spec.partitions_def is None


def test_history_start_is_configurable_and_checked(monkeypatch):
    from crm_pipelines.core.assets import history_partitions

    monkeypatch.setenv("CRM_HISTORY_START", "2024-05-01")
    assert history_partitions().start.date().isoformat() == "2024-05-01"
    monkeypatch.setenv("CRM_HISTORY_START", "May 2024")
    with pytest.raises(ValueError, match="CRM_HISTORY_START"):
        history_partitions()


def test_bad_resource_config_names_the_setting():
    from crm_pipelines.sources.hubspot.resource import HubSpotResource

    with pytest.raises(Exception, match="search_page_size"):
        HubSpotResource(access_token="x", search_page_size=500)
    with pytest.raises(Exception, match="base_url"):
        HubSpotResource(access_token="x", base_url="api.hubapi.com")
    with pytest.raises(Exception, match="search_windows_in_flight must be between 1 and 16, got 0"):
        HubSpotResource(access_token="x", search_windows_in_flight=0)
