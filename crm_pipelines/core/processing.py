"""The generic processor: raw records -> typed frame, typed by the entity's schema."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from crm_pipelines.core.columns import converter_kinds
from crm_pipelines.core.entity import Process, Processed
from crm_pipelines.core.normalize import convert_frame

# records, column names -> one list of raw values per name (None where a record lacks the field)
ColumnExtract = Callable[[list[dict[str, Any]], Sequence[str]], dict[str, Sequence[Any]]]


def record_processor(schema: type[pa.DataFrameModel], extract: Callable[[dict[str, Any]], dict[str, Any]],
                     modified_column: str | None, *, naive_tz: str = "UTC",
                     columns: ColumnExtract | None = None) -> Process:
    """Build a processor: `extract` flattens one raw record into {column: raw value}; every schema column
    is converted by its declared kind; `modified_column` (typed) becomes `_source_updated_at`.

    `columns`, when given, must extract the same values as `extract`, a column at a time: it saves the
    per-record dict a flattening costs (a few µs a record, on the hot path of every sync).
    """
    kinds = converter_kinds(schema)
    names = list(kinds)
    options = {name: {"naive_tz": naive_tz} for name, kind in kinds.items() if kind in ("datetime", "date")}

    def by_record(records: list[dict[str, Any]], wanted: Sequence[str]) -> dict[str, Sequence[Any]]:
        rows = [extract(r) for r in records]
        return {name: [row.get(name) for row in rows] for name in wanted}

    extract_columns = columns or by_record

    def process(records: list[dict[str, Any]]) -> Processed:
        index = pd.RangeIndex(len(records))
        # A record that is not an object yields no fields (split_valid quarantines it by its `_raw`).
        objects = records if set(map(type, records)) <= {dict} else [r if type(r) is dict else {} for r in records]
        # Object columns keep every value exactly as decoded (no float-widening of JSON integers).
        raw = pd.DataFrame({name: _objects(values) for name, values in extract_columns(objects, names).items()},
                           index=index, columns=names, copy=False)  # no consolidation copy: read-only
        typed, issues = convert_frame(raw, kinds, options=options)
        if modified_column is not None:
            typed["_source_updated_at"] = typed[modified_column]
        else:
            typed["_source_updated_at"] = pd.Series(pd.NaT, index=typed.index, dtype="datetime64[ns, UTC]")
        typed["_raw"] = pd.Series(_objects(records), index=typed.index, dtype=object)
        return Processed(frame=typed, issues=issues)

    return process


def _objects(values: Sequence[Any]) -> np.ndarray:
    # fromiter, not np.array: a list of equal-length lists must stay a column of lists, not become 2-D.
    return np.fromiter(values, dtype=object, count=len(values))
