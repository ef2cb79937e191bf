"""SalesPro (Leap): its data through AWS Athena (boto3) and its offices and users as CSV exports."""

from __future__ import annotations

import os

from dagster import EnvVar

from crm_pipelines.core.embedded_pg import pipelines_home
from crm_pipelines.core.source import SandboxWiring, Source
from crm_pipelines.sources.salespro.entities import CRM, ENTITIES, RESOURCE_KEY
from crm_pipelines.sources.salespro.resource import (
    ACCESS_KEY_ENV, DATABASE_ENV, DEFAULT_DATABASE, DEFAULT_REGION, DEFAULT_WORKGROUP, ENDPOINT_ENV, EXPORTS_DIR_ENV,
    OUTPUT_ENV, REGION_ENV, SECRET_KEY_ENV, WORKGROUP_ENV, SalesProResource,
)

# The sandbox emulator's access key id (only the key id is checked there; any secret signs).
SANDBOX_ACCESS_KEY_ID, SANDBOX_SECRET = "AKIASANDBOXSALESPRO", "sandbox-salespro-secret"


def build_resources() -> dict[str, SalesProResource]:
    return {RESOURCE_KEY: SalesProResource(
        aws_access_key_id=EnvVar(ACCESS_KEY_ENV), aws_secret_access_key=EnvVar(SECRET_KEY_ENV),
        region=os.environ.get(REGION_ENV) or DEFAULT_REGION,
        database=os.environ.get(DATABASE_ENV) or DEFAULT_DATABASE,
        workgroup=os.environ.get(WORKGROUP_ENV) or DEFAULT_WORKGROUP,
        output_location=os.environ.get(OUTPUT_ENV) or "",
        endpoint_url=os.environ.get(ENDPOINT_ENV) or "",
        exports_dir=os.environ.get(EXPORTS_DIR_ENV) or "")}


def sandbox_exports_dir() -> str:
    """Where the sandbox emulator writes its CSV exports by default (its config's `exports_dir`)."""
    return str(pipelines_home() / "sandbox" / "salespro" / "exports")


SOURCE = Source(
    crm=CRM,
    entities=ENTITIES,
    resources=build_resources,
    minute=10,  # the legacy system's SalesPro slot
    pool="salespro_athena",
    sandbox=SandboxWiring(
        env=lambda root: {ENDPOINT_ENV: f"{root}/salespro/", ACCESS_KEY_ENV: SANDBOX_ACCESS_KEY_ID,
                          SECRET_KEY_ENV: SANDBOX_SECRET, EXPORTS_DIR_ENV: sandbox_exports_dir()},
        resource_config={RESOURCE_KEY: {
            "aws_access_key_id": {"env": ACCESS_KEY_ENV}, "aws_secret_access_key": {"env": SECRET_KEY_ENV},
            "endpoint_url": {"env": ENDPOINT_ENV}, "exports_dir": {"env": EXPORTS_DIR_ENV}}},
    ),
)

__all__ = ["SOURCE"]
