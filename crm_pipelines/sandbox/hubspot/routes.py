"""HubSpot API handlers (API_SHAPES §1.3-§1.11). Each returns (status, JSON body) or raises ApiError."""

from __future__ import annotations

import base64
import time
import urllib.parse
import uuid
from typing import Any

import numpy as np
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..kit.generate.hashing import mix64, unit
from ..kit.generate.timefmt import iso_one
from ..kit.http.pipeline import ApiEndpoint, ApiRequest, json_response
from .dialect import CORRELATION, HubSpotDialect
from .emulator import HubSpotEmulator
from .errors import ApiError, not_found, validation
from .owners import render_owners
from .schema import ObjectSpec
from .search import parse_request
from .tables import Table


# -- shared helpers ------------------------------------------------------------------------------
def encode_cursor(last_id: int) -> str:
    # Real cursors look like "NTI1Cg%3D%3D": base64, URL-encoded inside the JSON.
    return urllib.parse.quote(base64.b64encode(str(last_id).encode()).decode(), safe="")


def decode_cursor(token: str) -> int:
    text = token
    for _ in range(3):  # tolerate clients that pass it raw, decoded once, or double-encoded
        if "%" not in text:
            break
        text = urllib.parse.unquote(text)
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4), validate=True).decode()
        if raw.isdigit():
            return int(raw)
    except (ValueError, UnicodeDecodeError):
        pass
    raise validation(f"Invalid paging cursor after={token!r}.")


