"""Genius (the in-house CRM): plain SELECTs on its MySQL/MariaDB database, 30 tables into `genius.<table>`."""

from __future__ import annotations

import os

from dagster import EnvVar

from crm_pipelines.core.source import SandboxWiring, Source
from crm_pipelines.sources.genius.entities import CRM, ENTITIES, REMOVALS, RESOURCE_KEY
from crm_pipelines.sources.genius.resource import (
    DATABASE_URL_ENV, DEFAULT_TIMEZONE, TIMEZONE_ENV, GeniusResource,
)


def local_database(root_url: str) -> dict[str, str]:
    """The local stack's Genius (`make demo`, `make dev`): the server GENIUS_DATABASE_URL names when it is
    set, else an embedded stand-in speaking the MySQL protocol over generated data, started in the calling
    process (the stack's launcher, which outlives its Dagster runs). Genius has no HTTP API, so the HTTP
    sandbox at `root_url` has nothing for it."""
    if os.environ.get(DATABASE_URL_ENV):
        return {}
    from crm_pipelines.sandbox.genius.standin import start_local  # the `local` extra; never in production

    return {DATABASE_URL_ENV: start_local()}


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
        env=local_database,
        resource_config={RESOURCE_KEY: {"database_url": {"env": DATABASE_URL_ENV}}},
    ),
)

__all__ = ["SOURCE"]
