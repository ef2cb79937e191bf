"""The SalesPro tables as EntitySpecs: four Athena tables read by windows of updated_at (lead_results with
its line items as a companion, filled by the same read) and two CSV exports read whole."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from crm_pipelines.core.entity import Companion, EntitySpec, FetchRequest, Page, derived_only
from crm_pipelines.core.processing import record_processor
from crm_pipelines.sources.salespro import lead_results
from crm_pipelines.sources.salespro.resource import SalesProResource
from crm_pipelines.sources.salespro.schemas import SCHEMAS
from crm_pipelines.sources.salespro.tables import BY_NAME, LEAD_RESULTS_TABLE, TABLES, UPDATED_AT, TableDef

CRM = "salespro"
RESOURCE_KEY = "salespro"
LEAD_RESULTS_SOURCE = "lead_results"


def _athena_fetch(table: str, key: str):
    def fetch(client: SalesProResource, request: FetchRequest) -> Iterator[Page]:
        window = request.window
        for records in client.read_table(table, key, window.start, window.end):
            yield Page(records=records)

    return fetch


def _export_fetch(prefix: str):
    def fetch(client: SalesProResource, request: FetchRequest) -> Iterator[Page]:
        for records in client.read_export(prefix):
            yield Page(records=records)

    return fetch


def _rows(table: TableDef):
    fields = {"id": table.key, **{column: field for column, _, field in table.columns}}

    def row(record: dict[str, Any]) -> dict[str, Any]:
        return {column: record.get(field) for column, field in fields.items()}

    return row


def _columns(table: TableDef):
    """The same values as `_rows`, a column at a time (no per-record dict on the hot path)."""
    fields = {"id": table.key, **{column: field for column, _, field in table.columns}}

    def columns(records: list[dict[str, Any]], names) -> dict[str, list[Any]]:
        return {name: [r.get(fields[name]) for r in records] for name in names}

    return columns


def _spec(table: TableDef) -> EntitySpec:
    schema = SCHEMAS[table.name]
    if table.csv:
        fetch, how = _export_fetch(table.source), (
            "Read whole from the latest complete CSV export every hour; a row absent from it is soft-deleted "
            "(at most 5 % of the table per run).")
    else:
        fetch, how = _athena_fetch(table.source, table.key), (
            "Partitioned daily (UTC) on updated_at, read from Athena by windows of updated_at.")
    return EntitySpec(
        crm=CRM, name=table.name, schema=schema, resource_key=RESOURCE_KEY, fetch=fetch,
        process=record_processor(schema, _rows(table), UPDATED_AT, columns=_columns(table)), partitioned=not table.csv,
        deletes_unseen=table.csv, hourly=True if table.csv else None, description=f"{table.description} {how}")


def _line_items_process():
    inner = record_processor(SCHEMAS["lead_result_line_items"], lambda item: item, UPDATED_AT)

    def process(records: list[dict[str, Any]]):
        return inner([item for record in records if isinstance(record, dict)
                      for item in lead_results.line_items(record)])

    return process


LINE_ITEMS = EntitySpec(
    crm=CRM, name="lead_result_line_items", schema=SCHEMAS["lead_result_line_items"], resource_key=RESOURCE_KEY,
    fetch=derived_only, process=_line_items_process(), key=("estimate_id", "job_type_number"),
    description="SalesPro lead-result line items: the \"Job Type N\" / \"Job Type N Amount\" pairs (N = 1..6) "
                "of each lead result, filled by the lead_results read; a pair no longer in a result re-read is "
                "soft-deleted.")

LEAD_RESULTS = EntitySpec(
    crm=CRM, name=LEAD_RESULTS_TABLE, schema=SCHEMAS[LEAD_RESULTS_TABLE], resource_key=RESOURCE_KEY,
    fetch=_athena_fetch(LEAD_RESULTS_SOURCE, "estimate_id"),
    process=record_processor(SCHEMAS[LEAD_RESULTS_TABLE], lead_results.row, UPDATED_AT),
    companions=(Companion(LINE_ITEMS, scope="estimate_id"),),
    description="SalesPro lead results (Athena `lead_results`, one per estimate): the result form's "
                "{title, value} list typed into columns, the list kept in `lead_results`. Partitioned daily (UTC) "
                "on updated_at.")

ENTITIES: list[EntitySpec] = [
    _spec(BY_NAME["customers"]), _spec(BY_NAME["estimates"]), _spec(BY_NAME["credit_applications"]), LEAD_RESULTS,
    _spec(BY_NAME["offices"]), _spec(BY_NAME["users"])]

assert {t.name for t in TABLES} <= {e.name for e in ENTITIES}
