"""HubSpot emulator: rate limits, injected faults and mid-sync mutations, over real HTTP."""

from __future__ import annotations

import httpx
import pytest

from .conftest import HubSpotHarness, ids_of

LIST = "/crm/v3/objects/contacts"
SEARCH = "/crm/v3/objects/contacts/search"


def test_injected_429_with_and_without_retry_after(hs: HubSpotHarness) -> None:
    hs.faults({"route": "list", "status": 429, "retry_after": 2, "times": 1},
              {"route": "list", "status": 429, "retry_after": None, "policy": "DAILY", "times": 1},
              {"route": "search", "status": 429, "times": 1})
    first = hs.api.get(LIST)
    assert first.status_code == 429 and first.headers["Retry-After"] == "2"
    body = first.json()
    assert body["errorType"] == "RATE_LIMIT" and body["policyName"] == "TEN_SECONDLY_ROLLING"
    assert body["correlationId"] == first.headers["X-HubSpot-Correlation-Id"]
    second = hs.api.get(LIST)
    assert second.status_code == 429 and "Retry-After" not in second.headers
    assert second.json()["policyName"] == "DAILY"
    search = hs.api.post(SEARCH, json={})
    assert search.status_code == 429 and search.json()["policyName"] == "SECONDLY"
    assert hs.api.get(LIST).status_code == 200 and hs.api.post(SEARCH, json={}).status_code == 200


def test_rate_limiter_buckets_headers_and_retry_after(hs: HubSpotHarness) -> None:
    hs.reset(ten_secondly_limit=4, search_per_second=1)
    remaining = []
    for _ in range(4):
        resp = hs.api.get(LIST, params={"limit": 1})
        assert resp.status_code == 200
        assert resp.headers["X-HubSpot-RateLimit-Max"] == "4"
        assert resp.headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "10000"
        remaining.append(int(resp.headers["X-HubSpot-RateLimit-Remaining"]))
    assert remaining == [3, 2, 1, 0]
    limited = hs.api.get(LIST, params={"limit": 1})
    assert limited.status_code == 429 and limited.json()["policyName"] == "TEN_SECONDLY_ROLLING"
    assert 1 <= int(limited.headers["Retry-After"]) <= 10
    # Search has its own bucket and carries no rate-limit headers.
    ok = hs.api.post(SEARCH, json={"limit": 1})
    assert ok.status_code == 200 and "X-HubSpot-RateLimit-Remaining" not in ok.headers
    second = hs.api.post(SEARCH, json={"limit": 1})
    assert second.status_code == 429 and second.json()["policyName"] == "SECONDLY"
    hs.reset(daily_limit=2, retry_after_on_429=False)
    assert [hs.api.get(LIST).status_code for _ in range(3)] == [200, 200, 429]
    daily = hs.api.get(LIST)
    assert daily.json()["policyName"] == "DAILY" and "Retry-After" not in daily.headers
    assert daily.headers["X-HubSpot-RateLimit-Daily-Remaining"] == "0"


def test_5xx_rule_after_times_and_counters(hs: HubSpotHarness) -> None:
    hs.faults({"route": "list", "object_type": "0-1", "status": 503, "after": 1, "times": 2},
              {"route": "any", "status": 502, "times": 1})
    statuses = [hs.api.get(LIST).status_code for _ in range(4)]
    assert statuses == [502, 503, 503, 200]  # rule 2 fires first; rule 1 still counts that request
    assert hs.api.get("/crm/v3/objects/deals").status_code == 200  # rule 1 is for contacts only
    rules = hs.ctl.get("/faults").json()["rules"]
    assert (rules[0]["matched"], rules[0]["fired"]) == (4, 2)
    assert (rules[1]["matched"], rules[1]["fired"]) == (5, 1)
    hs.faults({"route": "get", "status": 524})
    edge = hs.api.get(f"{LIST}/{hs.truth('contacts')[0]}")
    assert edge.status_code == 524 and edge.headers["content-type"].startswith("text/html")
    assert hs.ctl.delete("/faults").status_code == 200
    assert hs.api.get(f"{LIST}/{hs.truth('contacts')[0]}").status_code == 200


