"""The code location: every discovered source's Definitions (entity and removal assets, checks, jobs,
schedules, resources), merged with what all sources share: the alert sensors, the freshness sensor, the
quarantine replay job and the warehouse."""

from __future__ import annotations

from dagster import DefaultSensorStatus, Definitions, EnvVar, build_sensor_for_freshness_checks

from crm_pipelines.automation.sensors import build_alert_sensors
from crm_pipelines.automation.source_definitions import source_definitions
from crm_pipelines.core.assets import history_partitions
from crm_pipelines.core.executor import celery_configured, crm_executor
from crm_pipelines.core.replay import build_replay_job
from crm_pipelines.core.shared_ratelimit import shared_store
from crm_pipelines.core.warehouse import WAREHOUSE_URL_ENV, Warehouse
from crm_pipelines.sources import discover


def build_definitions() -> Definitions:
    shared_store()  # a malformed CRM_RATE_LIMIT_REDIS_URL fails the load, naming it
    sources = discover()
    partitions = history_partitions()
    per_source = [source_definitions(source, partitions) for source in sources]
    # Freshness alerts on open-source Dagster: this sensor runs the freshness checks, and the
    # check_failure_alerts sensor turns a failing one into an alert. Off by default, like the schedules.
    freshness_sensor = build_sensor_for_freshness_checks(
        freshness_checks=[check for s in per_source for check in s.freshness_checks],
        name="freshness_checks_sensor", default_status=DefaultSensorStatus.STOPPED)
    shared = Definitions(
        sensors=[*build_alert_sensors({source.crm: source.thresholds for source in sources}), freshness_sensor],
        jobs=[build_replay_job([spec for source in sources for spec in source.entities])],
        # A URL, or "embedded"; unset, every run fails at once naming the variable (never a throwaway
        # database in a deployment).
        resources={"warehouse": Warehouse(url=EnvVar(WAREHOUSE_URL_ENV))},
        # Backfills and UI materializations run the asset job: on Celery workers too when configured
        # (unset: Dagster's default executor, as before).
        executor=crm_executor() if celery_configured() else None)
    return Definitions.merge(*(s.defs for s in per_source), shared)


defs = build_definitions()
