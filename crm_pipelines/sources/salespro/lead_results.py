"""lead_results: SalesPro keeps an appointment's result form as one JSON text, a list of {title, value}
pairs. Known titles become typed columns; "Job Type N" / "Job Type N Amount" pairs become line items
(lead_result_line_items); the list itself is kept as received (BEHAVIOR.md #9-#10)."""

from __future__ import annotations

import re
from typing import Any

import orjson

from crm_pipelines.sources.salespro.tables import LEAD_RESULT_COLUMNS, LINE_ITEMS, STATUS_BUCKET

_BUCKET = re.compile(r"^\s*(\[[A-Za-z]+\])")


def snake(title: str) -> str:
    """"Customer's Final Price Commitment" -> "customers_final_price_commitment"; "Both Homeowners Present?"
    and "Both Homeowners Present " -> "both_homeowners_present"; a "\\u0026" left by double encoding is "&"."""
    text = title.replace("\\u0026", "&").lower().replace("'", "").replace("\u2019", "")
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


_EXACT: dict[str, str] = {}
_PREFIX: list[tuple[str, str]] = []
for _column, _kind, _titles in LEAD_RESULT_COLUMNS:
    for _title in _titles:
        if _title.endswith("*"):
            _PREFIX.append((snake(_title[:-1]), _column))
        else:
            _EXACT[snake(_title)] = _column
COLUMNS = [column for column, _, _ in LEAD_RESULT_COLUMNS]


def column_of(title: str) -> str | None:
    """The typed column a title fills, if any."""
    key = snake(title)
    if key in _EXACT:
        return _EXACT[key]
    return next((column for prefix, column in _PREFIX if key.startswith(prefix)), None)


def pairs(text: Any) -> dict[str, Any] | None:
    """{snake title: value} of a lead_results value; None when it is not a JSON list of {title, value}
    (the typed columns then stay null and the `lead_results` column's check names the problem). A title
    given twice keeps its last value."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        items = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(items, list):
        return None
    found: dict[str, Any] = {}
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("title"), str):
            found[snake(item["title"])] = item.get("value")
    return found


def row(record: dict[str, Any]) -> dict[str, Any]:
    """One lead_results record -> {column: raw value}."""
    values: dict[str, Any] = {"id": record.get("estimate_id"), "company_id": record.get("company_id"),
                              "lead_results": record.get("lead_results"), "created_at": record.get("created_at"),
                              "updated_at": record.get("updated_at")}
    values.update(dict.fromkeys(COLUMNS))
    for title, value in (pairs(record.get("lead_results")) or {}).items():
        column = _EXACT.get(title) or column_of(title)
        if column is not None:
            values[column] = value
    result = values["appointment_result"]
    bucket = _BUCKET.match(result) if isinstance(result, str) else None
    values[STATUS_BUCKET] = bucket.group(1) if bucket else None
    return values


def line_items(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The record's "Job Type N" / "Job Type N Amount" pairs (N = 1..6) as line-item records; an N with
    neither a type nor an amount is no line item."""
    found = pairs(record.get("lead_results")) or {}
    items = []
    for n in range(1, LINE_ITEMS + 1):
        job_type, amount = found.get(f"job_type_{n}"), found.get(f"job_type_{n}_amount")
        if _blank(job_type) and _blank(amount):
            continue
        items.append({"estimate_id": record.get("estimate_id"), "job_type_number": n, "job_type": job_type,
                      "amount": amount, "updated_at": record.get("updated_at")})
    return items


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
