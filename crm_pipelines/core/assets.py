"""EntitySpec -> Dagster asset: one pattern for every entity of every CRM.

What varies between sources is declared, not coded here:
- the client is any resource with `call_stats()` (crm_pipelines.core.resource): an HTTP API, a database,
  a query service; its calls and retries become the `api_calls` and `retries` metadata;
- partitions and fetch windows follow the entity's `partition_column` (the modified time by default, or
  e.g. a scheduled time when that is all the source filters on), and so does the reconciliation count;
- deletions come from what a page reports (`Page.deleted_keys`, `Page.complete_scope`) or, for an entity that
  `deletes_unseen`, from a complete read of the whole set (crm_pipelines.core.unseen);
- an entity with companions (`EntitySpec.companions`: tables derived from its records by the same read)
  becomes one multi-asset whose op loads them all, so the source is read once.
"""


import datetime as dt
import os
from contextlib import ExitStack
from functools import partial
from collections.abc import Iterator
from typing import Any, NamedTuple

import pandas as pd
from dagster import (
    AssetExecutionContext,
    AssetCheckResult,
    AssetKey,
    AssetSpec,
    AssetsDefinition,
    BackfillPolicy,
    Config,
    DailyPartitionsDefinition,
    MaterializeResult,
    asset,
    multi_asset,
)
from pydantic import Field, field_validator

from crm_pipelines.core.config_rules import at_least_one, between
from crm_pipelines.core.checks import Reconciliation, Thresholds, check_results, check_specs
from crm_pipelines.core import ddl
from crm_pipelines.core.entity import (
    SOURCE_UPDATED_AT, Companion, EntitySpec, FetchRequest, FetchWindow, Page, Processed,
)
from crm_pipelines.core.executor import crm_op_tags
from crm_pipelines.core.redelivery import refuse_redelivered_step
from crm_pipelines.core.report import SyncReport
from crm_pipelines.core.resource import SourceClient, fetch_ahead_pages
from crm_pipelines.core.streaming import Prefetch, SerialWorker
from crm_pipelines.core.validation import split_valid

DEFAULT_HISTORY_START = "2018-01-01"


class EntityRunConfig(Config):
    """The legacy command-line options, as run config of every entity asset."""

    dry_run: bool = Field(default=False, description="Fetch, type and validate, but write nothing.")
    limit: int | None = Field(default=None, description="Stop after this many records (testing aid).")
    batch_size: int | None = Field(default=None, description="Records per load batch (one COPY + upsert); "
                                   "unset: the entity's own (5000 unless a wide table declares fewer).")
    full_refresh: bool = Field(default=False, description="Ignore the partition window and read everything.")

    _limit_is_positive = field_validator("limit")(at_least_one)

    _sane_batch = field_validator("batch_size")(between(1, 200_000))


def history_partitions() -> DailyPartitionsDefinition:
    """Daily UTC partitions on each entity's partition axis (source-modified time unless the entity
    declares another, `EntitySpec.partition_column`); end_offset=1 makes today's partition exist so hourly
    schedules can keep it fresh while the day is still running."""
    start = os.environ.get("CRM_HISTORY_START") or DEFAULT_HISTORY_START
    try:
        dt.date.fromisoformat(start)
    except ValueError as exc:
        raise ValueError(f"CRM_HISTORY_START must be a date YYYY-MM-DD, got {start!r}") from exc
    return DailyPartitionsDefinition(start_date=start, end_offset=1, timezone="UTC")


