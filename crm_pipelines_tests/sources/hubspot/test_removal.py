"""Removal assets against the sandbox (real HTTP) and PostgreSQL: deletion only on positive evidence."""

from __future__ import annotations

import math
from typing import Any

import httpx
import pytest
from dagster import materialize

from crm_pipelines.core.http import HttpClient, HttpRetries, SourceApiError
from crm_pipelines.sources.hubspot import SOURCE
from crm_pipelines_tests.sources.hubspot.conftest import SMALL_COUNTS, client_for, failure_text, ids, sync

REMOVAL_ASSETS = {a.key.path[-1].removesuffix("_removal"): a for a in SOURCE.removal_assets()}
FULL = {"full_refresh": True}
ANY_DAY = "2026-11-01"
CONTACTS = 500  # five batch/read chunks: enough to cross chunk boundaries, cheap to load
# A delayed answer must outlast the client's timeout, which must outlast any honest answer on a busy machine.
TIMEOUT, SLOW = 0.5, 1.5


def test_removal_assets_follow_the_naming_contract():
    assert set(REMOVAL_ASSETS) == {"contacts", "companies", "deals", "appointments", "divisions", "genius_users"}
    for entity, definition in REMOVAL_ASSETS.items():
        spec = next(iter(definition.specs))
        assert spec.key.path == ["hubspot", f"{entity}_removal"] and spec.group_name == "hubspot"
        assert spec.kinds == {"hubspot", "postgres"} and spec.tags["crm"] == "hubspot"
        assert [d.asset_key.path for d in spec.deps] == [["hubspot", entity]]
        assert definition.op.pool == "hubspot_api" and definition.partitions_def is None
        assert {"hubspot", "warehouse"} <= definition.required_resource_keys


def remove(entity: str, hubspot, warehouse, *, config: dict[str, Any] | None = None, raise_on_error: bool = True):
    """Materialize one removal asset through Dagster; return (result, metadata as plain values)."""
    op = f"hubspot__{entity}_removal"
    result = materialize([REMOVAL_ASSETS[entity]], resources={"hubspot": hubspot, "warehouse": warehouse},
                         raise_on_error=raise_on_error, run_config={"ops": {op: {"config": config or {}}}})
    if not result.success:
        return result, {}
    materialization = result.asset_materializations_for_node(op)[0]
    return result, {k: v.value for k, v in materialization.metadata.items()}


def key_order(db, table: str = "hubspot.contacts") -> list[str]:
    """Current ids in the order the removal asset reads them (the database's own ORDER BY)."""
    return [r[0] for r in db.execute(f"SELECT id FROM {table} WHERE _deleted_at IS NULL ORDER BY 1")]


@pytest.fixture
def loaded(control, hubspot, warehouse, db) -> list[str]:
    control.reset(counts={**SMALL_COUNTS, "contacts": CONTACTS})
    sync("contacts", hubspot, warehouse, partition=ANY_DAY, config=FULL)
    keys = key_order(db)
    assert len(keys) > 400
    return keys


def requests(control, route: str) -> int:
    return control.stats()["requests"].get(route, 0)


def test_archived_records_are_soft_deleted_exactly(control, hubspot, warehouse, db, loaded):
    victims = [loaded[3], loaded[150], loaded[-1]]  # first, middle and last chunk
    control.mutate(object_type="contacts", ids=victims, action="archive")
    before = dict(db.execute("SELECT id, _run_id FROM hubspot.contacts").fetchall())
    result, meta = remove("contacts", hubspot, warehouse)
    assert set(ids(db, "hubspot.contacts", deleted=True)) == set(victims)
    after = dict(db.execute("SELECT id, _run_id FROM hubspot.contacts").fetchall())
    assert {i for i in after if after[i] != before[i]} == set(victims)  # no other row was written
    assert after[victims[0]] == result.run_id
    assert meta["records_checked"] == len(loaded)
    assert meta["records_deleted"] == 3
    assert meta["dagster/row_count"] == len(loaded) - 3
    assert meta["api_calls"] == math.ceil(len(loaded) / 100) + 3  # one GET per candidate, none for the rest
    assert meta["retries"] == 0
    assert all(v in meta["deleted_ids"] for v in victims)

    _, again = remove("contacts", hubspot, warehouse)
    assert (again["records_checked"], again["records_deleted"]) == (len(loaded) - 3, 0)
    assert "No record soft-deleted" in again["deleted_ids"]
    assert set(ids(db, "hubspot.contacts", deleted=True)) == set(victims)


