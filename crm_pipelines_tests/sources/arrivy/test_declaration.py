"""Arrivy's declaration: tasks, which Arrivy cannot filter by modification, are read in full every hour."""

from __future__ import annotations

from crm_pipelines.definitions import defs

REPOSITORY = defs.get_repository_def()


def _assets(job: str) -> set[str]:
    return {"/".join(k.path) for k in REPOSITORY.get_job(job).asset_layer.selected_asset_keys}


def test_tasks_are_refreshed_hourly_and_the_small_lists_weekly():
    hourly, weekly = _assets("arrivy_hourly"), _assets("arrivy_weekly_full_refresh")
    assert "arrivy/tasks" in hourly and "arrivy/tasks" not in weekly
    assert {"arrivy/statuses", "arrivy/groups", "arrivy/crews"} <= weekly
    assert REPOSITORY.get_schedule_def("arrivy_hourly_schedule").cron_schedule == "2 * * * *"
