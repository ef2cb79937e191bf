"""Plumbing shared by the raw-value converters; the public API lives in normalize.py."""

from __future__ import annotations

import itertools
import json
import math
import operator
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

EMPTY_PLACEHOLDERS = frozenset({"(No value)", "N/A", "n/a", "NA", "null", "None", "."})

NAT = np.iinfo(np.int64).min  # the int64 pattern pandas uses for NaT


def case_variants(word: str) -> set[str]:
    return {"".join(chars) for chars in itertools.product(*({c.lower(), c.upper()} for c in word))}


# Every casing spelled out, so one hash lookup replaces a lower() pass over the column.
_EMPTY_VARIANTS = list({""}.union(*(case_variants(p) for p in EMPTY_PLACEHOLDERS)))


class Converted(NamedTuple):
    values: pd.Series  # typed, same index as raw; nulls where raw was empty or invalid
    invalid: pd.Series  # bool, same index: True where raw had a non-empty value that could not be converted


class Distinct(NamedTuple):
    """A column reduced to its distinct trimmed non-empty strings.

    CRM columns repeat a lot (stages, owners, dates, amounts), so converters parse each distinct string once and
    the result is broadcast back with `codes`. Columns whose first rows are nearly all distinct (timestamps,
    e-mails) skip the factorize, which would cost ~15% of their conversion for nothing.
    """

    text: pd.Series  # distinct trimmed non-empty strings, RangeIndex
    codes: np.ndarray  # per raw row: position in text, or -1 where the raw value was empty


def as_text(value: Any) -> str | None:
    """Text form of a non-string value (JSON number/bool, Decimal, datetime...), so converters only parse strings.

    Bytes (MySQL BLOB/BIT) are read as UTF-8; bytes that are not UTF-8 keep their bad bytes as lone
    surrogates ("surrogateescape"), which no converter accepts and `storable` rejects, so they end up invalid
    instead of being stored as the text "b'...'".
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", "surrogateescape")
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if math.isnan(value):
            return None
        # 17.0 must read as an integer and 1e+16 must not need exponent support in to_int.
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return None if value.is_nan() else str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).isoformat()
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, default=str)
    return str(value)


def as_objects(raw: pd.Series) -> np.ndarray:
    return raw.to_numpy(dtype=object)


def bits_as_ints(values: np.ndarray) -> np.ndarray:
    """Bytes read as a big-endian unsigned integer, as MySQL sends a BIT(n) column (BIT(1): b"\\x00"/b"\\x01");
    empty bytes are empty. A column without bytes (nearly all) costs two C-level passes."""
    others = non_text(values)
    if _BYTES.isdisjoint(map(type, values[others])):
        return values
    values = values.copy()
    for i in others:
        if type(values[i]) in _BYTES:
            value = bytes(values[i])
            values[i] = int.from_bytes(value, "big") if value else None
    return values


_BYTES = frozenset({bytes, bytearray, memoryview})


def storable(texts: pd.Series) -> np.ndarray:
    """True per text that PostgreSQL text can hold: valid UTF-8 (no lone surrogate) and no NUL character."""
    values = texts.to_numpy(dtype=object)
    joined = "\x01".join(values)  # one C-level pass proves the usual case
    try:
        joined.encode("utf-8")
        if "\x00" not in joined:
            return np.ones(len(values), dtype=bool)
    except UnicodeEncodeError:
        pass
    return each(_storable_one, values, bool)


def _storable_one(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def each(fn: Callable[[Any], Any], values: pd.Series | np.ndarray, dtype: Any = object) -> np.ndarray:
    """fn over every value: a plain map beats pandas' .str methods, whose wrappers cost ~0.5 µs per value."""
    values = values.to_numpy() if isinstance(values, pd.Series) else values
    return np.fromiter(map(fn, values), dtype=dtype, count=len(values))