@pytest.mark.parametrize("entity,object_type", [
    ("companies", "companies"), ("deals", "deals"), ("appointments", "appointments"),
    ("divisions", "divisions"), ("genius_users", "genius_users"),
])
def test_every_object_type_is_checked_at_its_own_type_id(control, hubspot, warehouse, db, entity, object_type):
    sync(entity, hubspot, warehouse, partition=ANY_DAY, config=FULL)
    victim = key_order(db, f"hubspot.{entity}")[-1]
    control.mutate(object_type=object_type, ids=[victim], action="archive")
    _, meta = remove(entity, hubspot, warehouse)
    assert ids(db, f"hubspot.{entity}", deleted=True) == [victim]
    assert meta["records_deleted"] == 1
    type_id = {"companies": "companies", "deals": "deals", "appointments": "0-421",
               "divisions": hubspot.division_object_type, "genius_users": hubspot.genius_user_object_type}[entity]
    paths = {e["path"] for e in control.stats()["log"] if e["route"] in ("batch_read", "get")}
    assert paths == {f"/hubspot/crm/v3/objects/{type_id}/batch/read", f"/hubspot/crm/v3/objects/{type_id}/{victim}"}


def test_a_207_is_not_evidence_without_the_confirming_404(control, hubspot, warehouse, db, loaded):
    flipper, gone = loaded[10], loaded[20]
    control.mutate(object_type="contacts", ids=[flipper, gone], action="archive")
    # Restored between the batch read (a 207 naming both) and the first confirmation GET.
    control.mutate(object_type="contacts", ids=[flipper], action="unarchive", after_requests=1, route="get")
    _, meta = remove("contacts", hubspot, warehouse)
    assert control.stats()["statuses"].get("207", 0) == 1
    assert ids(db, "hubspot.contacts", deleted=True) == [gone]
    assert meta["records_deleted"] == 1 and requests(control, "get") == 2


def test_a_404_for_the_whole_batch_makes_candidates_each_confirmed(control, hubspot, warehouse, db, loaded):
    chunk = loaded[:100]
    control.mutate(object_type="contacts", ids=chunk, action="archive")
    control.mutate(object_type="contacts", ids=chunk[:2], action="unarchive", after_requests=1, route="get")
    _, meta = remove("contacts", hubspot, warehouse, config={"max_delete_share": 0.5})
    assert control.stats()["statuses"].get("404", 0) == 1 + 98  # the whole batch read, then each confirmation
    assert set(ids(db, "hubspot.contacts", deleted=True)) == set(chunk[2:])
    assert meta["records_deleted"] == 98


@pytest.mark.parametrize("fault", [
    {"status": 503}, {"status": 429, "retry_after": None}, {"status": 502}, {"drop": True}, {"delay_s": SLOW},
], ids=["503", "429", "502-html", "dropped", "timeout"])
def test_a_persistent_batch_read_failure_fails_the_run_and_keeps_nothing(control, sandbox, warehouse, db,
                                                                         loaded, fault):
    hubspot = client_for(sandbox.hubspot_url, max_attempts=3, timeout_s=TIMEOUT)
    victims = [loaded[0], loaded[-1]]
    control.mutate(object_type="contacts", ids=victims, action="archive")
    # The first chunk passes, so its victim is soft-deleted before the failure: the rollback must undo it.
    control.faults({"route": "batch_read", "after": 1, **fault})
    result, _ = remove("contacts", hubspot, warehouse, raise_on_error=False)
    assert not result.success
    assert "batch/read" in failure_text(result)
    assert requests(control, "get") == 1
    assert ids(db, "hubspot.contacts", deleted=True) == []


@pytest.mark.parametrize("fault", [
    {"status": 429, "retry_after": None, "times": 2}, {"status": 503, "times": 2}, {"delay_s": SLOW, "times": 1},
], ids=["429", "503", "timeout"])
def test_a_transient_batch_read_failure_is_retried_and_deletes_only_the_archived(control, sandbox, warehouse, db,
                                                                                 loaded, fault):
    hubspot = client_for(sandbox.hubspot_url, timeout_s=TIMEOUT)
    victims = [loaded[5], loaded[250]]
    control.mutate(object_type="contacts", ids=victims, action="archive")
    control.faults({"route": "batch_read", **fault})
    _, meta = remove("contacts", hubspot, warehouse)
    assert set(ids(db, "hubspot.contacts", deleted=True)) == set(victims)
    assert meta["records_deleted"] == 2
    assert meta["retries"] == fault.get("times", 1)


