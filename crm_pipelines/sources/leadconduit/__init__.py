"""ActiveProspect LeadConduit: one row per lead, from the `source` events of the Events API."""

from __future__ import annotations

import os

from dagster import EnvVar

from crm_pipelines.core.source import SandboxWiring, Source
from crm_pipelines.sources.leadconduit.entities import CRM, ENTITIES, RESOURCE_KEY
from crm_pipelines.sources.leadconduit.resource import API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL, LeadConduitResource

SANDBOX_API_KEY = "sandbox-leadconduit-key"  # the sandbox emulator's default key


def build_resources() -> dict[str, LeadConduitResource]:
    return {RESOURCE_KEY: LeadConduitResource(api_key=EnvVar(API_KEY_ENV),
                                              base_url=os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL)}


SOURCE = Source(
    crm=CRM,
    entities=ENTITIES,
    resources=build_resources,
    minute=4,
    sandbox=SandboxWiring(
        env=lambda root: {BASE_URL_ENV: f"{root}/leadconduit", API_KEY_ENV: SANDBOX_API_KEY},
        resource_config={RESOURCE_KEY: {"api_key": {"env": API_KEY_ENV}, "base_url": {"env": BASE_URL_ENV},
                                        "requests_per_minute": 0}},
    ),
)

__all__ = ["SOURCE"]
