"""The HubSpot emulator's state and the operations the control API (and in-process tests) use."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from . import mutations
from .config import HubSpotConfig
from .data import HubSpotData
from .faults import FaultSet, parse_rules
from .owners import render_owners
from .ratelimit import RateLimiter
from .search import SearchEngine
from .stats import Stats
from .timefmt import require_ms


class HubSpotEmulator:
    """Thread-safe: the server's event loop and a test thread may both touch it."""

    def __init__(self, config: HubSpotConfig | None = None) -> None:
        self.base_config = config or HubSpotConfig()
        self.lock = threading.RLock()
        self.reset()

    # -- lifecycle -------------------------------------------------------------------------
    def reset(self, overrides: dict[str, Any] | None = None, **fields: Any) -> HubSpotConfig:
        """Regenerate data from the *base* config plus overrides (so one test's settings never leak into the
        next); clears faults, pending mutations, rate-limit state and stats."""
        cfg = HubSpotConfig.from_dict({**(overrides or {}), **fields}, base=self.base_config)
        data = HubSpotData(cfg)
        with self.lock:
            self.config = cfg
            self.data = data
            self.faults = FaultSet()
            self.limiter = RateLimiter(cfg)
            self.search_engine = SearchEngine()
            self.pending = mutations.PendingMutations()
            self.stats_ = Stats()
            self._mutation_seq = 0
        return cfg

    # -- faults ----------------------------------------------------------------------------
    def set_faults(self, rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
        with self.lock:
            parsed = parse_rules(rules, self.config.seed, self.data.registry.table_key)
            self.faults.rules = parsed
            return [r.describe() for r in parsed]

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.rules = []

    def fault_status(self) -> list[dict[str, Any]]:
        with self.lock:
            return [r.describe() for r in self.faults.rules]

    # -- mutations -------------------------------------------------------------------------
    def mutate(self, spec: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
        with self.lock:
            self._mutation_seq += 1
            m = mutations.parse({**(spec or {}), **fields}, self.data, self._mutation_seq)
            if m.after_requests is None:
                mutations.apply(m, self.data)
                self.pending.done.append(m)
            else:
                self.pending.pending.append(m)
            return m.describe(self.data)

    def mutation_status(self) -> dict[str, Any]:
        with self.lock:
            return {"pending": [m.describe(self.data) for m in self.pending.pending],
                    "applied": [m.describe(self.data) for m in self.pending.done]}

    # -- ground truth ----------------------------------------------------------------------
    def truth(self, object_type: str, modified_from: str | None = None, modified_to: str | None = None,
              archived: str = "false") -> dict[str, Any]:
        with self.lock:
            table = self.data.table(object_type)
            lo = require_ms(modified_from, "modified_from") if modified_from else None
            hi = require_ms(modified_to, "modified_to") if modified_to else None
            ids = table.ids[table.window(lo, hi, str(archived).lower())].astype(str).tolist()
            return {"ids": ids, "count": len(ids)}

    def truth_record(self, object_type: str, object_id: str | int) -> dict[str, Any] | None:
        """The record as the API would return it, with every property (archived ones too)."""
        with self.lock:
            table = self.data.table(object_type)
            found = table.indices_of([object_id])[0]
            if found is None:
                return None
            idx = np.array([found], dtype=np.int64)
            if table.spec is None:
                return render_owners(table, idx)[0]
            return table.render(idx, tuple(p.name for p in table.spec.props))[0]

    # -- stats -----------------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        with self.lock:
            return self.stats_.snapshot()

    def reset_stats(self) -> None:
        with self.lock:
            self.stats_ = Stats()
