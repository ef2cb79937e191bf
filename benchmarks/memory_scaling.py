"""Peak RSS of the run's process at 100k and at 1M contacts, each sync in a process of its own (the
throughput benchmark, run twice). Prints one JSON line with both figures and their ratio.

    .venv/bin/python benchmarks/memory_scaling.py [--small 100000] [--large 1000000]

A streaming sync holds one batch (plus one in the loader thread), so the ratio should stay near 1: what
grows with the record count is only the run's bookkeeping (a quarantine sample, counters).
"""

from __future__ import annotations

import argparse

from _common import emit, run_json


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    args = parser.parse_args()
    runs = {n: run_json(["benchmarks/hubspot_contacts_full_sync.py", "--contacts", str(n)])
            for n in (args.small, args.large)}
    small, large = runs[args.small], runs[args.large]
    emit({
        "benchmark": "memory_scaling",
        "runs": [{k: r[k] for k in ("contacts", "records_fetched", "peak_rss_mb", "records_per_s", "duration_s",
                                    "api_calls_per_record", "cpu_s", "loadavg_1m")} for r in (small, large)],
        "peak_rss_mb_small": small["peak_rss_mb"], "peak_rss_mb_large": large["peak_rss_mb"],
        "ratio_large_to_small": round(large["peak_rss_mb"] / small["peak_rss_mb"], 3),
    })


if __name__ == "__main__":
    main()
