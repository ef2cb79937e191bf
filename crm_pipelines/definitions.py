"""The code location: every source's entity assets and the resources they run with."""

from __future__ import annotations

import os

from dagster import Definitions, EnvVar

from crm_pipelines.core.assets import build_entity_asset, history_partitions
from crm_pipelines.core.warehouse import Warehouse
from crm_pipelines.sources import hubspot

SOURCES = [hubspot]


def build_definitions() -> Definitions:
    partitions = history_partitions()
    assets = [build_entity_asset(spec, partitions) for source in SOURCES for spec in source.ENTITIES]
    # Unset CRM_WAREHOUSE_URL means the embedded PostgreSQL under CRM_PIPELINES_HOME (CONVENTIONS.md).
    warehouse = Warehouse(url=EnvVar("CRM_WAREHOUSE_URL") if os.environ.get("CRM_WAREHOUSE_URL") else None)
    resources = {"warehouse": warehouse}
    for source in SOURCES:
        resources.update(source.build_resources())
    return Definitions(assets=assets, resources=resources)


defs = build_definitions()
