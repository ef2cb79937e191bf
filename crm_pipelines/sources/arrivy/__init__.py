"""Arrivy (field-service scheduling): tasks and their status history, bookings, entities, crews, groups,
status definitions and location reports."""

from __future__ import annotations

import os

from dagster import EnvVar

from crm_pipelines.core.source import SandboxWiring, Source
from crm_pipelines.sources.arrivy.entities import CRM, ENTITIES, RESOURCE_KEY
from crm_pipelines.sources.arrivy.resource import (
    AUTH_KEY_ENV, AUTH_TOKEN_ENV, BASE_URL_ENV, DEFAULT_BASE_URL, ArrivyResource,
)

# The sandbox emulator's default credentials.
SANDBOX_KEY, SANDBOX_TOKEN = "sandbox-arrivy-key", "sandbox-arrivy-token"


def build_resources() -> dict[str, ArrivyResource]:
    return {RESOURCE_KEY: ArrivyResource(auth_key=EnvVar(AUTH_KEY_ENV), auth_token=EnvVar(AUTH_TOKEN_ENV),
                                         base_url=os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL)}


SOURCE = Source(
    crm=CRM,
    entities=ENTITIES,
    resources=build_resources,
    minute=2,
    sandbox=SandboxWiring(
        env=lambda root: {BASE_URL_ENV: f"{root}/arrivy/api", AUTH_KEY_ENV: SANDBOX_KEY, AUTH_TOKEN_ENV: SANDBOX_TOKEN},
        resource_config={RESOURCE_KEY: {"auth_key": {"env": AUTH_KEY_ENV}, "auth_token": {"env": AUTH_TOKEN_ENV},
                                        "base_url": {"env": BASE_URL_ENV}, "requests_per_minute": 0}},
    ),
)

__all__ = ["SOURCE"]
