"""`POST /crm/v3/objects/{type}/search` semantics (API_SHAPES §1.6): filters, one sort, offset paging, the cap."""

from __future__ import annotations

import operator
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson

from ..kit.generate.timefmt import parse_ms
from .config import HubSpotConfig
from .errors import validation
from .schema import ObjectSpec
from .tables import Table

VALUE_OPS = {"EQ", "NEQ", "LT", "LTE", "GT", "GTE", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"}
OPERATORS = VALUE_OPS | {"BETWEEN", "IN", "NOT_IN", "HAS_PROPERTY", "NOT_HAS_PROPERTY"}
_VECTOR_OPS = OPERATORS - {"CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"}
_COMPARE = {"EQ": operator.eq, "NEQ": operator.ne, "LT": operator.lt, "LTE": operator.le, "GT": operator.gt,
            "GTE": operator.ge}


@dataclass
class SearchRequest:
    groups: list[list[dict]]
    sort: tuple[str, bool] | None  # (property, descending)
    properties: list[str] | None
    limit: int
    after: int
    query: str | None


def parse_request(body: Any, spec: ObjectSpec, cfg: HubSpotConfig) -> SearchRequest:
    if not isinstance(body, dict):
        raise validation("Invalid input JSON: expected an object.")
    groups_raw = body.get("filterGroups") or []
    if not isinstance(groups_raw, list):
        raise validation("filterGroups must be an array.")
    if len(groups_raw) > cfg.search_max_groups:
        raise validation(f"Too many filter groups: {len(groups_raw)} (max {cfg.search_max_groups}).")
    groups: list[list[dict]] = []
    total = 0
    for group in groups_raw:
        filters = group.get("filters") if isinstance(group, dict) else None
        if not isinstance(filters, list):
            raise validation("Each filter group needs a filters array.")
        if len(filters) > cfg.search_max_filters_per_group:
            raise validation(f"Too many filters in a group: {len(filters)} (max {cfg.search_max_filters_per_group}).")
        total += len(filters)
        groups.append([_check_filter(f, spec) for f in filters])
    if total > cfg.search_max_filters_total:
        raise validation(f"Too many filters: {total} (max {cfg.search_max_filters_total}).")
    sort = _parse_sort(body.get("sorts"), spec)
    limit = body.get("limit", 10)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1 or limit > cfg.search_max_limit:
        raise validation(f"limit must be between 1 and {cfg.search_max_limit}, got {limit!r}.")
    after_raw = body.get("after", 0)
    after_text = str(after_raw).strip() if after_raw is not None else "0"
    if isinstance(after_raw, bool) or not after_text.isdigit():
        raise validation(f"after must be a numeric offset, got {after_raw!r}.")
    after = int(after_text)
    if after + limit > cfg.search_cap:
        raise validation(f"Search results are limited to {cfg.search_cap} records; after={after} "
                         f"with limit={limit} goes past it. Narrow the filters instead of paging further.")
    props = body.get("properties")
    if props is not None and not (isinstance(props, list) and all(isinstance(p, str) for p in props)):
        raise validation("properties must be an array of strings.")
    query = body.get("query")
    if query is not None and (not isinstance(query, str) or len(query) > 3000):
        raise validation("query must be a string of at most 3000 characters.")
    return SearchRequest(groups, sort, props, limit, after, query or None)


def _check_filter(f: Any, spec: ObjectSpec) -> dict:
    if not isinstance(f, dict):
        raise validation("Each filter must be an object.")
    name, op = f.get("propertyName"), f.get("operator")
    if name not in spec.by_name:
        raise validation(f"There was a problem with the request. Property '{name}' does not exist on {spec.key}.")
    if op not in OPERATORS:
        raise validation(f"Unknown filter operator {op!r}.")
    if op in VALUE_OPS and f.get("value") is None:
        raise validation(f"Operator {op} needs a value.")
    if op == "BETWEEN" and (f.get("value") is None or f.get("highValue") is None):
        raise validation("Operator BETWEEN needs value and highValue.")
    if op in ("IN", "NOT_IN") and not (isinstance(f.get("values"), list) and f.get("values")):
        raise validation(f"Operator {op} needs a non-empty values array.")
    return f


def _parse_sort(sorts: Any, spec: ObjectSpec) -> tuple[str, bool] | None:
    if not sorts:
        return None
    if not isinstance(sorts, list):
        raise validation("sorts must be an array.")
    first = sorts[0]  # HubSpot applies a single sort rule.
    if isinstance(first, str):
        name, desc = first.lstrip("-"), first.startswith("-")
    elif isinstance(first, dict):
        name = first.get("propertyName")
        direction = str(first.get("direction", "ASCENDING")).upper()
        if direction not in ("ASCENDING", "DESCENDING"):
            raise validation(f"Unknown sort direction {direction!r}.")
        desc = direction == "DESCENDING"
    else:
        raise validation("Each sort must be a string or an object.")
    if name not in spec.by_name:
        raise validation(f"Cannot sort on unknown property {name!r}.")
    return name, desc


class SearchEngine:
    """Evaluates queries and caches the ordered matches, so paging a big result set stays cheap."""

    def __init__(self) -> None:
        self._cache: OrderedDict[tuple, np.ndarray] = OrderedDict()

    def matches(self, table: Table, generation: int, req: SearchRequest) -> np.ndarray:
        modified, archived, lagging = table.search_view()
        if lagging:  # the index's view changes as time passes, not only with writes: nothing to cache
            return _order(table, _evaluate(table, req, modified, archived), req.sort, modified)
        key = (table.key, id(table), generation, orjson.dumps(req.groups), req.sort, req.query)
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        idx = _order(table, _evaluate(table, req, modified, archived), req.sort, modified)
        self._cache[key] = idx
        if len(self._cache) > 16:
            self._cache.popitem(last=False)
        return idx


def _indexed(table: Table, name: str, modified: np.ndarray) -> tuple[np.ndarray, bool] | None:
    spec = table.spec
    assert spec is not None
    if name == "hs_object_id":
        return table.ids, True
    if name == spec.created_prop:
        return table.created, False
    if name == spec.modified_prop:
        return modified, False
    return None


def _evaluate(table: Table, req: SearchRequest, modified: np.ndarray, archived: np.ndarray) -> np.ndarray:
    """Matches as the search index sees the records (`Table.search_view`: modified times and archived flags)."""
    live = ~archived  # search never returns archived records
    if not req.groups:
        mask = live.copy()
    else:
        mask = np.zeros(table.n, dtype=bool)
        for group in req.groups:
            gm = live.copy()
            residual = []
            for f in group:
                col = _indexed(table, f["propertyName"], modified)
                if col is not None and col[1] and table.ids_as_text and f["operator"] in _VECTOR_OPS:
                    gm &= _text_id_filter(table.id_text, f)
                elif col is not None and f["operator"] in _VECTOR_OPS:
                    gm &= _vector_filter(col[0], f, col[1])
                else:
                    residual.append(f)
            if residual:
                cand = np.flatnonzero(gm)
                keep = np.ones(len(cand), dtype=bool)
                for f in residual:
                    keep &= _residual_filter(table, cand, f)
                gm[:] = False
                gm[cand[keep]] = True
            mask |= gm
    idx = np.flatnonzero(mask)
    if req.query:
        idx = idx[_text_query(table, idx, req.query)]
    return idx


def _filter_scalar(value: Any, numeric_id: bool) -> int:
    if numeric_id:
        text = str(value).strip()
        if not text.lstrip("-").isdigit():
            raise validation(f"hs_object_id filter value must be numeric, got {value!r}.")
        return max(-(2**62), min(int(text), 2**62))  # beyond every id either way; keeps int64 maths safe
    ms = parse_ms(value)
    if ms is None:
        raise validation(f"Cannot parse date filter value {value!r}: use epoch milliseconds or ISO-8601.")
    return ms


def _text_id_filter(text: np.ndarray, f: dict) -> np.ndarray:
    """An hs_object_id filter comparing ids as strings (`search_compares_ids_as_text`)."""
    op = f["operator"]
    if op in ("HAS_PROPERTY", "NOT_HAS_PROPERTY"):
        return np.full(len(text), op == "HAS_PROPERTY")
    if op in ("IN", "NOT_IN"):
        hit = np.isin(text, [str(_filter_scalar(v, True)) for v in f["values"]])
        return hit if op == "IN" else ~hit
    v = str(_filter_scalar(f["value"], True))
    if op == "BETWEEN":
        return (text >= v) & (text <= str(_filter_scalar(f["highValue"], True)))
    return _COMPARE[op](text, v)


def _vector_filter(arr: np.ndarray, f: dict, numeric_id: bool) -> np.ndarray:
    op = f["operator"]
    if op == "HAS_PROPERTY":
        return np.ones(len(arr), dtype=bool)
    if op == "NOT_HAS_PROPERTY":
        return np.zeros(len(arr), dtype=bool)
    if op in ("IN", "NOT_IN"):
        values = np.array([_filter_scalar(v, numeric_id) for v in f["values"]], dtype=np.int64)
        hit = np.isin(arr, values)
        return hit if op == "IN" else ~hit
    v = _filter_scalar(f["value"], numeric_id)
    if op == "BETWEEN":
        return (arr >= v) & (arr <= _filter_scalar(f["highValue"], numeric_id))
    return _COMPARE[op](arr, v)


def _coerce(ptype: str, value: Any) -> Any:
    if value is None:
        return None
    if ptype == "number":
        try:
            return float(value)
        except (TypeError, ValueError):
            return None
    if ptype in ("date", "datetime"):
        return parse_ms(value)
    return str(value).strip().lower()


def _coerce_filter(ptype: str, value: Any) -> Any:
    got = _coerce(ptype, value)
    if got is None:
        raise validation(f"Invalid filter value {value!r} for a {ptype} property.")
    return got


def _residual_filter(table: Table, cand: np.ndarray, f: dict) -> np.ndarray:
    spec = table.spec
    assert spec is not None
    prop = spec.by_name[f["propertyName"]]
    op = f["operator"]
    raw = table.column(cand, prop.name)
    if op in ("HAS_PROPERTY", "NOT_HAS_PROPERTY"):
        has = np.array([v is not None and v != "" for v in raw], dtype=bool)
        return has if op == "HAS_PROPERTY" else ~has
    if op in ("CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"):
        token = str(f["value"]).strip("*").lower()
        hit = np.array([v is not None and token in v.lower() for v in raw], dtype=bool)
        return hit if op == "CONTAINS_TOKEN" else ~hit
    vals = [_coerce(prop.type, v) for v in raw]
    if op in ("IN", "NOT_IN"):
        wanted = {_coerce_filter(prop.type, v) for v in f["values"]}
        hit = np.array([v is not None and v in wanted for v in vals], dtype=bool)
        return hit if op == "IN" else ~hit
    target = _coerce_filter(prop.type, f["value"])
    if op == "EQ":
        return np.array([v is not None and v == target for v in vals], dtype=bool)
    if op == "NEQ":
        return np.array([v is None or v != target for v in vals], dtype=bool)
    if op == "BETWEEN":
        high = _coerce_filter(prop.type, f["highValue"])
        return np.array([v is not None and target <= v <= high for v in vals], dtype=bool)
    cmp = _COMPARE[op]
    return np.array([v is not None and type(v) is type(target) and cmp(v, target) for v in vals], dtype=bool)


def _text_query(table: Table, idx: np.ndarray, query: str) -> np.ndarray:
    spec = table.spec
    assert spec is not None
    fields = [p.name for p in spec.props if p.type in ("string", "phone_number")][:6]
    tokens = query.lower().split()
    keep = np.zeros(len(idx), dtype=bool)
    for name in fields:
        col = table.column(idx, name)
        keep |= np.array([v is not None and all(t in v.lower() for t in tokens) for v in col], dtype=bool)
    return keep


def _order(table: Table, idx: np.ndarray, sort: tuple[str, bool] | None, modified: np.ndarray) -> np.ndarray:
    # Ties (and the unsorted default) fall back to id order: idx order is id order.
    if sort is None or len(idx) == 0:
        return idx
    name, desc = sort
    if name == "hs_object_id" and table.ids_as_text:
        by_text = idx[np.argsort(table.id_text[idx], kind="stable")]
        return by_text[::-1].copy() if desc else by_text
    if name == "hs_object_id":  # positions are already in id order
        return idx[::-1].copy() if desc else idx
    col = _indexed(table, name, modified)
    if col is not None:
        key = col[0][idx]
        return idx[np.lexsort((idx, -key if desc else key))]
    spec = table.spec
    assert spec is not None
    ptype = spec.by_name[name].type
    vals = [_coerce(ptype, v) for v in table.column(idx, name)]
    present = [k for k, v in enumerate(vals) if v is not None]
    missing = [k for k, v in enumerate(vals) if v is None]
    present.sort(key=lambda k: vals[k], reverse=desc)  # stable even reversed: ties stay in id order
    return idx[np.array(present + missing, dtype=np.int64)]
