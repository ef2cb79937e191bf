"""A source server whose own cost is small and known, for throughput benchmarks: a benchmark that times the
sandbox rendering its pages measures the sandbox, not the pipeline.

It forwards each GET it has not answered before to the sandbox, keeps the answer's bytes, and serves the
same bytes again when the same URL is asked for: rendering happens once, before the measured run. A
benchmark reads the data once through it (untimed), then times an identical read, during which nothing may be
forwarded (`Prerendered.forwarded()` tells). Authentication headers are forwarded on the first pass only: the
sandbox checks them then; the replay serves bytes, as a CDN would.

    python benchmarks/prerendered.py --upstream http://127.0.0.1:PORT [--port P]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from crm_pipelines.local.stack import free_port

STATS_PATH = "/_prerendered"
_FORWARDED_HEADERS = ("authorization", "accept", "content-type")


def build_app(upstream: str) -> Starlette:
    pages: dict[str, tuple[bytes, str]] = {}
    counts = {"forwarded": 0, "replayed": 0, "bytes": 0}
    client = httpx.AsyncClient(base_url=upstream, timeout=300)

    async def stats(request: Request) -> Response:
        return JSONResponse({**counts, "pages": len(pages)})

    async def serve(request: Request) -> Response:
        key = request.url.path + "?" + request.url.query
        kept = pages.get(key)
        if kept is not None:
            counts["replayed"] += 1
            return Response(kept[0], media_type=kept[1])
        counts["forwarded"] += 1
        # The Host header names this server, so absolute links the sandbox renders (next links) point here.
        headers = {k: v for k, v in request.headers.items() if k in _FORWARDED_HEADERS}
        headers["host"] = request.headers["host"]
        answer = await client.get(key, headers=headers)
        media_type = answer.headers.get("content-type", "application/octet-stream")
        if answer.status_code == 200:
            pages[key] = (answer.content, media_type)
            counts["bytes"] += len(answer.content)
        return Response(answer.content, status_code=answer.status_code, media_type=media_type)

    return Starlette(routes=[Route(STATS_PATH, stats), Route("/{path:path}", serve, methods=["GET"])])


@dataclass
class Prerendered:
    url: str
    pid: int

    def stats(self) -> dict[str, int]:
        return httpx.get(f"{self.url}{STATS_PATH}", timeout=30).json()

    def forwarded(self) -> int:
        return self.stats()["forwarded"]


@contextmanager
def prerendered(upstream: str) -> Iterator[Prerendered]:
    """This server in its own process (its CPU is then its own) in front of `upstream` until the block ends."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, __file__, "--upstream", upstream, "--port", str(port)])
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(f"{url}{STATS_PATH}", timeout=1)
                break
            except httpx.TransportError:
                if proc.poll() is not None:
                    raise RuntimeError(f"the pre-rendered server exited with code {proc.returncode}") from None
                time.sleep(0.05)
        yield Prerendered(url, proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--port", type=int, default=8390)
    args = parser.parse_args()
    uvicorn.run(build_app(args.upstream), host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
