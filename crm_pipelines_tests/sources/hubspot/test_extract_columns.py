"""The column-at-a-time extraction of HubSpot objects gives exactly what the per-record one gives."""

from __future__ import annotations

from crm_pipelines.core.columns import converter_kinds
from crm_pipelines.sources.hubspot import schemas
from crm_pipelines.sources.hubspot.entities import _object_columns, _object_extract

NAMES = list(converter_kinds(schemas.Contact))


def _by_record(records):
    rows = [_object_extract(r) for r in records]
    return {name: [row.get(name) for row in rows] for name in NAMES}


def test_columns_match_the_per_record_extraction():
    full = {"id": "1", "createdAt": "c", "updatedAt": "u", "archived": False,
            "properties": {name: f"v-{name}" for name in NAMES} | {"id": "shadowed", "archived": "shadowed"}}
    partial = {"id": "2", "properties": {"email": "a@b.co"}}
    empty = {"id": "3", "properties": None}
    bare = {"id": "4"}
    for records in ([full, full], [full, partial, empty, bare], [partial], [], [bare, full]):
        columns = _object_columns(records, NAMES)
        assert {name: list(values) for name, values in columns.items()} == _by_record(records)
        assert list(columns) == NAMES
