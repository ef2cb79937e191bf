"""The LeadConduit emulator's state and ground truth (HTTP-free)."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from ..kit.emulator import Emulator
from ..kit.faults import FaultVocabulary
from ..kit.generate.tables import Table
from ..kit.generate.timefmt import require_ms
from . import render
from .config import LeadConduitConfig
from .data import STEP_TYPES, LeadConduitData

OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
SOURCE_STEP = STEP_TYPES.index("source")


class LeadConduitEmulator(Emulator[LeadConduitConfig, LeadConduitData]):
    config_class = LeadConduitConfig
    # Keyset paging: a short page's last id is a cursor that loses nothing for a client that pages on.
    faults_vocabulary = FaultVocabulary(routes=frozenset({"events"}), statuses=frozenset({429, 500, 502, 503, 504}),
                                        short_page_routes=frozenset({"events"}))

    def make_data(self, cfg: LeadConduitConfig) -> LeadConduitData:
        return LeadConduitData(cfg)

    def render_truth(self, table: Table, idx: np.ndarray) -> list[dict[str, Any]]:
        return render.events(self.data, idx)

    def request_key(self, route: str, raw_type: str | None) -> str | None:
        return "events"

    def truth(self, object_type: str, modified_from: str | None = None, modified_to: str | None = None,
              archived: str = "false") -> dict[str, Any]:
        """`events` (every step) or `leads` (the `source` events) created in [from, to); `archived=false`
        = visible now, `true` = still in flight (hidden), `any`. Ids are the events' ObjectIds."""
        if object_type not in ("events", "leads"):
            raise ValueError("truth types: events, leads")
        lo = require_ms(modified_from, "modified_from") if modified_from else None
        hi = require_ms(modified_to, "modified_to") if modified_to else None
        with self.lock:
            table = self.data.tables["events"]
            idx = table.window(lo, hi, str(archived).lower())
            if object_type == "leads":
                idx = idx[idx % len(STEP_TYPES) == SOURCE_STEP]
            ids = [self.data.hex_id(i) for i in table.ids[idx].tolist()]
            return {"ids": ids, "count": len(ids)}

    def truth_record(self, object_type: str, object_id: str | int) -> dict[str, Any] | None:
        text = str(object_id).lower()
        if not OBJECT_ID.match(text):
            return None
        with self.lock:
            table = self.data.tables["events"]
            pos = table.indices_of([text])[0]
            if pos is None:
                return None
            return render.events(self.data, np.array([pos], dtype=np.int64))[0]
