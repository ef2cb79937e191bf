"""How close a hubspot/contacts sync gets to a rate limit's ceiling without provoking a 429.

Two endpoints, two budgets (API_SHAPES §1.12):
- `--endpoint list`: a full refresh through the list endpoint, under the rolling ten-secondly limit
  (`--limit`, default 100 per 10 s); ceiling = limit x 100 records per page.
- `--endpoint search`: a single-run backfill of every day the sandbox's records were modified in, through
  search, under search's own per-second limit (`--search-per-second`, default 5 as at HubSpot; 10 is the
  ten-secondly 100 per 10 s as a one-second budget); ceiling = limit x 200 records per page. The window
  is split into hs_object_id ranges, `--in-flight` of them paged at once (`search_windows_in_flight`).
The sandbox answers every request after `--latency-ms` (default 150); the client's own limiter is set to
the sandbox's limit. The sync is sized to last about `--seconds` at the ceiling. Prints one JSON line.

    .venv/bin/python benchmarks/rate_limit_ceiling.py [--endpoint list|search] [--seconds 120]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math

from _common import ONLY_CONTACTS, CpuMeter, emit, sandbox_process, scratch_database
from hubspot_contacts_full_sync import sync

LIST_PAGE, SEARCH_PAGE = 100, 200  # the endpoints' maxima, which the client uses
MODIFIED = ("2026-10-01", "2026-11-28")  # the sandbox spreads last-modified times over these days
ARCHIVED_SHARE = 0.03  # of generated contacts: listed by neither endpoint's live listing


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", choices=("list", "search"), default="list")
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--limit", type=int, default=100, help="the sandbox's ten-secondly limit")
    parser.add_argument("--search-per-second", type=int, default=5, help="the sandbox's search limit (HubSpot's)")
    parser.add_argument("--latency-ms", type=float, default=150.0)
    parser.add_argument("--in-flight", type=int, default=4, help="search ranges paged at once (the resource default)")
    args = parser.parse_args()

    search = args.endpoint == "search"
    ceiling_rps = args.search_per_second * SEARCH_PAGE if search else args.limit * LIST_PAGE / 10
    contacts = math.ceil(ceiling_rps * args.seconds / (1 - ARCHIVED_SHARE))
    config = {"ten_secondly_limit": args.limit, "search_per_second": args.search_per_second,
              "latency_ms": args.latency_ms, "modified_start": f"{MODIFIED[0]}T00:00:00Z",
              "modified_end": f"{MODIFIED[1]}T00:00:00Z"}
    last_day = (dt.date.fromisoformat(MODIFIED[1]) - dt.timedelta(days=1)).isoformat()
    with scratch_database("ratelimit") as url, \
            sandbox_process({"contacts": contacts, **ONLY_CONTACTS}, config) as sandbox:
        with CpuMeter(url, sandbox.pid) as meter:
            meta, wall = sync(sandbox.url, url, batch_size=5000, requests_per_10s=args.limit,
                              search_requests_per_s=args.search_per_second,
                              partition_range=(MODIFIED[0], last_day) if search else None,
                              search_windows_in_flight=args.in_flight)
        stats = sandbox.stats()
    duration = meta["duration_s"]
    requests = meta["api_calls"]
    request_ceiling = args.search_per_second if search else args.limit / 10  # per second
    emit({
        "benchmark": "rate_limit_ceiling", "endpoint": args.endpoint, "ten_secondly_limit": args.limit,
        "search_per_second": args.search_per_second, "latency_ms": args.latency_ms,
        "search_windows_in_flight": args.in_flight if search else None, "contacts": contacts,
        "records_fetched": meta["records_fetched"], "duration_s": duration,
        "records_per_s": meta["records_per_s"], "ceiling_records_per_s": ceiling_rps,
        "share_of_ceiling": round(meta["records_fetched"] / duration / ceiling_rps, 4),
        "requests": requests, "requests_per_s": round(requests / duration, 3),
        "share_of_request_ceiling": round(requests / duration / request_ceiling, 4),
        "http_429": stats["statuses"].get("429", 0), "retries": meta["retries"],
        "sandbox_statuses": stats["statuses"], "sandbox_requests": stats["requests"], **meter.report(),
    })


if __name__ == "__main__":
    main()
