"""What every emulator's config is: a dataclass of plain JSON values, overlaid field by field."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, TypeVar

C = TypeVar("C", bound="EmulatorConfig")


@dataclass
class EmulatorConfig:
    """Base of every emulator's config. `seed` drives all generated data; `latency_ms` delays every API answer.

    Subclasses add their own fields (with defaults) and may override `validate`. Fields holding a dict
    (e.g. `counts`) are merged key by key by `from_dict`, so `{"counts": {"contacts": 10}}` changes one count.
    """

    seed: int = 42
    latency_ms: float = 0

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        if float(self.latency_ms) < 0:
            raise ValueError("latency_ms must be >= 0")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def field_names(cls) -> set[str]:
        return {f.name for f in dataclasses.fields(cls)}

    @classmethod
    def from_dict(cls: type[C], data: dict[str, Any], base: C | None = None) -> C:
        """Overlay `data` on `base` (or the defaults); dict-valued fields merge key by key."""
        if not isinstance(data, dict):
            raise ValueError(f"{cls.__name__} must be a JSON object")
        unknown = set(data) - cls.field_names()
        if unknown:
            raise ValueError(f"unknown {cls.__name__} field(s): {sorted(unknown)}")
        merged = (base or cls()).to_dict()
        for key, value in data.items():
            if isinstance(merged.get(key), dict):
                if not isinstance(value, dict):
                    raise ValueError(f"{key} must be an object")
                merged[key] = {**merged[key], **value}
            else:
                merged[key] = value
        return cls(**merged)
