"""Helpers shared by the converter tests."""

from __future__ import annotations

import pandas as pd


def one(converter, value, **opts):
    """(value, invalid) of a single raw value, converted inside a Series with a non-default index."""
    result = converter(pd.Series([value], index=["only"], dtype=object), **opts)
    return result.values.iloc[0], bool(result.invalid.iloc[0])


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text).tz_convert("UTC") if pd.Timestamp(text).tzinfo else pd.Timestamp(text, tz="UTC")