def matching(pattern: re.Pattern[str], texts: np.ndarray) -> np.ndarray:
    """True per text that `pattern` matches in full, without a Python call per text.

    Match objects are dropped at once: keeping 100k+ of them alive wakes the cyclic GC, which then scans
    the whole heap and can double a converter's run time.
    """
    found = map(operator.is_not, map(pattern.fullmatch, texts), itertools.repeat(None))
    return np.fromiter(found, dtype=bool, count=len(texts))


def non_text(values: np.ndarray) -> np.ndarray:
    """Positions of the values that are not str (None included); the usual all-str column is recognised in C."""
    if infer_dtype(values, skipna=True) in ("string", "empty"):
        return np.zeros(0, dtype=np.intp)
    return np.flatnonzero(np.fromiter(map(type, values), dtype=object, count=len(values)) != str)


def _mostly_distinct(values: np.ndarray, sample: int = 2000) -> bool:
    head = values[:sample]
    head = head[head != None]  # noqa: E711 - str or None by now; 4x cheaper than pd.notna
    return len(head) > 100 and len(pd.unique(head)) > 0.9 * len(head)


def distinct(values: np.ndarray) -> Distinct:
    others = non_text(values)
    if len(others):
        values = values.copy()
        values[others] = np.fromiter(map(as_text, values[others]), dtype=object, count=len(others))
    if _mostly_distinct(values):
        # Factorizing a column of timestamps or e-mails buys nothing: let every row be its own text.
        missing = np.asarray(values == None, dtype=bool)  # noqa: E711 - str or None by now
        codes, uniques = np.where(missing, -1, np.arange(len(values))), np.where(missing, "", values)
    else:
        codes, uniques = pd.factorize(values)
    text = pd.Series(np.fromiter(map(str.strip, uniques), dtype=object, count=len(uniques)))
    keep = ~text.isin(_EMPTY_VARIANTS).to_numpy()
    if keep.all():
        return Distinct(text, codes)
    remap = np.full(len(text) + 1, -1, dtype=np.intp)  # the extra slot maps code -1 (null) to -1
    remap[np.flatnonzero(keep)] = np.arange(keep.sum())
    return Distinct(text[keep].reset_index(drop=True), remap[codes])


def _spread(codes: np.ndarray, per_text: np.ndarray, null: Any) -> np.ndarray:
    """Broadcast one value per distinct text to the rows; code -1 picks the appended null slot."""
    padded = np.empty(len(per_text) + 1, dtype=per_text.dtype)
    padded[:-1] = per_text
    padded[-1] = null
    return padded[codes]


def build(raw: pd.Series, d: Distinct, data: np.ndarray, ok: np.ndarray, dtype: str) -> Converted:
    """Assemble a Converted from one parse result per distinct text (`data` is ignored where `ok` is False).

    dtype: "Int64" / "Float64" / "boolean" (masked), "datetime" (int64 ns since epoch, UTC) or "object".
    """
    ok = np.asarray(ok, dtype=bool)
    invalid = pd.Series(_spread(d.codes, ~ok, False), index=raw.index, name=raw.name)
    if dtype == "object":
        data = np.asarray(data, dtype=object)
        data[~ok] = None
        values = pd.Series(_spread(d.codes, data, None), index=raw.index, name=raw.name, dtype=object)
    elif dtype == "datetime":
        i8 = np.where(ok, data, NAT).astype(np.int64)
        values = pd.Series(_spread(d.codes, i8, NAT).view("M8[ns]"), index=raw.index, name=raw.name)
        values = values.dt.tz_localize("UTC")
    else:
        array_type = {"Int64": pd.arrays.IntegerArray, "Float64": pd.arrays.FloatingArray,
                      "boolean": pd.arrays.BooleanArray}[dtype]
        masked = array_type(_spread(d.codes, np.where(ok, data, 0).astype(data.dtype), 0),
                            _spread(d.codes, ~ok, True))
        values = pd.Series(masked, index=raw.index, name=raw.name)
    return Converted(values, invalid)
