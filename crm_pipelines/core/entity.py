"""What a source declares about one CRM entity; the asset factory and the warehouse do the rest.

Besides where records come from and how they are typed, an entity declares its partition axis
(`partition_column`: the modified time, or another timestamp column the source can filter on) and how
deletions are learnt: pages that report them (`Page.deleted_keys`), pages that carry a scope's complete
set (`Page.complete_scope`), or, with `deletes_unseen`, absence from a complete read of the whole set
(for a partitioned entity, `weekly_full_read` makes the weekly run such a read).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd
import pandera.pandas as pa

# The warehouse column of the source-modified time, every entity's default partition axis.
SOURCE_UPDATED_AT = "_source_updated_at"


@dataclass(frozen=True)
class FetchWindow:
    """Range [start, end) to read on the entity's partition axis (`EntitySpec.partition_column`, by default
    the source-modified time); both None means "everything" (full refresh)."""

    start: dt.datetime | None = None
    end: dt.datetime | None = None

    @property
    def is_full(self) -> bool:
        return self.start is None and self.end is None


@dataclass
class Page:
    """One unit of fetched data, loaded atomically with the pages batched beside it.

    `complete_scope` names a scope whose complete current rows this page carries (column name and the scope
    values, e.g. ("contact_id", ["1", "2"])): rows of those scopes that the page does not contain are
    soft-deleted. Only a fetcher holding positive evidence of completeness may set it.
    `deleted_keys` are keys the source positively reports as deleted or archived.
    """

    records: list[dict[str, Any]] = field(default_factory=list)
    complete_scope: tuple[str, list[Any]] | None = None
    deleted_keys: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass
class Processed:
    """A batch turned into typed columns (+ `_source_updated_at`, `_raw`) and per-row conversion issues."""

    frame: pd.DataFrame
    issues: pd.Series  # {field: problem} per row; None when the row converted cleanly


class KeyReader(Protocol):
    def __call__(self, crm: str, entity: str, column: str = "id", chunk: int = 1000) -> Iterator[list[Any]]:
        """Stream the warehouse's current (not deleted) values of `column`, in chunks."""


@dataclass(frozen=True)
class FetchRequest:
    """What a fetch may know: the window to read and a reader of keys already in the warehouse (for
    entities fetched per parent record, like associations)."""

    window: FetchWindow
    read_keys: KeyReader


Fetch = Callable[[Any, FetchRequest], Iterator[Page]]
Process = Callable[[list[dict[str, Any]]], Processed]


@dataclass(frozen=True)
class EntitySpec:
    """One CRM entity: where it comes from, how it is typed, and how it is keyed in the warehouse.

    `fetch(client, request)` streams Pages from the client resource named `resource_key`; it must raise
    on anything it cannot recover and never yield an empty page to mean "error".
    """

    crm: str
    name: str
    schema: type[pa.DataFrameModel]
    fetch: Fetch
    process: Process
    resource_key: str
    key: tuple[str, ...] = ("id",)
    partitioned: bool = True
    lookback: dt.timedelta = dt.timedelta(minutes=15)
    description: str = ""
    deps: Sequence[Sequence[str]] = ()
    # The source's own count of records in a window of the partition axis, for the reconciliation check.
    count: Callable[[Any, FetchWindow], int] | None = None
    # The axis the source can filter on, which partitions and FetchWindows follow: a timestamptz column of
    # the schema (e.g. a scheduled time, when the API filters on nothing else), or the modified time.
    partition_column: str = SOURCE_UPDATED_AT
    # For a source with no deleted flag or listing: a run that provably read the whole set (no window, no
    # `limit`, the fetch ended without error) soft-deletes the rows it did not see (sync_entity).
    deletes_unseen: bool = False
    # Which schedule refreshes it: None = hourly when partitioned (today's partition), weekly otherwise;
    # True for an unpartitioned entity whose complete read is cheap enough to run every hour (the only way
    # to see edits when the source cannot filter on modification).
    hourly: bool | None = None
    # A partitioned entity the weekly run also reads in full (a `full_refresh` run): for what its windows
    # cannot see, i.e. rows gone from a source that lists no deletion (with `deletes_unseen`, whatever the
    # key's width) and changes that leave the modified time alone (columns joined from another record).
    weekly_full_read: bool = False
    # Columns the warehouse indexes besides the key, e.g. the column a page's `complete_scope` names (each
    # replacement then finds its scope's rows by index instead of scanning the table).
    indexes: Sequence[str] = ()
    # Records per load batch when the run config does not say (`batch_size`): a wide table holds more
    # memory per record in flight (two batches: one typed while the other loads), so it may take less.
    batch_size: int = 5000
    # Entities derived from this one's records by the same read (one multi-asset, one op).
    companions: Sequence[Companion] = ()

    @property
    def asset_keys(self) -> list[list[str]]:
        """Its own asset key, then its companions'."""
        return [self.asset_key, *(c.spec.asset_key for c in self.companions)]

    def __post_init__(self) -> None:
        if self.weekly_full_read and not self.partitioned:
            raise ValueError(f"{self.crm}.{self.name}: weekly_full_read is for a partitioned entity; an "
                             "unpartitioned one is read in full by every run already")

    @property
    def refreshed_hourly(self) -> bool:
        return self.partitioned if self.hourly is None else self.hourly

    @property
    def table(self) -> str:
        return f"{self.crm}.{self.name}"

    @property
    def asset_key(self) -> list[str]:
        return [self.crm, self.name]


@dataclass(frozen=True)
class Companion:
    """An entity filled from another entity's read: `spec.process` receives the parent's raw records (its
    `fetch` is never called) and returns the companion's rows. `scope` is the companion's column holding the
    parent's key: the rows a batch derives are the complete set of its parents' keys, so companion rows of
    those parents that are no longer derived are soft-deleted (as `Page.complete_scope` does). A parent the
    warehouse holds at a newer source version than the read's keeps its companion rows untouched, as the
    upsert keeps the parent's own row.

    It is loaded in a transaction of its own, committed just before the parent's: a run killed between the
    two commits leaves companion rows of a window whose parent rows the window's rerun loads again.
    """

    spec: EntitySpec
    scope: str


def derived_only(client: Any, request: FetchRequest) -> Iterator[Page]:
    """The `fetch` of a companion spec: its rows come from its parent's read, never from a fetch of its own."""
    raise TypeError("a companion entity is filled by its parent's read; it has no fetch of its own")
