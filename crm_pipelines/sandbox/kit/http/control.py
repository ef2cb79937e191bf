"""Control API under /_sandbox/<crm>/: how tests steer any emulator over HTTP (no auth)."""

from __future__ import annotations

from typing import Any, Awaitable, Callable

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..emulator import Emulator


def _json(body: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


async def _body(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"body is not valid JSON: {exc}") from None


def _guard(fn: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
    async def wrapper(request: Request) -> Response:
        try:
            return await fn(request)
        except (ValueError, KeyError, TypeError) as exc:
            return _json({"error": str(exc).strip("'\"")}, 400)
    return wrapper


def control_routes(emu: Emulator) -> list[Route]:
    async def reset(request: Request) -> Response:
        cfg = emu.reset(await _body(request))
        return _json({"config": cfg.to_dict()})

    async def config(request: Request) -> Response:
        return _json({"config": emu.config.to_dict(), "base_config": emu.base_config.to_dict()})

    async def faults_post(request: Request) -> Response:
        body = await _body(request)
        if not isinstance(body, dict) or set(body) != {"rules"}:
            raise ValueError('body must be exactly {"rules": [...]}')
        return _json({"rules": emu.set_faults(body["rules"])})

    async def faults_delete(request: Request) -> Response:
        emu.clear_faults()
        return _json({"rules": []})

    async def faults_get(request: Request) -> Response:
        return _json({"rules": emu.fault_status()})

    async def mutations_post(request: Request) -> Response:
        return _json(emu.mutate(await _body(request)))

    async def mutations_get(request: Request) -> Response:
        return _json(emu.mutation_status())

    async def truth(request: Request) -> Response:
        q = request.query_params
        return _json(emu.truth(request.path_params["object_type"], q.get("modified_from"), q.get("modified_to"),
                               q.get("archived", "false")))

    async def truth_record(request: Request) -> Response:
        rec = emu.truth_record(request.path_params["object_type"], request.path_params["object_id"])
        if rec is None:
            return _json({"error": "no such record"}, 404)
        return _json(rec)

    async def stats(request: Request) -> Response:
        return _json(emu.stats())

    async def stats_reset(request: Request) -> Response:
        emu.reset_stats()
        return _json({"ok": True})

    def r(path: str, fn: Callable[[Request], Awaitable[Response]], method: str) -> Route:
        return Route(path, _guard(fn), methods=[method])

    return [
        r("/reset", reset, "POST"),
        r("/config", config, "GET"),
        r("/faults", faults_post, "POST"),
        r("/faults", faults_delete, "DELETE"),
        r("/faults", faults_get, "GET"),
        r("/mutations", mutations_post, "POST"),
        r("/mutations", mutations_get, "GET"),
        r("/truth/{object_type}", truth, "GET"),
        r("/truth/{object_type}/{object_id}", truth_record, "GET"),
        r("/stats", stats, "GET"),
        r("/stats/reset", stats_reset, "POST"),
    ]
