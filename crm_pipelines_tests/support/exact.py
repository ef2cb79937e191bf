"""Exact-set assertions: a sync must neither lose nor invent a record, and a failure says which."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def assert_same_keys(actual: Iterable[Any], expected: Iterable[Any], what: str = "keys", show: int = 10) -> None:
    actual_list = [str(k) for k in actual]
    actual_set, expected_set = set(actual_list), {str(k) for k in expected}
    duplicated = len(actual_list) - len(actual_set)
    missing, extra = sorted(expected_set - actual_set), sorted(actual_set - expected_set)
    assert not (missing or extra or duplicated), (
        f"{what}: {len(missing)} missing {missing[:show]}, {len(extra)} extra {extra[:show]}, "
        f"{duplicated} duplicated (expected {len(expected_set)}, got {len(actual_list)})")
