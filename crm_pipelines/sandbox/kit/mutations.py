"""Writes made by tests: now, or when the N-th matching API request arrives ("modified during a sync")."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from .generate.tables import ACTIONS, Dataset
from .generate.timefmt import iso_one, require_ms

MUTATION_KEYS = {"object_type", "ids", "count", "action", "properties", "modified_at", "after_requests", "route",
                 "request_object_type"}


@dataclass
class Mutation:
    seq: int
    key: str
    action: str
    idx: np.ndarray
    properties: dict[str, str | None] | None
    modified_ms: int | None  # None: the wall clock when applied
    after_requests: int | None
    route: str
    request_object_type: str | None
    seen: int = 0
    applied_at: str | None = None

    def describe(self, data: Dataset) -> dict[str, Any]:
        t = data.tables[self.key]
        return {
            "id": self.seq, "object_type": self.key, "action": self.action,
            "ids": t.ids[self.idx].astype(str).tolist(),
            "modified_at": iso_one(self.modified_ms) if self.modified_ms is not None else None,
            "after_requests": self.after_requests, "route": self.route,
            "request_object_type": self.request_object_type, "seen": self.seen,
            "applied": self.applied_at is not None, "applied_at": self.applied_at,
        }


def parse(spec: Any, data: Dataset, seq: int, routes: set[str]) -> Mutation:
    """A mutation from its JSON form; `routes` are the request routes `route` may name (with "any")."""
    if not isinstance(spec, dict):
        raise ValueError("mutation must be a JSON object")
    unknown = set(spec) - MUTATION_KEYS
    if unknown:
        raise ValueError(f"unknown mutation key(s) {sorted(unknown)}; allowed: {sorted(MUTATION_KEYS)}")
    if "object_type" not in spec:
        raise ValueError("object_type is required")
    key = data.table_key(str(spec["object_type"]))
    table = data.tables[key]
    action = spec.get("action", "touch")
    if action not in ACTIONS:
        raise ValueError(f"action must be one of {sorted(ACTIONS)}")
    props = spec.get("properties")
    if action == "set":
        props = data.check_properties(key, props)
    elif props is not None:
        raise ValueError("properties only apply to action 'set'")
    if ("ids" in spec) == ("count" in spec):
        raise ValueError("give exactly one of ids or count")
    if "ids" in spec:
        ids = spec["ids"]
        if not isinstance(ids, list):
            raise ValueError("ids must be a list")
        found = table.indices_of(ids)
        missing = [str(r) for r, i in zip(ids, found) if i is None]
        if missing:
            raise ValueError(f"unknown {key} id(s): {missing[:10]}")
        idx = np.array(sorted(set(found)), dtype=np.int64)  # type: ignore[arg-type]
    else:
        count = spec["count"]
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValueError("count must be a non-negative integer")
        # Pick among records the action can change, deterministically from the seed and the call number.
        eligible = np.flatnonzero(table.archived if action == "unarchive" else ~table.archived)
        if count > len(eligible):
            raise ValueError(f"count {count} exceeds the {len(eligible)} eligible {key}")
        rng = np.random.default_rng([data.seed, 7919, seq])
        idx = np.sort(rng.choice(eligible, size=count, replace=False)).astype(np.int64)
    modified_at = spec.get("modified_at")
    modified_ms = require_ms(modified_at, "modified_at") if modified_at is not None else None
    after = spec.get("after_requests")
    if after is not None and (not isinstance(after, int) or isinstance(after, bool) or after < 1):
        raise ValueError("after_requests must be a positive integer or null")
    route = spec.get("route") or "any"
    if route not in routes:
        raise ValueError(f"route must be one of {sorted(routes)}")
    req_type = spec.get("request_object_type", spec["object_type"])
    req_key = data.table_key(str(req_type)) if req_type else None
    return Mutation(seq, key, action, idx, props, modified_ms, after, route, req_key)


def apply(m: Mutation, data: Dataset) -> None:
    ms = m.modified_ms if m.modified_ms is not None else int(time.time() * 1000)
    data.apply(m.key, m.action, m.idx, m.properties, ms)
    m.applied_at = iso_one(int(time.time() * 1000))


class PendingMutations:
    def __init__(self) -> None:
        self.pending: list[Mutation] = []
        self.done: list[Mutation] = []

    def on_request(self, route: str, object_type: str | None, data: Dataset) -> None:
        if not self.pending:
            return
        still = []
        for m in self.pending:
            if m.route in ("any", route) and (m.request_object_type in (None, object_type)):
                m.seen += 1
                if m.seen >= (m.after_requests or 1):
                    apply(m, data)
                    self.done.append(m)
                    continue
            still.append(m)
        self.pending = still
