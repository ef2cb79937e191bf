"""Throughput of each normalize converter on 200k realistic raw values per kind.

Values mix the formats the sources really send (HubSpot strings, JSON numbers, placeholders, blanks) with a
few percent of garbage, and repeat the way CRM columns do (a handful of stages, many distinct timestamps).
Prints one JSON line {"kind": values_per_second, ...}; `--n` and `--repeat` trade precision for time.
`--frame` adds "frame_records_per_s": convert_frame over a 25-field record mix (the sync target is 40k/s).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable

import pandas as pd

from crm_pipelines.core import normalize
from crm_pipelines.core.normalize import CONVERTERS, convert_frame

# A typical HubSpot deal/contact: mostly text, then timestamps, numbers and flags.
_RECORD_KINDS = (["text"] * 8 + ["datetime"] * 4 + ["int"] * 2 + ["float"] * 2 + ["bool"] * 2
                 + ["decimal", "date", "email", "phone", "list", "list", "json"])

_BLANKS = [None, "", " ", "(No value)", "N/A", "null"]


def _mix(rng: random.Random, n: int, makers: list[tuple[float, Callable[[], object]]]) -> pd.Series:
    weights = [w for w, _ in makers]
    chosen = rng.choices([m for _, m in makers], weights=weights, k=n)
    return pd.Series([make() for make in chosen], dtype=object)


def generate(n: int, seed: int = 7) -> dict[str, pd.Series]:
    rng = random.Random(seed)
    r = rng.random
    ri = rng.randint
    words = ["alpha", "beta", "gamma", "delta", "omega", "Acme Corp", "  padded  ", "Ünïcode Ltd"]
    domains = ["example.com", "gmail.com", "acme.co.uk", "mail.example.org", "xn--bcher-kva.de"]
    zones = ["EDT", "EST", "PDT", "PST", "CST", "UTC"]

    def iso() -> str:
        base = 1_500_000_000 + ri(0, 300_000_000)
        text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(base))
        return text + rng.choice([f".{ri(0, 999):03d}Z", "Z", "+02:00", "-0500", f".{ri(0, 999999):06d}Z"])

    def epoch_ms() -> str:
        return str(1_500_000_000_000 + ri(0, 300_000_000_000))

    def day() -> str:
        return f"{ri(2015, 2026)}-{ri(1, 12):02d}-{ri(1, 28):02d}"

    def legacy() -> str:
        return f"{ri(1, 12)}/{ri(1, 28)}/{rng.choice([str(ri(15, 25)), str(ri(2015, 2025))])} " \
               f"{ri(1, 12)}:{ri(0, 59):02d} {rng.choice(['AM', 'PM'])} {rng.choice(zones)}"

    def phone() -> str:
        digits = f"{ri(2, 9)}{ri(0, 99):02d}{ri(2, 9)}{ri(0, 999999):06d}"
        a, b, c = digits[:3], digits[3:6], digits[6:]
        return rng.choice([f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"+1 {a} {b} {c}", f"{a}.{b}.{c}", digits,
                           f"1{digits}", f"+1{digits}"])

    blank = lambda: rng.choice(_BLANKS)  # noqa: E731
    data = {
        "text": _mix(rng, n, [(0.6, lambda: rng.choice(words)), (0.3, lambda: f"note {ri(0, 10**6)}"),
                              (0.1, blank)]),
        "int": _mix(rng, n, [(0.6, lambda: str(ri(0, 5000))), (0.1, lambda: f"{ri(1, 999)},{ri(0, 999):03d}"),
                             (0.1, lambda: f"{ri(0, 500)}.0"), (0.1, lambda: ri(0, 10**9)), (0.07, blank),
                             (0.03, lambda: rng.choice(["12.5", "abc", "1 000"]))]),
        "float": _mix(rng, n, [(0.6, lambda: f"{r() * 10**5:.2f}"), (0.15, lambda: str(ri(-100, 10**6))),
                               (0.1, lambda: f"${ri(1, 999)},{ri(0, 999):03d}.{ri(0, 99):02d}"),
                               (0.08, blank), (0.02, lambda: f"{r():.3e}"),
                               (0.05, lambda: rng.choice(["n/a-ish", "1 250", "$", "12abc"]))]),
        "bool": _mix(rng, n, [(0.8, lambda: rng.choice(["true", "false"])), (0.1, lambda: rng.choice(
            ["Yes", "No", "1", "0", True, False, "on", "OFF"])), (0.08, blank), (0.02, lambda: "maybe")]),
        "datetime": _mix(rng, n, [(0.6, iso), (0.2, epoch_ms), (0.08, day), (0.04, legacy),
                                  (0.05, blank), (0.03, lambda: rng.choice(["soon", "2024-13-01", "Q3"]))]),
        "email": _mix(rng, n, [(0.9, lambda: f"user{ri(0, 10**6)}.{rng.choice(words[:5])}@{rng.choice(domains)}"),
                               (0.05, blank), (0.03, lambda: f"John Doe{ri(0, 99)}@x.com"),
                               (0.02, lambda: f"broken{ri(0, 99)}@localhost")]),
        "phone": _mix(rng, n, [(0.85, phone), (0.03, lambda: f"+44 20 {ri(7000, 7999)} {ri(1000, 9999)}"),
                               (0.03, lambda: phone() + f" x{ri(1, 999)}"), (0.06, blank),
                               (0.03, lambda: rng.choice(["555-1234", "call me", "1-800-FLOWERS"]))]),
        "list": _mix(rng, n, [(0.8, lambda: ";".join(rng.sample(words[:5], ri(1, 3)))),
                              (0.05, lambda: rng.sample(words[:5], 2)), (0.15, blank)]),
        "json": _mix(rng, n, [(0.7, lambda: json.dumps({"id": ri(0, 10**6), "tags": ["a", "b"]})),
                              (0.1, lambda: {"id": ri(0, 10)}), (0.15, blank), (0.05, lambda: "{oops")]),
    }
    # Money and date columns arrive in the same forms as numbers and timestamps.
    data["decimal"], data["date"] = data["float"], data["datetime"]
    return data


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--frame", action="store_true")
    args = parser.parse_args()
    data = generate(args.n)
    speeds = {}
    for kind, convert in CONVERTERS.items():
        raw = data[kind]
        best = min(_timed(convert, raw) for _ in range(args.repeat))  # best-of: least disturbed by the machine
        speeds[kind] = round(len(raw) / best)
    if args.frame:
        frame = pd.DataFrame({f"{kind}_{i}": data[kind] for i, kind in enumerate(_RECORD_KINDS)})
        kinds = {f"{kind}_{i}": kind for i, kind in enumerate(_RECORD_KINDS)}
        best = min(_timed(lambda f: convert_frame(f, kinds), frame) for _ in range(args.repeat))
        speeds["frame_records_per_s"] = round(len(frame) / best)
    print(json.dumps(speeds))


def _timed(convert: Callable, raw: pd.Series | pd.DataFrame) -> float:
    # Converters keep lru caches across calls; a warm cache from the previous repeat would flatter them.
    for cached in vars(normalize).values():
        if hasattr(cached, "cache_clear"):
            cached.cache_clear()
    start = time.perf_counter()
    convert(raw)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
