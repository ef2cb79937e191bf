"""Removal assets: find warehouse rows whose source record is gone, and soft-delete them on positive evidence.

An entity sync only learns of deletions a source lists (HubSpot's archived listing during a full refresh).
A removal asset asks the source about every key the warehouse still holds instead, so it also catches
records deleted between full refreshes. The legacy removal commands hard-deleted whole chunks whenever the
existence check failed (LEGACY_SYSTEM.md §6); here a source's `find_deleted` must confirm each key, and
the whole run's deletions share one transaction, so the mass-deletion guard can still keep nothing.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from typing import Any

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    Config,
    MaterializeResult,
    MetadataValue,
    asset,
)
from pydantic import Field, field_validator

from crm_pipelines.core.config_rules import a_fraction, at_least_one
from crm_pipelines.core.entity import EntitySpec
from crm_pipelines.core.executor import crm_op_tags
from crm_pipelines.core.redelivery import refuse_redelivered_step
from crm_pipelines.core.resource import SourceClient

SAMPLE_IDS = 20

FindDeleted = Callable[[Any, list[Any]], list[Any]]


@dataclass(frozen=True)
class RemovalSpec:
    """How to ask one source which keys of one entity it deleted.

    `find_deleted(client, keys)` gets at most `chunk` keys and returns the subset the source POSITIVELY
    confirms deleted or archived. It raises on any answer it cannot interpret (errors, throttling that
    outlasts the client's retries): an unknown state is never a deletion.
    """

    crm: str
    entity: str
    resource_key: str
    find_deleted: FindDeleted
    chunk: int = 100
    description: str = ""

    @property
    def asset_key(self) -> list[str]:
        return [self.crm, f"{self.entity}_removal"]


class RemovalRunConfig(Config):
    dry_run: bool = Field(default=False, description="Ask the source and report, but delete nothing.")
    limit: int | None = Field(default=None, description="Check at most this many warehouse rows (in key order).")
    max_delete_share: float | None = Field(
        default=None, description="Largest share of the table this run may soft-delete; unset = the warehouse's.")

    _limit_is_positive = field_validator("limit")(at_least_one)
    _share_is_a_fraction = field_validator("max_delete_share")(a_fraction)


@dataclass
class RemovalReport:
    started: float
    checked: int = 0
    deleted: int = 0
    api_calls: int = 0
    retries: int = 0
    row_count: int = 0
    dry_run: bool = False
    sample: tuple[str, ...] = ()

    def metadata(self) -> dict[str, Any]:
        return {
            "records_checked": self.checked,
            "records_deleted": self.deleted,
            "api_calls": self.api_calls,
            "retries": self.retries,
            "duration_s": round(time.monotonic() - self.started, 3),
            "dagster/row_count": self.row_count,
            "dry_run": self.dry_run,
            "deleted_ids": MetadataValue.md(self._sample_markdown()),
        }

    def _sample_markdown(self) -> str:
        verb = "would be soft-deleted (dry run)" if self.dry_run else "soft-deleted"
        if not self.deleted:
            return f"No record {verb}: the source confirmed none of the {self.checked} checked as deleted."
        shown = ", ".join(f"`{key}`" for key in self.sample)
        more = f" (first {len(self.sample)} of {self.deleted})" if self.deleted > len(self.sample) else ""
        return f"{self.deleted} record(s) {verb}{more}: {shown}"


def build_removal_asset(spec: RemovalSpec, entity_spec: EntitySpec, pool: str) -> AssetsDefinition:
    if (spec.crm, spec.entity) != (entity_spec.crm, entity_spec.name):
        raise ValueError(f"removal {spec.crm}/{spec.entity} paired with entity {entity_spec.table}")
    if len(entity_spec.key) != 1:
        raise ValueError(f"{entity_spec.table}: removal needs a single-column key, not {entity_spec.key}")
    if spec.chunk < 1:
        raise ValueError(f"{spec.crm}/{spec.entity} removal: chunk must be at least 1, got {spec.chunk}")

    @asset(
        key=AssetKey(spec.asset_key),
        group_name=spec.crm,
        kinds={spec.crm, "postgres"},
        description=spec.description or f"Soft-deletes {entity_spec.table} rows the source confirms deleted.",
        pool=pool,
        required_resource_keys={spec.resource_key, "warehouse"},
        deps=[AssetKey(entity_spec.asset_key)],
        tags={"crm": spec.crm},
        op_tags=crm_op_tags(spec.crm),
    )
    def _removal(context: AssetExecutionContext, config: RemovalRunConfig) -> MaterializeResult:
        refuse_redelivered_step(context)
        client = getattr(context.resources, spec.resource_key)
        report = run_removal(context, spec, entity_spec, client, context.resources.warehouse, config)
        return MaterializeResult(metadata=report.metadata())

    return _removal


def run_removal(context: AssetExecutionContext, spec: RemovalSpec, entity_spec: EntitySpec, client: SourceClient,
                warehouse: Any, config: RemovalRunConfig) -> RemovalReport:
    report = RemovalReport(started=time.monotonic(), dry_run=config.dry_run)
    stats = client.call_stats()
    calls_before, retries_before = stats.api_calls, stats.retries
    sample: list[str] = []
    # The session is opened first: it creates a missing table (so keys can be read) and counts the rows
    # the mass-deletion guard measures against. Row locks are taken only on rows the source says are gone,
    # which no concurrent sync of the entity writes.
    with warehouse.session(entity_spec, context.run_id, dry_run=config.dry_run,
                           max_delete_share=config.max_delete_share) as session:
        # closing(): a `limit` stops early, and the key cursor's connection must not wait for the GC.
        with closing(warehouse.read_keys(spec.crm, spec.entity, column=entity_spec.key[0],
                                         chunk=spec.chunk)) as keys:
            for chunk in _limited(keys, config.limit):
                report.checked += len(chunk)
                confirmed = list(dict.fromkeys(spec.find_deleted(client, list(chunk))))
                if not confirmed:
                    continue
                strangers = set(confirmed) - set(chunk)
                if strangers:
                    raise RuntimeError(f"{spec.crm}/{spec.entity} removal: find_deleted returned keys it was "
                                       f"not asked about: {sorted(map(str, strangers))[:5]}")
                report.deleted += session.soft_delete([(key,) for key in confirmed])
                sample.extend(str(key) for key in confirmed[: SAMPLE_IDS - len(sample)])
                context.log.info(f"{entity_spec.table}: {report.checked} checked, "
                                 f"{report.deleted} confirmed deleted")
        # A dry run's transaction is rolled back: the table keeps the rows it started with.
        report.row_count = session.rows_at_start if config.dry_run else session.row_count()
    report.sample = tuple(sample)
    report.api_calls = stats.api_calls - calls_before
    report.retries = stats.retries - retries_before
    return report


def _limited(chunks: Iterator[list[Any]], limit: int | None) -> Iterator[list[Any]]:
    left = limit
    for chunk in chunks:
        if left is not None:
            chunk = chunk[:left]
            left -= len(chunk)
        if chunk:
            yield chunk
        if left == 0:
            return
