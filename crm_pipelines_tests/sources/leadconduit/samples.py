"""Raw LeadConduit events shaped exactly as GET /events returns them."""

from __future__ import annotations

import copy
from typing import Any

SOURCE_EVENT: dict[str, Any] = {
    "id": "66a1f0c2e4b0a1b2c3d4e5f6", "type": "source", "outcome": "success", "reason": None,
    "start_timestamp": 1721890000123, "end_timestamp": 1721890000456, "ms": 333,
    "host": "app.leadconduit.com", "version": "1.0.0",
    "vars": {
        "flow": {"id": "5fd4371e940df5a34a3888b2", "name": "Roofing Leads"},
        "source": {"id": "5fd4371e940df5a34a3888b3", "name": "Vendor A"},
        "submission": {"timestamp": "2024-07-25T06:46:40.123Z"},
        "lead": {
            "id": "66a1f0c2e4b0a1b2c3d4e5f0",
            "first_name": "Pat", "last_name": "Jones",
            "email": {"normal": "pat@example.com", "raw": "Pat@Example.com", "valid": True, "domain": "example.com"},
            "phone_1": {"normal": "5127891111", "raw": "(512) 789-1111", "area": "512", "exchange": "789",
                        "line": "1111", "country_code": "US", "type": "mobile", "is_tollfree": False, "valid": True},
            "postal_code": {"normal": "78704", "raw": "78704", "zip": "78704", "valid": True},
            "state": "TX", "trustedform_cert_url": "https://cert.trustedform.com/abc",
            "note_hge": "Call after 5", "owner_hge": "Sam Rep", "salesrabbit_lead_id_hge": "SR-1001",
        },
    },
}

RECIPIENT_EVENT: dict[str, Any] = {
    "id": "66a1f0c2e4b0a1b2c3d4e5f7", "type": "recipient", "outcome": "success", "reason": None,
    "start_timestamp": 1721890000500, "end_timestamp": 1721890000600,
    "vars": SOURCE_EVENT["vars"],
}
FILTER_EVENT: dict[str, Any] = {**RECIPIENT_EVENT, "id": "66a1f0c2e4b0a1b2c3d4e5f8", "type": "filter",
                                "outcome": "skip"}


def event(event_id: str, *, kind: str = "source", start_timestamp: int = 1721890000123) -> dict[str, Any]:
    record = copy.deepcopy(SOURCE_EVENT)
    record.update(id=event_id, type=kind, start_timestamp=start_timestamp)
    return record


def object_id(n: int, seconds: int = 0x66A1F0C2) -> str:
    """A 24-hex ObjectId whose order follows n (creation second, then a counter)."""
    return f"{seconds:08x}{n:016x}"
