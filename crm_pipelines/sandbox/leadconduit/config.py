"""LeadConduit emulator settings (every field can be given to `reset`, `--config leadconduit=FILE` or `--set`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..kit.config import EmulatorConfig
from ..kit.generate.timefmt import require_ms


@dataclass
class LeadConduitConfig(EmulatorConfig):
    api_key: str = "sandbox-leadconduit-key"
    counts: dict[str, int] = field(default_factory=lambda: {"events": 3000})
    # Events are created over [events_start, events_end), in id order; each lead is a `filter`, a
    # `recipient` and a final `source` event.
    events_start: str = "2026-11-25T00:00:00Z"
    events_end: str = "2026-12-02T00:00:00Z"

    def validate(self) -> None:
        super().validate()
        if set(self.counts) != {"events"} or int(self.counts["events"]) < 0:
            raise ValueError("counts must be {\"events\": n} with n >= 0")
        if require_ms(self.events_end, "events_end") <= require_ms(self.events_start, "events_start"):
            raise ValueError("events_end must be after events_start")
