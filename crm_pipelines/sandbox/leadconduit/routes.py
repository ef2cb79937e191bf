"""LeadConduit's `GET /events` over HTTP: Basic auth as user `API`, bare arrays, keyset paging."""

from __future__ import annotations

import base64
from typing import Any

import numpy as np
from starlette.routing import Route

from ..kit.errors import ApiError
from ..kit.generate.timefmt import parse_ms
from ..kit.http.pipeline import ApiEndpoint, ApiRequest, Dialect, json_response
from . import render
from .emulator import OBJECT_ID, LeadConduitEmulator

USERNAME = "API"
MAX_LIMIT = 1000
UNAUTHORIZED = "Authorization information is missing or invalid"
NOT_EMULATED = ("rules", "include", "exclude")


class LeadConduitDialect(Dialect):
    def authenticate(self, emu, request, cfg, headers):
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        try:
            user, _, password = base64.b64decode(token, validate=True).decode().partition(":")
        except ValueError:
            user = password = ""
        if scheme.lower() == "basic" and user == USERNAME and password == cfg.api_key:
            return None
        headers["WWW-Authenticate"] = 'Basic realm="LeadConduit"'
        return json_response(401, {"message": UNAUTHORIZED}, headers)

    def fault_response(self, route, fault, headers):
        if fault.status == 429 and fault.retry_after is not None:
            ra = fault.retry_after
            headers["Retry-After"] = str(int(ra)) if float(ra).is_integer() else str(ra)
        return json_response(fault.status, {"message": "injected fault"}, headers)

    def error_response(self, err, headers):
        return json_response(err.status, {"message": err.message}, headers)

    def results_count(self, payload):
        return len(payload) if isinstance(payload, list) else None


def _object_id(req: ApiRequest, name: str) -> str | None:
    raw = req.query.get(name)
    if raw is None:
        return None
    if not OBJECT_ID.match(raw.lower()):
        raise ApiError(400, f"{name} must be a 24-character hex ObjectId")
    return raw.lower()


def _time(req: ApiRequest, name: str) -> int | None:
    raw = req.query.get(name)
    if raw is None:
        return None
    ms = parse_ms(raw)
    if ms is None:
        raise ApiError(400, f"{name} must be an ISO-8601 time, got {raw!r}")
    return ms


def list_events(emu: LeadConduitEmulator, req: ApiRequest) -> tuple[int, Any]:
    """Filters (`after_id`/`before_id` exclusive, `start`/`end` inclusive on creation time), then
    `sort` (default desc), then the first `limit` (default 100): with desc, `after_id` therefore yields
    the newest events, not the ones right after the cursor."""
    for name in NOT_EMULATED:
        if name in req.query:
            raise ApiError(400, f"the sandbox does not emulate `{name}`")
    try:
        limit = int(req.query.get("limit", 100))
    except ValueError:
        raise ApiError(400, "limit must be an integer") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(400, f"limit must be between 1 and {MAX_LIMIT}")
    sort = req.query.get("sort", "desc")
    if sort not in ("asc", "desc"):
        raise ApiError(400, "sort must be asc or desc")
    data = emu.data
    table = data.tables["events"]
    after, before = _object_id(req, "after_id"), _object_id(req, "before_id")
    start, end = _time(req, "start"), _time(req, "end")
    lo = data.position_after(after) if after else 0
    hi = data.position_of(before) if before else table.n
    if start is not None:
        lo = max(lo, int(np.searchsorted(table.created, start, side="left")))
    if end is not None:
        hi = min(hi, int(np.searchsorted(table.created, end, side="right")))
    visible = lo + np.flatnonzero(~table.archived[lo:hi]) if hi > lo else np.zeros(0, dtype=np.int64)
    count = limit if req.short_page is None else min(limit, req.short_page)
    picked = visible[:count] if sort == "asc" else visible[::-1][:count]
    return 200, render.events(data, picked)


def api_routes(emu: LeadConduitEmulator) -> list[Route]:
    return [Route("/events", ApiEndpoint(emu, LeadConduitDialect(), "events", list_events, type_param=None),
                  methods=["GET"])]
