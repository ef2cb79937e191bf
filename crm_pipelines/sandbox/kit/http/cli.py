"""`python -m crm_pipelines.sandbox`: serve every discovered emulator until SIGINT/SIGTERM.

Generic flags configure any emulator by name; each emulator also gets `--<crm>-config FILE`, and
`--<crm>-counts a=1,b=2` / `--<crm>-token T` when its config has `counts` / `token` fields.
Precedence, lowest first: defaults, config files, `--seed`/`--latency-ms`, `--set` and `--<crm>-*` flags.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
from typing import Any

from ..spec import EmulatorSpec, discover
from .runner import bind, make_emulators, make_server


def parse_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.partition("=")
        if not sep or not value.strip().isdigit():
            raise argparse.ArgumentTypeError(f"bad count {part!r}; expected name=N")
        counts[name.strip()] = int(value)
    return counts


def parse_assignment(text: str) -> tuple[str, str, Any]:
    """`CRM.FIELD=VALUE` or `CRM.FIELD.KEY=VALUE` (into a dict field); VALUE is JSON, else a string."""
    target, sep, raw = text.partition("=")
    parts = target.strip().split(".")
    if not sep or len(parts) not in (2, 3) or not all(parts):
        raise argparse.ArgumentTypeError(f"bad --set {text!r}; expected CRM.FIELD=VALUE or CRM.FIELD.KEY=VALUE")
    try:
        value: Any = json.loads(raw)
    except ValueError:
        value = raw
    if len(parts) == 3:
        value = {parts[2]: value}
    return parts[0], parts[1], value


def parse_config_file(text: str) -> tuple[str, str]:
    crm, sep, path = text.partition("=")
    if not sep or not crm or not path:
        raise argparse.ArgumentTypeError(f"bad --config {text!r}; expected CRM=file.json")
    return crm, path


def _dest(name: str, flag: str) -> str:
    return f"{name}_{flag}"


def build_parser(specs: dict[str, EmulatorSpec]) -> argparse.ArgumentParser:
    served = ", ".join(f"{n} ({s.summary})" if s.summary else n for n, s in specs.items())
    parser = argparse.ArgumentParser(prog="python -m crm_pipelines.sandbox", description=__doc__,
                                     epilog=f"emulators: {served}",
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--seed", type=int, help="every emulator's seed")
    parser.add_argument("--latency-ms", type=float, help="every emulator's added latency")
    parser.add_argument("--crm", action="append", choices=sorted(specs),
                        help="serve only this emulator (repeatable; default: all)")
    parser.add_argument("--config", action="append", type=parse_config_file, default=[], metavar="CRM=FILE",
                        help="JSON file with the emulator's config fields (repeatable)")
    parser.add_argument("--set", action="append", type=parse_assignment, default=[], metavar="CRM.FIELD=VALUE",
                        help="one config field; VALUE is JSON or a plain string (repeatable)")
    for name, spec in specs.items():
        fields = spec.config_class.field_names()
        parser.add_argument(f"--{name}-config", dest=_dest(name, "config"), metavar="FILE",
                            help=f"JSON file with {spec.config_class.__name__} fields")
        if "counts" in fields:
            parser.add_argument(f"--{name}-counts", dest=_dest(name, "counts"), type=parse_counts,
                                help="records per table, e.g. contacts=5000,deals=1000")
        if "token" in fields:
            parser.add_argument(f"--{name}-token", dest=_dest(name, "token"))
    return parser


def _load(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON object of config fields")
    return data


def configs_from_args(args: argparse.Namespace, specs: dict[str, EmulatorSpec]) -> dict[str, Any]:
    """crm name -> config for every emulator to serve."""
    names = args.crm or list(specs)
    for crm, _ in args.config:
        if crm not in specs:
            raise ValueError(f"--config: no emulator {crm!r}; available: {sorted(specs)}")
    for crm, _, _ in args.set:
        if crm not in specs:
            raise ValueError(f"--set: no emulator {crm!r}; available: {sorted(specs)}")
    configs = {}
    for name in names:
        cls = specs[name].config_class
        cfg = cls()
        files = [path for crm, path in args.config if crm == name]
        own_file = getattr(args, _dest(name, "config"))
        for path in files + ([own_file] if own_file else []):
            cfg = cls.from_dict(_load(path), base=cfg)
        common = {"seed": args.seed, "latency_ms": args.latency_ms}
        cfg = cls.from_dict({k: v for k, v in common.items() if v is not None}, base=cfg)
        for crm, field, value in args.set:
            if crm == name:
                cfg = cls.from_dict({field: value}, base=cfg)
        for flag in ("counts", "token"):
            value = getattr(args, _dest(name, flag), None)
            if value is not None:
                cfg = cls.from_dict({flag: value}, base=cfg)
        configs[name] = cfg
    return configs


def main(argv: list[str] | None = None) -> int:
    specs = discover()
    parser = build_parser(specs)
    args = parser.parse_args(argv)
    try:
        emulators = make_emulators(configs_from_args(args, specs))
    except (ValueError, TypeError, OSError) as exc:
        parser.error(str(exc))
    from .app import build_app

    app = build_app(emulators)
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
            # Callers read this first line; the URL must stay its last word.
            print(f"sandbox listening on http://{shown}:{port}", flush=True)
        await task

    with asyncio.Runner(loop_factory=server.config.get_loop_factory()) as runner:
        runner.run(serve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
