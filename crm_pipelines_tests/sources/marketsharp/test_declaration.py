"""MarketSharp's declaration: every set of the set table is an asset; lastUpdate sets are partitioned and
hourly at minute 12, reference sets weekly; every set soft-deletes what a complete read no longer lists."""

from __future__ import annotations

from crm_pipelines.definitions import defs
from crm_pipelines.sources.marketsharp import SOURCE
from crm_pipelines.sources.marketsharp.sets import SETS

REPOSITORY = defs.get_repository_def()


def _assets(job: str) -> set[str]:
    return {"/".join(k.path) for k in REPOSITORY.get_job(job).asset_layer.selected_asset_keys}


def test_every_set_is_declared_and_scheduled_by_whether_it_has_last_update():
    hourly, weekly = _assets("marketsharp_hourly"), _assets("marketsharp_weekly_full_refresh")
    for setdef in SETS:
        spec = SOURCE.entity(setdef.table)
        assert spec.partitioned == setdef.incremental and spec.deletes_unseen
        assert (f"marketsharp/{setdef.table}" in hourly) == setdef.incremental
    assert "marketsharp/inquiry_statuses" in weekly
    assert REPOSITORY.get_schedule_def("marketsharp_hourly_schedule").cron_schedule == "12 * * * *"
