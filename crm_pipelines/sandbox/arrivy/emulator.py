"""The Arrivy emulator's state and ground truth (HTTP-free)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..kit.emulator import Emulator
from ..kit.faults import FaultVocabulary
from ..kit.generate.tables import Table
from ..kit.generate.timefmt import require_ms
from . import render
from .config import ArrivyConfig
from .data import ArrivyData

# API route -> the table it reads (what fault rules' object_type and mutations' request_object_type match).
ROUTE_TABLES = {"tasks": "tasks", "task": "tasks", "task_status": "tasks", "entities": "entities",
                "readings": "entities", "groups": "groups", "crews": "crews", "statuses": "statuses",
                "bookings": "bookings"}
# Not tables, but kinds the truth endpoint answers: derived from the tasks and entities.
DERIVED_TRUTH = ("task_statuses", "location_reports")


class ArrivyEmulator(Emulator[ArrivyConfig, ArrivyData]):
    config_class = ArrivyConfig
    # No short pages: page-number paging over bare arrays has no end signal but a short page, so a
    # truncated page would be indistinguishable from the last one for any client.
    faults_vocabulary = FaultVocabulary(routes=frozenset(ROUTE_TABLES), statuses=frozenset({429, 500, 502, 503, 504}))

    def make_data(self, cfg: ArrivyConfig) -> ArrivyData:
        return ArrivyData(cfg)

    def render_truth(self, table: Table, idx: np.ndarray) -> list[dict[str, Any]]:
        return render.RENDERERS[table.key](self.data, idx)

    def request_key(self, route: str, raw_type: str | None) -> str | None:
        return ROUTE_TABLES.get(route)

    def truth(self, object_type: str, modified_from: str | None = None, modified_to: str | None = None,
              archived: str = "false") -> dict[str, Any]:
        """Besides the tables: `task_statuses` = the status ids of the live tasks modified in [from, to);
        `location_reports` = `entity_id|time` of the readings taken in [from, to)."""
        if object_type not in DERIVED_TRUTH:
            return super().truth(object_type, modified_from, modified_to, archived)
        lo = require_ms(modified_from, "modified_from") if modified_from else None
        hi = require_ms(modified_to, "modified_to") if modified_to else None
        with self.lock:
            ids: list[str] = []
            if object_type == "task_statuses":
                for i in self.data.tables["tasks"].window(lo, hi, "false").tolist():
                    ids += self.data.history(i)[0].astype(str).tolist()
            else:
                entities = self.data.tables["entities"]
                for pos in range(entities.n):
                    times = self.data.readings_of(pos, None)
                    mask = np.ones(len(times), dtype=bool)
                    if lo is not None:
                        mask &= times >= lo * 1000
                    if hi is not None:
                        mask &= times < hi * 1000
                    keep = times[mask]
                    ids += [f"{entities.ids[pos]}|{t}" for t in render.naive_us_from_us(keep)]
            return {"ids": ids, "count": len(ids)}
