"""The materialization metadata contract (CONVENTIONS.md), which replaces the legacy SyncHistory table."""

from __future__ import annotations

import resource
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from dagster import MetadataValue

from crm_pipelines.core.entity import FetchWindow

METADATA_KEYS = (
    "records_fetched", "records_created", "records_updated", "records_quarantined", "records_with_issues",
    "records_deleted",
    "api_calls", "retries", "duration_s", "records_per_s", "peak_rss_mb", "data_quality_score",
    "window_start", "window_end", "dagster/row_count",
)


def peak_rss_mb() -> float:
    """Peak resident set size of this process (the run's own process under Dagster's executors)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


@dataclass
class SyncReport:
    window: FetchWindow
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    fetched: int = 0
    created: int = 0
    updated: int = 0
    quarantined: int = 0
    with_issues: int = 0  # loaded with at least one malformed field nulled (`_issues` set)
    deleted: int = 0
    api_calls: int = 0
    retries: int = 0
    row_count: int = 0
    events: dict[str, int] = field(default_factory=dict)  # the source's own counts (CallStats.events)
    quarantine_sample: list[dict[str, Any]] = field(default_factory=list)

    @property
    def loaded(self) -> int:
        return self.fetched - self.quarantined

    @property
    def quality_score(self) -> float:
        """Records loaded without issues / fetched."""
        return round((self.loaded - self.with_issues) / self.fetched, 4) if self.fetched else 1.0

    def keep_sample(self, rows: list[dict[str, Any]], limit: int = 10) -> None:
        room = limit - len(self.quarantine_sample)
        if room > 0:
            self.quarantine_sample.extend(rows[:room])

    def finish(self) -> None:
        """Stop the clock, so the metadata and the checks judge the same duration."""
        self.finished = time.monotonic()

    def metadata(self) -> dict[str, Any]:
        duration = max((self.finished or time.monotonic()) - self.started, 1e-9)
        meta: dict[str, Any] = {
            "records_fetched": self.fetched,
            "records_created": self.created,
            "records_updated": self.updated,
            "records_quarantined": self.quarantined,
            "records_with_issues": self.with_issues,
            "records_deleted": self.deleted,
            "api_calls": self.api_calls,
            "retries": self.retries,
            "duration_s": round(duration, 3),
            "records_per_s": round(self.fetched / duration, 1),
            "peak_rss_mb": peak_rss_mb(),
            "data_quality_score": self.quality_score,
            "window_start": _iso(self.window.start),
            "window_end": _iso(self.window.end),
            "dagster/row_count": self.row_count,
        }
        for name, n in self.events.items():
            meta.setdefault(name, n)  # never overrides a key of the contract
        if self.quarantine_sample:
            meta["quarantine_sample"] = MetadataValue.md(_sample_markdown(self.quarantine_sample))
        return meta


def _iso(value) -> str:
    # A full refresh reads the whole source: say so instead of leaving the key out.
    return value.isoformat() if value is not None else "full"


def _sample_markdown(rows: list[dict[str, Any]]) -> str:
    lines = ["| source_id | reasons |", "|---|---|"]
    for row in rows:
        reasons = "; ".join(row["reasons"]).replace("|", "\\|")
        lines.append(f"| {row['source_id']} | {reasons} |")
    return "\n".join(lines)
