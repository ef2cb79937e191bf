"""Typing of values the generated database cannot hold in strict mode, or holds rarely (no database here)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from crm_pipelines.sources.genius.processing import ZoneHolder, processor
from crm_pipelines.sources.genius.tables import BY_SOURCE


def typed(source: str, records: list[dict], zone: str = "America/Los_Angeles"):
    holder = ZoneHolder()
    holder.name = zone
    table = BY_SOURCE[source]
    base = {c.name: None for c in table.columns} | {j.name: None for j in table.joins}
    return processor(table, holder)([base | r for r in records])


def test_odd_values_are_nulled_with_an_issue_and_the_row_kept():
    out = typed("appointment", [
        {"id": 1, "time": "25:00:00", "duration": "-01:30:00", "date": "2024-00-15", "add_date": "2024-02-30 10:00:00",
         "hubspot_appointment_id": "HS-12", "notes": "nul\x00here", "updated_at": "2024-06-01 00:00:00"},
        {"id": 2, "time": "23:59:59", "duration": "838:59:59", "date": "0000-00-00", "add_date": "0000-00-00 00:00:00",
         "hubspot_appointment_id": "18446744073709551616", "notes": "", "updated_at": "2024-06-01 00:00:00"},
    ])
    frame, issues = out.frame, out.issues.tolist()
    assert issues[0] == {"time": "not a time of day (00:00:00-23:59:59)", "date": "not a date",
                         "add_date": "not a datetime", "hubspot_appointment_id": "not a HubSpot id (digits)",
                         "notes": "not text (holds a NUL character)"}
    assert frame["duration"][0] == -dt.timedelta(hours=1, minutes=30)
    assert issues[1] == {"date": "zero date", "add_date": "zero date",
                         "hubspot_appointment_id": "not a HubSpot id (digits)"}  # beyond bigint
    assert frame["time"][1] == dt.time(23, 59, 59) and frame["notes"][1] == ""
    assert frame["duration"][1] == dt.timedelta(hours=838, minutes=59, seconds=59)


def test_only_0_and_1_are_flags():
    out = typed("division_region", [{"id": 1, "is_active": 1}, {"id": 2, "is_active": 0}, {"id": 3, "is_active": 2}])
    assert out.frame["is_active"].tolist() == [True, False, pd.NA]
    assert out.issues.tolist() == [None, None, {"is_active": "not a 0/1 flag"}]


def test_modified_time_falls_back_only_when_updated_at_is_missing():
    out = typed("lead", [
        {"lead_id": 1, "updated_at": "2024-06-01 12:00:00", "added_on": "2024-01-01 00:00:00"},
        {"lead_id": 2, "updated_at": "0000-00-00 00:00:00", "added_on": "2024-01-01 00:00:00"},
        {"lead_id": 3, "updated_at": None, "added_on": None},
    ], zone="UTC")
    moments = out.frame["_source_updated_at"].tolist()
    assert moments[0] == pd.Timestamp("2024-06-01 12:00:00", tz="UTC")
    assert moments[1] == pd.Timestamp("2024-01-01 00:00:00", tz="UTC") and pd.isna(moments[2])
