"""What every emulated API request goes through: stats, delayed mutations, faults, latency, auth, rate limits.

The order and the bookkeeping are the kit's; how a CRM authenticates, limits and words its errors is its
`Dialect`'s. Handlers are plain functions `(emulator, ApiRequest) -> (status, payload)` that may raise
`ApiError`.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import struct
import time
from dataclasses import dataclass
from typing import Any, Callable

import orjson
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from ..emulator import Emulator
from ..errors import ApiError
from ..faults import FaultRule

logger = logging.getLogger(__name__)


@dataclass
class ApiRequest:
    route: str
    path_params: dict[str, str]
    query: QueryParams
    body: Any
    short_page: int | None
    reverse_page: bool = False


Handler = Callable[[Any, ApiRequest], tuple[int, Any]]


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status_code=status, headers=headers, media_type="application/json")


class Dialect:
    """One CRM's way of speaking HTTP. The defaults are a plain JSON API without auth or rate limits.

    `headers` is the response's header dict for this request: hooks may add to it (correlation ids, limits).
    """

    def start(self, headers: dict[str, str]) -> None:
        """Called first for every request (e.g. to add a correlation id)."""

    def fault_response(self, route: str, fault: FaultRule, headers: dict[str, str]) -> Response:
        assert fault.status is not None
        if fault.status == 429 and fault.retry_after is not None:
            ra = fault.retry_after
            headers["Retry-After"] = str(int(ra)) if float(ra).is_integer() else str(ra)
        return json_response(fault.status, {"error": "injected fault", "status": fault.status}, headers)

    def authenticate(self, emu: Any, request: Request, cfg: Any, headers: dict[str, str]) -> Response | None:
        """None if the request may proceed, else the refusal."""
        return None

    def rate_limit(self, emu: Any, route: str, request: Request, cfg: Any,
                   headers: dict[str, str]) -> Response | None:
        """None if the request may proceed (it is then counted), else the refusal."""
        return None

    def parse_body(self, raw: bytes) -> Any:
        try:
            return orjson.loads(raw) if raw else None
        except orjson.JSONDecodeError:
            raise ApiError(400, "request body is not valid JSON") from None

    def annotate(self, entry: dict[str, Any], body: Any) -> None:
        """Add what a request body says about paging to its stats log entry."""

    def render(self, status: int, payload: Any, headers: dict[str, str]) -> Response:
        return json_response(status, payload, headers)

    def error_response(self, err: ApiError, headers: dict[str, str]) -> Response:
        return json_response(err.status, {"error": err.message}, headers)

    def results_count(self, payload: Any) -> int | None:
        """How many records a payload carries, for the stats log."""
        if isinstance(payload, dict) and "results" in payload:
            return len(payload["results"])
        return None


class ApiEndpoint:
    """A raw ASGI endpoint (not a Starlette function endpoint) so a fault can drop the connection."""

    def __init__(self, emu: Emulator, dialect: Dialect, route: str, handler: Handler,
                 type_param: str | None = "object_type") -> None:
        self.emu = emu
        self.dialect = dialect
        self.route = route
        self.handler = handler
        self.type_param = type_param

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        request = Request(scope, receive)
        emu = self.emu
        started = time.time()
        raw_body = await request.body() if request.method == "POST" else b""
        raw_type = request.path_params.get(self.type_param) if self.type_param else None
        cfg, key, fault = emu.admit(self.route, raw_type)
        entry: dict[str, Any] = {
            "t": started, "method": request.method, "route": self.route, "path": request.url.path,
            "query": request.url.query, "object_type": key or raw_type, "after": request.query_params.get("after"),
        }
        status, response = await self._respond(request, raw_body, cfg, fault, entry)
        if fault is not None:
            entry["fault"] = fault.index
        entry["status"] = status
        entry["duration_ms"] = round((time.time() - started) * 1000, 3)
        emu.record(entry)
        if response is None:
            await _drop_connection(scope, receive)
            return
        await response(scope, receive, send)

    async def _respond(self, request: Request, raw_body: bytes, cfg: Any, fault: FaultRule | None,
                       entry: dict) -> tuple[Any, Response | None]:
        emu, dialect = self.emu, self.dialect
        headers: dict[str, str] = {}
        dialect.start(headers)
        if cfg.latency_ms:
            await asyncio.sleep(cfg.latency_ms / 1000)
        if fault is not None and fault.delay_s:
            await asyncio.sleep(fault.delay_s)
        if fault is not None and fault.drop:
            return "dropped", None
        if fault is not None and fault.status is not None:
            return fault.status, dialect.fault_response(self.route, fault, headers)
        refusal = dialect.authenticate(emu, request, cfg, headers)
        if refusal is None:
            refusal = dialect.rate_limit(emu, self.route, request, cfg, headers)
        if refusal is not None:
            return refusal.status_code, refusal
        try:
            body = dialect.parse_body(raw_body)
            dialect.annotate(entry, body)
            req = ApiRequest(self.route, dict(request.path_params), request.query_params, body,
                             fault.short_page if fault is not None else None,
                             fault is not None and fault.reverse_page)
            with emu.lock:
                status, payload = self.handler(emu, req)
        except ApiError as err:
            return err.status, dialect.error_response(err, headers)
        except Exception:  # a sandbox bug: say so loudly, but answer like the CRM would
            logger.exception("sandbox handler %s failed", self.route)
            return 500, dialect.error_response(ApiError(500, "internal error"), headers)
        count = dialect.results_count(payload)
        if count is not None:
            entry["results"] = count
        response = dialect.render(status, payload, headers)
        if fault is not None and fault.truncate_body is not None:
            response.body = response.body[:fault.truncate_body]
            response.headers["content-length"] = str(len(response.body))
        return status, response


async def _drop_connection(scope: dict, receive: Callable) -> None:
    """Reset the TCP connection without answering (what a flaky proxy does)."""
    transport = scope.get("sandbox.transport") or getattr(getattr(receive, "__self__", None), "transport", None)
    if transport is None:
        raise ConnectionAbortedError("sandbox: cannot reach the transport to drop the connection")
    sock = transport.get_extra_info("socket")
    if sock is not None:
        try:
            # Linger 0 turns close() into an RST, i.e. "connection reset by peer" on the client.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    transport.abort()
    # Let the server notice the disconnect so it does not try to send a 500 on the dead socket.
    for _ in range(3):
        await asyncio.sleep(0)
