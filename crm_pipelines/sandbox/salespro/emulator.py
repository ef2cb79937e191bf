"""The SalesPro emulator's state and ground truth (HTTP-free): the generated data, the Athena query engine
over it, and the CSV exports written on every reset and every write to offices or users."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..kit.emulator import Emulator
from ..kit.faults import FaultVocabulary
from ..kit.generate.tables import Table
from ..kit.generate.timefmt import require_ms
from .athena import QueryEngine
from .config import SalesProConfig
from .data import SalesProData

ROUTES = ("StartQueryExecution", "GetQueryExecution", "GetQueryResults", "StopQueryExecution")
# 429 = throttled (Athena answers HTTP 400 with ThrottlingException, or TooManyRequestsException when the
# policy says so); 500 = InternalServerException; 503 = ServiceUnavailable.
THROTTLES = ("ThrottlingException", "TooManyRequestsException")


class SalesProEmulator(Emulator[SalesProConfig, SalesProData]):
    config_class = SalesProConfig
    faults_vocabulary = FaultVocabulary(routes=frozenset(ROUTES), statuses=frozenset({429, 500, 503}),
                                        policies=frozenset(THROTTLES))

    def make_data(self, cfg: SalesProConfig) -> SalesProData:
        return SalesProData(cfg)

    def on_reset(self, cfg: SalesProConfig) -> None:
        old = getattr(self, "engine", None)
        if old is not None:
            old.close()
        self.engine = QueryEngine(self.data, cfg)
        self.data.write_exports()

    def request_key(self, route: str, raw_type: str | None) -> str | None:
        return None  # one endpoint for every operation: rules match on the operation (route)

    def render_truth(self, table: Table, idx: np.ndarray) -> list[dict[str, Any]]:
        return self.data.records(table.key, idx)

    def query_fault_status(self) -> list[dict[str, Any]]:
        with self.lock:
            return [{**rule, **counts} for rule, counts in zip(self.config.query_faults, self.engine.fault_counts)]

    def truth(self, object_type: str, modified_from: str | None = None, modified_to: str | None = None,
              archived: str = "false") -> dict[str, Any]:
        """Keys of the records updated in [from, to) (UTC), deleted ones by `archived`; `keyless` counts the
        records in that range that reach Athena without a key (customers)."""
        with self.lock:
            key = self.data.table_key(object_type)
            table = self.data.tables[key]
            lo = require_ms(modified_from, "modified_from") if modified_from else None
            hi = require_ms(modified_to, "modified_to") if modified_to else None
            positions = table.window(lo, hi, str(archived).lower()).tolist()
            ids = [self.data.texts[key][p] for p in positions if not self.data.keyless(key, p)]
            return {"ids": ids, "count": len(ids), "keyless": len(positions) - len(ids)}

    def truth_record(self, object_type: str, object_id: str | int) -> dict[str, Any] | None:
        with self.lock:
            key = self.data.table_key(object_type)
            pos = self.data.position[key].get(str(object_id))
            return None if pos is None else self.data.records(key, [pos])[0]
