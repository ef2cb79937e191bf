"""Split a processed batch into rows to load and rows to quarantine, each quarantined row with its reasons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import pandera.pandas as pa

from crm_pipelines.core.entity import EntitySpec, Processed


@dataclass
class QuarantineRow:
    source_id: str | None
    reasons: list[str]
    raw: Any
    source_updated_at: Any = None  # typed modification time, when the record had a readable one

    def as_dict(self) -> dict[str, Any]:
        return {"source_id": self.source_id, "reasons": self.reasons}


def split_valid(spec: EntitySpec, processed: Processed) -> tuple[pd.DataFrame, list[QuarantineRow]]:
    frame = processed.frame
    reasons: dict[Any, list[str]] = {i: list(r) for i, r in processed.reasons.items() if r}
    try:
        spec.schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        table_level = cases[cases["index"].isna()]
        if not table_level.empty:
            # A missing column or a wrong dtype is a bug in the processor, not bad data: fail loudly.
            raise ValueError(f"{spec.table}: processed frame does not fit its schema: "
                             f"{table_level[['column', 'check']].to_dict('records')}") from errors
        for case in cases.itertuples(index=False):
            reasons.setdefault(case.index, []).append(
                f"{case.column}: failed {case.check} (value {_short(case.failure_case)})")
    if not reasons:
        return _dedupe(frame, spec.key), []
    bad = frame.index.isin(list(reasons))
    quarantined = [
        QuarantineRow(source_id=_source_id(frame, idx, spec.key), reasons=reasons[idx], raw=frame.at[idx, "_raw"],
                      source_updated_at=_present(frame.at[idx, "_source_updated_at"]))
        for idx in frame.index[bad]
    ]
    return _dedupe(frame[~bad], spec.key), quarantined


def _dedupe(frame: pd.DataFrame, key: tuple[str, ...]) -> pd.DataFrame:
    """Keep the latest version of a record seen twice in one batch (ON CONFLICT cannot touch a row twice)."""
    if not frame.duplicated(list(key)).any():
        return frame
    ordered = frame.sort_values("_source_updated_at", kind="stable", na_position="first")
    return ordered.drop_duplicates(list(key), keep="last")


def _source_id(frame: pd.DataFrame, idx: Any, key: tuple[str, ...]) -> str | None:
    parts = [frame.at[idx, k] for k in key]
    if any(p is None or (isinstance(p, float) and pd.isna(p)) for p in parts):
        raw = frame.at[idx, "_raw"]
        fallback = raw.get("id") if isinstance(raw, dict) else None
        return str(fallback) if fallback is not None else None
    return ":".join(str(p) for p in parts)


def _present(value: Any) -> Any:
    return None if value is None or pd.isna(value) else value


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
