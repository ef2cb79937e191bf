"""Alert sensors evaluated with build_sensor_context against a real instance holding real runs: each
alert fires once per incident, never for a healthy run, and reaches the webhook."""

from __future__ import annotations

import time

import pytest
from dagster import (
    AssetCheckKey,
    AssetKey,
    AssetSelection,
    AssetSpec,
    DagsterEventType,
    DagsterInstance,
    Definitions,
    build_run_status_sensor_context,
    build_sensor_context,
    define_asset_job,
)
from dagster._core.definitions.asset_checks.asset_check_factories.freshness_checks import last_update

from crm_pipelines.automation.alerts import AlertDeliveryError
from crm_pipelines.automation.sensors import check_failure_alerts, run_failure_alerts
from crm_pipelines.definitions import defs
from crm_pipelines_tests.sources.hubspot.conftest import client_for, sync

REPOSITORY = defs.get_repository_def()
run_health_alerts = REPOSITORY.get_sensor_def("run_health_alerts")
DAY = "2026-11-10"


@pytest.fixture
def instance():
    with DagsterInstance.ephemeral() as instance:
        yield instance


def evaluate(sensor_def, instance, cursor=None):
    context = build_sensor_context(instance=instance, cursor=cursor, repository_def=REPOSITORY)
    sensor_def(context)
    return context.cursor


def failing_run(sandbox, warehouse, instance):
    wrong = client_for(sandbox.hubspot_url, access_token="pat-na1-wrong-token-for-alerts")
    result, _ = sync("contacts", wrong, warehouse, partition=DAY, instance=instance, raise_on_error=False)
    assert not result.success
    return result.run_id


def test_run_failure_alert_names_asset_partition_error_and_link(control, sandbox, warehouse, instance, webhook):
    run_id = failing_run(sandbox, warehouse, instance)
    run = instance.get_run_by_id(run_id)
    failure = instance.all_logs(run_id, of_type=DagsterEventType.RUN_FAILURE)[0]
    context = build_run_status_sensor_context(
        sensor_name="run_failure_alerts", dagster_event=failure.dagster_event, dagster_instance=instance,
        dagster_run=run).for_run_failure()
    run_failure_alerts(context)
    [text] = webhook.texts()
    assert "hubspot/contacts" in text
    assert f"partition: {DAY}" in text
    assert "401" in text and "INVALID_AUTHENTICATION" in text
    assert f"https://dagster.example.com/runs/{run_id}" in text
    assert "pat-na1-wrong-token-for-alerts" not in text


def test_health_alerts_fire_once_per_incident_and_not_for_healthy_runs(control, hubspot, sandbox, warehouse,
                                                                      instance, webhook):
    for _ in range(3):
        sync("owners", hubspot, warehouse, instance=instance)
    cursor = evaluate(run_health_alerts, instance)
    assert webhook.texts() == []  # 3 of 3 succeeded: healthy

    failing_run(sandbox, warehouse, instance)
    cursor = evaluate(run_health_alerts, instance, cursor)
    assert len(webhook.texts()) == 1 and "hubspot: success rate 75%" in webhook.texts()[0]
    cursor = evaluate(run_health_alerts, instance, cursor)
    assert len(webhook.texts()) == 1  # same incident: no repeat

    for _ in range(10):
        failing_run(sandbox, warehouse, instance)
    cursor = evaluate(run_health_alerts, instance, cursor)
    assert len(webhook.texts()) == 2 and "hubspot: 11 failed runs in 24 h" in webhook.texts()[1]
    evaluate(run_health_alerts, instance, cursor)
    assert len(webhook.texts()) == 2


def test_failing_checks_alert_once_and_again_after_recovery(control, hubspot, warehouse, instance, webhook):
    # Bad emails load as null with issues: the data_quality check (records loaded without issues) fails.
    control.reset(bad_email_rate=0.3)
    sync("contacts", hubspot, warehouse, partition=DAY, instance=instance)
    cursor = evaluate(check_failure_alerts, instance)
    alerts = [t for t in webhook.texts() if "data_quality" in t]
    assert len(alerts) == 1 and alerts[0].startswith("[WARN] Check data_quality failed on hubspot/contacts")
    cursor = evaluate(check_failure_alerts, instance, cursor)
    assert len([t for t in webhook.texts() if "data_quality" in t]) == 1

    control.reset()
    sync("contacts", hubspot, warehouse, partition=DAY, instance=instance)
    cursor = evaluate(check_failure_alerts, instance, cursor)
    assert "hubspot/contacts:data_quality" not in cursor  # recovered: incident closed

    control.reset(bad_email_rate=0.3)
    sync("contacts", hubspot, warehouse, partition=DAY, instance=instance)
    evaluate(check_failure_alerts, instance, cursor)
    assert len([t for t in webhook.texts() if "data_quality" in t]) == 2


def test_a_healthy_sync_raises_no_check_alert(control, hubspot, warehouse, instance, webhook):
    sync("contacts", hubspot, warehouse, partition=DAY, instance=instance)
    evaluate(check_failure_alerts, instance)
    assert webhook.texts() == []


def test_freshness_alert_after_the_window_passes(control, hubspot, warehouse, instance, webhook, monkeypatch):
    sync("contacts", hubspot, warehouse, partition=DAY, instance=instance)
    check_key = AssetCheckKey(AssetKey(["hubspot", "contacts"]), "freshness_check")
    freshness_job = Definitions(
        assets=[AssetSpec(check_key.asset_key)],  # the check only reads the instance's records
        asset_checks=[c for c in REPOSITORY.asset_checks_defs_by_key.values() if check_key in c.check_keys],
        jobs=[define_asset_job("freshness", selection=AssetSelection.checks(check_key))],
    ).resolve_job_def("freshness")

    assert freshness_job.execute_in_process(instance=instance).success
    cursor = evaluate(check_failure_alerts, instance)
    assert webhook.texts() == []  # just materialized: fresh

    later = time.time() + 2 * 3600 + 60  # past the 2-hour window
    monkeypatch.setattr(last_update, "get_current_timestamp", lambda: later)
    assert freshness_job.execute_in_process(instance=instance).success
    evaluate(check_failure_alerts, instance, cursor)
    [text] = webhook.texts()
    assert "Check freshness_check failed on hubspot/contacts" in text


def test_a_webhook_that_refuses_fails_the_tick_without_leaking_its_url(control, sandbox, warehouse, instance,
                                                                     webhook):
    webhook.status = 500
    failing_run(sandbox, warehouse, instance)
    failing_run(sandbox, warehouse, instance)
    with pytest.raises(AlertDeliveryError) as error:
        evaluate(run_health_alerts, instance)
    assert "secret-token" not in str(error.value) and "CRM_ALERT_WEBHOOK_URL" in str(error.value)
