"""MarketSharp entity sets through Dagster into PostgreSQL against the sandbox emulator, over real HTTP:
each table equals the emulator's records exactly, whatever the paging, faults and messy characters."""

from __future__ import annotations

import re

import pytest

from crm_pipelines.sources.marketsharp.sets import SETS, snake
from crm_pipelines.sources.marketsharp.resource import API_KEY_ENV, COMPANY_ID_ENV, SECRET_KEY_ENV
from crm_pipelines_tests.sources.marketsharp.conftest import (
    SECRET_KEY, emulated_client, failure_text, stored, sync,
)
from crm_pipelines_tests.support import assert_same_keys


def test_a_partition_holds_exactly_the_records_of_its_window(control, emulated, warehouse, db):
    _, meta = sync(emulated, warehouse, "contacts")
    expected = control.in_partition("contacts")
    assert len(expected) > 150  # more than one server page: the next links were followed
    assert_same_keys(stored(db, "contacts"), expected, "marketsharp.contacts")
    assert meta["api_calls"] == control.requests("feed")


def test_a_full_refresh_reads_every_record_and_the_reference_set(control, emulated, warehouse, db):
    for table in ("contacts", "appointments", "inquiries"):
        sync(emulated, warehouse, table, config={"full_refresh": True})
        assert_same_keys(stored(db, table), control.truth_ids(table), f"marketsharp.{table}")
    sync(emulated, warehouse, "inquiry_statuses")
    assert_same_keys(stored(db, "inquiry_statuses"), control.truth_ids("inquiry_statuses"), "inquiry_statuses")


@pytest.mark.parametrize("setdef", SETS, ids=[s.table for s in SETS])
def test_every_set_is_read_exactly(control, emulated, warehouse, db, setdef):
    sync(emulated, warehouse, setdef.table, config={"full_refresh": True} if setdef.incremental else None)
    assert_same_keys(stored(db, setdef.table, snake(setdef.key)), control.truth_ids(setdef.table),
                     f"marketsharp.{setdef.table}")
    assert db.execute("SELECT count(*) FROM marketsharp._quarantine WHERE entity = %s",
                      [setdef.table]).fetchone()[0] == 0
    # Every generated value converts cleanly (the emulator's values are well-formed apart from characters).
    assert db.execute(f"SELECT count(*) FROM marketsharp.{setdef.table} WHERE _issues IS NOT NULL").fetchone()[0] == 0


def test_values_arrive_clean_and_in_utc(control, emulated, warehouse, db):
    _, meta = sync(emulated, warehouse, "contacts", config={"full_refresh": True})
    rows = db.execute("SELECT id, first_name, last_update FROM marketsharp.contacts").fetchall()
    dirty = 0
    for record_id, first_name, last_update in rows:
        truth = control.truth_record("contacts", record_id)
        assert first_name == truth["firstName"]
        dirty += first_name is not None and any(ord(ch) < 32 for ch in first_name)
    assert dirty == 0
    # The wire did carry characters XML forbids (invalid_char_rate 5 %): a raw control and a reference.
    body = emulated.http.request_raw("GET", "/Contacts", params={"$top": 1000}).content
    assert b"\x0b" in body and b"&#x1;" in body
    # ... and the sync says how many it removed (a sync of a clean set says 0).
    assert meta["invalid_characters_removed"] > 0
    control.reset(invalid_char_rate=0)
    _, clean = sync(emulated, warehouse, "contacts", config={"full_refresh": True})
    assert clean["invalid_characters_removed"] == 0 and clean["records_fetched"] > 0


def test_rows_sharing_one_timestamp_across_page_boundaries_are_all_read_once(control, sandbox, warehouse, db):
    # 500 contacts share one lastUpdate; the client asks 120 rows a query, the server pages by 50.
    control.reset(same_timestamp_burst=500, server_page_size=50)
    sync(emulated_client(sandbox, page_size=120), warehouse, "contacts", config={"full_refresh": True})
    assert_same_keys(stored(db, "contacts"), control.truth_ids("contacts"), "marketsharp.contacts")


def test_short_pages_503s_and_timeouts_lose_nothing(control, sandbox, warehouse, db):
    control.faults({"route": "feed", "short_page": 17, "times": 2, "after": 1},
                   {"route": "feed", "status": 503, "times": 2, "after": 2},
                   {"route": "feed", "delay_s": 1.5, "times": 1, "after": 5})
    sync(emulated_client(sandbox, timeout_s=1.0), warehouse, "contacts", config={"full_refresh": True})
    rules = control.http.get("/faults").json()["rules"]
    assert all(rule["fired"] for rule in rules), rules
    assert_same_keys(stored(db, "contacts"), control.truth_ids("contacts"), "marketsharp.contacts")