def test_probabilistic_storm_is_seeded(hs: HubSpotHarness) -> None:
    def storm() -> list[int]:
        hs.reset(seed=5)
        hs.faults({"route": "list", "status": 500, "probability": 0.5})
        return [hs.api.get(LIST, params={"limit": 1}).status_code for _ in range(40)]

    first = storm()
    assert 8 <= first.count(500) <= 32 and first.count(200) + first.count(500) == 40
    assert storm() == first


def test_latency_applies_to_every_api_response(hs: HubSpotHarness) -> None:
    hs.reset(latency_ms=250)
    for call in (lambda: hs.api.get(LIST), lambda: hs.api.post(SEARCH, json={}), lambda: hs.api.get("/crm/v3/owners")):
        assert call().elapsed.total_seconds() >= 0.25
    assert hs.ctl.get("/stats").elapsed.total_seconds() < 0.25  # the control API is not slowed down
    missing = hs.api.get("/crm/v3/nothing/here")
    assert missing.status_code == 404 and missing.json()["correlationId"] == missing.headers["X-HubSpot-Correlation-Id"]


def test_delay_makes_a_client_time_out(hs: HubSpotHarness) -> None:
    hs.faults({"route": "list", "delay_s": 0.6, "times": 1})
    with pytest.raises(httpx.ReadTimeout):
        hs.api.get(LIST, timeout=0.2)
    assert hs.api.get(LIST, timeout=5).status_code == 200


def test_drop_resets_the_connection(hs: HubSpotHarness) -> None:
    hs.faults({"route": "search", "drop": True, "times": 1})
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError, httpx.ConnectError)):
        hs.api.post(SEARCH, json={})
    assert hs.api.post(SEARCH, json={}).status_code == 200
    log = [e for e in hs.stats()["log"] if e["route"] == "search"]
    assert [e["status"] for e in log] == ["dropped", 200]


def test_short_list_pages_keep_a_cursor_so_nothing_is_lost(hs: HubSpotHarness) -> None:
    hs.faults({"route": "list", "short_page": 0, "after": 2, "times": 2},
              {"route": "list", "short_page": 7, "after": 5, "times": 3})
    pages = hs.list_pages("contacts")
    assert [len(p["results"]) for p in pages[2:4]] == [0, 0] and all("paging" in p for p in pages[2:4])
    assert 7 in [len(p["results"]) for p in pages]
    assert ids_of(pages) == hs.truth("contacts")


def test_short_search_pages_advance_the_offset(hs: HubSpotHarness) -> None:
    hs.faults({"route": "search", "short_page": 5, "times": 1}, {"route": "search", "short_page": 0, "times": 1})
    body = {"sorts": [{"propertyName": "hs_object_id", "direction": "ASCENDING"}]}
    pages = hs.search_pages("appointments", body)
    assert len(pages[0]["results"]) == 5 and pages[0]["paging"]["next"]["after"] == "5"
    assert pages[1]["results"] == [] and pages[1]["paging"]["next"]["after"] == "5"
    assert ids_of(pages) == hs.truth("appointments")


def test_reversed_search_pages_break_the_sort_asked_for(hs: HubSpotHarness) -> None:
    hs.faults({"route": "search", "reverse_page": True, "after": 1, "times": 1})
    body = {"sorts": [{"propertyName": "hs_object_id", "direction": "ASCENDING"}], "limit": 20}
    first, second, third = (ids_of([hs.api.post(SEARCH, json=body).json()]) for _ in range(3))
    assert first == third == sorted(first, key=int) and second == first[::-1]
    refused = hs.ctl.post("/faults", json={"rules": [{"route": "list", "reverse_page": True}]})
    assert refused.status_code == 400 and "reverse_page applies to routes" in refused.text


