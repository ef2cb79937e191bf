"""MarketSharp entity sets as kit tables (modified time, archived = deleted, version), with GUID ids for
most sets and the company-local wall-clock view of every time. HTTP-free."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from ..kit.generate.tables import Dataset, Table
from ..kit.generate.timefmt import require_ms
from .config import MarketSharpConfig
from .sets import BY_ENTITY_SET, SETS, EmuSet

_NAMESPACE = uuid.UUID("6f1c7a52-0b7e-4d0e-9a57-5b1f6d0c3e21")


class SetTable(Table):
    """A kit table whose records are found by the id the API shows (GUID text or integer)."""

    def __init__(self, emu_set: EmuSet, n: int, seed: int, start: int, end: int, burst: int) -> None:
        super().__init__(emu_set.table, n, seed, start, end, same_timestamp_burst=burst if emu_set.has_last_update else 0)
        self.emu_set = emu_set
        if emu_set.guid_ids:
            self.texts = [str(uuid.uuid5(_NAMESPACE, f"{seed}:{emu_set.table}:{i}")) for i in self.ids.tolist()]
        else:
            self.texts = [str(i) for i in self.ids.tolist()]
        self.position = {text: pos for pos, text in enumerate(self.texts)}
        # The server orders by id: GUIDs as text, integers as numbers (already in position order).
        self.id_rank = np.empty(n, dtype=np.int64)
        order = np.argsort(np.array(self.texts, dtype=object), kind="stable") if emu_set.guid_ids else np.arange(n)
        self.id_rank[order] = np.arange(n)

    def indices_of(self, raw_ids: list) -> list[int | None]:
        return [self.position.get(str(raw).strip().lower() if self.emu_set.guid_ids else str(raw).strip())
                for raw in raw_ids]


class MarketSharpData(Dataset):
    def __init__(self, cfg: MarketSharpConfig) -> None:
        super().__init__(cfg.seed)
        self.zone = ZoneInfo(cfg.timezone)
        start, end = require_ms(cfg.modified_start, "modified_start"), require_ms(cfg.modified_end, "modified_end")
        for emu_set in SETS:
            n = int(cfg.counts.get(emu_set.table, emu_set.default_count))
            self.tables[emu_set.table] = SetTable(emu_set, n, cfg.seed, start, end, int(cfg.same_timestamp_burst))

    def table_key(self, name: str) -> str:
        if name in BY_ENTITY_SET:
            return BY_ENTITY_SET[name].table
        return super().table_key(name)

    def set_table(self, name: str) -> SetTable:
        table = self.tables[self.table_key(name)]
        assert isinstance(table, SetTable)
        return table

    def wall_ms(self, utc_ms: np.ndarray) -> np.ndarray:
        """UTC epoch ms -> the company's wall-clock time, as epoch ms of that naive time."""
        moments = pd.to_datetime(np.asarray(utc_ms, dtype=np.int64), unit="ms", utc=True)
        return moments.tz_convert(self.zone).tz_localize(None).as_unit("ms").asi8.astype(np.int64)
