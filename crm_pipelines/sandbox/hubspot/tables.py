"""HubSpot's tables: the kit's generated columns plus the object type's properties, rendered on demand."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ..kit.generate.batch import Batch
from ..kit.generate.tables import Table as BaseTable
from ..kit.generate.timefmt import require_ms
from .config import HubSpotConfig
from .render import render_records
from .schema import ObjectSpec
from .values import column, hash_names


@dataclass
class TableContext:
    """Cross-table references the generators need (owner ids, divisions) plus mess rates."""

    bad_email_rate: float = 0.0
    bad_phone_rate: float = 0.0
    owner_ids: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))
    division_ids: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))
    division_names: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))


class Table(BaseTable):
    def __init__(self, key: str, spec: ObjectSpec | None, cfg: HubSpotConfig, ctx: TableContext) -> None:
        super().__init__(key, int(cfg.counts.get(key, 0)), cfg.seed,
                         require_ms(cfg.modified_start, "modified_start"), require_ms(cfg.modified_end, "modified_end"),
                         float(cfg.archived_rate), int(cfg.same_timestamp_burst))
        self.spec = spec
        self.ctx = ctx
        self.hash_columns(hash_names(spec.props if spec else []))
        self.plans: dict[tuple[str, ...], object] = {}  # render plans per property list (render.py)
        self.ids_as_text = bool(cfg.search_compares_ids_as_text)
        self._id_text: np.ndarray | None = None
        # The search index sees each write `index_lag_ms` after it: until then it holds the record's
        # modification time and archived flag from before its unseen writes.
        self.index_lag_ms = int(cfg.search_index_lag_ms)
        self.written_ms = np.zeros(self.n, dtype=np.int64)  # wall clock of each record's last write
        self.indexed_modified = self.modified.copy()
        self.indexed_archived = self.archived.copy()

    def apply(self, action: str, idx: np.ndarray, properties: dict[str, str | None] | None,
              modified_ms: int) -> None:
        if len(idx):
            now = int(time.time() * 1000)
            settled = idx[self.written_ms[idx] <= now - self.index_lag_ms]
            self.indexed_modified[settled] = self.modified[settled]
            self.indexed_archived[settled] = self.archived[settled]
            self.written_ms[idx] = now
        super().apply(action, idx, properties, modified_ms)

    @property
    def id_text(self) -> np.ndarray:
        """The ids as strings, for a search that compares them as text."""
        if self._id_text is None:
            self._id_text = self.ids.astype(str)
        return self._id_text

    def search_view(self) -> tuple[np.ndarray, np.ndarray, bool]:
        """(modified times, archived flags) as the search index holds them now, and whether that view
        differs from the records (a write of the last `index_lag_ms` not seen yet)."""
        if not self.index_lag_ms:
            return self.modified, self.archived, False
        unseen = self.written_ms > int(time.time() * 1000) - self.index_lag_ms
        if not unseen.any():
            return self.modified, self.archived, False
        return (np.where(unseen, self.indexed_modified, self.modified),
                np.where(unseen, self.indexed_archived, self.archived), True)

    def column(self, idx: np.ndarray, name: str) -> list:
        """Values of one property for many records (overlay applied), chunked to bound memory."""
        assert self.spec is not None
        prop = self.spec.by_name[name]
        out: list = []
        for lo in range(0, len(idx), 65536):
            part = idx[lo:lo + 65536]
            values = column(Batch(self, part), prop)
            if self.overlay:
                for k, i in enumerate(part.tolist()):
                    o = self.overlay.get(i)
                    if o and name in o:
                        values[k] = o[name]
            out.extend(values)
        return out

    def render(self, idx: np.ndarray, names: tuple[str, ...]) -> list[dict]:
        """Records exactly as §1.4: id, properties, createdAt, updatedAt, archived (+archivedAt)."""
        return render_records(self, idx, names)
