"""v4 association reads (API_SHAPES §1.9): per-from-id paging, numeric toObjectId, 207 for empty from-ids."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from ..kit.generate.timefmt import iso_one
from ..kit.http.pipeline import ApiRequest
from .associations import Link, decode_offset, encode_offset
from .emulator import HubSpotEmulator
from .errors import not_found, validation
from .tables import Table


def _live_targets(link: Link | None, i: int | None, from_table: Table, to_table: Table) -> tuple[np.ndarray, np.ndarray]:
    if link is None or i is None or bool(from_table.archived[i]):
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=bool)
    dst, flags = link.targets(i)
    keep = ~to_table.archived[dst]  # archived targets drop out of association reads
    return dst[keep], flags[keep]


def _to_items(link: Link, to_table: Table, dst: np.ndarray, flags: np.ndarray) -> list[dict]:
    return [{"toObjectId": oid, "associationTypes": link.types_flagged if flagged else link.types}
            for oid, flagged in zip(to_table.ids[dst].tolist(), flags.tolist())]


def _page(offset_token: Any, total: int, size: int, short: int | None) -> tuple[int, int, str | None]:
    offset = 0
    if offset_token not in (None, ""):
        decoded = decode_offset(offset_token)
        if decoded is None:
            raise validation(f"Invalid association paging cursor after={offset_token!r}.")
        offset = decoded
    end = min(total, offset + size)
    if short is not None:
        end = min(end, offset + short)
    return offset, end, encode_offset(end) if end < total else None


def assoc_batch_read(emu: HubSpotEmulator, req: ApiRequest) -> tuple[int, Any]:
    registry = emu.data.registry
    from_spec = registry.resolve(req.path_params["object_type"])
    to_spec = registry.resolve(req.path_params["to_type"])
    body = req.body if isinstance(req.body, dict) else {}
    inputs = body.get("inputs")
    if not isinstance(inputs, list) or not all(isinstance(i, dict) and "id" in i for i in inputs):
        raise validation('inputs must be an array of {"id": ...} objects.')
    if len(inputs) > 1000:
        raise validation(f"Association batch read accepts at most 1000 inputs, got {len(inputs)}.")
    started = iso_one(int(time.time() * 1000))
    from_table, to_table = emu.data.tables[from_spec.key], emu.data.tables[to_spec.key]
    link = emu.data.associations.link(from_spec.key, to_spec.key)
    results, errors = [], []
    for item in inputs:
        raw = str(item["id"])
        dst, flags = _live_targets(link, from_table.indices_of([raw])[0], from_table, to_table)
        if len(dst) == 0:
            errors.append({
                "status": "error", "category": "OBJECT_NOT_FOUND",
                "subCategory": "crm.associations.NO_ASSOCIATIONS_FOUND",
                "context": {"fromObjectId": [raw]},
                "message": f"No {to_spec.singular.lower()} is associated with {from_spec.singular.lower()} {raw}.",
                "errors": [], "links": {},
            })
            continue
        assert link is not None
        lo, hi, nxt = _page(item.get("after"), len(dst), emu.config.assoc_page_size, req.short_page)
        result: dict[str, Any] = {"from": {"id": raw}, "to": _to_items(link, to_table, dst[lo:hi], flags[lo:hi])}
        if nxt is not None:
            result["paging"] = {"next": {"after": nxt, "link": None}}
        results.append(result)
    out: dict[str, Any] = {"status": "COMPLETE", "results": results, "startedAt": started,
                           "completedAt": iso_one(int(time.time() * 1000))}
    if errors:
        out["numErrors"] = len(errors)
        out["errors"] = errors
        return 207, out
    return 200, out


def assoc_get(emu: HubSpotEmulator, req: ApiRequest) -> tuple[int, Any]:
    registry = emu.data.registry
    from_spec = registry.resolve(req.path_params["object_type"])
    to_spec = registry.resolve(req.path_params["to_type"])
    from_table, to_table = emu.data.tables[from_spec.key], emu.data.tables[to_spec.key]
    raw = req.path_params["object_id"]
    i = from_table.indices_of([raw])[0]
    if i is None or bool(from_table.archived[i]):
        raise not_found(raw)
    try:
        limit = int(req.query.get("limit") or 500)
    except ValueError:
        raise validation("limit must be an integer.") from None
    if not 1 <= limit <= 500:
        raise validation(f"limit must be between 1 and 500, got {limit}.")
    link = emu.data.associations.link(from_spec.key, to_spec.key)
    dst, flags = _live_targets(link, i, from_table, to_table)
    lo, hi, nxt = _page(req.query.get("after"), len(dst), limit, req.short_page)
    out: dict[str, Any] = {"results": _to_items(link, to_table, dst[lo:hi], flags[lo:hi]) if link else []}
    if nxt is not None:
        out["paging"] = {"next": {"after": nxt, "link": None}}
    return 200, out
