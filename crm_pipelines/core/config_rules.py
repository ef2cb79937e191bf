"""Validators shared by run configs and resources, so a setting is judged (and named) the same way
everywhere. In a pydantic model: `_check = field_validator("limit")(at_least_one)`."""

from __future__ import annotations

from typing import Any


def fraction(name: str, value: float | None) -> float | None:
    if value is not None and not 0 <= value <= 1:
        raise ValueError(f"{name} must be between 0 and 1, got {value}")
    return value


def at_least_one(cls: Any, value: int | None, info: Any) -> int | None:
    if value is not None and value < 1:
        raise ValueError(f"{info.field_name} must be at least 1, got {value}")
    return value


def a_fraction(cls: Any, value: float | None, info: Any) -> float | None:
    return fraction(info.field_name, value)


def between(low: int, high: int):
    """A validator of whole numbers from `low` to `high`: `field_validator("x")(between(1, 16))`."""
    def check(cls: Any, value: int | None, info: Any) -> int | None:
        if value is not None and not low <= value <= high:
            raise ValueError(f"{info.field_name} must be between {low} and {high}, got {value}")
        return value
    return check


def a_budget(cls: Any, value: int | None, info: Any) -> int | None:
    """A rate budget field (`requests_per_<period>`): a count of calls, 0 meaning no client-side limit."""
    if value is not None and value < 0:
        raise ValueError(f"{info.field_name} must be >= 0 (0 turns the limit off), got {value}")
    return value
