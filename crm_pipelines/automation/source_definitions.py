"""One source's Definitions: its entity and removal assets, alert and freshness checks, jobs, schedules
and resources. The code location merges every source's (crm_pipelines.definitions)."""

from __future__ import annotations

from dataclasses import dataclass

from dagster import (
    AssetChecksDefinition,
    DailyPartitionsDefinition,
    Definitions,
    build_last_update_freshness_checks,
)

from crm_pipelines.automation.schedules import crm_jobs_and_schedules
from crm_pipelines.core.source import Source


@dataclass(frozen=True)
class SourceDefinitions:
    defs: Definitions
    freshness_checks: list[AssetChecksDefinition]  # evaluated by the code location's freshness sensor


def source_definitions(source: Source, partitions: DailyPartitionsDefinition) -> SourceDefinitions:
    entity_assets = source.entity_assets(partitions)
    hourly = [entity_assets[s.name] for s in source.entities if s.refreshed_hourly]
    weekly = [entity_assets[s.name] for s in source.entities if not s.refreshed_hourly]
    full_reads = [entity_assets[s.name] for s in source.entities if s.weekly_full_read]
    removals = source.removal_assets()
    jobs, schedules = crm_jobs_and_schedules(source.crm, source.minute, hourly, [*weekly, *removals], partitions,
                                             weekly_full_reads=full_reads)
    checks = []
    if hourly:
        checks += build_last_update_freshness_checks(assets=hourly, lower_bound_delta=source.freshness)
    if weekly:
        checks += build_last_update_freshness_checks(assets=weekly, lower_bound_delta=source.weekly_freshness)
    defs = Definitions(assets=[*entity_assets.values(), *removals], asset_checks=checks, jobs=jobs,
                       schedules=schedules, resources=dict(source.resources()))
    return SourceDefinitions(defs, checks)
