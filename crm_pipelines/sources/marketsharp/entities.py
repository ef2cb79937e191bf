"""The MarketSharp entity sets as EntitySpecs, one per row of the set table (BEHAVIOR.md says why each is
read the way it is)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from crm_pipelines.core.entity import EntitySpec, FetchRequest, Page
from crm_pipelines.core.processing import record_processor
from crm_pipelines.sources.marketsharp.resource import MarketSharpResource
from crm_pipelines.sources.marketsharp.schemas import SCHEMAS
from crm_pipelines.sources.marketsharp.sets import SETS, SetDef, snake

CRM = "marketsharp"
RESOURCE_KEY = "marketsharp"


def _fetch(setdef: SetDef):
    def fetch(client: MarketSharpResource, request: FetchRequest) -> Iterator[Page]:
        window = request.window
        for records in client.read(setdef, window.start, window.end):
            yield Page(records=records)

    return fetch


def _rows(setdef: SetDef):
    key = snake(setdef.key)

    def row(record: dict[str, Any]) -> dict[str, Any]:
        values = {snake(name): value for name, value in record.items()}
        values[key] = None if values.get(key) is None else str(values[key])  # integer keys are kept as text
        return values

    return row


def _spec(setdef: SetDef) -> EntitySpec:
    schema = SCHEMAS[setdef.table]
    if setdef.incremental:
        how = ("Partitioned daily (UTC) on lastUpdate (the company's local time, converted); a full refresh "
               "soft-deletes rows MarketSharp no longer lists.")
    else:
        how = "No lastUpdate: read in full (weekly), soft-deleting rows MarketSharp no longer lists."
    return EntitySpec(
        crm=CRM, name=setdef.table, schema=schema, resource_key=RESOURCE_KEY, fetch=_fetch(setdef),
        process=record_processor(schema, _rows(setdef), "last_update" if setdef.incremental else None),
        key=(snake(setdef.key),), partitioned=setdef.incremental, deletes_unseen=True, description=f"{setdef.description} {how}")


ENTITIES: list[EntitySpec] = [_spec(setdef) for setdef in SETS]
