"""MarketSharp (home-improvement CRM): its OData v2 entity sets, Atom XML over HMAC-signed requests."""

from __future__ import annotations

import os

from dagster import EnvVar

from crm_pipelines.core.source import SandboxWiring, Source
from crm_pipelines.sources.marketsharp.entities import CRM, ENTITIES, RESOURCE_KEY
from crm_pipelines.sources.marketsharp.resource import (
    API_KEY_ENV, BASE_URL_ENV, COMPANY_ID_ENV, DEFAULT_BASE_URL, DEFAULT_TIMEZONE, SECRET_KEY_ENV, TIMEZONE_ENV,
    MarketSharpResource,
)

# The sandbox emulator's default credentials (the secret is base64, as MarketSharp's are).
SANDBOX_COMPANY_ID, SANDBOX_API_KEY = "4328", "sandbox-marketsharp-key"
SANDBOX_SECRET_KEY = "c2FuZGJveC1tYXJrZXRzaGFycC1zZWNyZXQ="


def build_resources() -> dict[str, MarketSharpResource]:
    return {RESOURCE_KEY: MarketSharpResource(
        company_id=EnvVar(COMPANY_ID_ENV), api_key=EnvVar(API_KEY_ENV), secret_key=EnvVar(SECRET_KEY_ENV),
        base_url=os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL,
        timezone=os.environ.get(TIMEZONE_ENV) or DEFAULT_TIMEZONE)}


SOURCE = Source(
    crm=CRM,
    entities=ENTITIES,
    resources=build_resources,
    minute=12,  # the next free legacy-style slot after SalesPro's :10
    sandbox=SandboxWiring(
        env=lambda root: {BASE_URL_ENV: f"{root}/marketsharp/WcfDataService.svc", COMPANY_ID_ENV: SANDBOX_COMPANY_ID,
                          API_KEY_ENV: SANDBOX_API_KEY, SECRET_KEY_ENV: SANDBOX_SECRET_KEY},
        resource_config={RESOURCE_KEY: {
            "company_id": {"env": COMPANY_ID_ENV}, "api_key": {"env": API_KEY_ENV},
            "secret_key": {"env": SECRET_KEY_ENV}, "base_url": {"env": BASE_URL_ENV}, "requests_per_minute": 0}},
    ),
)

__all__ = ["SOURCE"]
