"""pandera schemas of the Genius tables, built from the table of definitions: one column per source column
(the single-column key named `id`) and per joined column, typed as GENIUS_SCHEMA.md §1 says."""

from __future__ import annotations

from typing import Any

import pandera.pandas as pa

from crm_pipelines.core import columns as c
from crm_pipelines.core.columns import Bool, EntitySchema, Int, Object, Text, Timestamp
from crm_pipelines.sources.genius.processing import columns_of
from crm_pipelines.sources.genius.tables import TABLES, TableDef

# kind -> (annotation, PostgreSQL type for object columns)
_TYPES: dict[str, tuple[Any, str | None]] = {
    "int": (Int, None), "hubspot_id": (Int, None), "bool": (Bool, None), "datetime": (Timestamp, None),
    "text": (Text, None), "email": (Text, None), "phone": (Text, None),
    "decimal": (Object, "numeric"), "date": (Object, "date"), "interval": (Object, "interval"),
    "time": (Object, "time"),
}


def schema_of(table: TableDef) -> type[EntitySchema]:
    annotations: dict[str, Any] = {}
    body: dict[str, Any] = {}
    for _, name, kind in columns_of(table):
        annotation, pg_type = _TYPES[kind]
        annotations[name] = annotation
        metadata = {"pg_type": pg_type} if pg_type else None
        body[name] = pa.Field(nullable=name not in table.warehouse_key, metadata=metadata)
    if "phone1" in body:  # what survives normalisation is E.164
        for name in ("phone1", "phone2"):
            if name in body:
                body[name] = c.phone()
    body["__annotations__"] = annotations
    body["__module__"] = __name__
    body["__doc__"] = f"Genius `{table.source}`."
    class_name = "Genius" + "".join(part.capitalize() for part in table.table.split("_"))
    return type(class_name, (EntitySchema,), body)


SCHEMAS: dict[str, type[EntitySchema]] = {table.table: schema_of(table) for table in TABLES}