def _int_param(value: str | None, name: str, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise validation(f"{name} must be an integer, got {value!r}.") from None


def _bool_param(value: str | None) -> bool:
    return str(value).lower() == "true"


def _now_iso() -> str:
    return iso_one(int(time.time() * 1000))


def select_properties(spec: ObjectSpec, requested: list[str] | None, defaults: tuple[str, ...]) -> tuple[str, ...]:
    """Requested (or default) properties, unknown names dropped, plus the ones HubSpot always adds."""
    names = defaults if requested is None else requested
    seen: dict[str, None] = dict.fromkeys(spec.always)
    for name in names:
        if name in spec.by_name:
            seen[name] = None
    return tuple(seen)


def _csv_properties(req: ApiRequest) -> list[str] | None:
    values = req.query.getlist("properties")
    if not values:
        return None
    return [p.strip() for v in values for p in v.split(",") if p.strip()]


def _spec(emu: HubSpotEmulator, name: str) -> tuple[ObjectSpec, Table]:
    spec = emu.data.registry.resolve(name)
    return spec, emu.data.tables[spec.key]


def _list_limit(raw: str | None, default: int, maximum: int, clamp: bool) -> int:
    limit = _int_param(raw, "limit", default)
    if limit < 1:
        raise validation(f"limit must be at least 1, got {limit}.")
    if limit > maximum:
        if clamp:
            return maximum
        raise validation(f"limit must be at most {maximum}, got {limit}.")
    return limit


def _paged(table: Table, req: ApiRequest, limit: int, archived: bool, dup_rate: float) -> tuple[np.ndarray, dict]:
    """One list page of table positions after the cursor, and the `paging` member (empty when done)."""
    after = req.query.get("after")
    last_id = decode_cursor(after) if after else None
    start = int(np.searchsorted(table.ids, last_id, side="right")) if last_id is not None else 0
    idx, more = table.scan(start, limit, archived)
    if last_id is not None and dup_rate > 0 and len(idx) and limit > 1:
        # Seen in the wild: a page opens with the previous page's last record again.
        prev = table.index_of(last_id)
        roll = unit(mix64(np.array([last_id], dtype=np.uint64) ^ table.salt), 5)[0]
        if prev is not None and bool(table.archived[prev]) == archived and roll < dup_rate:
            more = more or len(idx) == limit
            idx = np.concatenate([[prev], idx[:limit - 1]]).astype(np.int64)
    if req.short_page is not None and req.short_page < len(idx):
        idx, more = idx[:req.short_page], True
    if not more:
        return idx, {}
    cursor_id = int(table.ids[idx[-1]]) if len(idx) else (last_id if last_id is not None else 0)
    token = encode_cursor(cursor_id)
    return idx, {"paging": {"next": {"after": token, "link": f"?after={token}"}}}


# -- objects -------------------------------------------------------------------------------------
def list_objects(emu: HubSpotEmulator, req: ApiRequest) -> tuple[int, Any]:
    spec, table = _spec(emu, req.path_params["object_type"])
    cfg = emu.config
    limit = _list_limit(req.query.get("limit"), 10, cfg.list_max_limit, cfg.list_clamp)
    props = select_properties(spec, _csv_properties(req), spec.list_defaults)
    idx, paging = _paged(table, req, limit, _bool_param(req.query.get("archived")), cfg.list_duplicate_rate)
    return 200, {"results": table.render(idx, props), **paging}


def get_object(emu: HubSpotEmulator, req: ApiRequest) -> tuple[int, Any]:
    spec, table = _spec(emu, req.path_params["object_type"])
    object_id = req.path_params["object_id"]
    found = table.indices_of([object_id])[0]
    if found is None or bool(table.archived[found]) != _bool_param(req.query.get("archived")):
        raise not_found(object_id)
    props = select_properties(spec, _csv_properties(req), spec.list_defaults)
    return 200, table.render(np.array([found], dtype=np.int64), props)[0]


def batch_read(emu: HubSpotEmulator, req: ApiRequest) -> tuple[int, Any]:
    spec, table = _spec(emu, req.path_params["object_type"])
    body = req.body if isinstance(req.body, dict) else {}
    inputs = body.get("inputs")
    if not isinstance(inputs, list) or not all(isinstance(i, dict) and "id" in i for i in inputs):
        raise validation('inputs must be an array of {"id": ...} objects.')
    if len(inputs) > 100:
        raise validation(f"Batch read accepts at most 100 inputs, got {len(inputs)}.")
    requested = body.get("properties")
    if requested is not None and not isinstance(requested, list):
        raise validation("properties must be an array of strings.")
    raw_ids = list(dict.fromkeys(str(i["id"]) for i in inputs))
    found = table.indices_of(raw_ids)
    archived = _bool_param(req.query.get("archived"))
    hits = [i for i in found if i is not None and bool(table.archived[i]) == archived]
    missing = [r for r, i in zip(raw_ids, found) if i is None or bool(table.archived[i]) != archived]
    started = _now_iso()
    message = (f"Could not get some {spec.singular.upper().replace(' ', '_')} objects, they may be deleted or not "
               f"exist. Check that ids are valid.")
    if raw_ids and not hits:
        raise ApiError(404, "OBJECT_NOT_FOUND", message, context={"ids": missing})
    props = select_properties(spec, requested, spec.list_defaults)
    out: dict[str, Any] = {"status": "COMPLETE",
                           "results": table.render(np.array(hits, dtype=np.int64), props),
                           "startedAt": started, "completedAt": _now_iso(), "links": {}}
    if missing:
        out["numErrors"] = 1
        out["errors"] = [{"status": "error", "category": "OBJECT_NOT_FOUND", "message": message,
                          "context": {"ids": missing}, "errors": [], "links": {}}]
        return 207, out
    return 200, out


def search(emu: HubSpotEmulator, req: ApiRequest) -> tuple[int, Any]:
    spec, table = _spec(emu, req.path_params["object_type"])
    q = parse_request(req.body, spec, emu.config)
    matches = emu.search_engine.matches(table, emu.data.generation, q)
    total = len(matches)
    page = matches[q.after:q.after + q.limit]
    if req.short_page is not None:
        page = page[:req.short_page]
    props = select_properties(spec, q.properties, spec.search_defaults)
    if req.reverse_page:
        page = page[::-1]
    out: dict[str, Any] = {"total": total, "results": table.render(page, props)}
    if q.after + len(page) < total:
        out["paging"] = {"next": {"after": str(q.after + len(page))}}
    return 200, out


# -- owners -------------------------------------------------------------------------------------
def owners(emu: HubSpotEmulator, req: ApiRequest) -> tuple[int, Any]:
    table = emu.data.tables["owners"]
    limit = _list_limit(req.query.get("limit"), 100, 500, clamp=False)
    idx, paging = _paged(table, req, limit, _bool_param(req.query.get("archived")), 0.0)
    return 200, {"results": render_owners(table, idx), **paging}


async def unknown_route(request: Request) -> Response:
    correlation_id = str(uuid.uuid4())
    body = ApiError(404, "OBJECT_NOT_FOUND", f"No route for {request.method} {request.url.path}.").body(correlation_id)
    return json_response(404, body, {CORRELATION: correlation_id})


def api_routes(emu: HubSpotEmulator) -> list[Route]:
    """The API served under /hubspot: only what the pipelines call (README: "Not emulated")."""
    from .assoc_routes import assoc_batch_read, assoc_get

    dialect = HubSpotDialect()

    def r(path: str, route: str, handler: Any, method: str, type_param: str | None = "object_type") -> Route:
        return Route(path, ApiEndpoint(emu, dialect, route, handler, type_param), methods=[method])

    return [
        r("/crm/v3/objects/{object_type}", "list", list_objects, "GET"),
        r("/crm/v3/objects/{object_type}/search", "search", search, "POST"),
        r("/crm/v3/objects/{object_type}/batch/read", "batch_read", batch_read, "POST"),
        r("/crm/v3/objects/{object_type}/{object_id}", "get", get_object, "GET"),
        r("/crm/v3/owners", "owners", owners, "GET", None),
        r("/crm/v4/associations/{object_type}/{to_type}/batch/read", "assoc_batch_read", assoc_batch_read, "POST"),
        r("/crm/v4/objects/{object_type}/{object_id}/associations/{to_type}", "assoc_get", assoc_get, "GET"),
        Route("/{path:path}", unknown_route, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
    ]
