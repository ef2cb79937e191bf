"""Per-materialization alert rules as asset checks (the legacy thresholds of LEGACY_SYSTEM.md §5).

Rolling-window rules (24-h success rate, failed-run counts) cannot be judged from one materialization;
they are sensors in crm_pipelines.automation.
"""

from __future__ import annotations

from dataclasses import dataclass

from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, AssetKey

from crm_pipelines.core.report import SyncReport


@dataclass(frozen=True)
class Thresholds:
    """Alert thresholds; each CRM may set its own (crm_pipelines.automation.settings)."""

    max_quarantine_rate: float = 0.05        # legacy high_error_rate (HIGH)
    min_data_quality: float = 0.9            # legacy low_data_quality (MEDIUM)
    max_peak_rss_mb: float = 500.0           # legacy high_memory_usage (HIGH)
    min_records_per_minute: float = 100.0    # legacy slow_processing (MEDIUM)
    min_duration_for_speed_s: float = 60.0   # a short run says nothing about speed
    max_reconciliation_gap: float = 0.01     # share of the source count; above it the mismatch is an ERROR
    min_success_rate_24h: float = 0.95       # legacy low_success_rate (HIGH), judged by a sensor
    max_failed_runs_24h: int = 10            # legacy multiple_sync_failures (CRITICAL), judged by a sensor


@dataclass(frozen=True)
class Reconciliation:
    source_count: int
    warehouse_count: int

    @property
    def gap(self) -> int:
        return abs(self.source_count - self.warehouse_count)


def check_specs(key: AssetKey, thresholds: Thresholds, reconciles: bool) -> list[AssetCheckSpec]:
    specs = [
        AssetCheckSpec("quarantine_rate", asset=key,
                       description=f"ERROR when more than {thresholds.max_quarantine_rate:.0%} of fetched "
                                   "records are quarantined."),
        AssetCheckSpec("data_quality", asset=key,
                       description=f"WARN when records loaded without issues / fetched is below "
                                   f"{thresholds.min_data_quality}."),
        AssetCheckSpec("peak_memory", asset=key,
                       description=f"ERROR when the run's peak RSS exceeds {thresholds.max_peak_rss_mb:.0f} MB."),
        AssetCheckSpec("throughput", asset=key,
                       description=f"WARN when a run of at least {thresholds.min_duration_for_speed_s:.0f} s "
                                   f"processes fewer than {thresholds.min_records_per_minute:.0f} records/min."),
        AssetCheckSpec("records_expected", asset=key,
                       description="WARN when a full read of the source returns no record at all."),
    ]
    if reconciles:
        specs.append(AssetCheckSpec(
            "reconciliation", asset=key,
            description="The source's count for the partition window against the warehouse's (rows plus "
                        f"quarantined records): WARN on any gap, ERROR above {thresholds.max_reconciliation_gap:.0%}."))
    return specs


def check_results(report: SyncReport, thresholds: Thresholds, expects_records: bool,
                  reconciliation: Reconciliation | None, reconciles: bool) -> list[AssetCheckResult]:
    """One result per declared check (Dagster requires it). `reconciles` says the asset declares the
    reconciliation check; `reconciliation` is None when this run had no partition window to compare."""
    meta = report.metadata()
    rate = report.quarantined / report.fetched if report.fetched else 0.0
    duration = meta["duration_s"]
    per_minute = report.fetched / duration * 60
    speed_judged = duration >= thresholds.min_duration_for_speed_s
    results = [
        _result("quarantine_rate", rate <= thresholds.max_quarantine_rate, AssetCheckSeverity.ERROR,
                quarantine_rate=round(rate, 4), threshold=thresholds.max_quarantine_rate),
        _result("data_quality", report.quality_score >= thresholds.min_data_quality, AssetCheckSeverity.WARN,
                data_quality_score=report.quality_score, threshold=thresholds.min_data_quality),
        _result("peak_memory", meta["peak_rss_mb"] <= thresholds.max_peak_rss_mb, AssetCheckSeverity.ERROR,
                peak_rss_mb=meta["peak_rss_mb"], threshold=thresholds.max_peak_rss_mb),
        _result("throughput", not speed_judged or per_minute >= thresholds.min_records_per_minute,
                AssetCheckSeverity.WARN, records_per_minute=round(per_minute, 1), judged=speed_judged,
                threshold=thresholds.min_records_per_minute),
        _result("records_expected", not expects_records or report.fetched > 0, AssetCheckSeverity.WARN,
                records_fetched=report.fetched, expected=expects_records),
    ]
    if reconciles and reconciliation is None:
        results.append(_result("reconciliation", True, AssetCheckSeverity.WARN,
                               judged=False, reason="full refresh or limited run: no partition window"))
    elif reconciliation is not None:
        gap_share = reconciliation.gap / max(reconciliation.source_count, 1)
        severity = (AssetCheckSeverity.ERROR if gap_share > thresholds.max_reconciliation_gap
                    else AssetCheckSeverity.WARN)
        results.append(_result("reconciliation", reconciliation.gap == 0, severity,
                               source_count=reconciliation.source_count,
                               warehouse_count=reconciliation.warehouse_count, gap=reconciliation.gap,
                               gap_share=round(gap_share, 4)))
    return results


def _result(name: str, passed: bool, severity: AssetCheckSeverity, **metadata) -> AssetCheckResult:
    return AssetCheckResult(check_name=name, passed=bool(passed), severity=severity, metadata=metadata)
