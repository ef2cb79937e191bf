"""Cheap deterministic hashing so property values can be recomputed on demand instead of stored."""

from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLD = np.uint64(0x9E3779B97F4A7C15)


def mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser, vectorised; wraps modulo 2**64 by design."""
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    return x ^ (x >> np.uint64(31))


@lru_cache(maxsize=4096)
def salt(text: str) -> np.uint64:
    return np.uint64(int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little"))


def record_hash(ids: np.ndarray, versions: np.ndarray | None, seed_salt: np.uint64) -> np.ndarray:
    x = ids.astype(np.uint64) * _GOLD ^ seed_salt
    if versions is not None:
        x = x ^ (versions.astype(np.uint64) * _M2)
    return mix64(x)


def unit(h: np.ndarray, shift: int) -> np.ndarray:
    """20 bits of `h` starting at `shift`, as floats in [0, 1)."""
    return ((h >> np.uint64(shift)) & np.uint64(0xFFFFF)).astype(np.float64) / float(1 << 20)


def below(h: np.ndarray, shift: int, n: int) -> np.ndarray:
    """Integers in [0, n) from the bits of `h` above `shift`."""
    return ((h >> np.uint64(shift)) % np.uint64(max(n, 1))).astype(np.int64)


def derive(base: np.ndarray, salt_value: np.ndarray | np.uint64) -> np.ndarray:
    """A per-property hash from an already well-mixed record hash: one multiply and one fold.

    Cheaper than a full mix64 and, being elementwise, gives identical values whether computed for one
    property (a column) or for all properties at once (a broadcast matrix).
    """
    x = (base ^ salt_value) * _M1
    return x ^ (x >> np.uint64(32))