def test_a_400_fails_without_looping(control, emulated, warehouse):
    control.faults({"route": "feed", "status": 400, "times": 1})
    result, _ = sync(emulated, warehouse, "contacts", raise_on_error=False)
    assert not result.success and "HTTP 400" in failure_text(result)
    assert control.requests("feed", status=400) == 1  # not retried (a straggler of another test may be logged)


def test_a_wrong_secret_fails_at_once_naming_the_variables(control, sandbox, warehouse):
    wrong = "d3Jvbmctc2VjcmV0"  # base64, but not the company's secret
    result, _ = sync(emulated_client(sandbox, secret_key=wrong), warehouse, "contacts", raise_on_error=False)
    assert not result.success
    text = failure_text(result)
    assert all(name in text for name in (COMPANY_ID_ENV, API_KEY_ENV, SECRET_KEY_ENV))
    assert wrong not in text and SECRET_KEY not in text
    assert control.requests("feed", status=401) == 1


def test_a_complete_read_soft_deletes_what_is_no_longer_listed(control, emulated, warehouse, db):
    sync(emulated, warehouse, "contacts", config={"full_refresh": True})
    gone = sorted(control.truth_ids("contacts"))[:5]
    control.mutate(object_type="contacts", ids=gone, action="archive")
    _, meta = sync(emulated, warehouse, "contacts", config={"full_refresh": True})
    deleted = {r[0] for r in db.execute("SELECT id FROM marketsharp.contacts WHERE _deleted_at IS NOT NULL")}
    assert deleted == set(gone)
    # A partition run is not a complete read: nothing more is deleted by it.
    control.mutate(object_type="contacts", ids=sorted(control.truth_ids("contacts"))[:3], action="archive")
    sync(emulated, warehouse, "contacts")
    assert {r[0] for r in db.execute("SELECT id FROM marketsharp.contacts WHERE _deleted_at IS NOT NULL")} == deleted


def test_a_mass_disappearance_is_refused_by_the_guard(control, emulated, warehouse, db):
    sync(emulated, warehouse, "contacts", config={"full_refresh": True})
    control.mutate(object_type="contacts", count=200, action="archive")  # 200 of 1,200: above 5 %
    result, _ = sync(emulated, warehouse, "contacts", config={"full_refresh": True}, raise_on_error=False)
    assert not result.success and "refusing to soft-delete" in failure_text(result)
    assert db.execute("SELECT count(*) FROM marketsharp.contacts WHERE _deleted_at IS NOT NULL").fetchone()[0] == 0


def test_local_times_across_dst_changes_load_as_utc(control, emulated, warehouse, db):
    # The emulator writes each change time as New York wall clock, without an offset.
    first, second, spring, summer = sorted(control.truth_ids("contacts"))[:4]
    for record_id, moment in ((first, "2026-11-01T05:30:00Z"),    # 01:30 EDT, the first 01:30
                              (second, "2026-11-01T06:30:00Z"),   # 01:30 EST, the repeated 01:30
                              (spring, "2026-03-08T07:30:00Z"),   # 03:30 EDT, just after clocks go forward
                              (summer, "2026-07-04T16:00:00Z")):  # 12:00 EDT
        control.mutate(object_type="contacts", ids=[record_id], action="touch", modified_at=moment)
    sync(emulated, warehouse, "contacts", config={"full_refresh": True})
    loaded = dict(db.execute("SELECT id, to_char(last_update AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI') "
                             "FROM marketsharp.contacts WHERE id = ANY(%s)", [[first, second, spring, summer]]))
    assert loaded == {first: "2026-11-01T05:30", second: "2026-11-01T05:30",  # ambiguous: read as the first
                      spring: "2026-03-08T07:30", summer: "2026-07-04T16:00"}


def test_a_truncated_feed_fails_the_run_clearly_and_the_rerun_is_exact(control, emulated, warehouse, db):
    sync(emulated, warehouse, "contacts", config={"full_refresh": True})
    control.faults({"route": "feed", "truncate_body": 2000, "times": 1, "after": 3})
    result, _ = sync(emulated, warehouse, "contacts", config={"full_refresh": True}, raise_on_error=False)
    assert not result.success
    assert re.search(r"MarketSharpPayloadError: GET \S*/Contacts: unreadable feed: ", failure_text(result))
    # The failed full read deleted nothing (only a complete read may), and the rerun is exact.
    assert db.execute("SELECT count(*) FROM marketsharp.contacts WHERE _deleted_at IS NOT NULL").fetchone()[0] == 0
    sync(emulated, warehouse, "contacts", config={"full_refresh": True})
    assert_same_keys(stored(db, "contacts"), control.truth_ids("contacts"), "marketsharp.contacts")
