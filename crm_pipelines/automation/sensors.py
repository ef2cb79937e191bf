"""Alert sensors: run failures, rolling 24-hour run health per CRM, and failing asset checks (which include
the per-materialization thresholds, reconciliation and freshness)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping

from dagster import (
    AssetCheckKey,
    DagsterEventType,
    DagsterRunStatus,
    DefaultSensorStatus,
    RunFailureSensorContext,
    RunsFilter,
    SensorEvaluationContext,
    SkipReason,
    run_failure_sensor,
    sensor,
)

from crm_pipelines.automation.alerts import Alert, deliver, fire_new, open_incidents, run_link
from crm_pipelines.core.checks import Thresholds

HEALTH_WINDOW = dt.timedelta(hours=24)


def assets_of_run(instance, run) -> list[str]:
    """The assets a run was to materialize: its selection, else (ad-hoc jobs) its planned materializations."""
    keys = set(run.asset_selection or ())
    if not keys:
        planned = instance.get_records_for_run(run.run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION_PLANNED)
        keys = {r.event_log_entry.dagster_event.asset_key for r in planned.records}
    return sorted("/".join(key.path) for key in keys)


def crms_of_run(instance, run) -> set[str]:
    """The CRMs a run worked for: its `crm` tag, else the first part of its asset keys."""
    if run.tags.get("crm"):
        return {run.tags["crm"]}
    return {asset.split("/")[0] for asset in assets_of_run(instance, run)}


def _partition_of(run) -> str:
    tags = run.tags
    if "dagster/partition" in tags:
        return tags["dagster/partition"]
    start, end = tags.get("dagster/asset_partition_range_start"), tags.get("dagster/asset_partition_range_end")
    return f"{start}...{end}" if start else "-"


def _root_message(error) -> str:
    while error.cause is not None:
        error = error.cause
    return error.message.strip()


@run_failure_sensor(name="run_failure_alerts", default_status=DefaultSensorStatus.RUNNING)
def run_failure_alerts(context: RunFailureSensorContext) -> None:
    run = context.dagster_run
    assets = assets_of_run(context.instance, run)
    errors = [_root_message(e.event_specific_data.error) for e in context.get_step_failure_events()
              if e.event_specific_data and e.event_specific_data.error]
    deliver(Alert(
        title=f"Run failed: {', '.join(assets) or run.job_name}",
        severity="ERROR",
        details={"assets": ", ".join(assets) or "-", "partition": _partition_of(run),
                 "error": "; ".join(errors) or context.failure_event.message or "unknown"},
        link=run_link(run.run_id),
    ), context.log)


def health_incidents(instance, runs, thresholds_for: Callable[[str], Thresholds]) -> dict[str, Alert]:
    """The rolling-window rules over finished runs of the last 24 h, per CRM."""
    succeeded: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    for run in runs:
        for crm in crms_of_run(instance, run):
            (succeeded if run.status == DagsterRunStatus.SUCCESS else failed)[crm] += 1
    incidents = {}
    for crm in sorted(set(succeeded) | set(failed)):
        thresholds = thresholds_for(crm)
        total = succeeded[crm] + failed[crm]
        rate = succeeded[crm] / total
        if rate < thresholds.min_success_rate_24h:
            incidents[f"{crm}:success_rate"] = Alert(
                title=f"{crm}: success rate {rate:.0%} over 24 h (threshold {thresholds.min_success_rate_24h:.0%})",
                severity="ERROR", details={"succeeded": str(succeeded[crm]), "failed": str(failed[crm])})
        if failed[crm] > thresholds.max_failed_runs_24h:
            incidents[f"{crm}:failed_runs"] = Alert(
                title=f"{crm}: {failed[crm]} failed runs in 24 h (threshold {thresholds.max_failed_runs_24h})",
                severity="ERROR", details={"succeeded": str(succeeded[crm]), "failed": str(failed[crm])})
    return incidents


def build_run_health_alerts(thresholds: Mapping[str, Thresholds]):
    """The rolling 24-hour rules, judged per CRM with that source's thresholds (defaults for a CRM the
    code location does not know, e.g. runs of a source since removed)."""

    @sensor(name="run_health_alerts", minimum_interval_seconds=300, default_status=DefaultSensorStatus.RUNNING)
    def run_health_alerts(context: SensorEvaluationContext):
        since = dt.datetime.now(dt.timezone.utc) - HEALTH_WINDOW
        runs = [record.dagster_run for record in context.instance.get_run_records(
            RunsFilter(statuses=[DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE], updated_after=since))]
        incidents = health_incidents(context.instance, runs, lambda crm: thresholds.get(crm, Thresholds()))
        context.update_cursor(fire_new(context.cursor, incidents, context.log))
        return SkipReason(f"{len(runs)} runs in 24 h; open incidents: {sorted(open_incidents(context.cursor))}")

    return run_health_alerts


def failing_checks(instance, check_keys: list[AssetCheckKey]) -> dict[str, Alert]:
    """Checks whose latest evaluation failed (WARN or ERROR), as incidents keyed by check."""
    latest = instance.event_log_storage.get_latest_asset_check_execution_by_key(check_keys)
    incidents = {}
    for key, record in latest.items():
        evaluation = record.event.dagster_event.event_specific_data if record.event and record.event.dagster_event \
            else None
        if evaluation is None or evaluation.passed:
            continue
        asset = "/".join(key.asset_key.path)
        details = {name: str(value.value) for name, value in evaluation.metadata.items()
                   if not name.startswith("dagster/freshness_params")}
        if evaluation.partition:
            details["partition"] = evaluation.partition
        incidents[f"{asset}:{key.name}"] = Alert(
            title=f"Check {key.name} failed on {asset}", severity=evaluation.severity.value,
            details=details, link=run_link(record.run_id))
    return incidents


@sensor(name="check_failure_alerts", minimum_interval_seconds=60, default_status=DefaultSensorStatus.RUNNING)
def check_failure_alerts(context: SensorEvaluationContext):
    check_keys = sorted(context.repository_def.asset_graph.asset_check_keys, key=str)
    context.update_cursor(fire_new(context.cursor, failing_checks(context.instance, check_keys), context.log))
    return SkipReason(f"open incidents: {sorted(open_incidents(context.cursor))}")


def build_alert_sensors(thresholds: Mapping[str, Thresholds]) -> list:
    """The three alert sensors; `thresholds` per CRM name."""
    return [run_failure_alerts, build_run_health_alerts(thresholds), check_failure_alerts]
