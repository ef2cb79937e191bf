"""Column vocabulary for entity schemas: one pandera declaration says the dtype, the checks, the warehouse
type and the converter kind, so a schema is the single source of truth for typing an entity."""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

Text = Series[str]
Int = Series[pd.Int64Dtype]
Float = Series[pd.Float64Dtype]
Bool = Series[pd.BooleanDtype]
Timestamp = Series[Annotated[pd.DatetimeTZDtype, "ns", "UTC"]]
Object = Series[object]

E164_PATTERN = r"^\+[1-9][0-9]{6,14}$"

_KIND_BY_DTYPE = {
    "str": "text", "Int64": "int", "Float64": "float", "boolean": "bool", "datetime64[ns, UTC]": "datetime",
}


def key(**kwargs: Any) -> Any:
    return pa.Field(nullable=False, **kwargs)


def optional(**kwargs: Any) -> Any:
    return pa.Field(nullable=True, **kwargs)


def email() -> Any:
    # No pattern check here: the converter (email-validator) is the one judge of an address, and it only
    # lets through what it accepted.
    return pa.Field(nullable=True, metadata={"kind": "email"})


def phone() -> Any:
    return pa.Field(nullable=True, str_matches=E164_PATTERN, metadata={"kind": "phone"})


def date() -> Any:
    return pa.Field(nullable=True, metadata={"kind": "date", "pg_type": "date"})


def money() -> Any:
    return pa.Field(nullable=True, metadata={"kind": "decimal", "pg_type": "numeric"})


def string_list() -> Any:
    return pa.Field(nullable=True, metadata={"kind": "list", "pg_type": "jsonb"})


def json() -> Any:
    return pa.Field(nullable=True, metadata={"kind": "json", "pg_type": "jsonb"})


class EntitySchema(pa.DataFrameModel):
    """Base of every entity schema: extra columns (`_raw`, `_source_updated_at`) are allowed."""

    class Config:
        strict = False
        coerce = False


def converter_kinds(schema: type[pa.DataFrameModel], skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Field name -> converter kind (crm_pipelines.core.normalize.CONVERTERS) for every schema column."""
    kinds = {}
    for name, column in schema.to_schema().columns.items():
        if name.startswith("_") or name in skip:
            continue
        kind = (column.metadata or {}).get("kind") or _KIND_BY_DTYPE.get(str(column.dtype))
        if kind is None:
            raise TypeError(f"{schema.__name__}.{name}: no converter for dtype {column.dtype}; "
                            "declare it with a crm_pipelines.core.columns helper")
        kinds[name] = kind
    return kinds
