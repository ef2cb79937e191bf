"""Warehouse DDL derived from an entity's pandera schema (CONVENTIONS.md: warehouse layout)."""

from __future__ import annotations

from dataclasses import dataclass

from psycopg import sql

from crm_pipelines.core.entity import SOURCE_UPDATED_AT, EntitySpec

# The columns every entity table carries besides the source's own fields.
SYSTEM_COLUMNS = (
    ("_source_updated_at", "timestamptz"),
    ("_synced_at", "timestamptz not null"),
    ("_deleted_at", "timestamptz"),
    ("_raw", "jsonb not null"),
    ("_run_id", "text"),
    ("_issues", "jsonb"),  # {field: problem} of the fields loaded as null because they were malformed
)

_PG_TYPES = {
    "str": "text",
    "string": "text",
    "Int64": "bigint",
    "int64": "bigint",
    "Float64": "double precision",
    "float64": "double precision",
    "boolean": "boolean",
    "bool": "boolean",
    "datetime64[ns, UTC]": "timestamptz",
    "datetime64[us, UTC]": "timestamptz",
}


@dataclass(frozen=True)
class Column:
    name: str
    pg_type: str


def data_columns(spec: EntitySpec) -> list[Column]:
    """The source fields of an entity, typed; object-dtype columns name their type in Field metadata."""
    columns = []
    for name, column in spec.schema.to_schema().columns.items():
        if name.startswith("_"):
            continue
        pg_type = (column.metadata or {}).get("pg_type") or _PG_TYPES.get(str(column.dtype))
        if pg_type is None:
            raise TypeError(f"{spec.table}.{name}: no PostgreSQL type for dtype {column.dtype}; "
                            "set Field(metadata={'pg_type': ...})")
        columns.append(Column(name, pg_type))
    return columns


def load_columns(spec: EntitySpec) -> list[Column]:
    """What a load batch carries: the data columns plus the system columns the source and typing provide."""
    return [*data_columns(spec), Column("_source_updated_at", "timestamptz"), Column("_raw", "jsonb"),
            Column("_issues", "jsonb")]


def table_ident(spec: EntitySpec) -> sql.Composed:
    return sql.Identifier(spec.crm, spec.name)


def quarantine_ident(crm: str) -> sql.Composed:
    return sql.Identifier(crm, "_quarantine")


def ensure_statements(spec: EntitySpec, existing: set[str]) -> list[sql.Composable]:
    """CREATE the schema/table/indexes if missing and ADD any column the schema gained since."""
    table = table_ident(spec)
    columns = [(c.name, c.pg_type) for c in data_columns(spec)] + list(SYSTEM_COLUMNS)
    key = sql.SQL(", ").join(map(sql.Identifier, spec.key))
    statements: list[sql.Composable] = [sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(spec.crm))]
    if not existing:
        body = sql.SQL(", ").join(
            sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(pg_type)) for name, pg_type in columns)
        statements.append(sql.SQL("CREATE TABLE IF NOT EXISTS {} ({}, PRIMARY KEY ({}))").format(table, body, key))
    else:
        for name, pg_type in columns:
            if name not in existing:
                statements.append(sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS {} {}").format(
                    table, sql.Identifier(name), sql.SQL(pg_type.replace(" not null", ""))))
    statements.append(sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (_source_updated_at)").format(
        sql.Identifier(f"{spec.name}__source_updated_at_idx"), table))
    # The reconciliation counts on the partition axis; a page's complete_scope replaces rows by its column.
    indexed = [spec.partition_column] if spec.partition_column != SOURCE_UPDATED_AT else []
    for column in dict.fromkeys([*indexed, *spec.indexes]):
        statements.append(sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} ({})").format(
            sql.Identifier(f"{spec.name}_{column}_idx"), table, sql.Identifier(column)))
    statements.extend(quarantine_statements(spec.crm))
    return statements


def quarantine_statements(crm: str) -> list[sql.Composable]:
    q = quarantine_ident(crm)
    return [
        sql.SQL("CREATE TABLE IF NOT EXISTS {} (entity text not null, source_id text, reasons jsonb not null, "
                "raw jsonb not null, run_id text, quarantined_at timestamptz not null default now(), "
                "resolved_at timestamptz)").format(q),
        # One open quarantine row per record: a rerun refreshes it instead of piling up copies.
        sql.SQL("CREATE UNIQUE INDEX IF NOT EXISTS _quarantine_open_idx ON {} (entity, source_id) "
                "WHERE resolved_at IS NULL").format(q),
    ]
