"""A load batch as one PostgreSQL COPY text-format payload, built a column at a time.

psycopg's `write_row` adapts every value in Python (~80 µs a row of a HubSpot contact, most of it jsonb
dumping and the conversion of pandas scalars). Here each column becomes a list of already-escaped texts
with one vectorised step per column (numpy for numbers, timestamps and booleans; one `str.join` scan to
prove a text column needs no escaping), and rows are joined once. Text costs PostgreSQL a little more
parsing than binary, but the sync's bottleneck is the client's one Python thread, not the server.

`encode_batch` returns None when a column's type or dtype is not one it knows; the caller then falls back
to psycopg's per-row binary COPY, so an unforeseen column is slower, never wrong.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from crm_pipelines.core import jsonb

NULL = "\\N"
# COPY text format: backslash, newline, carriage return and the tab delimiter must be escaped.
_SPECIALS = ("\\", "\t", "\n", "\r")
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NAT = np.iinfo(np.int64).min
_MASKED = (pd.arrays.BooleanArray, pd.arrays.IntegerArray, pd.arrays.FloatingArray)


class Unsupported(Exception):
    """The column cannot be encoded here; the caller uses the generic path."""


def encode_batch(frame: pd.DataFrame, columns: Sequence[tuple[str, str]]) -> bytes | None:
    """COPY text payload of `frame`'s columns [(name, pg_type)], or None if one of them is not supported."""
    try:
        texts = [_ENCODERS[base_type(pg_type)](frame[name]) for name, pg_type in columns]
    except (Unsupported, KeyError):
        return None
    # Each row is encoded on its own: one row with a character beyond Latin-1 (an emoji) would otherwise make
    # the whole payload a 4-byte-per-character string before encoding (3x the cost of the join, measured).
    return b"\n".join([row.encode() for row in map("\t".join, zip(*texts))]) + b"\n"


def base_type(pg_type: str) -> str:
    return pg_type.replace(" not null", "").strip()


def _present(series: pd.Series, exact: bool = False) -> tuple[list, np.ndarray]:
    """(the non-missing values, missing mask); None, NaN, pd.NA and NaT are missing, as in the binary path.

    Without `exact` only None counts (4x cheaper than pd.isna): callers then reject any present value
    that is not of their type, so a NaN or pd.NA sends the batch to the binary path, which nulls it.
    """
    values = series.to_numpy(dtype=object)
    missing = pd.isna(values) if exact else np.asarray(values == None, dtype=bool)  # noqa: E711
    return (values[~missing] if missing.any() else values).tolist(), missing


def _fill(texts: list[str], missing: np.ndarray) -> list[str]:
    """Put NULL markers back at the missing positions of a list built from the present values only."""
    if not missing.any():
        return texts
    out = np.full(len(missing), NULL, dtype=object)
    out[~missing] = texts
    return out.tolist()


def _escaped(texts: list[str]) -> list[str]:
    joined = "".join(texts)  # one C scan proves that (nearly always) nothing needs escaping
    if any(special in joined for special in _SPECIALS):
        return [t.translate(_ESCAPES) for t in texts]
    return texts


def _text(series: pd.Series) -> list[str]:
    present, missing = _present(series)
    if infer_dtype(present, skipna=False) not in ("string", "empty"):
        raise Unsupported("text column holds non-str values")
    return _fill(_escaped(present), missing)


def _numbers(kinds: str, fmt: Callable[[np.ndarray], np.ndarray]) -> Callable[[pd.Series], list[str]]:
    def encode(series: pd.Series) -> list[str]:
        array = series.array
        if isinstance(array, _MASKED):
            data, missing = array._data, array._mask
        elif isinstance(series.dtype, np.dtype):
            data = series.to_numpy()
            missing = np.isnan(data) if data.dtype.kind == "f" else np.zeros(len(data), dtype=bool)
        else:
            raise Unsupported(f"unexpected dtype {series.dtype}")
        if data.dtype.kind not in kinds:
            raise Unsupported(f"dtype {series.dtype} in a column of kinds {kinds!r}")
        out = fmt(data).astype(object)
        out[missing] = NULL
        return out.tolist()

    return encode


def _timestamptz(series: pd.Series) -> list[str]:
    if not isinstance(series.dtype, pd.DatetimeTZDtype):
        raise Unsupported(f"unexpected dtype {series.dtype}")
    ns = series.array.as_unit("ns").asi8  # epoch nanoseconds in UTC, whatever the display zone
    missing = ns == _NAT
    # Floored to microseconds, as psycopg stores a pandas Timestamp; the explicit Z keeps the session's
    # TimeZone out of it. (~0.7 µs a value, the dearest column type after jsonb.)
    micros = (np.where(missing, 0, ns) // 1000).astype("M8[us]")
    out = np.datetime_as_string(micros, unit="us", timezone="UTC").tolist()
    for i in np.flatnonzero(missing).tolist():
        out[i] = NULL
    return out


def _exact(kind: type) -> Callable[[pd.Series], list[str]]:
    """date and numeric: str() of a datetime.date or Decimal is text PostgreSQL reads back exactly."""

    def encode(series: pd.Series) -> list[str]:
        present, missing = _present(series)
        if any(type(v) is not kind for v in present):
            raise Unsupported(f"expected {kind.__name__} values")
        return _fill([str(v) for v in present], missing)

    return encode


def _jsonb(series: pd.Series) -> list[str]:
    present, missing = _present(series, exact=True)  # a float NaN would otherwise be dumped as null
    try:
        texts = [jsonb.dumps(v).decode() for v in present]
    except TypeError as exc:  # e.g. an int beyond 64 bits: the generic path raises the usual error
        raise Unsupported(str(exc)) from exc
    # orjson escapes control characters, so only backslashes (from JSON escapes) need doubling.
    return _fill([t.replace("\\", "\\\\") if "\\" in t else t for t in texts], missing)


def _interval(series: pd.Series) -> list[str]:
    """timedelta as [-]H:MM:SS.ffffff, all in the time field: '26:15:00' stays 26 hours (psycopg's binary
    path would store '1 day 02:15:00', equal in comparisons but not in extract(hour))."""
    present, missing = _present(series)
    if any(type(span) is not dt.timedelta for span in present):
        raise Unsupported("expected timedelta values")
    cache: dict[dt.timedelta, str] = {}  # durations repeat (appointment lengths): format each once
    texts = []
    for span in present:
        text = cache.get(span)
        if text is None:
            micros = span // dt.timedelta(microseconds=1)
            sign, micros = ("-", -micros) if micros < 0 else ("", micros)
            seconds, fraction = divmod(micros, 1_000_000)
            text = cache[span] = f"{sign}{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}.{fraction:06d}"
        texts.append(text)
    return _fill(texts, missing)


_ENCODERS: dict[str, Callable[[pd.Series], list[str]]] = {
    "text": _text,
    "bigint": _numbers("i", lambda data: data.astype(np.int64).astype(str)),
    # numpy prints the shortest text that reads back as the same double, like repr().
    "double precision": _numbers("f", lambda data: data.astype(np.float64).astype(str)),
    "boolean": _numbers("b", lambda data: np.where(data, "t", "f")),
    "timestamptz": _timestamptz,
    "date": _exact(dt.date),
    "numeric": _exact(Decimal),
    "time": _exact(dt.time),
    "interval": _interval,
    "jsonb": _jsonb,
}