def build_entity_asset(spec: EntitySpec, partitions_def: DailyPartitionsDefinition | None,
                       thresholds: Thresholds, pool: str) -> AssetsDefinition:
    key = AssetKey(spec.asset_key)
    _check_partition_column(spec)
    partitioned = spec.partitioned and partitions_def is not None
    reconciles = partitioned and spec.count is not None
    if spec.companions:
        return _build_with_companions(spec, partitions_def, thresholds, pool, partitioned, reconciles)

    @asset(
        key=key,
        group_name=spec.crm,
        kinds={spec.crm, "postgres"},
        description=spec.description or None,
        partitions_def=partitions_def if partitioned else None,
        backfill_policy=BackfillPolicy.single_run() if partitioned else None,
        pool=pool,
        required_resource_keys={spec.resource_key, "warehouse"},
        check_specs=check_specs(key, thresholds, reconciles),
        deps=[AssetKey(list(d)) for d in spec.deps],
        tags={"crm": spec.crm},
        op_tags=crm_op_tags(spec.crm),
    )
    def _entity(context: AssetExecutionContext, config: EntityRunConfig) -> MaterializeResult:
        refuse_redelivered_step(context)
        window = _window(context, spec, config, partitioned)
        exact = None if window.is_full else FetchWindow(window.start + spec.lookback, window.end)
        client = getattr(context.resources, spec.resource_key)
        # A limited run reads part of the window: comparing its counts would only raise false alarms.
        reconcile = exact if reconciles and config.limit is None else None
        report, reconciliation = sync_entity(context, spec, client, context.resources.warehouse, window, config,
                                             reconcile=reconcile)
        expects_records = window.is_full and config.limit is None
        return MaterializeResult(metadata=report.metadata(),
                                 check_results=check_results(report, thresholds, expects_records, reconciliation,
                                                               reconciles))

    return _entity


def _build_with_companions(spec: EntitySpec, partitions_def: DailyPartitionsDefinition | None,
                           thresholds: Thresholds, pool: str, partitioned: bool, reconciles: bool) -> AssetsDefinition:
    """One op for the entity and its companions: one read, one MaterializeResult per table."""
    members = [spec, *(c.spec for c in spec.companions)]
    keys = [AssetKey(member.asset_key) for member in members]
    checks = [check for key, member in zip(keys, members)
              for check in check_specs(key, thresholds, reconciles and member is spec)]

    @multi_asset(
        name=f"{spec.crm}__{spec.name}",
        specs=[AssetSpec(key, group_name=spec.crm, kinds={spec.crm, "postgres"},
                         description=member.description or None, tags={"crm": spec.crm},
                         deps=[AssetKey(list(d)) for d in member.deps])
               for key, member in zip(keys, members)],
        partitions_def=partitions_def if partitioned else None,
        backfill_policy=BackfillPolicy.single_run() if partitioned else None,
        pool=pool,
        required_resource_keys={spec.resource_key, "warehouse"},
        check_specs=checks,
        can_subset=False,
        op_tags=crm_op_tags(spec.crm),
    )
    def _entities(context: AssetExecutionContext, config: EntityRunConfig):
        refuse_redelivered_step(context)
        window = _window(context, spec, config, partitioned)
        exact = None if window.is_full else FetchWindow(window.start + spec.lookback, window.end)
        client = getattr(context.resources, spec.resource_key)
        reconcile = exact if reconciles and config.limit is None else None
        reports, reconciliation = _sync(context, spec, client, context.resources.warehouse, window, config,
                                        reconcile)
        expects_records = window.is_full and config.limit is None
        for key, member, report in zip(keys, members, reports):
            own = member is spec
            results = check_results(report, thresholds, expects_records and own, reconciliation if own else None,
                                    reconciles and own)
            yield MaterializeResult(asset_key=key, metadata=report.metadata(), check_results=[
                AssetCheckResult(asset_key=key, check_name=r.check_name, passed=r.passed, severity=r.severity,
                                 metadata=r.metadata) for r in results])

    return _entities


def _window(context: AssetExecutionContext, spec: EntitySpec, config: EntityRunConfig,
            partitioned: bool) -> FetchWindow:
    if config.full_refresh or not partitioned:
        return FetchWindow()
    # With BackfillPolicy.single_run() this is the whole selected range, not just one day.
    time_window = context.partition_time_window
    return FetchWindow(start=time_window.start - spec.lookback, end=time_window.end)


