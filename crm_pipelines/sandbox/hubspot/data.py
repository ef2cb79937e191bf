"""The generated HubSpot portal: all tables, their associations, and the writes tests make to them."""

from __future__ import annotations

import numpy as np

from . import pooled
from .associations import Associations
from .config import HubSpotConfig
from .schema import OBJECT_KEYS, Registry
from .tables import Table, TableContext
from .values import division_fields


class HubSpotData:
    def __init__(self, cfg: HubSpotConfig) -> None:
        self.cfg = cfg
        self.registry = Registry(cfg)
        pooled.warm(float(cfg.bad_email_rate), float(cfg.bad_phone_rate))
        self.ctx = TableContext(bad_email_rate=float(cfg.bad_email_rate), bad_phone_rate=float(cfg.bad_phone_rate))
        self.tables: dict[str, Table] = {"owners": Table("owners", None, cfg, self.ctx)}
        for key in OBJECT_KEYS:
            self.tables[key] = Table(key, self.registry.specs[key], cfg, self.ctx)
        # Records point at owners and divisions that really exist, so joins in the warehouse can be checked.
        self.ctx.owner_ids = self.tables["owners"].ids.astype(str).astype(object)
        divisions = self.tables["divisions"]
        self.ctx.division_ids = divisions.ids.astype(str).astype(object)
        self.ctx.division_names = np.array([division_fields(i)[0] for i in range(divisions.n)], dtype=object)
        self.associations = Associations(self.tables, cfg)
        # Bumped on every write so cached search results are never served stale.
        self.generation = 0

    def table(self, name: str) -> Table:
        return self.tables[self.registry.table_key(name)]

    def apply(self, key: str, action: str, idx: np.ndarray, properties: dict[str, str | None] | None,
              modified_ms: int) -> None:
        t = self.tables[key]
        if len(idx) == 0:
            return
        t.modified[idx] = modified_ms
        t.created[idx] = np.minimum(t.created[idx], modified_ms)
        if action == "touch":
            t.version[idx] += 1  # regenerates the churning property values
        elif action == "set":
            for i in idx.tolist():
                t.overlay.setdefault(i, {}).update(properties or {})
        elif action == "archive":
            t.archived[idx] = True
            t.archived_at[idx] = modified_ms
        elif action == "unarchive":
            t.archived[idx] = False
        else:  # pragma: no cover - validated upstream
            raise ValueError(action)
        self.generation += 1
