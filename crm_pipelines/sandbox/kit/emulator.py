"""State every emulator keeps, and the operations of the control API (also called in-process by tests).

An emulator subclasses `Emulator`, sets `config_class` and `faults_vocabulary`, and builds its `Dataset`
in `make_data`; the kit supplies reset, faults, mutations, ground truth and stats. Free of HTTP.
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar, Generic, TypeVar

import numpy as np

from . import mutations
from .config import EmulatorConfig
from .faults import FaultRule, FaultSet, FaultVocabulary, parse_rules
from .generate.tables import Dataset, Table
from .generate.timefmt import require_ms
from .stats import Stats

C = TypeVar("C", bound=EmulatorConfig)
D = TypeVar("D", bound=Dataset)


class Emulator(Generic[C, D]):
    """Thread-safe: the server's event loop and a test thread may both touch it."""

    config_class: ClassVar[type[EmulatorConfig]]
    faults_vocabulary: ClassVar[FaultVocabulary]
    config: C
    data: D

    def __init__(self, config: C | None = None) -> None:
        self.base_config: C = config or self.config_class()  # type: ignore[assignment]
        self.lock = threading.RLock()
        self.reset()

    # -- hooks for subclasses --------------------------------------------------------------
    def make_data(self, cfg: C) -> D:
        raise NotImplementedError

    def on_reset(self, cfg: C) -> None:
        """Rebuild per-run state other than data, faults, mutations and stats (rate limiters, caches)."""

    def render_truth(self, table: Table, idx: np.ndarray) -> list[dict[str, Any]]:
        """Records at `idx` as the API returns them, with every field."""
        raise NotImplementedError

    def request_key(self, route: str, raw_type: str | None) -> str | None:
        """The table an API request addresses (what fault rules and mutations match), or None."""
        if raw_type is None:
            return None
        try:
            return self.data.table_key(raw_type)
        except ValueError:
            return None

    # -- lifecycle -------------------------------------------------------------------------
    def reset(self, overrides: dict[str, Any] | None = None, **fields: Any) -> C:
        """Regenerate data from the *base* config plus overrides (so one test's settings never leak into the
        next); clears faults, pending mutations, rate-limit state and stats."""
        cfg = self.config_class.from_dict({**(overrides or {}), **fields}, base=self.base_config)
        data = self.make_data(cfg)  # type: ignore[arg-type]
        with self.lock:
            self.config = cfg  # type: ignore[assignment]
            self.data = data
            self.faults = FaultSet(self.faults_vocabulary)
            self.pending = mutations.PendingMutations()
            self.stats_ = Stats()
            self._mutation_seq = 0
            self.on_reset(cfg)  # type: ignore[arg-type]
        return cfg  # type: ignore[return-value]

    def admit(self, route: str, raw_type: str | None) -> tuple[C, str | None, FaultRule | None]:
        """Start handling an API request: apply mutations now due, pick the fault (if any) that fires."""
        with self.lock:
            key = self.request_key(route, raw_type)
            self.pending.on_request(route, key, self.data)
            return self.config, key, self.faults.pick(route, key)

    def record(self, entry: dict[str, Any]) -> None:
        with self.lock:
            self.stats_.record(entry)

    # -- faults ----------------------------------------------------------------------------
    def set_faults(self, rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
        with self.lock:
            parsed = parse_rules(rules, self.config.seed, self.data.table_key, self.faults_vocabulary)
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
            m = mutations.parse({**(spec or {}), **fields}, self.data, self._mutation_seq,
                                self.faults_vocabulary.rule_routes)
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
        """Ids modified in [from, to), in id order."""
        with self.lock:
            table = self.data.table(object_type)
            lo = require_ms(modified_from, "modified_from") if modified_from else None
            hi = require_ms(modified_to, "modified_to") if modified_to else None
            ids = table.ids[table.window(lo, hi, str(archived).lower())].astype(str).tolist()
            return {"ids": ids, "count": len(ids)}

    def truth_record(self, object_type: str, object_id: str | int) -> dict[str, Any] | None:
        """The record as the API would return it, with every field (archived ones too)."""
        with self.lock:
            table = self.data.table(object_type)
            found = table.indices_of([object_id])[0]
            if found is None:
                return None
            return self.render_truth(table, np.array([found], dtype=np.int64))[0]

    # -- stats -----------------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        with self.lock:
            return self.stats_.snapshot()

    def reset_stats(self) -> None:
        with self.lock:
            self.stats_ = Stats()
