"""JSON text for the warehouse's jsonb columns (`_raw`, `_issues`, lists and objects), by orjson.

orjson refuses values a database source puts in a raw record: bytes (MySQL BLOB/BIT) are written as their
text when they are UTF-8 without control characters, else as PostgreSQL's bytea hex text ("\\x0001ff"),
never as "b'...'"; a Decimal (MySQL DECIMAL) is written as its exact text.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import orjson

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def dumps(value: Any) -> bytes:
    return orjson.dumps(value, default=_default)


def _default(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        return text if text is not None and not _CONTROL.search(text) else "\\x" + data.hex()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
