"""HubSpot emulator: the API behaves as API_SHAPES.md §1 describes, over real HTTP."""

from __future__ import annotations

import re
from datetime import datetime

import httpx

from .conftest import TOKEN, HubSpotHarness, ids_of

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def epoch_ms(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


def test_auth_requires_exact_bearer_token(hs: HubSpotHarness) -> None:
    url = hs.sandbox.hubspot_url + "/crm/v3/objects/contacts"
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": f"bearer {TOKEN}"},
                    {"Authorization": TOKEN}):
        resp = httpx.get(url, headers=headers)
        assert resp.status_code == 401, headers
        body = resp.json()
        assert body["category"] == "INVALID_AUTHENTICATION"
        assert resp.headers["x-hubspot-auth-failure"] == "401 Unauthorized"
        assert body["correlationId"] == resp.headers["X-HubSpot-Correlation-Id"]
    ok = httpx.get(url, headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200 and ok.headers["X-HubSpot-Correlation-Id"]


def test_list_paging_returns_every_live_record_once_and_ends_without_paging(hs: HubSpotHarness) -> None:
    pages = hs.list_pages("contacts")
    assert "paging" not in pages[-1]
    assert all("paging" in p for p in pages[:-1])
    ids = ids_of(pages)
    assert ids == hs.truth("contacts")  # every non-archived id, once, in id order
    assert len(ids) == len(set(ids)) > 1000
    for rec in (r for p in pages for r in p["results"]):
        assert set(rec) == {"id", "properties", "createdAt", "updatedAt", "archived"}
        assert rec["archived"] is False
        assert ISO_MS.match(rec["createdAt"]) and ISO_MS.match(rec["updatedAt"])
        props = rec["properties"]
        assert props["hs_object_id"] == rec["id"]
        assert rec["updatedAt"] == props["lastmodifieddate"]
        assert rec["createdAt"] == props["createdate"] <= props["lastmodifieddate"]
        assert all(v is None or isinstance(v, str) for v in props.values())
    # Ids are numeric strings of mixed lengths, so string order differs from numeric order.
    lengths = {len(i) for i in ids}
    assert min(lengths) == 5 and max(lengths) == 12
    assert sorted(ids) != ids and sorted(ids, key=int) == ids


def test_list_archived_true_returns_only_archived(hs: HubSpotHarness) -> None:
    pages = hs.list_pages("contacts", archived="true")
    records = [r for p in pages for r in p["results"]]
    assert [r["id"] for r in records] == hs.truth("contacts", archived="true")
    assert records and all(r["archived"] is True and ISO_MS.match(r["archivedAt"]) for r in records)
    assert not set(r["id"] for r in records) & set(hs.truth("contacts"))


def test_list_limit_cap_is_400_unless_clamping(hs: HubSpotHarness) -> None:
    resp = hs.api.get("/crm/v3/objects/contacts", params={"limit": 101})
    assert resp.status_code == 400 and resp.json()["category"] == "VALIDATION_ERROR"
    assert len(hs.api.get("/crm/v3/objects/contacts").json()["results"]) == 10  # default limit
    hs.reset(list_clamp=True)
    assert len(hs.api.get("/crm/v3/objects/contacts", params={"limit": 500}).json()["results"]) == 100


def test_list_properties_defaults_unknown_names_and_object_type_aliases(hs: HubSpotHarness) -> None:
    always = {"hs_object_id", "createdate", "lastmodifieddate"}
    default = hs.api.get("/crm/v3/objects/contacts", params={"limit": 3}).json()["results"]
    assert set(default[0]["properties"]) == always | {"firstname", "lastname", "email"}
    picked = hs.api.get("/crm/v3/objects/0-1", params={"limit": 3, "properties": "phone,no_such_prop"}).json()
    assert set(picked["results"][0]["properties"]) == always | {"phone"}
    assert [r["id"] for r in picked["results"]] == [r["id"] for r in default]
    by_id = ids_of(hs.list_pages("2-37778609"))
    assert by_id == ids_of(hs.list_pages("p_divisions")) == hs.truth("divisions")
    custom = hs.api.get("/crm/v3/objects/p_genius_users", params={"limit": 1}).json()["results"][0]
    assert {"hs_createdate", "hs_lastmodifieddate"} <= set(custom["properties"])
    resp = hs.api.get("/crm/v3/objects/foo")
    assert resp.status_code == 400 and resp.json()["message"] == "Unable to infer object type from: foo"


def test_get_one_matches_truth_and_404_otherwise(hs: HubSpotHarness) -> None:
    object_id = hs.truth("deals")[7]
    full = hs.truth_record("deals", object_id)
    resp = hs.api.get(f"/crm/v3/objects/deals/{object_id}", params={"properties": ",".join(full["properties"])})
    assert resp.status_code == 200 and resp.json() == full
    missing = hs.api.get("/crm/v3/objects/deals/1")
    assert missing.status_code == 404
    assert missing.json()["category"] == "OBJECT_NOT_FOUND" and missing.json()["context"] == {"id": ["1"]}
    archived_id = hs.truth("deals", archived="true")[0]
    assert hs.api.get(f"/crm/v3/objects/deals/{archived_id}").status_code == 404
    assert hs.api.get(f"/crm/v3/objects/deals/{archived_id}", params={"archived": "true"}).status_code == 200


def test_search_time_window_sorted_with_total_matching_truth(hs: HubSpotHarness) -> None:
    lo, hi = "2026-10-20T00:00:00Z", "2026-11-10T00:00:00Z"
    body = {"filterGroups": [{"filters": [
        {"propertyName": "hs_lastmodifieddate", "operator": "GTE", "value": str(epoch_ms(lo))},
        {"propertyName": "hs_lastmodifieddate", "operator": "LT", "value": str(epoch_ms(hi))}]}],
        "sorts": [{"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}],
        "properties": ["dealname"]}
    pages = hs.search_pages("deals", body)
    expected = hs.truth("deals", modified_from=lo, modified_to=hi)
    assert {p["total"] for p in pages} == {len(expected)}
    records = [r for p in pages for r in p["results"]]
    assert sorted(r["id"] for r in records) == sorted(expected)
    stamps = [r["properties"]["hs_lastmodifieddate"] for r in records]
    assert stamps == sorted(stamps) and all(lo <= s < hi for s in stamps)
    assert set(records[0]["properties"]) == {"hs_object_id", "createdate", "hs_lastmodifieddate", "dealname"}
    assert [p["paging"]["next"]["after"] for p in pages[:-1]] == [str(100 * (k + 1)) for k in range(len(pages) - 1)]
    # ISO filter values mean the same thing as epoch milliseconds.
    iso_body = {**body, "filterGroups": [{"filters": [
        {"propertyName": "hs_lastmodifieddate", "operator": "GTE", "value": lo},
        {"propertyName": "hs_lastmodifieddate", "operator": "LT", "value": hi}]}], "limit": 1}
    assert hs.api.post("/crm/v3/objects/deals/search", json=iso_body).json()["total"] == len(expected)


def test_search_cap_is_400_and_object_id_anchoring_is_numeric(hs: HubSpotHarness) -> None:
    hs.reset(search_cap=300)
    url = "/crm/v3/objects/contacts/search"
    base = {"sorts": [{"propertyName": "hs_object_id", "direction": "ASCENDING"}], "properties": ["email"]}
    page = hs.api.post(url, json={**base, "limit": 100, "after": "200"}).json()
    assert page["total"] > 300 and page["paging"]["next"]["after"] == "300"  # a cursor into the wall
    over = hs.api.post(url, json={**base, "limit": 100, "after": "300"})
    assert over.status_code == 400 and over.json()["category"] == "VALIDATION_ERROR"
    assert hs.api.post(url, json={**base, "limit": 100, "after": 201}).status_code == 400  # numeric after too
    # Re-anchoring on hs_object_id GT the last id reaches everything, across id-length boundaries.
    seen: list[str] = []
    anchor = "0"
    while True:
        body = {**base, "limit": 100, "filterGroups": [
            {"filters": [{"propertyName": "hs_object_id", "operator": "GT", "value": anchor}]}]}
        chunk = ids_of(hs.search_pages("contacts", body, max_pages=3))
        if not chunk:
            break
        seen += chunk
        anchor = chunk[-1]
    assert seen == hs.truth("contacts")


def test_search_limits_operators_and_archived(hs: HubSpotHarness) -> None:
    url = "/crm/v3/objects/contacts/search"

    def total(*filters: dict) -> int:
        resp = hs.api.post(url, json={"filterGroups": [{"filters": list(filters)}], "limit": 1})
        assert resp.status_code == 200, resp.text
        return resp.json()["total"]

    live = len(hs.truth("contacts"))
    has = total({"propertyName": "email", "operator": "HAS_PROPERTY"})
    assert 0 < has < live and has + total({"propertyName": "email", "operator": "NOT_HAS_PROPERTY"}) == live
    some = hs.truth("contacts")[:5]
    assert total({"propertyName": "hs_object_id", "operator": "IN", "values": some}) == 5
    assert total({"propertyName": "hs_object_id", "operator": "NOT_IN", "values": some}) == live - 5
    archived = hs.truth("contacts", archived="true")[0]
    assert total({"propertyName": "hs_object_id", "operator": "EQ", "value": archived}) == 0
    assert total({"propertyName": "lead_is_dnc", "operator": "EQ", "value": "true"}) > 0
    assert total({"propertyName": "price", "operator": "BETWEEN", "value": "100", "highValue": "1000"}) > 0
    one = {"propertyName": "email", "operator": "HAS_PROPERTY"}
    bad_bodies = [
        {"filterGroups": [{"filters": [one]}] * 6},
        {"filterGroups": [{"filters": [one] * 7}]},
        {"filterGroups": [{"filters": [one] * 6}] * 3 + [{"filters": [one]}]},  # 19 filters in all
        {"limit": 201},
        {"filterGroups": [{"filters": [{"propertyName": "nope", "operator": "EQ", "value": "x"}]}]},
        {"filterGroups": [{"filters": [{"propertyName": "email", "operator": "LIKE", "value": "x"}]}]},
    ]
    for body in bad_bodies:
        resp = hs.api.post(url, json=body)
        assert resp.status_code == 400 and resp.json()["category"] == "VALIDATION_ERROR", body
    plain = hs.api.post(url, json={"sorts": ["hs_object_id"], "limit": 1})
    assert plain.status_code == 200 and not any(h.lower().startswith("x-hubspot-ratelimit") for h in plain.headers)


def test_search_sees_writes_only_after_its_index_lag(hs: HubSpotHarness) -> None:
    hs.reset(search_index_lag_ms=60_000)  # longer than the test: every write below is still unseen
    url = "/crm/v3/objects/contacts/search"

    def found(*ids: str) -> set[str]:
        among = {"propertyName": "hs_object_id", "operator": "IN", "values": list(ids)}
        body = {"filterGroups": [{"filters": [among]}], "limit": 100}
        return {r["id"] for r in hs.api.post(url, json=body).json()["results"]}

    back = hs.truth("contacts", archived="true")[:2]
    gone, touched = hs.truth("contacts")[:2], hs.truth("contacts")[2]
    old = hs.truth_record("contacts", touched)["updatedAt"]
    hs.mutate(object_type="contacts", ids=back, action="unarchive")
    hs.mutate(object_type="contacts", ids=gone, action="archive")
    hs.mutate(object_type="contacts", ids=[touched], action="touch", modified_at="2026-11-30T00:00:00Z")
    assert found(*back) == set() and set(back) <= set(ids_of(hs.list_pages("contacts")))
    assert found(*gone) == set(gone) and not set(gone) & set(ids_of(hs.list_pages("contacts")))
    at_old = {"propertyName": "lastmodifieddate", "operator": "EQ", "value": str(epoch_ms(old))}
    still = hs.api.post(url, json={"filterGroups": [{"filters": [at_old]}], "limit": 100}).json()["results"]
    assert touched in {r["id"] for r in still}  # matched on the time the index still has
    hs.reset()  # no lag: search sees every write at once
    hs.mutate(object_type="contacts", ids=back, action="unarchive")
    assert found(*back) == set(back)


def test_search_can_compare_ids_as_text(hs: HubSpotHarness) -> None:
    hs.reset(search_compares_ids_as_text=True)
    body = {"sorts": [{"propertyName": "hs_object_id", "direction": "ASCENDING"}], "limit": 200}
    ids = ids_of(hs.search_pages("contacts", body))
    assert ids == sorted(hs.truth("contacts")) != sorted(hs.truth("contacts"), key=int)
    above = {"filterGroups": [{"filters": [{"propertyName": "hs_object_id", "operator": "GT", "value": "5"}]}],
             "limit": 1}
    assert hs.api.post("/crm/v3/objects/contacts/search", json=above).json()["total"] == \
        sum(1 for i in hs.truth("contacts") if i > "5")
    assert ids_of(hs.list_pages("contacts")) == sorted(hs.truth("contacts"), key=int)  # the list is unaffected


def test_batch_read_200_207_404(hs: HubSpotHarness) -> None:
    url = "/crm/v3/objects/contacts/batch/read"
    live = hs.truth("contacts")[:3]
    archived = hs.truth("contacts", archived="true")[0]
    ok = hs.api.post(url, json={"inputs": [{"id": i} for i in live], "properties": ["email"]})
    assert ok.status_code == 200 and ok.json()["status"] == "COMPLETE"
    assert sorted(r["id"] for r in ok.json()["results"]) == sorted(live)
    assert "email" in ok.json()["results"][0]["properties"]
    partial = hs.api.post(url, json={"inputs": [{"id": live[0]}, {"id": "1"}, {"id": archived}]})
    assert partial.status_code == 207
    body = partial.json()
    assert [r["id"] for r in body["results"]] == [live[0]]
    assert body["numErrors"] == len(body["errors"]) >= 1
    assert body["errors"][0]["category"] == "OBJECT_NOT_FOUND"
    assert sorted(i for e in body["errors"] for i in e["context"]["ids"]) == sorted(["1", archived])
    none = hs.api.post(url, json={"inputs": [{"id": "1"}, {"id": "2"}]})
    assert none.status_code == 404 and none.json()["category"] == "OBJECT_NOT_FOUND"
    assert hs.api.post(url, json={"inputs": [{"id": str(i)} for i in range(101)]}).status_code == 400
    arch = hs.api.post(url + "?archived=true", json={"inputs": [{"id": archived}]})
    assert arch.status_code == 200 and arch.json()["results"][0]["archived"] is True


def test_v4_associations_page_per_from_id_and_report_empty_ones(hs: HubSpotHarness) -> None:
    contacts = hs.truth("contacts")
    url = "/crm/v4/associations/contacts/appointments/batch/read"
    assert hs.api.post(url, json={"inputs": [{"id": str(i)} for i in range(1001)]}).status_code == 400
    first = hs.api.post(url, json={"inputs": [{"id": i} for i in contacts[:1000]]})
    second = hs.api.post(url, json={"inputs": [{"id": i} for i in contacts[1000:]]})
    assert first.status_code == second.status_code == 207  # some contacts have no appointments
    results = first.json()["results"] + second.json()["results"]
    errors = first.json()["errors"] + second.json()["errors"]
    assert {e["context"]["fromObjectId"][0] for e in errors} | {r["from"]["id"] for r in results} == set(contacts)
    assert all(isinstance(t["toObjectId"], int) for r in results for t in r["to"])
    assert any(len(t["associationTypes"]) == 2 for r in results for t in r["to"])
    assert {a["typeId"] for r in results for t in r["to"] for a in t["associationTypes"]} >= {907}
    paged = [r for r in results if "paging" in r]
    assert paged, "at least one contact must have more appointments than one association page"
    heavy = paged[0]
    targets = [t["toObjectId"] for t in heavy["to"]]
    assert len(targets) == 100
    after = heavy["paging"]["next"]["after"]
    while after:
        page = hs.api.post(url, json={"inputs": [{"id": heavy["from"]["id"], "after": after}]})
        assert page.status_code == 200
        result = page.json()["results"][0]
        targets += [t["toObjectId"] for t in result["to"]]
        after = result.get("paging", {}).get("next", {}).get("after")
    assert len(targets) > 200 and len(set(targets)) == len(targets)
    single = hs.api.get(f"/crm/v4/objects/contacts/{heavy['from']['id']}/associations/0-421", params={"limit": 500})
    assert [t["toObjectId"] for t in single.json()["results"]] == targets
    back = hs.api.post("/crm/v4/associations/0-421/0-1/batch/read", json={"inputs": [{"id": str(targets[0])}]})
    to = back.json()["results"][0]["to"]
    assert int(heavy["from"]["id"]) in [t["toObjectId"] for t in to]
    assert 906 in {a["typeId"] for t in to for a in t["associationTypes"]}
    divisions = hs.api.post("/crm/v4/associations/contacts/2-37778609/batch/read",
                            json={"inputs": [{"id": i} for i in contacts[:50]]}).json()
    assert {str(t["toObjectId"]) for r in divisions["results"] for t in r["to"]} <= set(hs.truth("divisions", archived="any"))


def test_owners_page_and_are_the_ones_records_point_at(hs: HubSpotHarness) -> None:
    owners: list[dict] = []
    params: dict = {"limit": 7}
    while True:
        body = hs.api.get("/crm/v3/owners", params=params).json()
        owners += body["results"]
        if "paging" not in body:
            break
        params["after"] = body["paging"]["next"]["after"]
    assert [o["id"] for o in owners] == hs.truth("owners")
    assert {"id", "email", "firstName", "lastName", "userId", "type", "archived", "teams"} <= set(owners[0])
    assert hs.api.get("/crm/v3/owners", params={"limit": 501}).status_code == 400
    contact_owner_ids = {r["properties"]["hubspot_owner_id"] for p in hs.list_pages("contacts", properties="hubspot_owner_id")
                         for r in p["results"]} - {None}
    assert contact_owner_ids <= set(hs.truth("owners", archived="any"))
