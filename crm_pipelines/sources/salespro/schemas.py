"""pandera schemas of the SalesPro tables, built from the table list (tables.py): the key as `id`, every
other column under the source's name, typed by its kind."""

from __future__ import annotations

from typing import Any

from crm_pipelines.core import columns as c
from crm_pipelines.core.columns import Bool, EntitySchema, Int, Object, Text, Timestamp
from crm_pipelines.sources.salespro.tables import LEAD_RESULT_COLUMNS, STATUS_BUCKET, TABLES

_ANNOTATION = {"text": Text, "int": Int, "bool": Bool, "datetime": Timestamp, "email": Text, "phone": Text,
               "money": Object, "json": Object}
_FIELD = {"email": c.email, "phone": c.phone, "money": c.money, "json": c.json}


def build(name: str, columns: list[tuple[str, str]], key: tuple[str, ...] = ("id",),
          key_kinds: dict[str, str] | None = None) -> type[EntitySchema]:
    annotations: dict[str, Any] = {}
    body: dict[str, Any] = {}
    for column in key:
        kind = (key_kinds or {}).get(column, "text")
        annotations[column] = _ANNOTATION[kind]
        body[column] = c.key()
    for column, kind in columns:
        annotations[column] = _ANNOTATION[kind]
        body[column] = _FIELD.get(kind, c.optional)()
    body["__annotations__"] = annotations
    body["__module__"] = __name__
    body["__doc__"] = f"SalesPro `{name}`."
    return type("".join(part.capitalize() for part in name.split("_")), (EntitySchema,), body)


SCHEMAS: dict[str, type[EntitySchema]] = {t.name: build(t.name, [(column, kind) for column, kind, _ in t.columns])
                                           for t in TABLES}
SCHEMAS["lead_results"] = build("lead_results", [
    ("company_id", "text"), ("lead_results", "json"), ("created_at", "datetime"), ("updated_at", "datetime"),
    *((column, kind) for column, kind, _ in LEAD_RESULT_COLUMNS), (STATUS_BUCKET, "text")])
SCHEMAS["lead_result_line_items"] = build(
    "lead_result_line_items", [("job_type", "text"), ("amount", "money"), ("updated_at", "datetime")],
    key=("estimate_id", "job_type_number"), key_kinds={"job_type_number": "int"})
