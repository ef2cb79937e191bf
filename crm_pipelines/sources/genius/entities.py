"""The Genius tables as EntitySpecs and RemovalSpecs, one per row of the table of definitions (BEHAVIOR.md
says why each is read the way it is)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from crm_pipelines.core.entity import EntitySpec, FetchRequest, FetchWindow, Page
from crm_pipelines.core.removal import RemovalSpec
from crm_pipelines.sources.genius.processing import ZoneHolder, processor
from crm_pipelines.sources.genius.resource import GeniusResource
from crm_pipelines.sources.genius.schemas import SCHEMAS
from crm_pipelines.sources.genius.tables import BY_SOURCE, TABLES, TableDef

CRM = "genius"
RESOURCE_KEY = "genius"
# Keys asked about per query by the weekly removal (one `WHERE id IN (...)` each).
REMOVAL_CHUNK = 1000


def _fetch(table: TableDef, zone: ZoneHolder):
    def fetch(client: GeniusResource, request: FetchRequest) -> Iterator[Page]:
        zone.name = client.timezone
        window = request.window
        for records in client.read(table, window.start, window.end):
            yield Page(records=records)

    return fetch


def _describe(table: TableDef) -> str:
    if table.partitioned:
        fallback = f" (rows without one by `{table.delta[1]}`)" if len(table.delta) > 1 else ""
        weekly = ("Weekly full read: refreshes the joined columns (their change leaves `updated_at` alone) and "
                  "soft-deletes the rows Genius no longer has." if table.weekly_full_read else
                  "Deletions: the weekly removal asset asks for every warehouse key.")
        how = (f"Partitioned daily (UTC) on `{table.delta[0]}`{fallback}, GENIUS_TIMEZONE wall time converted; "
               f"hourly runs read today's partition. {weekly}")
    else:
        how = "Small: read in full every hour; rows no longer in Genius are soft-deleted."
    return f"Genius `{table.source}`. {how}"


def _spec(table: TableDef) -> EntitySpec:
    zone = ZoneHolder()
    return EntitySpec(
        crm=CRM, name=table.table, schema=SCHEMAS[table.table], resource_key=RESOURCE_KEY,
        fetch=_fetch(table, zone), process=processor(table, zone), key=table.warehouse_key,
        partitioned=table.partitioned, hourly=None if table.partitioned else True, deletes_unseen=True,
        weekly_full_read=table.weekly_full_read,
        count=_count(table) if table.partitioned else None,
        deps=[[CRM, BY_SOURCE[parent].table] for parent in table.refers],
        # Rows of up to ~40 columns: batches of 5,000 peaked at 272 MB copying 1M rows, 2,500 at 223 MB
        # at the same speed (benchmarks/README.md).
        batch_size=2500, description=_describe(table))


def _count(table: TableDef):
    def count(client: GeniusResource, window: FetchWindow) -> int:
        return client.count(table, window.start, window.end)

    return count


def _missing(table: TableDef):
    def find_deleted(client: GeniusResource, keys: list[Any]) -> list[Any]:
        return client.missing_keys(table, keys)

    return find_deleted


ENTITIES: list[EntitySpec] = [_spec(table) for table in TABLES]
# Large tables are read by window: a weekly complete read is how they learn of deletions (the small ones,
# read in full every hour, learn it from that read). Those read in full weekly anyway (`weekly_full_read`)
# learn it from that read; the others from a read of their keys.
REMOVALS: list[RemovalSpec] = [
    RemovalSpec(crm=CRM, entity=table.table, resource_key=RESOURCE_KEY, find_deleted=_missing(table),
                chunk=REMOVAL_CHUNK,
                description=f"Weekly: soft-deletes genius.{table.table} rows whose key Genius no longer has.")
    for table in TABLES if table.partitioned and not table.weekly_full_read
]
