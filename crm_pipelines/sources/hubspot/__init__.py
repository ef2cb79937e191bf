"""HubSpot: contacts, companies, deals, appointments, divisions, genius users, owners and associations."""

from __future__ import annotations

import os

from dagster import EnvVar

from crm_pipelines.core.source import SandboxWiring, Source
from crm_pipelines.sources.hubspot.entities import CRM, ENTITIES, RESOURCE_KEY
from crm_pipelines.sources.hubspot.removal import REMOVALS
from crm_pipelines.sources.hubspot.resource import TOKEN_ENV, HubSpotResource

BASE_URL_ENV = "HUBSPOT_BASE_URL"
DEFAULT_BASE_URL = "https://api.hubapi.com"
SANDBOX_TOKEN = "sandbox-hubspot-token"  # the sandbox emulator's default token


def build_resources() -> dict[str, HubSpotResource]:
    return {RESOURCE_KEY: HubSpotResource(access_token=EnvVar(TOKEN_ENV),
                                          base_url=os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL)}


SOURCE = Source(
    crm=CRM,
    entities=ENTITIES,
    resources=build_resources,
    minute=0,
    removals=REMOVALS,
    sandbox=SandboxWiring(
        env=lambda root: {BASE_URL_ENV: f"{root}/hubspot", TOKEN_ENV: SANDBOX_TOKEN},
        # The sandbox enforces no budget by default: the demo lifts the client-side pacing too.
        resource_config={RESOURCE_KEY: {"access_token": {"env": TOKEN_ENV}, "base_url": {"env": BASE_URL_ENV},
                                        "requests_per_10s": 0, "search_requests_per_s": 0}},
    ),
)

__all__ = ["SOURCE"]
