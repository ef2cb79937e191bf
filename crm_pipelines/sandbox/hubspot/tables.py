"""HubSpot's tables: the kit's generated columns plus the object type's properties, rendered on demand."""

from __future__ import annotations

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
