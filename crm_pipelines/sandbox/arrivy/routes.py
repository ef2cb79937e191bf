"""Arrivy's read API over HTTP: X-Auth-Key/X-Auth-Token, page-number paging over bare arrays."""

from __future__ import annotations

from typing import Any

import numpy as np
from starlette.routing import Route

from ..kit.errors import ApiError
from ..kit.generate.timefmt import parse_ms
from ..kit.http.pipeline import ApiEndpoint, ApiRequest, Dialect, json_response
from . import render
from .emulator import ArrivyEmulator

MAX_ITEMS_PER_PAGE = 1000


class ArrivyDialect(Dialect):
    def authenticate(self, emu, request, cfg, headers):
        if request.headers.get("x-auth-key") == cfg.auth_key and request.headers.get("x-auth-token") == cfg.auth_token:
            return None
        return json_response(401, {"message": "UNAUTHORIZED", "description": "Invalid auth key or token"}, headers)

    def fault_response(self, route, fault, headers):
        if fault.status == 429 and fault.retry_after is not None:
            ra = fault.retry_after
            headers["Retry-After"] = str(int(ra)) if float(ra).is_integer() else str(ra)
        message = "RATE_LIMIT_EXCEEDED" if fault.status == 429 else "INTERNAL_ERROR"
        return json_response(fault.status, {"message": message, "description": "injected fault"}, headers)

    def error_response(self, err, headers):
        code = {400: "INVALID_INPUT", 404: "NOT_FOUND"}.get(err.status, "INTERNAL_ERROR")
        return json_response(err.status, {"message": code, "description": err.message}, headers)

    def results_count(self, payload):
        return len(payload) if isinstance(payload, list) else None


def _int(req: ApiRequest, name: str, default: int, low: int, high: int) -> int:
    raw = req.query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"{name} must be an integer, got {raw!r}") from None
    if not low <= value <= high:
        raise ApiError(400, f"{name} must be within {low}..{high}")
    return value


def _page(req: ApiRequest, positions: np.ndarray, default_per_page: int) -> np.ndarray:
    """`page` (1-based) of `items_per_page`; `page_size` is not an Arrivy parameter and is ignored."""
    page = _int(req, "page", 1, 1, 10 ** 9)
    per_page = _int(req, "items_per_page", default_per_page, 1, MAX_ITEMS_PER_PAGE)
    return positions[(page - 1) * per_page: page * per_page]


def _time(req: ApiRequest, name: str) -> int | None:
    raw = req.query.get(name)
    if raw is None or raw == "":
        return None
    ms = parse_ms(raw)
    if ms is None:  # e.g. an offset's unencoded "+" arrives as a space
        raise ApiError(400, f"{name}: cannot parse {raw!r} as an ISO-8601 time")
    return ms


def _flag(req: ApiRequest, name: str) -> bool:
    return str(req.query.get(name, "false")).lower() == "true"


def _live_task(emu: ArrivyEmulator, raw: str) -> int:
    table = emu.data.tables["tasks"]
    found = table.indices_of([raw])[0]
    if found is None or table.archived[found]:
        raise ApiError(404, f"task {raw} not found")
    return found


def list_tasks(emu: ArrivyEmulator, req: ApiRequest) -> tuple[int, Any]:
    lo, hi = _time(req, "from"), _time(req, "to")
    selection = emu.data.task_selection(lo, hi, _flag(req, "unscheduled"), _flag(req, "tasks_with_no_datetime"),
                                        emu.config.implicit_cap)
    return 200, render.tasks(emu.data, _page(req, selection, 500))


def get_task(emu: ArrivyEmulator, req: ApiRequest) -> tuple[int, Any]:
    i = _live_task(emu, req.path_params["task_id"])
    return 200, render.tasks(emu.data, np.array([i], dtype=np.int64))[0]


def task_status(emu: ArrivyEmulator, req: ApiRequest) -> tuple[int, Any]:
    history = render.statuses_of_task(emu.data, _live_task(emu, req.path_params["task_id"]))
    page = _int(req, "page", 1, 1, 10 ** 9)
    per_page = _int(req, "items_per_page", 100, 1, MAX_ITEMS_PER_PAGE)
    return 200, history[(page - 1) * per_page: page * per_page]


def _listing(key: str, default_per_page: int):
    def handler(emu: ArrivyEmulator, req: ApiRequest) -> tuple[int, Any]:
        table = emu.data.tables[key]
        return 200, render.RENDERERS[key](emu.data, _page(req, np.flatnonzero(~table.archived), default_per_page))
    return handler


def all_statuses(emu: ArrivyEmulator, req: ApiRequest) -> tuple[int, Any]:
    table = emu.data.tables["statuses"]
    return 200, render.status_definitions(emu.data, np.flatnonzero(~table.archived))


def entity_readings(emu: ArrivyEmulator, req: ApiRequest) -> tuple[int, Any]:
    entities = emu.data.tables["entities"]
    pos = entities.indices_of([req.path_params["entity_id"]])[0]
    if pos is None or entities.archived[pos]:
        raise ApiError(404, f"entity {req.path_params['entity_id']} not found")
    after = _time(req, "time")
    raw = req.query.get("time")
    after_us = None if after is None else after * 1000 + _micro_rest(raw)
    times = emu.data.readings_of(pos, after_us)
    return 200, render.readings(emu.data, pos, _page(req, times, 100))


def _micro_rest(raw: str | None) -> int:
    """The microseconds below the millisecond in an ISO time (parse_ms keeps milliseconds only)."""
    if raw and "." in raw:
        frac = raw.split(".", 1)[1]
        digits = "".join(ch for ch in frac[:6] if ch.isdigit())
        if len(digits) > 3:
            return int(digits[3:].ljust(3, "0"))
    return 0


def api_routes(emu: ArrivyEmulator) -> list[Route]:
    dialect = ArrivyDialect()

    def route(path: str, name: str, handler) -> Route:
        return Route(path, ApiEndpoint(emu, dialect, name, handler, type_param=None), methods=["GET"])

    return [
        route("/api/tasks", "tasks", list_tasks),
        route("/api/tasks/{task_id}", "task", get_task),
        route("/api/tasks/{task_id}/status", "task_status", task_status),
        route("/api/entities", "entities", _listing("entities", 100)),
        route("/api/entities/{entity_id}/readings", "readings", entity_readings),
        route("/api/groups", "groups", _listing("groups", 100)),
        route("/api/crews", "crews", _listing("crews", 100)),
        route("/api/statuses", "statuses", all_statuses),
        route("/api/bookings", "bookings", _listing("bookings", 100)),
    ]
