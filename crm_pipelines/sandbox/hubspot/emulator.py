"""The HubSpot emulator's state: the kit's (faults, mutations, truth, stats) plus rate limits and search."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..kit.emulator import Emulator
from ..kit.faults import FaultVocabulary
from ..kit.generate.tables import Table
from .config import HubSpotConfig
from .data import HubSpotData
from .owners import render_owners
from .ratelimit import RateLimiter
from .search import SearchEngine
from .tables import Table as HubSpotTable

FAULTS = FaultVocabulary(
    routes=frozenset({"list", "get", "search", "batch_read", "owners", "assoc_batch_read", "assoc_get"}),
    statuses=frozenset({429, 500, 502, 503, 504, 520, 524, 401, 403, 400}),
    policies=frozenset({"TEN_SECONDLY_ROLLING", "SECONDLY", "DAILY"}),
    short_page_routes=frozenset({"list", "search", "owners", "assoc_batch_read", "assoc_get"}),
    reverse_page_routes=frozenset({"search"}),
)


class HubSpotEmulator(Emulator[HubSpotConfig, HubSpotData]):
    config_class = HubSpotConfig
    faults_vocabulary = FAULTS

    def make_data(self, cfg: HubSpotConfig) -> HubSpotData:
        return HubSpotData(cfg)

    def on_reset(self, cfg: HubSpotConfig) -> None:
        self.limiter = RateLimiter(cfg)
        self.search_engine = SearchEngine()

    def request_key(self, route: str, raw_type: str | None) -> str | None:
        if route == "owners":
            return "owners"
        spec = self.data.registry.try_resolve(raw_type)
        return spec.key if spec else None

    def render_truth(self, table: Table, idx: np.ndarray) -> list[dict[str, Any]]:
        assert isinstance(table, HubSpotTable)
        if table.spec is None:
            return render_owners(table, idx)
        return table.render(idx, tuple(p.name for p in table.spec.props))
