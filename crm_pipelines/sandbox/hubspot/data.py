"""The generated HubSpot portal: all tables and their associations. Free of HTTP."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..kit.generate import pooled
from ..kit.generate.tables import Dataset
from .associations import Associations
from .config import HubSpotConfig
from .schema import OBJECT_KEYS, Registry
from .tables import Table, TableContext
from .values import division_fields


class HubSpotData(Dataset):
    tables: dict[str, Table]  # type: ignore[assignment]

    def __init__(self, cfg: HubSpotConfig) -> None:
        super().__init__(cfg.seed)
        self.cfg = cfg
        self.registry = Registry(cfg)
        pooled.warm(float(cfg.bad_email_rate), float(cfg.bad_phone_rate))
        self.ctx = TableContext(bad_email_rate=float(cfg.bad_email_rate), bad_phone_rate=float(cfg.bad_phone_rate))
        self.tables["owners"] = Table("owners", None, cfg, self.ctx)
        for key in OBJECT_KEYS:
            self.tables[key] = Table(key, self.registry.specs[key], cfg, self.ctx)
        # Records point at owners and divisions that really exist, so joins in the warehouse can be checked.
        self.ctx.owner_ids = self.tables["owners"].ids.astype(str).astype(object)
        divisions = self.tables["divisions"]
        self.ctx.division_ids = divisions.ids.astype(str).astype(object)
        self.ctx.division_names = np.array([division_fields(i)[0] for i in range(divisions.n)], dtype=object)
        self.associations = Associations(self.tables, cfg)

    def table_key(self, name: str) -> str:
        """Any object alias (`contacts`, `0-1`, `p_divisions`, `2-37778609`, ...), or "owners"."""
        return self.registry.table_key(name)

    def check_properties(self, key: str, props: Any) -> dict[str, str | None]:
        if key == "owners":
            raise ValueError("'set' is not supported for owners")
        if not isinstance(props, dict) or not props:
            raise ValueError("action 'set' needs a non-empty properties object")
        spec = self.registry.specs[key]
        out: dict[str, str | None] = {}
        for name, value in props.items():
            if name not in spec.by_name:
                raise ValueError(f"unknown {key} property {name!r}")
            if name in spec.always:
                raise ValueError(f"{name!r} is derived from the record; use modified_at / touch instead")
            if value is None or isinstance(value, str):
                out[name] = value
            elif isinstance(value, bool):
                out[name] = "true" if value else "false"
            elif isinstance(value, (int, float)):
                out[name] = str(value)
            else:
                raise ValueError(f"property {name!r}: values must be strings, numbers, booleans or null")
        return out
