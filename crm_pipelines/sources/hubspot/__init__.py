"""HubSpot: contacts, companies, deals, appointments, divisions, genius users, owners and associations."""

from __future__ import annotations

import os

from dagster import EnvVar

from crm_pipelines.sources.hubspot.entities import ENTITIES, RESOURCE_KEY
from crm_pipelines.sources.hubspot.removal import build_removal_assets
from crm_pipelines.sources.hubspot.resource import TOKEN_ENV, HubSpotResource

DEFAULT_BASE_URL = "https://api.hubapi.com"


def build_resources() -> dict[str, HubSpotResource]:
    return {RESOURCE_KEY: HubSpotResource(access_token=EnvVar(TOKEN_ENV),
                                          base_url=os.environ.get("HUBSPOT_BASE_URL") or DEFAULT_BASE_URL)}


__all__ = ["ENTITIES", "build_removal_assets", "build_resources"]
