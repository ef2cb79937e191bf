"""The MarketSharp emulator's state and ground truth (HTTP-free)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..kit.emulator import Emulator
from ..kit.faults import FaultVocabulary
from ..kit.generate.tables import Table
from ..kit.generate.timefmt import require_ms
from . import render
from .config import MarketSharpConfig
from .data import MarketSharpData, SetTable

ROUTE = "feed"


class MarketSharpEmulator(Emulator[MarketSharpConfig, MarketSharpData]):
    config_class = MarketSharpConfig
    # 400/404 are what MarketSharp answers intermittently besides 503 (the legacy client retried all three).
    faults_vocabulary = FaultVocabulary(routes=frozenset({ROUTE}), statuses=frozenset({400, 404, 500, 502, 503, 504}),
                                        short_page_routes=frozenset({ROUTE}))

    def make_data(self, cfg: MarketSharpConfig) -> MarketSharpData:
        return MarketSharpData(cfg)

    def render_truth(self, table: Table, idx: np.ndarray) -> list[dict[str, Any]]:
        assert isinstance(table, SetTable)
        return render.truth(self.data, table, idx, float(self.config.invalid_char_rate))

    def truth(self, object_type: str, modified_from: str | None = None, modified_to: str | None = None,
              archived: str = "false") -> dict[str, Any]:
        """Ids (as the API shows them) of records modified in [from, to) (UTC); archived = deleted."""
        with self.lock:
            table = self.data.set_table(object_type)
            lo = require_ms(modified_from, "modified_from") if modified_from else None
            hi = require_ms(modified_to, "modified_to") if modified_to else None
            ids = [table.texts[i] for i in table.window(lo, hi, str(archived).lower()).tolist()]
            return {"ids": ids, "count": len(ids)}
