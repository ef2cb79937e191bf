"""Per-object-type storage: numpy columns for what changes, hashed generation for everything else."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np

from .config import HubSpotConfig
from .hashing import salt
from .render import render_records
from .schema import ObjectSpec
from .timefmt import require_ms
from .values import Batch, column, hash_names

YEAR_MS = 365 * 86_400_000


@dataclass
class TableContext:
    """Cross-table references the generators need (owner ids, divisions) plus mess rates."""

    bad_email_rate: float = 0.0
    bad_phone_rate: float = 0.0
    owner_ids: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))
    division_ids: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))
    division_names: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))


def make_ids(n: int, rng: np.random.Generator) -> np.ndarray:
    """Strictly increasing ids with gaps whose length grows from 5 to 12 digits across the range.

    Mixed lengths matter: a client that compares ids as strings ("719869649082" < "7199") breaks here.
    """
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    frac = np.arange(n, dtype=np.float64) / max(n - 1, 1)
    geometric = np.floor(10.0 ** (4.0 + 7.9 * frac)).astype(np.int64) - 10_000
    return 10_000 + geometric + np.cumsum(rng.integers(1, 8, n, dtype=np.int64))


class Table:
    def __init__(self, key: str, spec: ObjectSpec | None, cfg: HubSpotConfig, ctx: TableContext) -> None:
        self.key = key
        self.spec = spec
        self.ctx = ctx
        self.salt = salt(f"{cfg.seed}:{key}")
        self.hash_cols = hash_names(spec.props if spec else [])
        self.hash_salts = np.array([salt(name) for name in self.hash_cols], dtype=np.uint64)
        n = int(cfg.counts.get(key, 0))
        rng = np.random.default_rng([cfg.seed, zlib.crc32(key.encode())])
        start = require_ms(cfg.modified_start, "modified_start")
        end = require_ms(cfg.modified_end, "modified_end")
        if end <= start:
            raise ValueError("modified_end must be after modified_start")
        self.ids = make_ids(n, rng)
        self.modified = start + (rng.random(n) * (end - start)).astype(np.int64)
        # Creation follows id order (ids are allocated over time), from three years before the window.
        first = start - 3 * YEAR_MS
        linear = first + (np.arange(n, dtype=np.float64) / max(n, 1) * (end - first)).astype(np.int64)
        created = linear - rng.integers(0, 86_400_000, n, dtype=np.int64)
        slack = rng.integers(0, 6 * 3_600_000, n, dtype=np.int64)
        self.created = np.minimum(created, self.modified - slack)
        burst = min(int(cfg.same_timestamp_burst), n)
        if burst > 0:
            # A bulk import: many records share one exact lastmodified value.
            chosen = rng.choice(n, burst, replace=False)
            stamp = start + (end - start) // 2 + 417
            self.modified[chosen] = stamp
            self.created[chosen] = np.minimum(self.created[chosen], stamp)
        self.archived = rng.random(n) < float(cfg.archived_rate)
        self.archived_at = self.modified.copy()
        self.version = np.zeros(n, dtype=np.int32)
        # Values written through the control API ("set" mutations) win over generated ones.
        self.overlay: dict[int, dict[str, str | None]] = {}
        self.plans: dict[tuple[str, ...], object] = {}  # render plans per property list (render.py)

    @property
    def n(self) -> int:
        return len(self.ids)

    def index_of(self, object_id: int) -> int | None:
        pos = int(np.searchsorted(self.ids, object_id))
        if pos < self.n and int(self.ids[pos]) == object_id:
            return pos
        return None

    def indices_of(self, raw_ids: list) -> list[int | None]:
        out: list[int | None] = []
        for raw in raw_ids:
            text = str(raw).strip()
            out.append(self.index_of(int(text)) if text.isdigit() and len(text) < 19 else None)
        return out

    def scan(self, start: int, limit: int, archived: bool) -> tuple[np.ndarray, bool]:
        """Up to `limit` indices from position `start` whose archived flag equals `archived`, and whether more exist."""
        found: list[np.ndarray] = []
        count, pos, window = 0, start, max(2 * limit, 256)
        while pos < self.n and count <= limit:
            chunk = self.archived[pos:pos + window]
            hits = np.flatnonzero(chunk if archived else ~chunk) + pos
            found.append(hits)
            count += len(hits)
            pos += window
            window *= 4
        allhits = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
        return allhits[:limit], len(allhits) > limit

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

    def window(self, modified_from: int | None, modified_to: int | None, archived: str) -> np.ndarray:
        """Indices whose modified time is in [from, to), filtered by archived = "false"|"true"|"any"."""
        mask = np.ones(self.n, dtype=bool)
        if modified_from is not None:
            mask &= self.modified >= modified_from
        if modified_to is not None:
            mask &= self.modified < modified_to
        if archived == "false":
            mask &= ~self.archived
        elif archived == "true":
            mask &= self.archived
        elif archived != "any":
            raise ValueError("archived must be false, true or any")
        return np.flatnonzero(mask)