def sync_entity(context: AssetExecutionContext, spec: EntitySpec, client: SourceClient, warehouse: Any,
                window: FetchWindow, config: EntityRunConfig, reconcile: FetchWindow | None = None,
                ) -> tuple[SyncReport, Reconciliation | None]:
    """Stream pages -> process -> validate -> load, batch by batch, inside one warehouse transaction.

    A batch's database work runs in a thread of its own while the next batch is fetched and typed, and
    a client whose requests wait (latency, a rate limit) fetches pages ahead in another
    (crm_pipelines.core.streaming); the database work stays strictly in order on the session's one
    connection. With `reconcile`
    (the partition window without lookback), the source's count for it is compared with the warehouse's
    rows plus the records this run quarantined from that window.

    Deletions come from three kinds of evidence: keys a page reports deleted (`Page.deleted_keys`), a
    page's complete current set for some scopes (`Page.complete_scope`, within the page), and, for an entity
    that `deletes_unseen`, the whole run: every key it read is staged in the transaction, and a complete
    read (no window, no limit, no error) soft-deletes the rows it did not see (crm_pipelines.core.unseen).
    All of them pass the warehouse's mass-deletion guard.
    """
    reports, reconciliation = _sync(context, spec, client, warehouse, window, config, reconcile)
    return reports[0], reconciliation


def _sync(context: AssetExecutionContext, spec: EntitySpec, client: SourceClient, warehouse: Any,
          window: FetchWindow, config: EntityRunConfig, reconcile: FetchWindow | None,
          ) -> tuple[list[SyncReport], Reconciliation | None]:
    """sync_entity, plus the entity's companions: their reports follow the entity's own."""
    if not isinstance(client, SourceClient):
        raise TypeError(f"{spec.table}: resource {spec.resource_key!r} ({type(client).__name__}) has no "
                        "call_stats(); see crm_pipelines.core.resource")
    report = SyncReport(window=window)
    companion_reports = [SyncReport(window=window) for _ in spec.companions]
    reconciliation = None
    quarantined_in_window: list[str] = []
    stats = client.call_stats()
    calls_before, retries_before, events_before = stats.api_calls, stats.retries, dict(stats.events)
    with warehouse.session(spec, context.run_id, dry_run=config.dry_run) as session, ExitStack() as stack:
        # Entered after the entity's session, so committed before it (see Companion).
        companion_sessions = [stack.enter_context(warehouse.session(c.spec, context.run_id, dry_run=config.dry_run))
                              for c in spec.companions]
        source = spec.fetch(client, FetchRequest(window, warehouse.read_keys))
        ahead = fetch_ahead_pages(client)
        # A limited run stops early: reading ahead would spend API calls on pages it never uses.
        if ahead and config.limit is None:
            source = Prefetch(source, ahead, name=f"fetch {spec.table}")
        loader = SerialWorker(name=f"load {spec.table}")
        try:
            for pages in _batches(_limited(source, config.limit), config.batch_size or spec.batch_size):
                records = [r for page in pages for r in page.records]
                report.fetched += len(records)
                prepared, quarantined, derived = None, [], []
                if records:
                    processed = spec.process(records)
                    valid, quarantined = split_valid(spec, processed)
                    report.with_issues += int(valid["_issues"].notna().sum())
                    if reconcile is not None and quarantined:
                        quarantined_in_window += _quarantined_in(spec, processed, quarantined, reconcile)
                    prepared = session.prepare(valid)
                    parents = _parents(spec, processed.frame) if spec.companions else ([], [])
                    del valid, processed  # their `_raw` column holds the records
                    report.quarantined += len(quarantined)
                    report.keep_sample([q.as_dict() for q in quarantined])
                    derived = [_derive(companion, companion_session, companion_report, records, parents)
                               for companion, companion_session, companion_report
                               in zip(spec.companions, companion_sessions, companion_reports)]
                # The loader keeps only what each page proves, not its records: the raw records of the
                # batch being loaded need not stay in memory beside the next batch's.
                evidence = [_evidence(spec, page) for page in pages]
                del records, pages
                _count(context, spec, [report, *companion_reports], loader.wait())  # the previous batch's outcome
                loader.start(partial(_apply, session, evidence, prepared, quarantined, config.limit is None, derived))
            _count(context, spec, [report, *companion_reports], loader.wait())
        except BaseException:
            loader.drain()  # the connection must be idle before the session rolls back
            raise
        finally:
            if isinstance(source, Prefetch):
                source.close()
        # Only a read that provably covered the whole set may take absence for deletion: no window, no
        # limit, and the fetch ended without error (an error never gets here).
        if spec.deletes_unseen and window.is_full and config.limit is None:
            report.deleted += session.delete_unseen()
        report.row_count = session.row_count()
        for companion_session, companion_report in zip(companion_sessions, companion_reports):
            companion_report.row_count = companion_session.row_count()
        if reconcile is not None:
            reconciliation = Reconciliation(
                source_count=spec.count(client, reconcile),
                warehouse_count=session.count_window(reconcile.start, reconcile.end, quarantined_in_window))
    # The read is the entity's: its companions made no calls of their own.
    report.api_calls = stats.api_calls - calls_before
    report.retries = stats.retries - retries_before
    report.events = {name: n - events_before.get(name, 0) for name, n in dict(stats.events).items()}
    for each in (report, *companion_reports):
        each.finish()
    return [report, *companion_reports], reconciliation


