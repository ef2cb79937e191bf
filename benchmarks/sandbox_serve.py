"""Throughput of the CRM sandbox: records/s served through HubSpot list pages of 100, plus its RSS.

    python benchmarks/sandbox_serve.py [--contacts 200000] [--properties all|default] [--pages N]

Prints one JSON line. The client is a single httpx thread in the same process, so the number is a floor
for what the server does on one core.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import httpx

from crm_pipelines.sandbox import HubSpotConfig, Sandbox


def rss_mb() -> float:
    # Whole process (sandbox thread + client); the client adds little over the interpreter baseline.
    with open(f"/proc/{os.getpid()}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=200_000)
    parser.add_argument("--properties", choices=["all", "default"], default="all")
    parser.add_argument("--pages", type=int, default=0, help="stop after N pages (0 = all)")
    args = parser.parse_args()

    t0 = time.perf_counter()
    cfg = HubSpotConfig(counts={"contacts": args.contacts})
    with Sandbox(hubspot=cfg) as sb:
        startup_s = time.perf_counter() - t0
        params: dict[str, str | int] = {"limit": 100}
        if args.properties == "all":
            spec = sb.hubspot.data.registry.specs["contacts"]
            params["properties"] = ",".join(p.name for p in spec.props)
        records = pages = 0
        headers = {"Authorization": f"Bearer {cfg.token}"}
        with httpx.Client(base_url=sb.hubspot_url, headers=headers, timeout=30) as client:
            started = time.perf_counter()
            while True:
                resp = client.get("/crm/v3/objects/contacts", params=params)
                resp.raise_for_status()
                body = resp.json()
                records += len(body["results"])
                pages += 1
                nxt = body.get("paging", {}).get("next")
                if not nxt or (args.pages and pages >= args.pages):
                    break
                params["after"] = nxt["after"]
            elapsed = time.perf_counter() - started
        print(json.dumps({
            "benchmark": "sandbox_serve", "contacts": args.contacts, "properties": args.properties,
            "pages": pages, "records": records, "seconds": round(elapsed, 2),
            "records_per_s": round(records / elapsed), "startup_s": round(startup_s, 2),
            "rss_mb": round(rss_mb(), 1),
        }), flush=True)


if __name__ == "__main__":
    main()
