"""How close a hubspot/contacts full sync gets to a rate limit's ceiling without provoking a 429.

The sandbox enforces HubSpot's rolling ten-secondly limit (`ten_secondly_limit`, default 100) and answers
every request after `latency_ms` (default 150); the client's own limiter is `requests_per_10s` (default
100). The ceiling is limit x page size per 10 s (100 x 100 = 1,000 records/s); the sync is sized to last
about `--seconds` at the ceiling (default 120). Prints one JSON line.

    .venv/bin/python benchmarks/rate_limit_ceiling.py [--seconds 120] [--requests-per-10s 100]
"""

from __future__ import annotations

import argparse
import math

from _common import ONLY_CONTACTS, CpuMeter, emit, sandbox_process, scratch_database
from hubspot_contacts_full_sync import sync

PAGE_SIZE = 100  # the list endpoint's maximum, which the client uses


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--limit", type=int, default=100, help="the sandbox's ten-secondly limit")
    parser.add_argument("--latency-ms", type=float, default=150.0)
    parser.add_argument("--requests-per-10s", type=int, default=100, help="the client's own limiter")
    args = parser.parse_args()

    ceiling_rps = args.limit * PAGE_SIZE / 10  # records per second
    # Live records at the ceiling for the wanted duration; ~3 % of generated contacts are archived.
    contacts = math.ceil(ceiling_rps * args.seconds / 0.97)
    config = {"ten_secondly_limit": args.limit, "latency_ms": args.latency_ms}
    with scratch_database("ratelimit") as url, \
            sandbox_process({"contacts": contacts, **ONLY_CONTACTS}, config) as sandbox:
        with CpuMeter(url, sandbox.pid) as meter:
            meta, wall = sync(sandbox.url, url, batch_size=5000, requests_per_10s=args.requests_per_10s)
        stats = sandbox.stats()
    duration = meta["duration_s"]
    requests = meta["api_calls"]
    emit({
        "benchmark": "rate_limit_ceiling", "ten_secondly_limit": args.limit, "latency_ms": args.latency_ms,
        "client_requests_per_10s": args.requests_per_10s, "contacts": contacts,
        "records_fetched": meta["records_fetched"], "duration_s": duration,
        "records_per_s": meta["records_per_s"], "ceiling_records_per_s": ceiling_rps,
        "share_of_ceiling": round(meta["records_fetched"] / duration / ceiling_rps, 4),
        "requests": requests, "requests_per_10s": round(requests / duration * 10, 2),
        "share_of_request_ceiling": round(requests / duration * 10 / args.limit, 4),
        "http_429": stats["statuses"].get("429", 0), "retries": meta["retries"],
        "sandbox_statuses": stats["statuses"], **meter.report(),
    })


if __name__ == "__main__":
    main()