class Derived(NamedTuple):
    """One batch of a companion, ready for its session: rows, quarantine, and the scope they complete
    (`parents`: the parents' keys and their source versions in this read)."""

    session: Any
    prepared: Any
    quarantined: list[Any]
    scope: str
    parents: tuple[list[Any], list[Any]]
    seen: list[tuple[Any, ...]]


def _parents(spec: EntitySpec, frame: pd.DataFrame) -> tuple[list[Any], list[Any]]:
    """Each parent's key and source version: a companion's rows must not replace those of a parent whose
    stored row is newer than this read's (the upsert keeps that row). ~2 µs a row, so only with companions."""
    rows = frame[[spec.key[0], SOURCE_UPDATED_AT]].dropna(subset=[spec.key[0]])
    return rows[spec.key[0]].tolist(), [None if pd.isna(v) else v for v in rows[SOURCE_UPDATED_AT].tolist()]


def _derive(companion: Companion, session: Any, report: SyncReport, records: list[dict[str, Any]],
            parents: tuple[list[Any], list[Any]]) -> Derived:
    processed = companion.spec.process(records)
    valid, quarantined = split_valid(companion.spec, processed)
    report.fetched += len(processed.frame)
    report.with_issues += int(valid["_issues"].notna().sum())
    report.quarantined += len(quarantined)
    report.keep_sample([q.as_dict() for q in quarantined])
    key = list(companion.spec.key)
    seen = list(zip(*(valid[k].astype(object).tolist() for k in key))) if len(valid) else []
    return Derived(session, session.prepare(valid), quarantined, companion.scope, parents, seen)


def _check_partition_column(spec: EntitySpec) -> None:
    if spec.partition_column == SOURCE_UPDATED_AT:
        return
    types = {c.name: c.pg_type for c in ddl.data_columns(spec)}
    if types.get(spec.partition_column) != "timestamptz":
        raise ValueError(f"{spec.table}: partition_column {spec.partition_column!r} must be a timestamp column "
                         f"of the schema (or {SOURCE_UPDATED_AT!r}), found {types.get(spec.partition_column)!r}")


