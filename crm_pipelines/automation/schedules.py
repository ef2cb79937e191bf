"""Per-CRM jobs and schedules: hourly for the partitioned entities (legacy staggered slots), weekly full
refresh for the unpartitioned ones, deletion detection and the partitioned entities that need a complete
read weekly. All schedules start stopped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from dagster import (
    AssetKey,
    AssetSelection,
    AssetsDefinition,
    DailyPartitionsDefinition,
    DefaultScheduleStatus,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    define_asset_job,
    schedule,
)

from crm_pipelines.core.executor import crm_executor

# Each CRM job runs its steps in the run's own process, or on Celery workers when a broker is configured
# (crm_pipelines.core.executor).

# Before this hour (UTC) the hourly run also refreshes yesterday's partition, so records modified just
# before midnight (or indexed late by the source) are not missed.
PREVIOUS_DAY_UNTIL_HOUR = 3


def partitions_to_refresh(moment: dt.datetime) -> list[str]:
    today = moment.astimezone(dt.timezone.utc).date()
    keys = [today.isoformat()]
    if moment.astimezone(dt.timezone.utc).hour < PREVIOUS_DAY_UNTIL_HOUR:
        keys.append((today - dt.timedelta(days=1)).isoformat())
    return keys


def _keys(assets: Sequence[AssetsDefinition]) -> list[AssetKey]:
    return [key for a in assets for key in a.keys]


def crm_jobs_and_schedules(crm: str, minute: int, hourly: Sequence[AssetsDefinition],
                           weekly: Sequence[AssetsDefinition], partitions_def: DailyPartitionsDefinition,
                           weekly_full_reads: Sequence[AssetsDefinition] = ()) -> tuple[list, list[ScheduleDefinition]]:
    """`hourly`: the partitioned entities (today's partition) and any unpartitioned one read in full every
    hour; `weekly`: the other unpartitioned entities and the removal assets; `weekly_full_reads`: partitioned
    entities the weekly run also reads in full (`EntitySpec.weekly_full_read`)."""
    jobs, schedules = [], []
    if hourly:
        hourly_job = define_asset_job(f"{crm}_hourly", selection=AssetSelection.assets(*_keys(hourly)),
                                  partitions_def=partitions_def, tags={"crm": crm}, executor_def=crm_executor(crm))

        @schedule(name=f"{crm}_hourly_schedule", job=hourly_job, cron_schedule=f"{minute} * * * *",
                  execution_timezone="UTC", default_status=DefaultScheduleStatus.STOPPED)
        def _hourly(context: ScheduleEvaluationContext):
            moment = context.scheduled_execution_time
            return [RunRequest(run_key=f"{key}@{moment.isoformat()}", partition_key=key)
                    for key in partitions_to_refresh(moment)]

        jobs.append(hourly_job)
        schedules.append(_hourly)
    if weekly or weekly_full_reads:
        job = define_asset_job(f"{crm}_weekly_full_refresh",
                               selection=AssetSelection.assets(*_keys([*weekly, *weekly_full_reads])),
                               partitions_def=partitions_def if weekly_full_reads else None,
                               tags={"crm": crm}, executor_def=crm_executor(crm))
        # A partitioned entity's full read is a `full_refresh` run of one partition (today's): the window is
        # ignored, and a run of a partitioned asset needs a partition key all the same.
        full_refresh = {"ops": {a.node_def.name: {"config": {"full_refresh": True}} for a in weekly_full_reads}}

        @schedule(name=f"{crm}_weekly_full_refresh_schedule", job=job, cron_schedule=f"{30 + minute} 3 * * 0",
                  execution_timezone="UTC", default_status=DefaultScheduleStatus.STOPPED)
        def _weekly(context: ScheduleEvaluationContext):
            moment = context.scheduled_execution_time
            today = moment.astimezone(dt.timezone.utc).date().isoformat() if weekly_full_reads else None
            return RunRequest(run_key=f"weekly@{moment.isoformat()}", partition_key=today, run_config=full_refresh)

        jobs.append(job)
        schedules.append(_weekly)
    return jobs, schedules
