"""LeadConduit events as numpy columns: creation time (ms), ObjectId parts, visibility. HTTP-free.

Ids are BSON ObjectIds: 4 bytes of creation seconds, 5 bytes of process id, 3 bytes of counter, so their
hex text sorts in creation order. `Table.ids` holds `seconds << 24 | counter` (the same order) and
`Table.created` the creation time in ms; `archived` means "not visible yet": an event whose step is still
in flight has its id (and start_timestamp) already, and becomes visible later with an id older than
events already listed (the "late event").
"""

from __future__ import annotations

import numpy as np

from ..kit.generate.tables import Dataset, Table
from ..kit.generate.timefmt import require_ms
from ..kit.generate.hashing import salt
from .config import LeadConduitConfig

STEP_TYPES = ("filter", "recipient", "source")  # per lead, in this order: the source event comes last
COUNTER_BITS = 24


class EventTable(Table):
    """Found by ObjectId (24 hex digits), so mutations and truth take the ids the API shows."""

    def __init__(self, *args, hex_id, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.hex_id = hex_id

    def indices_of(self, raw_ids: list) -> list[int | None]:
        out: list[int | None] = []
        for raw in raw_ids:
            text = str(raw).strip().lower()
            if len(text) != 24 or any(ch not in "0123456789abcdef" for ch in text):
                out.append(None)
                continue
            pos = int(np.searchsorted(self.ids, int(text[:8], 16) << COUNTER_BITS | int(text[18:], 16)))
            out.append(pos if pos < self.n and self.hex_id(int(self.ids[pos])) == text else None)
        return out


class LeadConduitData(Dataset):
    def __init__(self, cfg: LeadConduitConfig) -> None:
        super().__init__(cfg.seed)
        start, end = require_ms(cfg.events_start, "events_start"), require_ms(cfg.events_end, "events_end")
        n = int(cfg.counts["events"])
        self.process = int(salt(f"{cfg.seed}:process")) & 0xFFFFFFFFFF  # 5 bytes
        table = EventTable("events", n, cfg.seed, start, end, hex_id=self.hex_id)
        rng = np.random.default_rng([cfg.seed, 11])
        created = np.sort(start + (rng.random(n) * (end - start)).astype(np.int64))
        # The counter runs on across the table (mod 2**24), so ids are strictly increasing.
        counter = (int(rng.integers(0, 1 << 20)) + np.arange(n, dtype=np.int64)) % (1 << COUNTER_BITS)
        table.ids = ((created // 1000) << COUNTER_BITS) | counter
        order = np.argsort(table.ids, kind="stable")  # a counter wrap inside one second reorders
        table.ids, table.created = table.ids[order], created[order]
        table.modified = table.created.copy()
        table.archived = np.zeros(n, dtype=bool)
        table.archived_at = table.modified.copy()
        self.tables["events"] = table

    def hex_id(self, ordinal: int) -> str:
        seconds, counter = ordinal >> COUNTER_BITS, ordinal & ((1 << COUNTER_BITS) - 1)
        return f"{seconds:08x}{self.process:010x}{counter:06x}"

    def position_after(self, object_id: str) -> int:
        """The first position whose id sorts after `object_id` (any valid ObjectId, ours or not)."""
        seconds, process, counter = int(object_id[:8], 16), int(object_id[8:18], 16), int(object_id[18:], 16)
        ordinal = seconds << COUNTER_BITS | counter
        ids = self.tables["events"].ids
        if process != self.process:  # another process's id: compare on seconds, then process
            before = process > self.process
            edge = (seconds + (1 if before else 0)) << COUNTER_BITS
            return int(np.searchsorted(ids, edge, side="left"))
        return int(np.searchsorted(ids, ordinal, side="right"))

    def position_of(self, object_id: str) -> int:
        """The first position whose id sorts at or after `object_id`."""
        pos = self.position_after(object_id)
        table = self.tables["events"]
        if pos > 0 and self.hex_id(int(table.ids[pos - 1])) == object_id:
            return pos - 1
        return pos

    def lead_of(self, pos: np.ndarray) -> np.ndarray:
        return pos // len(STEP_TYPES)

    def apply(self, key: str, action: str, idx: np.ndarray, properties: dict[str, str | None] | None,
              modified_ms: int) -> None:
        """Events are immutable: `archive` hides an event (still in flight), `unarchive` shows it (it
        arrives, late); creation time and id never change."""
        if action not in ("archive", "unarchive"):
            raise ValueError("events are immutable: only archive (hide) and unarchive (arrive late) apply")
        table = self.tables[key]
        table.archived[idx] = action == "archive"
        self.generation += 1

    def check_properties(self, key: str, props: object) -> dict[str, str | None]:
        raise ValueError("events are immutable: only archive (hide) and unarchive (arrive late) apply")
