"""Environments for `dagster` subprocesses: nothing of the developer's own credentials or warehouse leaks
into a test (every discovered source's variables are removed, whatever the CRM)."""

from __future__ import annotations

import os
from pathlib import Path

from crm_pipelines.sources import discover


def env_without_credentials() -> dict[str, str]:
    prefixes = ("CRM_", "DAGSTER_HOME", *(f"{source.crm.upper()}_" for source in discover()))
    return {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}


def cli_environment(warehouse_url: str, home: Path, **variables: str) -> dict[str, str]:
    """A scrubbed environment with its own DAGSTER_HOME and CRM_PIPELINES_HOME under `home`."""
    env = env_without_credentials()
    env.update(CRM_WAREHOUSE_URL=warehouse_url, DAGSTER_HOME=str(home), CRM_PIPELINES_HOME=str(home / "home"),
               **variables)
    return env
