"""How close a hubspot/contacts sync gets to a rate limit's ceiling without provoking a 429.

Two endpoints, two budgets (API_SHAPES §1.12), and both at once:
- `--endpoint list`: a full refresh through the list endpoint alone (`full_read_via_search` off), under
  the rolling ten-secondly limit (`--limit`, default 100 per 10 s); ceiling = limit x 100 records per page.
- `--endpoint search`: a single-run backfill of every day the sandbox's records were modified in, through
  search, under search's own per-second limit (`--search-per-second`, default 5 as at HubSpot; 10 is the
  ten-secondly 100 per 10 s as a one-second budget); ceiling = limit x 200 records per page. The window
  is split into hs_object_id ranges, `--in-flight` of them paged at once (`search_windows_in_flight`).
- `--endpoint combined`: a full refresh as the resource runs it when both budgets are paced: the list cursor
  from the lowest id up and `--in-flight` search ranges from the highest id down until they meet, then the
  archived listing (BEHAVIOR.md #22); ceiling = both ceilings added (limit / 10 x 100 + search limit x 200
  records a second). `records_via_search` says how the read was split, `share_of_reachable` how close it
  came to the best any client could do under the same API (`_reachable`), `timeline_s` when each part ended.
The sandbox answers every request after `--latency-ms` (default 150); the client's own limiter is set to
the sandbox's limit. The sync is sized to last about `--seconds` at the ceiling. Prints one JSON line.

    .venv/bin/python benchmarks/rate_limit_ceiling.py [--endpoint list|search|combined] [--seconds 120]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
from collections import Counter

from _common import ONLY_CONTACTS, CpuMeter, emit, sandbox_process, scratch_database
from crm_pipelines.core.ratelimit import skewed_window
from hubspot_contacts_full_sync import sync

LIST_PAGE, SEARCH_PAGE = 100, 200  # the endpoints' maxima, which the client uses
MODIFIED = ("2026-10-01", "2026-11-28")  # the sandbox spreads last-modified times over these days
ARCHIVED_SHARE = 0.03  # of generated contacts: listed by neither endpoint's live listing


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", choices=("list", "search", "combined"), default="list")
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--limit", type=int, default=100, help="the sandbox's ten-secondly limit")
    parser.add_argument("--search-per-second", type=int, default=5, help="the sandbox's search limit (HubSpot's)")
    parser.add_argument("--latency-ms", type=float, default=150.0)
    parser.add_argument("--in-flight", type=int, default=4, help="search ranges paged at once (the resource default)")
    args = parser.parse_args()

    search, combined = args.endpoint == "search", args.endpoint == "combined"
    list_ceiling_rps = args.limit / 10 * LIST_PAGE  # records a second at the whole budget, full pages
    search_ceiling_rps = args.search_per_second * SEARCH_PAGE
    ceiling_rps = {"list": list_ceiling_rps, "search": search_ceiling_rps,
                   "combined": list_ceiling_rps + search_ceiling_rps}[args.endpoint]
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
                              search_windows_in_flight=args.in_flight, full_read_via_search=combined)
        stats = sandbox.stats()
    duration = meta["duration_s"]
    requests = meta["api_calls"]
    by_route = stats["requests"]
    request_ceiling = args.search_per_second if search else args.limit / 10  # per second
    emit({
        "benchmark": "rate_limit_ceiling", "endpoint": args.endpoint, "ten_secondly_limit": args.limit,
        "search_per_second": args.search_per_second, "latency_ms": args.latency_ms,
        "search_windows_in_flight": args.in_flight if search or combined else None, "contacts": contacts,
        "records_fetched": meta["records_fetched"], "records_via_search": meta.get("records_via_search", 0),
        "duration_s": duration, "records_per_s": meta["records_per_s"], "ceiling_records_per_s": ceiling_rps,
        "share_of_ceiling": round(meta["records_fetched"] / duration / ceiling_rps, 4),
        "requests": requests, "requests_per_s": round(requests / duration, 3),
        # Each budget apart: requests of its routes a second over the requests it allows a second.
        **({"list_requests": by_route.get("list", 0), "search_requests": by_route.get("search", 0),
            "share_of_list_budget": round(by_route.get("list", 0) / duration / (args.limit / 10), 4),
            "share_of_search_budget": round(by_route.get("search", 0) / duration / args.search_per_second, 4),
            **_reachable(meta["records_fetched"], duration, stats["log"], args),
            "timeline_s": _timeline(stats["log"])}
           if combined else
           {"share_of_request_ceiling": round(requests / duration / request_ceiling, 4)}),
        "http_429": stats["statuses"].get("429", 0),
        "http_429_by_route": dict(Counter(e["route"] for e in stats["log"] if e["status"] == 429)),
        "retries": meta["retries"],
        "sandbox_statuses": stats["statuses"], "sandbox_requests": stats["requests"], **meter.report(),
    })


def _reachable(records: int, duration: float, log: list[dict], args: argparse.Namespace) -> dict[str, float]:
    """What a combined full read of these records could reach at best, and the share of it reached.

    Three bounds no client can pass, whatever it does: the list cursor is one chain of requests, so at most
    1000 / latency_ms list requests a second; search at most its budget over the limiter's window (the period
    plus its margin, `skewed_window`), which keeps HubSpot's count from seeing a 429; and the archived
    listing, a list chain too, after every active record (it must be, to soft-delete what was archived
    during the read), while search has nothing left to read."""
    list_per_s = min(args.limit / 10, 1000 / args.latency_ms)
    search_per_s = args.search_per_second / skewed_window(1.0)
    archived_pages = sum(1 for e in log if e["route"] == "list" and "archived=true" in e["query"])
    best_s = records / (list_per_s * LIST_PAGE + search_per_s * SEARCH_PAGE) + archived_pages / list_per_s
    return {"reachable_records_per_s": round(records / best_s, 1),
            "share_of_reachable": round(best_s / duration, 4)}


def _timeline(log: list[dict]) -> dict[str, float]:
    """When each part of a combined full read ended, in seconds from its first request (the sandbox's log):
    the active list chain, the search ranges (and the final search), and the archived listing after both."""
    start = min(e["t"] for e in log)

    def end(entries: list[dict]) -> float | None:
        return round(max(e["t"] + e["duration_ms"] / 1000 for e in entries) - start, 2) if entries else None

    archived = [e for e in log if e["route"] == "list" and "archived=true" in e["query"]]
    return {"list_active_end": end([e for e in log if e["route"] == "list" and e not in archived]),
            "search_end": end([e for e in log if e["route"] == "search"]),
            "archived_listing_start": round(min(e["t"] for e in archived) - start, 2) if archived else None,
            "end": end(log)}


if __name__ == "__main__":
    main()
