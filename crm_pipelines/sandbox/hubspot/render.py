"""Records as the API returns them (§1.4), built for throughput.

On a page of 100 records the cost is in per-call overhead, not in data volume, so the work is batched:
the pick positions of all pool-backed columns come out of one numpy expression, null cells out of another,
and one gather over the joined pools yields every such column. `values.column` computes the same values
one property at a time (search filters use it); both use the same hash functions, so they always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..kit.generate.batch import Batch, Picked
from ..kit.generate.timefmt import iso_ms
from .schema import PropSpec
from .values import GENERATORS, NULL_RATE, PICKERS

if TYPE_CHECKING:
    from .tables import Table

_NULL_THRESHOLD = int(NULL_RATE * (1 << 20))


@dataclass
class Plan:
    """How to render one property list of one table (cached on the table)."""

    pickers: dict[bool, list[tuple[int, PropSpec, int]]]  # stable -> [(column, prop, hash column)]
    others: list[tuple[int, PropSpec]]
    optional: list[int]
    null_cols: list[int]
    joined: tuple[tuple[np.ndarray, ...], np.ndarray, np.ndarray] | None = None


def _plan(table: Table, names: tuple[str, ...]) -> Plan:
    got = table.plans.get(names)
    if got is not None:
        return got  # type: ignore[return-value]
    assert table.spec is not None
    props = [table.spec.by_name[n] for n in names]
    pickers: dict[bool, list] = {False: [], True: []}
    others = []
    for j, p in enumerate(props):
        if p.kind in PICKERS:
            pickers[PICKERS[p.kind][1]].append((j, p, table.hash_cols[p.name]))
        else:
            others.append((j, p))
    optional = [j for j, p in enumerate(props) if p.optional]
    plan = Plan(pickers, others, optional, [table.hash_cols[props[j].name + "#null"] for j in optional])
    if len(table.plans) > 256:  # clients asking for ever-new property lists
        table.plans.clear()
    table.plans[names] = plan
    return plan


def _joined(plan: Plan, pools: tuple[np.ndarray, ...]) -> tuple[np.ndarray, np.ndarray]:
    """All pools of a page in one object array, each followed by a None slot; and each pool's offset."""
    got = plan.joined
    if got is None or len(got[0]) != len(pools) or any(a is not b for a, b in zip(got[0], pools)):
        sizes = np.array([len(p) + 1 for p in pools], dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        joined = np.empty(int(sizes.sum()), dtype=object)
        for pool, off in zip(pools, offsets.tolist()):
            joined[off:off + len(pool)] = pool
            joined[off + len(pool)] = None
        got = plan.joined = (pools, joined, offsets)
    return got[1], got[2]


_EMPTY_POOL = np.array([None], dtype=object)


def property_columns(table: Table, b: Batch, names: tuple[str, ...]) -> list[list]:
    assert table.spec is not None
    plan = _plan(table, names)
    columns: list[list] = [[] for _ in names]
    order: list[int] = []  # column of each pool-backed block column
    pools: list[np.ndarray] = []
    blocks: list[np.ndarray] = []
    for stable, group in plan.pickers.items():
        if not group:
            continue
        sizes = []
        for j, p, _ in group:
            pool = PICKERS[p.kind][0](b, p)
            pools.append(pool if len(pool) else _EMPTY_POOL)
            sizes.append(max(len(pool), 1))
            order.append(j)
        # Same as values.below(h, 3, len(pool)) per column, for all columns at once.
        blocks.append(((b.matrix(stable)[:, [c for _, _, c in group]] >> np.uint64(3))
                       % np.array(sizes, dtype=np.uint64)).astype(np.int64))
    for j, p in plan.others:
        values = GENERATORS[p.kind](b, p)
        if isinstance(values, Picked):
            pools.append(values.pool)
            order.append(j)
            blocks.append(values.index.astype(np.int64).reshape(-1, 1))
        else:
            columns[j] = values.tolist() if isinstance(values, np.ndarray) else values
    nulls = None
    if plan.optional:
        # Same as values.null_mask: unit(h, 7) < NULL_RATE, on the 20 bits above bit 7.
        nulls = ((b.matrix(False)[:, plan.null_cols] >> np.uint64(7)) & np.uint64(0xFFFFF)) < _NULL_THRESHOLD
    if order:
        picks = np.hstack(blocks) if len(blocks) > 1 else blocks[0]
        joined, offsets = _joined(plan, tuple(pools))
        if nulls is not None:
            position = {j: k for k, j in enumerate(order)}
            null_block = np.zeros(picks.shape, dtype=bool)
            for k, j in enumerate(plan.optional):
                if j in position:
                    null_block[:, position[j]] = nulls[:, k]
            # A null cell points at the pool's trailing None slot.
            picks = np.where(null_block, [len(p) for p in pools], picks)
        for j, values in zip(order, joined[picks + offsets].T.tolist()):
            columns[j] = values
    if nulls is not None:
        picked = set(order)
        for k, j in enumerate(plan.optional):
            if j not in picked:
                columns[j] = [None if z else v for v, z in zip(columns[j], nulls[:, k].tolist())]
    return columns


def render_records(table: Table, idx: np.ndarray, names: tuple[str, ...]) -> list[dict]:
    b = Batch(table, idx)
    if b.n == 0:
        return []
    columns = property_columns(table, b, names)
    props = [dict(zip(names, row)) for row in zip(*columns)] if names else [{} for _ in range(b.n)]
    if table.overlay:
        for k, i in enumerate(idx.tolist()):
            o = table.overlay.get(i)
            if o:
                props[k].update({name: v for name, v in o.items() if name in props[k]})
    created = b.memo("created_iso", lambda: iso_ms(b.created))
    modified = b.memo("modified_iso", lambda: iso_ms(b.modified))
    archived = table.archived[idx].tolist()
    out = [{"id": i, "properties": p, "createdAt": c, "updatedAt": m, "archived": a}
           for i, p, c, m, a in zip(b.id_strings(), props, created, modified, archived)]  # type: ignore[call-overload]
    if True in archived:
        gone = np.flatnonzero(table.archived[idx])
        for k, stamp in zip(gone.tolist(), iso_ms(table.archived_at[idx[gone]])):
            out[k]["archivedAt"] = stamp
    return out
