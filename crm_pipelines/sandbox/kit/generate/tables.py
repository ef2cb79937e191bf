"""Tables of generated records: numpy columns for what changes, everything else recomputed from hashes.

A `Table` holds ids, created/modified times, archived flags and a version per record; an emulator renders
its own record shapes from these (and from `hashing`/`pooled`). A `Dataset` is one emulator's set of tables
plus the writes the control API makes to them.
"""

from __future__ import annotations

import zlib

import numpy as np

from .hashing import salt

YEAR_MS = 365 * 86_400_000
ACTIONS = ("touch", "set", "archive", "unarchive")


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
    """`n` records of one type; creation follows id order, modification is spread over [start, end)."""

    def __init__(self, key: str, n: int, seed: int, modified_start_ms: int, modified_end_ms: int,
                 archived_rate: float = 0.0, same_timestamp_burst: int = 0) -> None:
        if modified_end_ms <= modified_start_ms:
            raise ValueError("modified_end must be after modified_start")
        self.key = key
        self.salt = salt(f"{seed}:{key}")
        rng = np.random.default_rng([seed, zlib.crc32(key.encode())])
        start, end = modified_start_ms, modified_end_ms
        self.ids = make_ids(n, rng)
        self.modified = start + (rng.random(n) * (end - start)).astype(np.int64)
        # Ids are allocated over time, so creation follows id order, from three years before the window.
        first = start - 3 * YEAR_MS
        linear = first + (np.arange(n, dtype=np.float64) / max(n, 1) * (end - first)).astype(np.int64)
        created = linear - rng.integers(0, 86_400_000, n, dtype=np.int64)
        slack = rng.integers(0, 6 * 3_600_000, n, dtype=np.int64)
        self.created = np.minimum(created, self.modified - slack)
        burst = min(int(same_timestamp_burst), n)
        if burst > 0:
            # A bulk import: many records share one exact modification time.
            chosen = rng.choice(n, burst, replace=False)
            stamp = start + (end - start) // 2 + 417
            self.modified[chosen] = stamp
            self.created[chosen] = np.minimum(self.created[chosen], stamp)
        self.archived = rng.random(n) < float(archived_rate)
        self.archived_at = self.modified.copy()
        self.version = np.zeros(n, dtype=np.int32)
        # Values written through the control API ("set" mutations) win over generated ones.
        self.overlay: dict[int, dict[str, str | None]] = {}
        self.hash_cols: dict[str, int] = {}
        self.hash_salts = np.zeros(0, dtype=np.uint64)

    def hash_columns(self, names: list[str]) -> None:
        """Names whose per-record hashes a `Batch` computes together, as one matrix."""
        self.hash_cols = {name: k for k, name in enumerate(dict.fromkeys(names))}
        self.hash_salts = np.array([salt(name) for name in self.hash_cols], dtype=np.uint64)

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

    def apply(self, action: str, idx: np.ndarray, properties: dict[str, str | None] | None,
              modified_ms: int) -> None:
        """A write: every action moves the modification time; `touch` also regenerates churning values."""
        if len(idx) == 0:
            return
        self.modified[idx] = modified_ms
        self.created[idx] = np.minimum(self.created[idx], modified_ms)
        if action == "touch":
            self.version[idx] += 1
        elif action == "set":
            for i in idx.tolist():
                self.overlay.setdefault(i, {}).update(properties or {})
        elif action == "archive":
            self.archived[idx] = True
            self.archived_at[idx] = modified_ms
        elif action == "unarchive":
            self.archived[idx] = False
        else:
            raise ValueError(f"action must be one of {list(ACTIONS)}")


class Dataset:
    """One emulator's tables. Subclasses name their tables and say which values a "set" may write."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.tables: dict[str, Table] = {}
        # Bumped on every write so caches (search results, ...) are never served stale.
        self.generation = 0

    def table_key(self, name: str) -> str:
        """The canonical key of a table from any name the control API accepts; ValueError if unknown."""
        if name in self.tables:
            return name
        raise ValueError(f"unknown object_type {name!r}; use one of {sorted(self.tables)}")

    def table(self, name: str) -> Table:
        return self.tables[self.table_key(name)]

    def check_properties(self, key: str, props: object) -> dict[str, str | None]:
        """Validated values for a "set" mutation of table `key`."""
        raise ValueError(f"'set' is not supported for {key}")

    def apply(self, key: str, action: str, idx: np.ndarray, properties: dict[str, str | None] | None,
              modified_ms: int) -> None:
        if len(idx) == 0:
            return
        self.tables[key].apply(action, idx, properties, modified_ms)
        self.generation += 1