def test_a_failing_confirmation_fails_the_run_and_keeps_nothing(control, sandbox, warehouse, db, loaded):
    hubspot = client_for(sandbox.hubspot_url, max_attempts=3)
    victims = [loaded[0], loaded[-1]]
    control.mutate(object_type="contacts", ids=victims, action="archive")
    control.faults({"route": "get", "status": 503, "after": 1})  # the first victim is confirmed, then 503s
    result, _ = remove("contacts", hubspot, warehouse, raise_on_error=False)
    assert not result.success
    assert "HTTP 503" in failure_text(result)
    assert requests(control, "get") == 4
    assert ids(db, "hubspot.contacts", deleted=True) == []


def test_a_mass_deletion_is_refused_unless_the_run_allows_it(control, hubspot, warehouse, db, loaded):
    victims = loaded[::10]  # 10 % of the table, over the default 5 %
    control.mutate(object_type="contacts", ids=victims, action="archive")
    result, _ = remove("contacts", hubspot, warehouse, raise_on_error=False)
    assert not result.success
    assert "refusing to soft-delete" in failure_text(result)
    assert ids(db, "hubspot.contacts", deleted=True) == []
    _, meta = remove("contacts", hubspot, warehouse, config={"max_delete_share": 0.5})
    assert set(ids(db, "hubspot.contacts", deleted=True)) == set(victims)
    assert meta["records_deleted"] == len(victims)


def test_bad_max_delete_share_names_the_setting(hubspot, warehouse):
    with pytest.raises(Exception, match="max_delete_share"):
        remove("contacts", hubspot, warehouse, config={"max_delete_share": 1.5})


def test_dry_run_reports_and_deletes_nothing_and_limit_bounds_the_check(control, hubspot, warehouse, db, loaded):
    victims = [loaded[1], loaded[2], loaded[300]]
    control.mutate(object_type="contacts", ids=victims, action="archive")
    _, meta = remove("contacts", hubspot, warehouse, config={"dry_run": True})
    assert meta["records_deleted"] == 3 and meta["dry_run"] is True
    assert "would be soft-deleted (dry run)" in meta["deleted_ids"]
    assert ids(db, "hubspot.contacts", deleted=True) == []
    assert meta["dagster/row_count"] == len(loaded)

    _, meta = remove("contacts", hubspot, warehouse, config={"limit": 150})
    assert meta["records_checked"] == 150
    assert set(ids(db, "hubspot.contacts", deleted=True)) == set(victims[:2])


# What the sandbox cannot answer (its 404s all carry OBJECT_NOT_FOUND; it has no other 207 error categories):
# canned HubSpot answers through the client's own HTTP path.
def _canned(hubspot, status: int, body: dict[str, Any]):
    transport = httpx.MockTransport(lambda request: httpx.Response(status, json=body))
    hubspot._http = HttpClient("https://api.hubapi.test", headers={}, timeout_s=1, transport=transport,
                               retry=HttpRetries(max_attempts=1))
    return hubspot


def test_a_404_without_object_not_found_is_not_evidence(sandbox):
    hubspot = _canned(client_for(sandbox.hubspot_url), 404, {"status": "error", "message": "Not Found"})
    with pytest.raises(SourceApiError, match="OBJECT_NOT_FOUND"):
        hubspot.confirm_missing("contacts", "101")
    with pytest.raises(SourceApiError, match="OBJECT_NOT_FOUND"):
        hubspot.batch_read_existing("contacts", ["101"])


def test_a_207_error_of_another_category_raises(sandbox):
    body = {"status": "COMPLETE", "results": [{"id": "101"}], "numErrors": 1, "errors": [
        {"status": "error", "category": "RATE_LIMITS", "message": "slow down", "context": {"ids": ["102"]}}]}
    hubspot = _canned(client_for(sandbox.hubspot_url), 207, body)
    with pytest.raises(SourceApiError, match="RATE_LIMITS"):
        hubspot.batch_read_existing("contacts", ["101", "102"])


def test_a_confirming_404_must_be_about_the_asked_id(sandbox):
    body = {"status": "error", "category": "OBJECT_NOT_FOUND", "message": "Object not found.",
            "context": {"id": ["999"]}}
    hubspot = _canned(client_for(sandbox.hubspot_url), 404, body)
    with pytest.raises(SourceApiError, match="other ids"):
        hubspot.confirm_missing("contacts", "101")
