"""The code location: every source's entity assets (+ checks), removal assets, schedules, alert sensors,
freshness checks, the quarantine replay job and the resources they run with."""

from __future__ import annotations

import os

from dagster import (
    DefaultSensorStatus,
    Definitions,
    EnvVar,
    build_last_update_freshness_checks,
    build_sensor_for_freshness_checks,
)

from crm_pipelines.automation.schedules import crm_jobs_and_schedules
from crm_pipelines.automation.sensors import ALERT_SENSORS
from crm_pipelines.automation.settings import settings_for
from crm_pipelines.core.assets import build_entity_asset, history_partitions
from crm_pipelines.core.replay import build_replay_job
from crm_pipelines.core.warehouse import Warehouse
from crm_pipelines.sources import hubspot

SOURCES = [hubspot]


def build_definitions() -> Definitions:
    partitions = history_partitions()
    assets, checks, jobs, schedules = [], [], [], []
    for source in SOURCES:
        crm = source.ENTITIES[0].crm
        settings = settings_for(crm)
        entity_assets = {spec.name: build_entity_asset(spec, partitions, settings.thresholds)
                         for spec in source.ENTITIES}
        partitioned = [entity_assets[s.name] for s in source.ENTITIES if s.partitioned]
        unpartitioned = [entity_assets[s.name] for s in source.ENTITIES if not s.partitioned]
        removals = source.build_removal_assets(source.ENTITIES)
        assets += [*entity_assets.values(), *removals]
        crm_jobs, crm_schedules = crm_jobs_and_schedules(crm, partitioned, [*unpartitioned, *removals], partitions)
        jobs += crm_jobs
        schedules += crm_schedules
        if partitioned:
            checks += build_last_update_freshness_checks(assets=partitioned, lower_bound_delta=settings.freshness)
        if unpartitioned:
            checks += build_last_update_freshness_checks(assets=unpartitioned,
                                                         lower_bound_delta=settings.weekly_freshness)
    # Freshness alerts on open-source Dagster: this sensor runs the freshness checks, and the
    # check_failure_alerts sensor turns a failing one into an alert. Off by default, like the schedules.
    freshness_sensor = build_sensor_for_freshness_checks(
        freshness_checks=checks, name="freshness_checks_sensor", default_status=DefaultSensorStatus.STOPPED)
    # Unset CRM_WAREHOUSE_URL means the embedded PostgreSQL under CRM_PIPELINES_HOME (CONVENTIONS.md).
    warehouse = Warehouse(url=EnvVar("CRM_WAREHOUSE_URL") if os.environ.get("CRM_WAREHOUSE_URL") else None)
    resources = {"warehouse": warehouse}
    for source in SOURCES:
        resources.update(source.build_resources())
    return Definitions(
        assets=assets, asset_checks=checks, schedules=schedules, sensors=[*ALERT_SENSORS, freshness_sensor],
        jobs=[*jobs, build_replay_job([spec for source in SOURCES for spec in source.ENTITIES])],
        resources=resources)


defs = build_definitions()
