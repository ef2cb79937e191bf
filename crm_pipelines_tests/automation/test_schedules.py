"""Schedules: staggered hourly slots, today's partition (and yesterday's early in the day), weekly full
refresh, all stopped until an operator turns them on."""

from __future__ import annotations

import datetime as dt

import pytest
from dagster import DefaultScheduleStatus, build_schedule_context

from crm_pipelines.automation.schedules import partitions_to_refresh
from crm_pipelines.definitions import defs

REPOSITORY = defs.get_repository_def()
UTC = dt.timezone.utc


@pytest.mark.parametrize("moment,expected", [
    (dt.datetime(2026, 11, 28, 0, 0, tzinfo=UTC), ["2026-11-28", "2026-11-27"]),
    (dt.datetime(2026, 11, 28, 2, 0, tzinfo=UTC), ["2026-11-28", "2026-11-27"]),
    (dt.datetime(2026, 11, 28, 3, 0, tzinfo=UTC), ["2026-11-28"]),
    (dt.datetime(2026, 11, 28, 23, 0, tzinfo=UTC), ["2026-11-28"]),
    (dt.datetime(2026, 3, 1, 1, 0, tzinfo=UTC), ["2026-03-01", "2026-02-28"]),
])
def test_partitions_to_refresh(moment, expected):
    assert partitions_to_refresh(moment) == expected


def test_hourly_schedule_requests_today_and_early_yesterday():
    schedule = REPOSITORY.get_schedule_def("hubspot_hourly_schedule")
    assert schedule.cron_schedule == "0 * * * *"
    assert schedule.execution_timezone == "UTC"
    early = schedule.evaluate_tick(build_schedule_context(
        scheduled_execution_time=dt.datetime(2026, 11, 28, 1, 0, tzinfo=UTC), repository_def=REPOSITORY))
    assert sorted(r.partition_key for r in early.run_requests) == ["2026-11-27", "2026-11-28"]
    late = schedule.evaluate_tick(build_schedule_context(
        scheduled_execution_time=dt.datetime(2026, 11, 28, 14, 0, tzinfo=UTC), repository_def=REPOSITORY))
    assert [r.partition_key for r in late.run_requests] == ["2026-11-28"]
    assert len({r.run_key for r in early.run_requests + late.run_requests}) == 3


def test_jobs_carry_the_crm_tag_and_select_the_right_assets():
    hourly = REPOSITORY.get_job("hubspot_hourly")
    weekly = REPOSITORY.get_job("hubspot_weekly_full_refresh")
    assert hourly.tags["crm"] == weekly.tags["crm"] == "hubspot"
    hourly_assets = {"/".join(k.path) for k in hourly.asset_layer.selected_asset_keys}
    weekly_assets = {"/".join(k.path) for k in weekly.asset_layer.selected_asset_keys}
    assert hourly_assets == {f"hubspot/{e}" for e in
                             ("contacts", "companies", "deals", "appointments", "divisions", "genius_users")}
    assert {"hubspot/owners", "hubspot/contact_appointments", "hubspot/contact_divisions",
            "hubspot/contacts_removal"} <= weekly_assets
    assert not hourly_assets & weekly_assets


def test_every_schedule_is_off_by_default_and_weekly_is_on_sunday():
    for schedule in REPOSITORY.schedule_defs:
        assert schedule.default_status == DefaultScheduleStatus.STOPPED
    assert REPOSITORY.get_schedule_def("hubspot_weekly_full_refresh_schedule").cron_schedule == "30 3 * * 0"


def test_every_entity_asset_has_a_freshness_check():
    checked = {k.asset_key for k in REPOSITORY.asset_graph.asset_check_keys if k.name == "freshness_check"}
    entities = {k for k in REPOSITORY.asset_graph.get_all_asset_keys() if not k.path[-1].endswith("_removal")}
    assert entities == checked



def test_a_weekly_run_without_partitioned_full_reads_asks_for_no_partition():
    schedule = REPOSITORY.get_schedule_def("hubspot_weekly_full_refresh_schedule")
    (request,) = schedule.evaluate_tick(build_schedule_context(
        scheduled_execution_time=dt.datetime(2026, 11, 29, 3, 30, tzinfo=UTC), repository_def=REPOSITORY)).run_requests
    assert request.partition_key is None and request.run_config == {"ops": {}}
