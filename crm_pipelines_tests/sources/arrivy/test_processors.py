"""Arrivy records as the API returns them -> typed frames: exact ids, naive times as UTC, nested as json."""

from __future__ import annotations

import pandas as pd
import pytest

from crm_pipelines.core.validation import split_valid
from crm_pipelines.sources.arrivy.entities import ENTITIES
from crm_pipelines_tests.sources.arrivy import samples

SPECS = {spec.name: spec for spec in ENTITIES}


def typed(entity: str, records: list[dict]) -> pd.DataFrame:
    spec = SPECS[entity]
    valid, quarantined = split_valid(spec, spec.process(records))
    assert quarantined == []
    return valid


def test_task_ids_stay_exact_16_digit_text():
    row = typed("tasks", [samples.TASK]).iloc[0]
    assert row["id"] == "5348024557502464"
    assert row["owner"] == "5629499534213120"
    assert row["group_id"] == "6100296669331456"
    assert row["customer_id"] == "7458024557501236"
    # Near 2**53 a float would round: 9007199254740993 is the first integer a double cannot hold.
    big = typed("tasks", [samples.task(9007199254740993)]).iloc[0]
    assert big["id"] == "9007199254740993"
    assert big["entity_ids"] == [6473924464345088]


def test_task_naive_times_are_utc_and_originals_are_kept():
    row = typed("tasks", [samples.TASK]).iloc[0]
    assert row["start_datetime"] == pd.Timestamp("2025-06-02T16:00:00Z")
    assert row["start_datetime_original_iso_str"] == "2025-06-02T09:00:00-07:00"
    assert row["start_datetime_timezone"] == "America/Los_Angeles"
    assert row["updated"] == pd.Timestamp("2025-06-01T08:00:00.000001Z")
    assert row["_source_updated_at"] == row["updated"]
    assert row["created"].microsecond == 123456
    assert pd.isna(row["due_datetime"])


def test_task_nested_objects_are_json_and_contacts_normalised():
    row = typed("tasks", [samples.TASK]).iloc[0]
    assert row["extra_fields"] == {"hubspot_id": "123"}
    assert row["template_extra_fields"] == [{"name": "Job Size", "type": "TEXT", "value": "2"}]
    assert row["customer_exact_location"] == {"lat": 47.6, "lng": -122.3}
    assert row["notifications"] == {"sms": True, "email": True}
    assert row["customer_email"] == "john@example.com"
    assert row["customer_mobile_number"] == "+14255550100"
    assert row["duration"] == 120 and not row["unscheduled"]
    assert row["_raw"] == samples.TASK


def test_task_status_keeps_task_id_and_time():
    row = typed("task_statuses", [{**samples.STATUS, "task_id": "5348024557502464"}]).iloc[0]
    assert (row["id"], row["task_id"], row["type"]) == ("5910974510923776", "5348024557502464", "COMPLETE")
    assert row["time"] == pd.Timestamp("2025-06-02T18:05:31.512Z")
    assert row["reporter_id"] == "6473924464345088"
    assert row["extra_fields"]["files"][0]["file_id"] == 4785074604081152


def test_entity_lastreading_is_json_and_phone_is_e164():
    row = typed("entities", [samples.ENTITY]).iloc[0]
    assert row["lastreading"]["time"] == "2025-06-02T17:59:58.848640"
    assert row["phone"] == "+14255550199"
    assert row["joined_datetime"] == pd.Timestamp("2024-01-06T10:00:00Z")


def test_location_report_time_keeps_microseconds():
    row = typed("location_reports", [{**samples.READING, "entity_id": "6473924464345088"}]).iloc[0]
    assert row["time"] == pd.Timestamp("2025-06-02T17:59:58.848640Z")
    assert (row["lat"], row["lng"], row["authorized"]) == (47.61, -122.33, True)


def test_a_bad_optional_field_is_reported_not_guessed():
    spec = SPECS["tasks"]
    processed = spec.process([samples.task(1, customer_email="not an email")])
    assert pd.isna(processed.frame.iloc[0]["customer_email"])
    assert processed.issues.iloc[0] == {"customer_email": "not a valid email address"}


@pytest.mark.parametrize("entity", sorted(SPECS))
def test_every_entity_types_an_empty_record(entity):
    key = {"id": 1} if SPECS[entity].key == ("id",) else {}
    # A partitioned entity's record needs its modified time to be placed; nothing else is required.
    extra = {"task_id": "1", "time": "2025-01-01T00:00:00"} if entity == "task_statuses" else {}
    if entity == "location_reports":
        extra = {"entity_id": "1", "time": "2025-01-01T00:00:00"}
    frame = typed(entity, [{**key, **extra}])
    assert len(frame) == 1
