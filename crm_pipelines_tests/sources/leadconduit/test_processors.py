"""LeadConduit events as the API returns them -> lead rows: `normal` values, names, times, custom fields."""

from __future__ import annotations

import pandas as pd

from crm_pipelines.core.validation import split_valid
from crm_pipelines.sources.leadconduit.entities import ENTITIES, lead_events
from crm_pipelines_tests.sources.leadconduit import samples

SPEC = ENTITIES[0]


def typed(records: list[dict]) -> pd.DataFrame:
    valid, quarantined = split_valid(SPEC, SPEC.process(records))
    assert quarantined == []
    return valid


def test_a_source_event_becomes_a_lead_row():
    row = typed([samples.SOURCE_EVENT]).iloc[0]
    assert row["id"] == "66a1f0c2e4b0a1b2c3d4e5f6"
    assert row["lead_id"] == "66a1f0c2e4b0a1b2c3d4e5f0"
    assert (row["flow_name"], row["source_name"]) == ("Roofing Leads", "Vendor A")
    assert row["outcome"] == "success" and pd.isna(row["reason"])
    assert (row["first_name"], row["last_name"], row["state"]) == ("Pat", "Jones", "TX")


def test_typed_fields_take_their_normal_value_and_the_object_stays_in_raw():
    row = typed([samples.SOURCE_EVENT]).iloc[0]
    assert row["email"] == "pat@example.com"
    assert row["phone_1"] == "+15127891111"
    assert row["postal_code"] == "78704"
    assert row["_raw"]["vars"]["lead"]["phone_1"]["raw"] == "(512) 789-1111"


def test_a_typed_field_without_normal_falls_back_to_raw():
    event = samples.event("66a1f0c2e4b0a1b2c3d4e5f9")
    event["vars"]["lead"]["email"] = {"raw": "Lee@Example.com", "valid": True}
    assert typed([event]).iloc[0]["email"] == "lee@example.com"


def test_epoch_milliseconds_and_submission_time_are_utc():
    row = typed([samples.SOURCE_EVENT]).iloc[0]
    assert row["start_timestamp"] == pd.Timestamp(1721890000123, unit="ms", tz="UTC")
    assert row["_source_updated_at"] == row["start_timestamp"]
    assert row["submission_timestamp"] == pd.Timestamp("2024-07-25T06:46:40.123Z")


def test_custom_hge_fields_are_kept():
    row = typed([samples.SOURCE_EVENT]).iloc[0]
    assert (row["note_hge"], row["owner_hge"], row["salesrabbit_lead_id_hge"]) == ("Call after 5", "Sam Rep", "SR-1001")
    assert pd.isna(row["owner_email_hge"])


def test_only_source_events_are_leads():
    events = [samples.RECIPIENT_EVENT, samples.SOURCE_EVENT, samples.FILTER_EVENT]
    assert [e["id"] for e in lead_events(events)] == ["66a1f0c2e4b0a1b2c3d4e5f6"]