def test_list_duplicates_and_timestamp_bursts(hs: HubSpotHarness) -> None:
    hs.reset(list_duplicate_rate=1.0, same_timestamp_burst=40)
    pages = hs.list_pages("contacts")
    ids = ids_of(pages)
    assert all(p["results"][0]["id"] == q["results"][-1]["id"] for q, p in zip(pages, pages[1:]))
    assert list(dict.fromkeys(ids)) == hs.truth("contacts") and len(ids) > len(set(ids))
    stamps = [r["properties"]["lastmodifieddate"] for p in pages for r in p["results"]]
    common = max(set(stamps), key=stamps.count)
    burst = hs.api.post(SEARCH, json={"filterGroups": [{"filters": [
        {"propertyName": "lastmodifieddate", "operator": "EQ", "value": common}]}], "limit": 1}).json()
    assert burst["total"] == len(set(ids) & {i for i, s in zip(ids, stamps) if s == common}) >= 30


def test_mutations_after_n_requests_show_up_mid_scan(hs: HubSpotHarness) -> None:
    stamp = "2026-11-30T00:00:00Z"
    before = hs.truth("contacts")
    tail = before[-3:]  # records the scan has not reached when the mutation lands
    m = hs.mutate(object_type="contacts", ids=tail, action="touch", modified_at=stamp, after_requests=3,
                  route="list")
    assert m["applied"] is False
    pages = hs.list_pages("contacts", properties="lastmodifieddate,phone")
    touched = [r for p in pages for r in p["results"] if r["id"] in tail]
    assert [r["updatedAt"] for r in touched] == ["2026-11-30T00:00:00.000Z"] * 3
    assert hs.truth("contacts", modified_from=stamp) == tail
    assert hs.ctl.get("/mutations").json()["applied"][0]["ids"] == tail
    # set / archive / unarchive, applied immediately
    target = before[0]
    hs.mutate(object_type="contacts", ids=[target], action="set", properties={"email": "NEW@Example.com "},
              modified_at="2026-11-29T12:00:00Z")
    rec = hs.api.get(f"{LIST}/{target}", params={"properties": "email"}).json()
    assert rec["properties"]["email"] == "NEW@Example.com " and rec["updatedAt"] == "2026-11-29T12:00:00.000Z"
    archived = hs.mutate(object_type="contacts", count=4, action="archive")
    gone = archived["ids"]
    assert len(gone) == 4 and not set(gone) & set(hs.truth("contacts"))
    assert set(gone) <= set(hs.truth("contacts", archived="true"))
    assert hs.api.post(f"{LIST}/batch/read", json={"inputs": [{"id": i} for i in gone]}).status_code == 404
    hs.mutate(object_type="contacts", ids=gone[:1], action="unarchive")
    assert gone[0] in hs.truth("contacts")


def test_control_api_rejects_unknown_keys_with_a_clear_message(hs: HubSpotHarness) -> None:
    bad_rule = hs.ctl.post("/faults", json={"rules": [{"route": "list", "status": 500, "tims": 2}]})
    assert bad_rule.status_code == 400 and "tims" in bad_rule.json()["error"]
    for rule in ({"route": "lists", "status": 500}, {"route": "list", "status": 418}, {"route": "list"},
                 {"route": "get", "short_page": 1}, {"route": "list", "status": 500, "retry_after": 1}):
        assert hs.ctl.post("/faults", json={"rules": [rule]}).status_code == 400, rule
    assert hs.ctl.post("/mutations", json={"object_type": "contacts", "count": 1, "colour": "red"}).status_code == 400
    assert hs.ctl.post("/mutations", json={"object_type": "contacts", "ids": ["1"]}).status_code == 400
    assert hs.ctl.post("/reset", json={"contacts": 5}).status_code == 400


def test_stats_count_routes_and_log_cursors(hs: HubSpotHarness) -> None:
    hs.list_pages("deals")
    hs.search_pages("deals", {})
    stats = hs.stats()
    assert stats["requests"]["list"] == 4 and stats["requests"]["search"] == 4  # 400 deals, ~3 % archived
    assert stats["statuses"]["200"] == 8
    lists = [e for e in stats["log"] if e["route"] == "list"]
    assert lists[0]["after"] is None and all(e["after"] for e in lists[1:])
    assert [e.get("body_after") for e in stats["log"] if e["route"] == "search"][1:] == ["100", "200", "300"]
    assert {"t", "method", "route", "path", "status", "object_type"} <= set(lists[0])
    assert hs.ctl.post("/stats/reset").status_code == 200 and hs.stats()["requests"] == {}
