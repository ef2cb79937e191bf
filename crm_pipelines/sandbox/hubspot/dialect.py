"""How HubSpot speaks HTTP: bearer-token auth, correlation ids, rate-limit headers and error shapes."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..kit.errors import ApiError as KitApiError
from ..kit.faults import FaultRule
from ..kit.http.pipeline import Dialect, json_response
from .emulator import HubSpotEmulator
from .errors import INVALID_AUTH_MESSAGE, ApiError, fault_body, rate_limit_body

CORRELATION = "X-HubSpot-Correlation-Id"


class HubSpotDialect(Dialect):
    def start(self, headers: dict[str, str]) -> None:
        headers[CORRELATION] = str(uuid.uuid4())

    def fault_response(self, route: str, fault: FaultRule, headers: dict[str, str]) -> Response:
        status = fault.status
        assert status is not None
        if status == 429:
            policy = fault.policy or ("SECONDLY" if route == "search" else "TEN_SECONDLY_ROLLING")
            if fault.retry_after is not None:
                ra = fault.retry_after
                headers["Retry-After"] = str(int(ra)) if float(ra).is_integer() else str(ra)
            return json_response(429, rate_limit_body(policy, headers[CORRELATION]), headers)
        if status == 401:
            headers["x-hubspot-auth-failure"] = "401 Unauthorized"
        content, media = fault_body(status, headers[CORRELATION])
        return Response(content, status_code=status, headers=headers, media_type=media)

    def authenticate(self, emu: Any, request: Request, cfg: Any, headers: dict[str, str]) -> Response | None:
        if request.headers.get("authorization", "") == f"Bearer {cfg.token}":
            return None
        headers["x-hubspot-auth-failure"] = "401 Unauthorized"
        err = ApiError(401, "INVALID_AUTHENTICATION", INVALID_AUTH_MESSAGE)
        return json_response(401, err.body(headers[CORRELATION]), headers)

    def rate_limit(self, emu: HubSpotEmulator, route: str, request: Request, cfg: Any,
                   headers: dict[str, str]) -> Response | None:
        token = request.headers.get("authorization", "")
        is_search = route == "search"
        with emu.lock:
            verdict = emu.limiter.check(token, is_search)
            if not is_search:
                # Search responses carry no rate-limit headers (API_SHAPES §1.12).
                headers.update(emu.limiter.headers(token))
        if verdict is None:
            return None
        if cfg.retry_after_on_429:
            headers["Retry-After"] = str(verdict.retry_after_s)
        return json_response(429, rate_limit_body(verdict.policy, headers[CORRELATION]), headers)

    def parse_body(self, raw: bytes) -> Any:
        try:
            return super().parse_body(raw)
        except KitApiError:
            raise ApiError(400, "VALIDATION_ERROR",
                           "Invalid input JSON on line 1: could not parse the request body.") from None

    def annotate(self, entry: dict[str, Any], body: Any) -> None:
        if isinstance(body, dict) and "after" in body:
            entry["body_after"] = body.get("after")
        if isinstance(body, dict) and "limit" in body:
            entry["body_limit"] = body.get("limit")

    def error_response(self, err: KitApiError, headers: dict[str, str]) -> Response:
        if not isinstance(err, ApiError):
            err = ApiError(err.status, "INTERNAL_ERROR" if err.status >= 500 else "VALIDATION_ERROR", err.message)
        return json_response(err.status, err.body(headers[CORRELATION]), headers)
