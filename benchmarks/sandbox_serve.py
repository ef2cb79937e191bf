"""Throughput of the CRM sandbox: records/s served through HubSpot list pages of 100, plus the sandbox RSS.

    python benchmarks/sandbox_serve.py [--contacts 200000] [--properties all|default] [--pages N] [--in-process]

The sandbox runs as its own process (`python -m crm_pipelines.sandbox`) so its RSS and CPU time are its
own; one client thread pages through contacts with httpx and prints one JSON line. `server_cpu_s` is the
sandbox's CPU time during the scan, so `records_per_server_cpu_s` is the one-core rate even when the
machine is busy; `--in-process` uses `Sandbox` in a thread instead (client and server then share the GIL).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import httpx
import orjson

from crm_pipelines.sandbox import HubSpotConfig, Sandbox

CONTACT_PROPERTIES = (
    "hs_object_id,createdate,lastmodifieddate,firstname,lastname,email,phone,mobilephone,address,city,state,zip,"
    "division,marketsharp_id,hubspot_owner_id,lead_is_dnc,price,hs_merged_object_ids,hge_primary_source,"
    "hge_secondary_source,lead_appointment_date,trustedform_cert_url,lifecyclestage"
)
TOKEN = HubSpotConfig().token


def proc_status(pid: int) -> tuple[float, float]:
    """(RSS MB, CPU seconds) of a process, from /proc."""
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        rss = next(int(line.split()[1]) / 1024 for line in fh if line.startswith("VmRSS:"))
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return rss, cpu


def scan(base_url: str, properties: str, max_pages: int) -> tuple[int, int, float]:
    params: dict[str, str | int] = {"limit": 100}
    if properties == "all":
        params["properties"] = CONTACT_PROPERTIES
    records = pages = 0
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60) as client:
        started = time.perf_counter()
        while True:
            resp = client.get("/crm/v3/objects/contacts", params=params)
            resp.raise_for_status()
            body = orjson.loads(resp.content)
            records += len(body["results"])
            pages += 1
            nxt = body.get("paging", {}).get("next")
            if not nxt or (max_pages and pages >= max_pages):
                break
            params["after"] = nxt["after"]
        return records, pages, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=200_000)
    parser.add_argument("--properties", choices=["all", "default"], default="all")
    parser.add_argument("--pages", type=int, default=0, help="stop after N pages (0 = all)")
    parser.add_argument("--in-process", action="store_true")
    args = parser.parse_args()
    t0 = time.perf_counter()
    result: dict[str, object] = {"benchmark": "sandbox_serve", "contacts": args.contacts,
                                 "properties": args.properties}
    if args.in_process:
        with Sandbox(hubspot=HubSpotConfig(counts={"contacts": args.contacts})) as sb:
            result["startup_s"] = round(time.perf_counter() - t0, 2)
            records, pages, elapsed = scan(sb.hubspot_url, args.properties, args.pages)
            rss, _ = proc_status(os.getpid())
            cpu = None
    else:
        proc = subprocess.Popen(
            [sys.executable, "-m", "crm_pipelines.sandbox", "--port", "0",
             "--hubspot-counts", f"contacts={args.contacts}"], stdout=subprocess.PIPE, text=True)
        try:
            line = proc.stdout.readline() if proc.stdout else ""
            if not line.startswith("sandbox listening on "):
                raise SystemExit(f"sandbox did not start: {line!r}")
            result["startup_s"] = round(time.perf_counter() - t0, 2)
            _, cpu_before = proc_status(proc.pid)
            records, pages, elapsed = scan(line.split()[-1] + "/hubspot", args.properties, args.pages)
            rss, cpu_after = proc_status(proc.pid)
            cpu = cpu_after - cpu_before
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    result.update({
        "mode": "in-process" if args.in_process else "subprocess", "pages": pages, "records": records,
        "seconds": round(elapsed, 2), "records_per_s": round(records / elapsed), "sandbox_rss_mb": round(rss, 1),
    })
    if cpu is not None:
        result["server_cpu_s"] = round(cpu, 2)
        result["records_per_server_cpu_s"] = round(records / cpu) if cpu else None
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
