"""A slice of one table with its hashes computed once: what value generators draw from.

`Batch.h(name)` is a per-record hash for one value (a property, "person", "city", ...): registered names
(`Table.hash_columns`) come from one broadcast matrix, others one at a time; both give identical values.
Generators return lists, object arrays, or `Picked` positions in a long-lived pool (cheap to gather).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import numpy as np

from . import pooled
from .hashing import below, derive, record_hash, salt

if TYPE_CHECKING:
    from .tables import Table

# Above this many records, hashing one name at a time is cheaper in memory than the full matrix.
MATRIX_MAX_ROWS = 4096


class Batch:
    """A slice of one table, with per-property hashes computed once (as one matrix) and shared."""

    def __init__(self, table: Table, idx: np.ndarray) -> None:
        self.table = table
        self.idx = idx
        self.n = len(idx)
        self.ids = table.ids[idx]
        self.created = table.created[idx]
        self.modified = table.modified[idx]
        self._versions = table.version[idx]
        self._base: dict[bool, np.ndarray] = {}
        self._matrix: dict[bool, np.ndarray] = {}
        self._memo: dict[str, object] = {}

    def base(self, stable: bool) -> np.ndarray:
        got = self._base.get(stable)
        if got is None:
            got = self._base[stable] = record_hash(self.ids, None if stable else self._versions, self.table.salt)
        return got

    def matrix(self, stable: bool) -> np.ndarray:
        """Hashes of every registered name for every record, (n, len(table.hash_cols))."""
        m = self._matrix.get(stable)
        if m is None:
            m = self._matrix[stable] = derive(self.base(stable)[:, None], self.table.hash_salts[None, :])
        return m

    def h(self, name: str, stable: bool = False) -> np.ndarray:
        col = self.table.hash_cols.get(name)
        if col is None or self.n > MATRIX_MAX_ROWS:
            return derive(self.base(stable), salt(name))
        return self.matrix(stable)[:, col]

    def hs(self, names: list[str], stable: bool = False) -> np.ndarray:
        """(n, len(names)) hashes in one go."""
        cols = [self.table.hash_cols.get(name) for name in names]
        if self.n <= MATRIX_MAX_ROWS and None not in cols:
            return self.matrix(stable)[:, cols]
        return np.stack([self.h(name, stable) for name in names], axis=1)

    def memo(self, key: str, fn: Callable[[], object]) -> object:
        if key not in self._memo:
            self._memo[key] = fn()
        return self._memo[key]

    def id_strings(self) -> list[str]:
        return self.memo("ids", lambda: [str(x) for x in self.ids.tolist()])  # type: ignore[return-value]

    def person(self) -> np.ndarray:
        return self.memo("person", lambda: below(self.h("person", stable=True), 3, pooled.PERSON_POOL))  # type: ignore


class Picked:
    """Values given as positions in a long-lived pool, so the renderer can gather many columns at once."""

    __slots__ = ("pool", "index")

    def __init__(self, pool: np.ndarray, index: np.ndarray) -> None:
        self.pool = pool
        self.index = index

    def values(self) -> np.ndarray:
        return self.pool[self.index]