def _quarantined_in(spec: EntitySpec, processed: Processed, quarantined: list[Any],
                    window: FetchWindow) -> list[str]:
    """Keys of the quarantined records whose partition-axis value lies in `window`."""
    if spec.partition_column == SOURCE_UPDATED_AT:
        moments = [q.source_updated_at for q in quarantined]
    else:
        # A quarantined row carries its record as the frame's `_raw` cell, the very same object: that finds
        # its typed axis value without another pass over the record.
        wanted = {id(q.raw) for q in quarantined}
        frame = processed.frame
        axis = {id(raw): moment for raw, moment in zip(frame["_raw"], frame[spec.partition_column])
                if id(raw) in wanted}
        moments = [axis.get(id(q.raw)) for q in quarantined]
    return [q.source_id for q, moment in zip(quarantined, moments)
            if q.source_id is not None and moment is not None and not pd.isna(moment)
            and window.start <= moment < window.end]


class Evidence(NamedTuple):
    """What a page proves about deletions, without its records."""

    deleted_keys: list[tuple[Any, ...]]
    complete_scope: tuple[str, list[Any], list[tuple[str, ...]]] | None  # column, scope values, keys the page holds


def _evidence(spec: EntitySpec, page: Page) -> Evidence:
    if page.complete_scope is None:
        return Evidence(page.deleted_keys, None)
    seen = [tuple(str(r.get(k)) for k in spec.key) for r in page.records]
    return Evidence(page.deleted_keys, (*page.complete_scope, seen))


def _apply(session: Any, evidence: list[Evidence], prepared: Any, quarantined: list[Any],
           complete: bool, derived: list[Derived] = ()) -> list[tuple[int, int, int]]:
    """One batch's database work, in the order a page's evidence must be applied: load, quarantine, delete;
    then each companion's rows, which replace those of the batch's parents (only when the read is complete)."""
    created, updated = session.load_prepared(prepared) if prepared is not None else (0, 0)
    session.quarantine(quarantined)
    deleted = 0
    for page in evidence:
        deleted += session.soft_delete(page.deleted_keys)
        if page.complete_scope is not None and complete:
            column, values, seen = page.complete_scope
            deleted += session.replace_scope(column, values, seen)
    outcomes = [(created, updated, deleted)]
    for batch in derived:
        keys, versions = batch.parents
        # Parents the warehouse holds at a newer version than this read's keep their companion rows.
        kept = session.kept_newer(keys, versions)
        made, changed = batch.session.load_prepared(batch.prepared, skip=(batch.scope, sorted(kept)))
        batch.session.quarantine(batch.quarantined)
        current = [k for k in keys if k not in kept]
        gone = batch.session.replace_scope(batch.scope, current, batch.seen) if complete else 0
        outcomes.append((made, changed, gone))
    return outcomes


def _count(context: AssetExecutionContext, spec: EntitySpec, reports: list[SyncReport],
           outcomes: list[tuple[int, int, int]] | None) -> None:
    if outcomes is None:
        return
    for report, outcome in zip(reports, outcomes):
        report.created += outcome[0]
        report.updated += outcome[1]
        report.deleted += outcome[2]
    report = reports[0]
    context.log.info(f"{spec.table}: {report.fetched} fetched, {report.created} created, "
                     f"{report.updated} updated, {report.quarantined} quarantined")


def _limited(pages: Iterator[Page], limit: int | None) -> Iterator[Page]:
    if limit is None:
        yield from pages
        return
    left = limit
    for page in pages:
        if len(page.records) >= left:
            yield Page(records=page.records[:left], deleted_keys=page.deleted_keys)
            return
        left -= len(page.records)
        yield page


def _batches(pages: Iterator[Page], batch_size: int) -> Iterator[list[Page]]:
    """Group whole pages (a page's `complete_scope` must never be split across batches)."""
    batch: list[Page] = []
    size = 0
    for page in pages:
        batch.append(page)
        size += len(page.records)
        if size >= batch_size:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch
