"""The generic processor: raw records -> typed frame, typed by the entity's schema."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pandera.pandas as pa

from crm_pipelines.core.columns import converter_kinds
from crm_pipelines.core.entity import Process, Processed
from crm_pipelines.core.normalize import convert_frame


def record_processor(schema: type[pa.DataFrameModel], extract: Callable[[dict[str, Any]], dict[str, Any]],
                     modified_column: str | None, *, naive_tz: str = "UTC") -> Process:
    """Build a processor: `extract` flattens one raw record into {column: raw value}; every schema column
    is converted by its declared kind; `modified_column` (typed) becomes `_source_updated_at`."""
    kinds = converter_kinds(schema)
    options = {name: {"naive_tz": naive_tz} for name, kind in kinds.items() if kind in ("datetime", "date")}

    def process(records: list[dict[str, Any]]) -> Processed:
        raw = pd.DataFrame.from_records([extract(r) for r in records], columns=list(kinds))
        typed, reasons = convert_frame(raw, kinds, options=options)
        if modified_column is not None:
            typed["_source_updated_at"] = typed[modified_column]
        else:
            typed["_source_updated_at"] = pd.Series(pd.NaT, index=typed.index, dtype="datetime64[ns, UTC]")
        typed["_raw"] = pd.Series(records, index=typed.index, dtype=object)
        return Processed(frame=typed, reasons=reasons)

    return process
