"""MarketSharp's OData v2 service over HTTP: HMAC-signed requests, Atom feeds, `$filter` on lastUpdate,
`$orderby`, `$top`, `$skip`, and server-driven paging with `rel="next"` links carrying a `$skiptoken`."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import numpy as np
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..kit.errors import ApiError
from ..kit.http.pipeline import ApiEndpoint, ApiRequest, Dialect
from . import render
from .emulator import ROUTE, MarketSharpEmulator
from .sets import BY_ENTITY_SET

ATOM = "application/atom+xml;type=feed;charset=utf-8"
XML = "application/xml;charset=utf-8"
BASE = "_service_root"  # injected into path_params by FeedEndpoint
SUPPORTED = {"$filter", "$orderby", "$top", "$skip", "$skiptoken"}
_CONDITION = re.compile(r"^lastUpdate (gt|ge|lt|le|eq) datetime'(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?)'$")


def _order(expression: str, key: str) -> str | None:
    """`key` (the default) or `lastUpdate[,key]`, each optionally `asc`: which order the query asks for."""
    terms = [term.strip().removesuffix(" asc").strip() for term in expression.split(",")] if expression.strip() else []
    if terms in ([], [key]):
        return "key"
    if terms in (["lastUpdate"], ["lastUpdate", key]):
        return "lastUpdate"
    return None


@dataclass
class FeedPayload:
    body: bytes
    count: int


def expected_signature(secret_key: str, company_id: str, api_key: str, epoch: str) -> str:
    key = base64.b64decode(secret_key)
    return base64.b64encode(hmac.new(key, f"{company_id}{api_key}{epoch}".encode(), hashlib.sha256).digest()).decode()


class MarketSharpDialect(Dialect):
    def authenticate(self, emu, request, cfg, headers):
        parts = request.headers.get("authorization", "").split(":")
        if len(parts) == 4 and parts[0] == cfg.company_id and parts[1] == cfg.api_key and parts[2].isdigit():
            fresh = abs(time.time() - int(parts[2])) <= int(cfg.max_clock_skew_s)
            try:
                good = hmac.compare_digest(parts[3], expected_signature(cfg.secret_key, *parts[:3]))
            except (binascii.Error, ValueError):
                good = False
            if fresh and good:
                return None
        return Response(render.error("Unauthorized", "Authentication failed"), status_code=401,
                        headers=headers, media_type=XML)

    def fault_response(self, route, fault, headers):
        return Response(render.error(str(fault.status), "injected fault"), status_code=fault.status,
                        headers=headers, media_type=XML)

    def error_response(self, err, headers):
        return Response(render.error("", err.message), status_code=err.status, headers=headers, media_type=XML)

    def render(self, status, payload, headers):
        return Response(payload.body, status_code=status, headers=headers, media_type=ATOM)

    def results_count(self, payload):
        return payload.count if isinstance(payload, FeedPayload) else None


def _wall_ms(text: str) -> int:
    moment = dt.datetime.fromisoformat(text[:26] if "." in text else text)
    return int((moment - dt.datetime(1970, 1, 1)).total_seconds() * 1000)


def _mask(expression: str | None, wall: np.ndarray) -> np.ndarray:
    """`lastUpdate <op> datetime'…'` conditions joined by ` and `: compared as wall-clock times, as the
    service compares its offset-less values."""
    mask = np.ones(len(wall), dtype=bool)
    if not expression:
        return mask
    for condition in expression.split(" and "):
        match = _CONDITION.match(condition.strip())
        if not match:
            raise ApiError(400, f"the sandbox emulates only lastUpdate comparisons in $filter, got {condition!r}")
        op, value = match.group(1), _wall_ms(match.group(2))
        mask &= {"gt": wall > value, "ge": wall >= value, "lt": wall < value, "le": wall <= value,
                 "eq": wall == value}[op]
    return mask


def _number(req: ApiRequest, name: str) -> int | None:
    raw = req.query.get(name)
    if raw is None:
        return None
    if not raw.isdigit():
        raise ApiError(400, f"{name} must be a non-negative integer")
    return int(raw)


def list_feed(emu: MarketSharpEmulator, req: ApiRequest) -> tuple[int, Any]:
    name = req.path_params["entity_set"]
    if name not in BY_ENTITY_SET:
        raise ApiError(404, f"Resource not found for the segment '{name}'.")
    unknown = set(req.query) - SUPPORTED
    if unknown:
        raise ApiError(400, f"the sandbox does not emulate {sorted(unknown)}")
    cfg, data = emu.config, emu.data
    table = data.set_table(name)
    order = _order(req.query.get("$orderby", ""), table.emu_set.key)
    if order is None or (order == "lastUpdate" and not table.emu_set.has_last_update):
        raise ApiError(400, f"unsupported $orderby {req.query.get('$orderby')!r}")
    visible = np.flatnonzero(~table.archived)
    wall = data.wall_ms(table.modified[visible])
    if req.query.get("$filter") and not table.emu_set.has_last_update:
        raise ApiError(400, f"No property 'lastUpdate' exists in type '{table.emu_set.entity_set}'")
    keep = _mask(req.query.get("$filter"), wall)
    visible, wall = visible[keep], wall[keep]
    rank = table.id_rank[visible]
    sort = np.lexsort((rank, wall)) if order == "lastUpdate" else np.argsort(rank, kind="stable")
    visible, wall, rank = visible[sort], wall[sort], rank[sort]
    token = req.query.get("$skiptoken")
    if token is not None:  # opaque to clients: the sort key of the last row served
        try:
            last = tuple(int(part) for part in token.split("."))
        except ValueError:
            raise ApiError(400, "malformed $skiptoken") from None
        if order == "lastUpdate":
            after = (wall > last[0]) | ((wall == last[0]) & (rank > last[-1]))
        else:
            after = rank > last[-1]
        visible, wall, rank = visible[after], wall[after], rank[after]
    skip, top = _number(req, "$skip") or 0, _number(req, "$top")
    visible, wall, rank = visible[skip:], wall[skip:], rank[skip:]
    wanted = len(visible) if top is None else min(top, len(visible))
    size = min(wanted, int(cfg.server_page_size), req.short_page if req.short_page is not None else wanted)
    picked = visible[:size]
    next_link = None
    if size < wanted:
        params = {k: req.query[k] for k in ("$filter", "$orderby") if k in req.query}
        if top is not None:
            params["$top"] = str(top - size)
        params["$skiptoken"] = (f"{int(wall[size - 1])}.{int(rank[size - 1])}" if order == "lastUpdate"
                                else str(int(rank[size - 1]))) if size else "0"
        next_link = f"{req.path_params[BASE]}/{table.emu_set.entity_set}?{urlencode(params)}"
    body = render.feed(req.path_params[BASE], data, table, picked, float(cfg.invalid_char_rate), next_link)
    return 200, FeedPayload(body, len(picked))


class FeedEndpoint(ApiEndpoint):
    """Tells the handler the service root as the client addressed it: next links and `xml:base` are absolute."""

    async def __call__(self, scope: dict, receive, send) -> None:
        url = str(Request(scope).url).split("?", 1)[0]
        scope["path_params"] = {**scope.get("path_params", {}), BASE: url.rsplit("/", 1)[0]}
        await super().__call__(scope, receive, send)


def api_routes(emu: MarketSharpEmulator) -> list[Route]:
    return [Route("/WcfDataService.svc/{entity_set}",
                  FeedEndpoint(emu, MarketSharpDialect(), ROUTE, list_feed, type_param="entity_set"), methods=["GET"])]
