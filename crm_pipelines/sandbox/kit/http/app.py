"""One ASGI app for every CRM emulator: `/<crm>` serves its API, `/_sandbox/<crm>` its control API."""

from __future__ import annotations

import socket
import weakref
from typing import Any, Callable

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from ..spec import emulator_spec
from .control import control_routes


class _ExposeTransport:
    """Puts the connection's transport in the scope so a fault rule can reset the connection.

    Also switches Nagle off: uvicorn writes headers and body separately, and with Nagle on (uvloop leaves it
    on for sockets handed over by us) every small response waits ~40 ms for the client's delayed ACK.
    """

    def __init__(self, app: Callable) -> None:
        self.app = app
        self._nodelay: weakref.WeakSet = weakref.WeakSet()

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] == "http":
            transport = getattr(getattr(receive, "__self__", None), "transport", None)
            if transport is not None:
                scope["sandbox.transport"] = transport
                if transport not in self._nodelay:
                    self._nodelay.add(transport)
                    sock = transport.get_extra_info("socket")
                    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
                        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        await self.app(scope, receive, send)


def build_app(emulators: dict[str, Any]) -> Callable:
    """`emulators`: crm name -> a running emulator of a discovered package."""
    routes: list[Any] = []
    index_body = {"emulators": sorted(emulators), "details": {}}
    for name in sorted(emulators):
        emu = emulators[name]
        spec = emulator_spec(name)
        routes.append(Mount(f"/{name}", routes=spec.mount(emu)))
        routes.append(Mount(f"/_sandbox/{name}", routes=control_routes(emu)))
        index_body["details"][name] = {"summary": spec.summary, "api": f"/{name}", "control": f"/_sandbox/{name}"}
    payload = orjson.dumps(index_body)

    async def index(request: Request) -> Response:
        return Response(payload, media_type="application/json")

    routes.append(Route("/", index))
    return _ExposeTransport(Starlette(routes=routes))
