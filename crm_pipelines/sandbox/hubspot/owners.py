"""Owners (`GET /crm/v3/owners`, API_SHAPES §1.11): stored like any table, rendered in their own shape."""

from __future__ import annotations

import numpy as np

from ..kit.generate import pools
from ..kit.generate.batch import Batch
from ..kit.generate.hashing import below, unit
from ..kit.generate.pooled import persons
from ..kit.generate.timefmt import iso_ms
from .tables import Table

_TEAM_IDS = [str(101 + i) for i in range(len(pools.OWNER_TEAMS))]


def render_owners(table: Table, idx: np.ndarray) -> list[dict]:
    b = Batch(table, idx)
    first_pool, last_pool, _ = persons(0.0)
    firsts, lasts = first_pool[b.person()].tolist(), last_pool[b.person()].tolist()
    h = b.h("owner", stable=True)
    user_ids = (1_000_000 + below(h, 3, 90_000_000)).tolist()
    queue = (unit(h, 31) < 0.05).tolist()
    team = below(h, 41, len(pools.OWNER_TEAMS) + 1).tolist()
    created = iso_ms(b.created)
    modified = iso_ms(b.modified)
    archived = table.archived[idx].tolist()
    out = []
    for k, (oid, first, last) in enumerate(zip(b.ids.astype(str).tolist(), firsts, lasts)):
        fl, ll = first.lower(), last.lower().replace("'", "")
        is_queue = queue[k]
        rec = {
            "id": oid,
            "email": f"{fl}.{ll}@sandbox-homes.example" if not is_queue else f"queue{oid[-3:]}@sandbox-homes.example",
            "firstName": first if not is_queue else "",
            "lastName": last if not is_queue else "",
            "userId": user_ids[k],
            "userIdIncludingInactive": user_ids[k],
            "type": "QUEUE" if is_queue else "PERSON",
            "archived": archived[k],
            "createdAt": created[k],
            "updatedAt": modified[k],
            "teams": [] if team[k] == len(pools.OWNER_TEAMS) else
                     [{"id": _TEAM_IDS[team[k]], "name": pools.OWNER_TEAMS[team[k]], "primary": True}],
        }
        if archived[k]:
            # Deactivated users keep their email but lose the active user id.
            rec["userId"] = None
        out.append(rec)
    return out
