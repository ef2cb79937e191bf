"""Split a processed batch into rows to load (bad optional fields nulled and named in `_issues`) and records
to quarantine (those that cannot be placed), each with its reasons."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandas.api.types import infer_dtype
from pandera.engines import pandas_engine

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
    """(rows to load, with their `_issues` column; records to quarantine, with their reasons).

    A field that fails its conversion or a schema check is loaded as null and named in the row's `_issues`
    ({field: problem}; None when the row is clean), its raw value staying in `_raw`. Only a record that
    cannot be placed is quarantined:
    - it is not an object (its `_raw` is not a dict);
    - a key column (or another column the schema declares non-nullable) is missing, unconvertible or fails
      its check: the row would have no identity;
    - the entity is partitioned (`spec.partitioned`) and the record has no readable modified time
      (`_source_updated_at` is null, whether the source sent none or one that could not be read): it falls
      into no partition, so no partitioned run or reconciliation could ever account for it.
    The reasons list the placement problem first, then the record's field issues.
    """
    frame = processed.frame
    issues = processed.issues.to_numpy(dtype=object, copy=True)  # a row's dict is replaced, never edited
    required = _required(spec)
    blocking: dict[int, list[str]] = {}
    nulled: dict[str, list[int]] = {}
    try:
        _validate(spec.schema, frame)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        table_level = cases[cases["index"].isna()]
        if not table_level.empty:
            # A missing column or a wrong dtype is a bug in the processor, not bad data: fail loudly.
            raise ValueError(f"{spec.table}: processed frame does not fit its schema: "
                             f"{table_level[['column', 'check']].to_dict('records')}") from errors
        positions = frame.index.get_indexer(cases["index"])
        for pos, case in zip(positions.tolist(), cases.itertuples(index=False)):
            if case.column in required:
                blocking.setdefault(pos, []).append(
                    f"{case.column}: failed {case.check} (value {_short(case.failure_case)})")
            else:
                nulled.setdefault(case.column, []).append(pos)
                issues[pos] = {case.column: f"failed {case.check}", **(issues[pos] or {})}
    raws = frame["_raw"].tolist()
    for pos in _unplaceable(spec, frame):
        reason = "_source_updated_at: no readable modified time" if type(raws[pos]) is dict else \
            "record: not an object"
        blocking.setdefault(pos, []).insert(0, reason)
    for pos, reasons in blocking.items():
        reasons.extend(f"{field}: {problem}" for field, problem in (issues[pos] or {}).items())
    frame = _null_fields(frame, nulled)
    frame["_issues"] = pd.Series(issues, index=frame.index, dtype=object)
    if not blocking:
        return _dedupe(frame, spec.key), []
    bad = np.zeros(len(frame), dtype=bool)
    bad[list(blocking)] = True
    rows = frame[bad]  # column lists instead of frame.at per cell: quarantines can be a few % of a batch
    keys = list(zip(*(rows[k].tolist() for k in spec.key)))
    quarantined = [
        QuarantineRow(source_id=_source_id(parts, raw), reasons=blocking[pos], raw=raw,
                      source_updated_at=_present(modified))
        for pos, parts, raw, modified in zip(np.flatnonzero(bad).tolist(), keys, rows["_raw"].tolist(),
                                             rows["_source_updated_at"].tolist())
    ]
    return _dedupe(frame[~bad], spec.key), quarantined


def _required(spec: EntitySpec) -> set[str]:
    """Columns without which a row cannot be placed: the key, and whatever the schema says must be set."""
    columns = spec.schema.to_schema().columns
    return set(spec.key) | {name for name, col in columns.items() if not col.nullable}


def _unplaceable(spec: EntitySpec, frame: pd.DataFrame) -> list[int]:
    """Positions of records that are not objects or, for a partitioned entity, lack a modified time."""
    raws = frame["_raw"].to_numpy(dtype=object)
    bad = np.fromiter(map(type, raws), dtype=object, count=len(raws)) != dict
    if spec.partitioned:
        bad |= frame["_source_updated_at"].isna().to_numpy()
    return np.flatnonzero(bad).tolist()


def _null_fields(frame: pd.DataFrame, nulled: dict[str, list[int]]) -> pd.DataFrame:
    """The frame with the given positions of each column set to null (a copy: `processed` stays as it was)."""
    frame = frame.copy(deep=False)
    for column, positions in nulled.items():
        series = frame[column]
        mask = np.zeros(len(frame), dtype=bool)
        mask[positions] = True
        if series.dtype == object:  # None, not NaN: the COPY text path reads None as null
            values = series.to_numpy(dtype=object, copy=True)
            values[mask] = None
            frame[column] = pd.Series(values, index=frame.index, dtype=object)
        else:
            frame[column] = series.mask(mask)
    return frame


def _validate(model: type[pa.DataFrameModel], frame: pd.DataFrame) -> None:
    """pandera's verdict on `frame`, at a fraction of its cost.

    Full validation spends most of its time proving, value by value, that str columns hold str. The
    converters type every column, so a vectorised dtype check (`infer_dtype`, in C) settles that; pandera
    then only runs the columns that carry checks or refuse nulls, which yields the same failure cases.
    Whenever the cheap check is not sure, the full schema runs and reports exactly as before.
    """
    plan = _plan(model)
    if plan is None or not _dtypes_fit(plan, frame):
        model.validate(frame, lazy=True)
        return
    if plan.checked is None:
        return
    suspects = _suspects(plan, frame)
    if suspects is None:
        plan.checked.validate(frame[plan.checked_names], lazy=True)
    elif suspects.any():
        # Rows outside `suspects` pass every check, so pandera's failure cases (with their original
        # index) are the same as over the whole batch.
        plan.checked.validate(frame.loc[suspects, plan.checked_names], lazy=True)


def _suspects(plan: _Plan, frame: pd.DataFrame) -> np.ndarray | None:
    """Rows that may fail a check: a null in a non-nullable column, or a text that the column's
    `str_matches` pattern does not match (pandera's own test: `re.match`, nulls ignored). None when a
    check of another kind needs pandera on every row."""
    suspects = np.zeros(len(frame), dtype=bool)
    for name, nullable, patterns in plan.regex_only:
        values = frame[name].to_numpy(dtype=object)
        missing = pd.isna(values)
        if not nullable:
            suspects |= missing
        for pattern in patterns:
            match = pattern.match
            suspects |= ~missing & np.fromiter(
                (type(v) is not str or match(v) is None for v in values), dtype=bool, count=len(values))
    return None if plan.others else suspects


@dataclass(frozen=True)
class _Plan:
    dtypes: tuple[tuple[str, Any], ...]  # (column, pandera DataType) of every schema column
    checked_names: list[str]
    checked: pa.DataFrameSchema | None  # those columns' checks and nullability, without their dtypes
    regex_only: list[tuple[str, bool, list[re.Pattern[str]]]]  # (column, nullable, str_matches patterns)
    others: bool  # some checked column has a check that is not a plain str_matches


@lru_cache(maxsize=256)
def _plan(model: type[pa.DataFrameModel]) -> _Plan | None:
    schema = model.to_schema()
    if schema.checks or schema.index is not None or schema.unique or schema.coerce or any(
            col.coerce or col.unique or col.regex or not col.required for col in schema.columns.values()):
        return None  # anything beyond per-column checks: let pandera do all of it
    names = [n for n, col in schema.columns.items() if col.checks or not col.nullable]
    checked = None
    if names:
        checked = schema.select_columns(names).update_columns({n: {"dtype": None} for n in names})
    regex_only, others = [], False
    for name in names:
        column = schema.columns[name]
        patterns = [_str_matches_pattern(check) for check in column.checks]
        if None in patterns:
            others = True
        else:
            regex_only.append((name, column.nullable, patterns))
    return _Plan(tuple((n, col.dtype) for n, col in schema.columns.items()), names, checked, regex_only, others)


def _str_matches_pattern(check: Any) -> re.Pattern[str] | None:
    pattern = (check.statistics or {}).get("pattern")
    if check.name != "str_matches" or not check.ignore_na or check.groupby is not None or pattern is None:
        return None
    return pattern if isinstance(pattern, re.Pattern) else re.compile(pattern)


def _dtypes_fit(plan: _Plan, frame: pd.DataFrame) -> bool:
    for name, expected in plan.dtypes:
        if name not in frame.columns:
            return False
        series = frame[name]
        if isinstance(expected, pandas_engine.NpString):
            # pandera's own test is element-wise: every value a str or missing.
            if series.dtype != object or infer_dtype(series.to_numpy(), skipna=True) not in ("string", "empty"):
                return False
        elif expected is not None and not expected.check(pandas_engine.Engine.dtype(series.dtype)):
            return False
    return True


def _dedupe(frame: pd.DataFrame, key: tuple[str, ...]) -> pd.DataFrame:
    """Keep the latest version of a record seen twice in one batch (ON CONFLICT cannot touch a row twice)."""
    if not frame.duplicated(list(key)).any():
        return frame
    ordered = frame.sort_values("_source_updated_at", kind="stable", na_position="first")
    return ordered.drop_duplicates(list(key), keep="last")


def _source_id(parts: tuple[Any, ...], raw: Any) -> str | None:
    if any(p is None or (isinstance(p, float) and pd.isna(p)) for p in parts):
        fallback = raw.get("id") if isinstance(raw, dict) else None
        return str(fallback) if fallback is not None else None
    return ":".join(str(p) for p in parts)


def _present(value: Any) -> Any:
    return None if value is None or pd.isna(value) else value


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
