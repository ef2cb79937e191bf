"""Arrivy emulator settings (every field can be given to `reset`, `--config arrivy=FILE` or `--set`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..kit.config import EmulatorConfig
from ..kit.generate.timefmt import require_ms

DEFAULT_COUNTS = {"tasks": 2000, "entities": 40, "groups": 8, "crews": 6, "statuses": 13, "bookings": 150}


@dataclass
class ArrivyConfig(EmulatorConfig):
    auth_key: str = "sandbox-arrivy-key"
    auth_token: str = "sandbox-arrivy-token"
    counts: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_COUNTS))
    # When records were last modified (`updated`), spread uniformly.
    modified_start: str = "2026-06-01T00:00:00Z"
    modified_end: str = "2026-12-01T00:00:00Z"
    # Task schedule times (start_datetime) are spread over [schedule_start, schedule_end).
    schedule_start: str = "2016-01-01T00:00:00Z"
    schedule_end: str = "2028-01-01T00:00:00Z"
    unscheduled_rate: float = 0.03  # tasks with unscheduled=true (no start_datetime)
    no_datetime_rate: float = 0.02  # tasks without any datetime (and not flagged unscheduled)
    max_statuses_per_task: int = 6  # a task's status history holds 0..max entries (plus one per touch)
    readings_per_entity: int = 30
    readings_start: str = "2026-11-20T00:00:00Z"
    readings_end: str = "2026-12-02T00:00:00Z"
    # GET /api/tasks without `from` and `to` returns at most this many scheduled tasks (0 = no cap): a
    # third-party client observed such an implicit cap; the docs only "highly recommend" a window.
    implicit_cap: int = 1000

    def validate(self) -> None:
        super().validate()
        unknown = set(self.counts) - set(DEFAULT_COUNTS)
        if unknown:
            raise ValueError(f"unknown Arrivy count(s) {sorted(unknown)}; use {sorted(DEFAULT_COUNTS)}")
        if any(int(n) < 0 for n in self.counts.values()):
            raise ValueError("counts must be >= 0")
        for name in ("modified_start", "modified_end", "schedule_start", "schedule_end", "readings_start",
                     "readings_end"):
            require_ms(getattr(self, name), name)
        if not 0 <= self.unscheduled_rate + self.no_datetime_rate <= 1:
            raise ValueError("unscheduled_rate + no_datetime_rate must be within [0, 1]")
        if self.max_statuses_per_task < 0 or self.readings_per_entity < 0 or self.implicit_cap < 0:
            raise ValueError("max_statuses_per_task, readings_per_entity and implicit_cap must be >= 0")
