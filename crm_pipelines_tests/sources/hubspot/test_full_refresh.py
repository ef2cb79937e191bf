"""Full refreshes, archived records, owners and associations against the sandbox."""

from __future__ import annotations

import httpx
import pytest

from crm_pipelines_tests.sources.hubspot.conftest import failure_text, SMALL_COUNTS, TOKEN, client_for, ids, quarantined, sync

FULL = {"full_refresh": True}
ANY_DAY = "2026-11-01"


@pytest.mark.parametrize("entity,object_type", [
    ("contacts", "contacts"), ("companies", "companies"), ("deals", "deals"), ("appointments", "appointments"),
    ("divisions", "divisions"), ("genius_users", "genius_users"),
])
def test_full_refresh_reads_every_active_record_once(control, hubspot, warehouse, db, entity, object_type):
    _, meta = sync(entity, hubspot, warehouse, partition=ANY_DAY, config=FULL)
    expected = control.truth(object_type)
    loaded, bad = ids(db, f"hubspot.{entity}"), set(quarantined(db, entity))
    assert len(loaded) == len(set(loaded))
    assert set(loaded) | bad == expected and not set(loaded) & bad
    assert meta["window_start"] == "full"
    assert meta["records_deleted"] == 0  # archived records were never loaded, so nothing to delete
    if entity == "contacts":
        # The sandbox's mess (bad emails/phones) must be caught, but not mistaken for the norm; it keeps no
        # record out of its table.
        assert not bad and meta["records_quarantined"] == 0
        assert 0 < meta["records_with_issues"] < 0.1 * len(expected)
        assert meta["api_calls"] <= -(-len(expected) // 100) + -(-SMALL_COUNTS["contacts"] // 100) + 2


def test_archived_records_are_soft_deleted_and_restored(control, hubspot, warehouse, db):
    sync("divisions", hubspot, warehouse, partition=ANY_DAY, config=FULL)
    sync("contacts", hubspot, warehouse, partition=ANY_DAY, config=FULL)
    victims = sorted(ids(db, "hubspot.contacts"))[:3]
    control.mutate(object_type="contacts", ids=victims, action="archive")
    _, meta = sync("contacts", hubspot, warehouse, partition=ANY_DAY, config=FULL)
    assert meta["records_deleted"] == 3
    assert set(ids(db, "hubspot.contacts", deleted=True)) == set(victims)
    assert meta["dagster/row_count"] == len(ids(db, "hubspot.contacts"))
    control.mutate(object_type="contacts", ids=victims[:1], action="unarchive")
    sync("contacts", hubspot, warehouse, partition=ANY_DAY, config=FULL)
    assert set(ids(db, "hubspot.contacts", deleted=True)) == set(victims[1:])


def test_a_mass_deletion_is_refused_and_nothing_is_kept(control, hubspot, warehouse, db):
    sync("contacts", hubspot, warehouse, partition=ANY_DAY, config=FULL)
    loaded = sorted(ids(db, "hubspot.contacts"))
    control.mutate(object_type="contacts", ids=loaded[: len(loaded) // 10], action="archive")
    result, _ = sync("contacts", hubspot, warehouse, partition=ANY_DAY, config=FULL, raise_on_error=False)
    assert not result.success
    assert "refusing to soft-delete" in failure_text(result)
    assert ids(db, "hubspot.contacts", deleted=True) == []


def test_dry_run_and_limit(control, hubspot, warehouse, db):
    _, meta = sync("contacts", hubspot, warehouse, partition=ANY_DAY, config={**FULL, "dry_run": True})
    assert meta["records_created"] > 0
    assert db.execute("SELECT count(*) FROM hubspot.contacts").fetchone()[0] == 0
    _, meta = sync("contacts", hubspot, warehouse, partition=ANY_DAY, config={**FULL, "limit": 250})
    assert meta["records_fetched"] == 250
    assert meta["api_calls"] == 3


def test_bad_run_config_names_the_setting(hubspot, warehouse):
    with pytest.raises(Exception, match="batch_size"):
        sync("contacts", hubspot, warehouse, partition=ANY_DAY, config={"batch_size": 0})


def test_owners(control, hubspot, warehouse, db):
    _, meta = sync("owners", hubspot, warehouse)
    assert meta["records_fetched"] == SMALL_COUNTS["owners"]
    assert meta["records_created"] + meta["records_quarantined"] == SMALL_COUNTS["owners"]
    row = db.execute("SELECT first_name, type, teams FROM hubspot.owners LIMIT 1").fetchone()
    assert row[0] and row[1] in ("PERSON", "QUEUE")


def test_contact_associations_match_the_api(control, sandbox, warehouse, db):
    control.reset(assoc_page_size=2)  # most contacts with appointments then need per-id paging
    hubspot = client_for(sandbox.hubspot_url, association_batch_size=500)
    sync("contacts", hubspot, warehouse, partition=ANY_DAY, config=FULL)
    _, meta = sync("contact_appointments", hubspot, warehouse)
    contacts = ids(db, "hubspot.contacts")
    assert meta["api_calls"] >= len(contacts) / 500
    pairs = {}
    for contact_id, appointment_id in db.execute(
            "SELECT contact_id, appointment_id FROM hubspot.contact_appointments WHERE _deleted_at IS NULL"):
        pairs.setdefault(contact_id, set()).add(appointment_id)
    api = httpx.Client(base_url=sandbox.hubspot_url, headers={"Authorization": f"Bearer {TOKEN}"})
    busiest = max(pairs, key=lambda c: len(pairs[c]))
    for contact_id in sorted(contacts)[:150] + [busiest]:
        expected, after = set(), None
        while True:
            response = api.get(f"/crm/v4/objects/contacts/{contact_id}/associations/0-421",
                               params={"limit": 500, **({"after": after} if after else {})})
            response.raise_for_status()
            body = response.json()
            expected |= {str(r["toObjectId"]) for r in body["results"]}
            after = ((body.get("paging") or {}).get("next") or {}).get("after")
            if not after:
                break
        assert pairs.get(contact_id, set()) == expected, contact_id
    assert len(pairs[busiest]) > 2  # per-id paging was exercised
    _, again = sync("contact_appointments", hubspot, warehouse)
    assert (again["records_created"], again["records_updated"], again["records_deleted"]) == (0, 0, 0)


def test_contact_divisions(control, hubspot, warehouse, db):
    sync("contacts", hubspot, warehouse, partition=ANY_DAY, config=FULL)
    _, meta = sync("contact_divisions", hubspot, warehouse)
    assert meta["records_created"] > 0
    orphans = db.execute("SELECT count(*) FROM hubspot.contact_divisions d LEFT JOIN hubspot.contacts c "
                         "ON c.id = d.contact_id WHERE c.id IS NULL").fetchone()[0]
    assert orphans == 0


def test_list_pages_that_repeat_records_load_each_record_once(control, hubspot, warehouse, db):
    control.reset(list_duplicate_rate=0.5)
    _, meta = sync("contacts", hubspot, warehouse, partition=ANY_DAY, config={**FULL, "batch_size": 250})
    expected = control.truth("contacts")
    loaded, bad = ids(db, "hubspot.contacts"), set(quarantined(db, "contacts"))
    assert len(loaded) == len(set(loaded)) and set(loaded) | bad == expected
    assert meta["records_fetched"] > len(expected)  # the API really did repeat records
    assert meta["records_created"] == len(loaded)
    assert meta["records_updated"] == 0
