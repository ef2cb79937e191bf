"""SalesPro emulator settings (every field can be given to `reset`, `--config salespro=FILE` or `--set`)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..kit.config import EmulatorConfig
from ..kit.generate.timefmt import require_ms

TABLES = ("customers", "estimates", "credit_applications", "lead_results", "offices", "users")
# Athena's table names (the legacy system's) for the tables Athena serves; offices and users are CSV exports.
ATHENA_NAMES = {"customers": "customer", "estimates": "estimate", "credit_applications": "credit_applications",
                "lead_results": "lead_results"}
EXPORTS = ("offices", "users")
QUERY_FAULT_KEYS = {"table", "state", "retryable", "message", "running_s", "after", "times"}


@dataclass
class SalesProConfig(EmulatorConfig):
    # The AWS access key id the requests must be signed with (only the key id is checked, not the signature).
    access_key_id: str = "AKIASANDBOXSALESPRO"
    database: str = "home_genius_db"
    counts: dict[str, int] = field(default_factory=lambda: {
        "customers": 600, "estimates": 600, "credit_applications": 60, "lead_results": 500, "offices": 12,
        "users": 80})
    modified_start: str = "2026-11-25T00:00:00Z"
    modified_end: str = "2026-12-02T00:00:00Z"
    # Seconds a query stays QUEUED/RUNNING before it succeeds (Athena is never instant).
    query_running_s: float = 0.0
    # Records of each Athena table sharing one exact updated_at (a bulk import).
    same_timestamp_burst: int = 0
    # Share of customers without a customer_id (the client must quarantine them).
    missing_key_rate: float = 0.01
    # Share of optional values that are NULL.
    null_rate: float = 0.1
    # Where the CSV exports are written; "" = <CRM_PIPELINES_HOME or ./.crm_pipelines>/sandbox/salespro/exports.
    exports_dir: str = ""
    # Write the newest export of this table ("offices"/"users") cut off mid-row, as a copy still in progress.
    truncated_export: str = ""
    # Queries that fail or run long, in order; each {"table": Athena or control name or null (any),
    # "state": "FAILED"|"SLOW", "retryable": bool, "message": str, "running_s": s, "after": n, "times": n}.
    query_faults: list[dict[str, Any]] = field(default_factory=list)

    def validate(self) -> None:
        super().validate()
        if set(self.counts) - set(TABLES) or any(int(v) < 0 for v in self.counts.values()):
            raise ValueError(f"counts: non-negative numbers for {list(TABLES)}")
        if require_ms(self.modified_end, "modified_end") <= require_ms(self.modified_start, "modified_start"):
            raise ValueError("modified_end must be after modified_start")
        for name in ("missing_key_rate", "null_rate"):
            if not 0 <= float(getattr(self, name)) <= 1:
                raise ValueError(f"{name} must be within [0, 1]")
        if float(self.query_running_s) < 0:
            raise ValueError("query_running_s must be >= 0")
        if self.truncated_export not in ("", *EXPORTS):
            raise ValueError(f"truncated_export must be one of {list(EXPORTS)} or empty")
        for i, rule in enumerate(self.query_faults):
            if not isinstance(rule, dict) or set(rule) - QUERY_FAULT_KEYS:
                raise ValueError(f"query_faults[{i}]: an object with keys from {sorted(QUERY_FAULT_KEYS)}")
            if rule.get("state", "FAILED") not in ("FAILED", "SLOW"):
                raise ValueError(f"query_faults[{i}].state must be FAILED or SLOW")

    def exports_path(self) -> Path:
        if self.exports_dir:
            return Path(self.exports_dir)
        home = os.environ.get("CRM_PIPELINES_HOME") or ".crm_pipelines"
        return Path(home).resolve() / "sandbox" / "salespro" / "exports"
