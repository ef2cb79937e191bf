"""`python -m crm_pipelines.sandbox`: serve every emulator until SIGINT/SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
from typing import Any

from .hubspot import HubSpotConfig, HubSpotEmulator
from .runner import bind, make_server
from .server import build_app


def parse_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.partition("=")
        if not sep or not value.strip().isdigit():
            raise argparse.ArgumentTypeError(f"bad count {part!r}; expected name=N")
        counts[name.strip()] = int(value)
    return counts


def hubspot_config(args: argparse.Namespace) -> HubSpotConfig:
    data: dict[str, Any] = {}
    if args.hubspot_config:
        with open(args.hubspot_config, encoding="utf-8") as fh:
            data = json.load(fh)
    overrides: dict[str, Any] = {}
    if args.seed is not None:
        overrides["seed"] = args.seed
    if args.hubspot_token is not None:
        overrides["token"] = args.hubspot_token
    if args.hubspot_counts is not None:
        overrides["counts"] = args.hubspot_counts
    if args.latency_ms is not None:
        overrides["latency_ms"] = args.latency_ms
    base = HubSpotConfig.from_dict(data)
    return HubSpotConfig.from_dict(overrides, base=base)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crm_pipelines.sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--hubspot-token")
    parser.add_argument("--hubspot-counts", type=parse_counts, help="e.g. contacts=5000,deals=1000")
    parser.add_argument("--hubspot-config", help="JSON file with HubSpotConfig fields")
    parser.add_argument("--latency-ms", type=float)
    args = parser.parse_args(argv)
    try:
        cfg = hubspot_config(args)
    except (ValueError, OSError) as exc:
        parser.error(str(exc))
    app = build_app({"hubspot": HubSpotEmulator(cfg)})
    # The generated pools are long-lived; keep the collector from re-walking them on every full pass.
    gc.freeze()
    sock = bind(args.host, args.port)
    host, port = sock.getsockname()[:2]
    server = make_server(app)

    async def serve() -> None:
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started and not task.done():
            await asyncio.sleep(0.01)
        if server.started:
            shown = f"[{host}]" if ":" in host else host
            print(f"sandbox listening on http://{shown}:{port}", flush=True)
        await task

    with asyncio.Runner(loop_factory=server.config.get_loop_factory()) as runner:
        runner.run(serve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
