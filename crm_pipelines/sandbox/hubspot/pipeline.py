"""What every HubSpot API request goes through: stats, delayed mutations, faults, latency, auth, rate limits."""

from __future__ import annotations

import asyncio
import logging
import socket
import struct
import time
import uuid
from dataclasses import dataclass
from typing import Any, Callable

import orjson
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from .emulator import HubSpotEmulator
from .errors import INVALID_AUTH_MESSAGE, ApiError, fault_body, rate_limit_body
from .faults import FaultRule


logger = logging.getLogger(__name__)


@dataclass
class ApiRequest:
    route: str
    path_params: dict[str, str]
    query: QueryParams
    body: Any
    short_page: int | None


Handler = Callable[[HubSpotEmulator, ApiRequest], tuple[int, Any]]


def _json(status: int, body: Any, headers: dict[str, str]) -> Response:
    return Response(orjson.dumps(body), status_code=status, headers=headers, media_type="application/json")


class ApiEndpoint:
    """A raw ASGI endpoint (not a Starlette function endpoint) so a fault can drop the connection."""

    def __init__(self, emu: HubSpotEmulator, route: str, handler: Handler, type_param: str | None = "object_type"):
        self.emu = emu
        self.route = route
        self.handler = handler
        self.type_param = type_param

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        request = Request(scope, receive)
        emu = self.emu
        started = time.time()
        correlation_id = str(uuid.uuid4())
        raw_body = await request.body() if request.method == "POST" else b""
        path_params = request.path_params
        raw_type = path_params.get(self.type_param) if self.type_param else None
        with emu.lock:
            cfg = emu.config
            if self.route == "owners":
                key: str | None = "owners"
            else:
                spec = emu.data.registry.try_resolve(raw_type)
                key = spec.key if spec else None
            emu.pending.on_request(self.route, key, emu.data)
            fault = emu.faults.pick(self.route, key)
        entry: dict[str, Any] = {
            "t": started, "method": request.method, "route": self.route, "path": request.url.path,
            "query": request.url.query, "object_type": key or raw_type, "after": request.query_params.get("after"),
        }
        status, response = await self._respond(request, raw_body, cfg, fault, correlation_id, entry)
        if fault is not None:
            entry["fault"] = fault.index
        entry["status"] = status
        entry["duration_ms"] = round((time.time() - started) * 1000, 3)
        with emu.lock:
            emu.stats_.record(entry)
        if response is None:
            await _drop_connection(scope, receive)
            return
        await response(scope, receive, send)

    async def _respond(self, request: Request, raw_body: bytes, cfg: Any, fault: FaultRule | None,
                       correlation_id: str, entry: dict) -> tuple[Any, Response | None]:
        emu = self.emu
        headers = {"X-HubSpot-Correlation-Id": correlation_id}
        if cfg.latency_ms:
            await asyncio.sleep(cfg.latency_ms / 1000)
        if fault is not None and fault.delay_s:
            await asyncio.sleep(fault.delay_s)
        if fault is not None and fault.drop:
            return "dropped", None
        if fault is not None and fault.status is not None:
            return fault.status, self._fault_response(fault, correlation_id, headers)
        token = request.headers.get("authorization", "")
        if token != f"Bearer {cfg.token}":
            err = ApiError(401, "INVALID_AUTHENTICATION", INVALID_AUTH_MESSAGE)
            headers["x-hubspot-auth-failure"] = "401 Unauthorized"
            return 401, _json(401, err.body(correlation_id), headers)
        is_search = self.route == "search"
        with emu.lock:
            verdict = emu.limiter.check(token, is_search)
            if not is_search:
                # Search responses carry no rate-limit headers (API_SHAPES §1.12).
                headers.update(emu.limiter.headers(token))
        if verdict is not None:
            if cfg.retry_after_on_429:
                headers["Retry-After"] = str(verdict.retry_after_s)
            return 429, _json(429, rate_limit_body(verdict.policy, correlation_id), headers)
        try:
            body = orjson.loads(raw_body) if raw_body else None
        except orjson.JSONDecodeError:
            err = ApiError(400, "VALIDATION_ERROR", "Invalid input JSON on line 1: could not parse the request body.")
            return 400, _json(400, err.body(correlation_id), headers)
        if isinstance(body, dict) and "after" in body:
            entry["body_after"] = body.get("after")
        if isinstance(body, dict) and "limit" in body:
            entry["body_limit"] = body.get("limit")
        req = ApiRequest(self.route, dict(request.path_params), request.query_params, body,
                         fault.short_page if fault is not None else None)
        try:
            with emu.lock:
                status, payload = self.handler(emu, req)
        except ApiError as err:
            return err.status, _json(err.status, err.body(correlation_id), headers)
        except Exception:  # a sandbox bug: say so loudly, but answer like HubSpot would
            logger.exception("sandbox handler %s failed", self.route)
            err = ApiError(500, "INTERNAL_ERROR", "internal error")
            return 500, _json(500, err.body(correlation_id), headers)
        if isinstance(payload, dict) and "results" in payload:
            entry["results"] = len(payload["results"])
        return status, _json(status, payload, headers)

    def _fault_response(self, fault: FaultRule, correlation_id: str, headers: dict[str, str]) -> Response:
        status = fault.status
        assert status is not None
        if status == 429:
            policy = fault.policy or ("SECONDLY" if self.route == "search" else "TEN_SECONDLY_ROLLING")
            if fault.retry_after is not None:
                ra = fault.retry_after
                headers["Retry-After"] = str(int(ra)) if float(ra).is_integer() else str(ra)
            return _json(429, rate_limit_body(policy, correlation_id), headers)
        if status == 401:
            headers["x-hubspot-auth-failure"] = "401 Unauthorized"
        content, media = fault_body(status, correlation_id)
        return Response(content, status_code=status, headers=headers, media_type=media)


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
