"""Genius (the in-house CRM): plain SELECTs on its MySQL/MariaDB database, 30 tables into `genius.<table>`."""

from __future__ import annotations

import os

from dagster import EnvVar

from crm_pipelines.core.source import SandboxWiring, Source
from crm_pipelines.sources.genius.entities import CRM, ENTITIES, REMOVALS, RESOURCE_KEY
from crm_pipelines.sources.genius.resource import (
    DATABASE_URL_ENV, DEFAULT_TIMEZONE, TIMEZONE_ENV, GeniusResource,
)


def build_resources() -> dict[str, GeniusResource]:
    return {RESOURCE_KEY: GeniusResource(database_url=EnvVar(DATABASE_URL_ENV),
                                         timezone=os.environ.get(TIMEZONE_ENV) or DEFAULT_TIMEZONE)}


SOURCE = Source(
    crm=CRM,
    entities=ENTITIES,
    resources=build_resources,
    minute=8,  # the legacy system's :08 slot (sync_genius_all)
    pool="genius_db",
    removals=REMOVALS,
    sandbox=SandboxWiring(
        env=lambda root: {},
        resource_config={RESOURCE_KEY: {"database_url": {"env": DATABASE_URL_ENV}}},
    ),
)

__all__ = ["SOURCE"]
