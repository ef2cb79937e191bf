"""The sandbox as a program: determinism of the generator, the CLI, the Python API and the data's mess."""

from __future__ import annotations

import re
import subprocess
import sys
import threading

import httpx

from crm_pipelines.sandbox import HubSpotConfig, HubSpotEmulator, Sandbox

from .conftest import HubSpotHarness


def _page(hs: HubSpotHarness, object_type: str) -> list[dict]:
    return hs.api.get(f"/crm/v3/objects/{object_type}", params={"limit": 100, "properties": "email,phone,zip,price"}
                      ).json()["results"]


def test_same_seed_same_data_other_seed_other_data(hs: HubSpotHarness) -> None:
    hs.reset(seed=7)
    first = {t: _page(hs, t) for t in ("contacts", "deals", "0-421")}
    hs.reset(seed=8)
    other = _page(hs, "contacts")
    hs.reset(seed=7)
    again = {t: _page(hs, t) for t in ("contacts", "deals", "0-421")}
    assert first == again
    assert [r["id"] for r in other] != [r["id"] for r in first["contacts"]]
    # An independent emulator with the same config produces the same records.
    twin = HubSpotEmulator(HubSpotConfig.from_dict(hs.ctl.get("/config").json()["config"]))
    some = first["contacts"][3]["id"]
    assert twin.truth_record("contacts", some) == hs.truth_record("contacts", some)


def test_generated_values_are_realistically_messy(hs: HubSpotHarness) -> None:
    rows = [r["properties"] for p in hs.list_pages("contacts", properties="email,phone,lead_appointment_date,"
                                                   "hs_merged_object_ids,price,lead_is_dnc") for r in p["results"]]
    emails = [r["email"] for r in rows if r["email"] is not None]
    assert 0.8 < len(emails) / len(rows) < 0.97  # optional properties are null ~10 % of the time
    assert any(e != e.strip() for e in emails) and any(e != e.lower() for e in emails)
    valid = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]+$")
    assert any(not valid.match(e.strip().lower()) for e in emails)
    assert sum(bool(valid.match(e.strip().lower())) for e in emails) / len(emails) > 0.95
    phones = [r["phone"] for r in rows if r["phone"]]
    shapes = {re.sub(r"\d", "9", p[2:] if p.startswith(("+1", "1-")) else p) for p in phones}
    assert {"(999) 999-9999", "999.999.9999", " 999 999 9999", "9999999999", "999-999-9999"} <= shapes
    assert {"N/A", "(No value)", "."} & set(phones) and "555-CALL-NOW" in phones
    digits = [re.sub(r"\D", "", p)[-10:] for p in phones if len(re.sub(r"\D", "", p)) >= 10]
    assert all(d[0] in "23456789" for d in digits)
    dates = [r["lead_appointment_date"] for r in rows if r["lead_appointment_date"]]
    assert any(re.fullmatch(r"\d{4}-\d\d-\d\d", d) for d in dates)
    assert any(re.fullmatch(r"\d{13}", d) and int(d) % 86_400_000 == 0 for d in dates)
    assert any(d.endswith("T00:00:00Z") for d in dates)
    assert any(r["hs_merged_object_ids"] and ";" in r["hs_merged_object_ids"] for r in rows)
    assert {r["lead_is_dnc"] for r in rows} == {"true", "false"}
    assert all(r["price"] is None or float(r["price"]) > 0 for r in rows)


def test_python_api_serves_in_a_thread_and_exposes_state() -> None:
    cfg = HubSpotConfig(token="t", counts={"contacts": 30, "deals": 5})
    with Sandbox(hubspot=cfg) as sb:
        assert sb.hubspot_url == sb.url + "/hubspot" and sb.port > 0
        resp = httpx.get(sb.hubspot_url + "/crm/v3/objects/contacts", headers={"Authorization": "Bearer t"},
                         params={"limit": 100})
        assert [r["id"] for r in resp.json()["results"]] == sb.hubspot.truth("contacts")["ids"]
        assert sb.hubspot.config.counts["companies"] == 500  # partial counts keep the other defaults
        results: list[int] = []
        threads = [threading.Thread(target=lambda: results.append(
            httpx.get(sb.hubspot_url + "/crm/v3/owners", headers={"Authorization": "Bearer t"}).status_code))
            for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results == [200] * 8
    try:
        httpx.get(sb.url, timeout=1)
    except httpx.ConnectError:
        pass
    else:
        raise AssertionError("sandbox still serving after stop()")


def test_cli_prints_ready_line_serves_and_stops_on_sigterm() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "crm_pipelines.sandbox", "--port", "0", "--seed", "3", "--hubspot-token", "cli-tok",
         "--hubspot-counts", "contacts=40,deals=10"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        timer = threading.Timer(60, proc.kill)  # a hung start fails the test instead of hanging it
        timer.start()
        line = proc.stdout.readline() if proc.stdout else ""
        timer.cancel()
        match = re.fullmatch(r"sandbox listening on (http://127\.0\.0\.1:\d+)\n", line)
        assert match, (line, proc.stderr.read() if proc.poll() is not None and proc.stderr else "")
        url = match.group(1)
        resp = httpx.get(url + "/hubspot/crm/v3/objects/contacts", params={"limit": 100},
                         headers={"Authorization": "Bearer cli-tok"})
        assert resp.status_code == 200 and len(resp.json()["results"]) > 30
        config = httpx.get(url + "/_sandbox/hubspot/config").json()["config"]
        assert config["seed"] == 3 and config["counts"]["deals"] == 10
    finally:
        proc.terminate()
        assert proc.wait(timeout=20) == 0
