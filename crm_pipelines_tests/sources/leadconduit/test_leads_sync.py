"""LeadConduit leads through Dagster into PostgreSQL: one row per source event, late events, faults."""

from __future__ import annotations

import datetime as dt

import pytest
from dagster import DagsterResourceFunctionError, materialize

from crm_pipelines.core.assets import history_partitions
from crm_pipelines.sources.leadconduit import SOURCE
from crm_pipelines.sources.leadconduit.resource import API_KEY_ENV, LeadConduitResource
from crm_pipelines_tests.sources.arrivy.canned import CannedServer, Reply
from crm_pipelines_tests.sources.leadconduit import samples
from crm_pipelines_tests.sources.leadconduit.events_api import EventsApi

ASSET = SOURCE.entity_assets(history_partitions())["leads"]
DAY = dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc)


def at(moment: dt.datetime) -> int:
    return int(moment.timestamp() * 1000)


def sync(url: str, warehouse, partition: str, **overrides):
    resource = LeadConduitResource(base_url=url, api_key="k", requests_per_minute=0, backoff_base_s=0.01,
                                   backoff_max_s=0.02, **overrides)
    result = materialize([ASSET], resources={"leadconduit": resource, "warehouse": warehouse},
                         partition_key=partition)
    return {k: v.value for k, v in result.asset_materializations_for_node("leadconduit__leads")[0].metadata.items()}


@pytest.fixture
def events() -> list[dict]:
    day_ms = at(DAY)
    made = []
    for n in range(12):  # a lead every hour; each with a recipient step event after it
        made.append(samples.event(samples.object_id(2 * n), start_timestamp=day_ms + n * 3_600_000))
        made.append(samples.event(samples.object_id(2 * n + 1), kind="recipient",
                                  start_timestamp=day_ms + n * 3_600_000 + 500))
    return made


def lead_ids(db) -> list[str]:
    return [r[0] for r in db.execute("SELECT id FROM leadconduit.leads WHERE _deleted_at IS NULL ORDER BY id")]


def test_a_day_loads_one_row_per_source_event(events, warehouse, db):
    with CannedServer(EventsApi(events)) as server:
        meta = sync(server.url, warehouse, DAY.date().isoformat(), page_limit=5)
    assert lead_ids(db) == sorted(e["id"] for e in events if e["type"] == "source")
    assert meta["records_created"] == 12 and meta["records_quarantined"] == 0
    row = db.execute("SELECT lead_id, email, phone_1, postal_code, flow_name, source_name, start_timestamp, note_hge "
                     "FROM leadconduit.leads LIMIT 1").fetchone()
    assert row[:6] == ("66a1f0c2e4b0a1b2c3d4e5f0", "pat@example.com", "+15127891111", "78704", "Roofing Leads",
                       "Vendor A")
    assert row[6].tzinfo is not None and row[7] == "Call after 5"
    assert server.seen[0].query["start"] == "2026-11-19T22:00:00.000Z"  # the 2-hour lookback
    assert all(s.query["sort"] == "asc" for s in server.seen)


def test_a_late_event_with_an_older_id_is_in_after_the_next_run(events, warehouse, db):
    api = EventsApi(events)
    with CannedServer(api) as server:
        sync(server.url, warehouse, DAY.date().isoformat(), page_limit=5)
        # Created before the last event already read (older id), visible only now; and one from the
        # previous evening, within the lookback.
        late = samples.event(samples.object_id(3, seconds=0x66A1F0C1), start_timestamp=at(DAY) + 5_000)
        evening = samples.event(samples.object_id(1, seconds=0x66A1F0C0),
                                start_timestamp=at(DAY - dt.timedelta(minutes=30)))
        api.events += [late, evening]
        meta = sync(server.url, warehouse, DAY.date().isoformat(), page_limit=5)
    assert late["id"] in lead_ids(db) and evening["id"] in lead_ids(db)
    assert meta["records_created"] == 2 and meta["records_updated"] == 0


def test_throttling_mid_day_is_waited_out_not_a_truncated_day(events, warehouse, db):
    api = EventsApi(events)
    api.faults = [Reply(429, {"error": "rate"}, {"Retry-After": "0"}), Reply(502), Reply(504)]
    with CannedServer(api) as server:
        meta = sync(server.url, warehouse, DAY.date().isoformat(), page_limit=5)
    assert len(lead_ids(db)) == 12
    assert meta["retries"] == 3


def test_an_empty_key_fails_at_setup_naming_its_variable(warehouse):
    with CannedServer(EventsApi([])) as server:
        resource = LeadConduitResource(base_url=server.url, api_key="")
        with pytest.raises(DagsterResourceFunctionError) as failure:
            materialize([ASSET], resources={"leadconduit": resource, "warehouse": warehouse},
                        partition_key=DAY.date().isoformat())
    assert API_KEY_ENV in str(failure.value.__cause__)
    assert server.seen == []
