"""pandera schemas of the MarketSharp entity sets, built from the set table (sets.py): one column per OData
property, named in snake_case; ids as received (GUID text or integer digits), stored as text."""

from __future__ import annotations

from typing import Any

from crm_pipelines.core import columns as c
from crm_pipelines.core.columns import Bool, EntitySchema, Float, Int, Object, Text, Timestamp
from crm_pipelines.sources.marketsharp.sets import SETS, SetDef, snake

_ANNOTATION = {"text": Text, "int": Int, "float": Float, "bool": Bool, "datetime": Timestamp, "email": Text,
               "phone": Text, "money": Object}
_FIELD = {"email": c.email, "phone": c.phone, "money": c.money}


def schema_of(setdef: SetDef) -> type[EntitySchema]:
    key = snake(setdef.key)
    annotations: dict[str, Any] = {key: Text}
    body: dict[str, Any] = {key: c.key(str_matches=setdef.id_pattern)}
    for prop, kind in setdef.columns:
        name = snake(prop)
        annotations[name] = _ANNOTATION[kind]
        body[name] = _FIELD.get(kind, c.optional)()
    body["__annotations__"] = annotations
    body["__module__"] = __name__
    body["__doc__"] = f"MarketSharp `{setdef.entity_set}`."
    class_name = "".join(part.capitalize() for part in setdef.table.split("_"))
    return type(class_name, (EntitySchema,), body)


SCHEMAS: dict[str, type[EntitySchema]] = {setdef.table: schema_of(setdef) for setdef in SETS}
