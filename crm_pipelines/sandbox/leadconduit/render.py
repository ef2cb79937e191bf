"""LeadConduit event JSON: step envelope, epoch-ms timestamps, `vars` with the lead's typed fields as
objects (`normal`, `raw`, ...) and the account's `*_hge` custom fields."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..kit.generate import pooled, pools
from ..kit.generate.hashing import below, derive, record_hash, salt
from ..kit.generate.timefmt import iso_ms
from .data import STEP_TYPES, LeadConduitData

FLOWS = (("Roofing Leads", "5fd4371e940df5a34a3888b2"), ("Window Leads", "5fd4371e940df5a34a3888c7"))
VENDORS = (("Vendor A", "5fd4371e940df5a34a3888b3"), ("Vendor B", "5fd4371e940df5a34a3888d1"),
           ("Home Show", "5fd4371e940df5a34a3888e4"))
OUTCOMES = {"source": ("success", "success", "success", "failure", "error"),
            "recipient": ("success", "success", "failure", "skip"), "filter": ("continue", "continue", "skip")}


def _phone(raw: str) -> dict[str, Any]:
    digits = "".join(ch for ch in raw if ch.isdigit())[-10:]
    valid = len(digits) == 10
    return {"normal": digits if valid else None, "raw": raw, "area": digits[:3] if valid else None,
            "exchange": digits[3:6] if valid else None, "line": digits[6:] if valid else None,
            "country_code": "US", "type": "mobile", "is_tollfree": False, "valid": valid}


def _email(raw: str) -> dict[str, Any]:
    normal = raw.strip().lower()
    valid = normal.count("@") == 1 and "." in normal.split("@")[-1] and " " not in normal
    return {"normal": normal if valid else None, "raw": raw, "valid": valid,
            "domain": normal.split("@")[-1] if valid else None}


def events(data: LeadConduitData, idx: np.ndarray) -> list[dict[str, Any]]:
    table = data.tables["events"]
    ids, created = table.ids[idx], table.created[idx]
    leads = data.lead_of(idx)
    # Lead values come from the lead's hash, so every step of one lead carries the same lead.
    lead_h = record_hash(leads.astype(np.int64), None, salt(f"{data.seed}:lead"))
    event_h = record_hash(ids, None, salt(f"{data.seed}:event"))
    first, last, email = pooled.persons(0.02)
    who = below(lead_h, 3, pooled.PERSON_POOL)
    phone_pool = pooled.phones(0.03)
    phones = phone_pool[below(derive(lead_h, salt("phone")), 3, pooled.PHONE_POOL)].tolist()
    phones_2 = phone_pool[below(derive(lead_h, salt("phone_2")), 3, pooled.PHONE_POOL)].tolist()
    streets = pooled.streets()[below(derive(lead_h, salt("street")), 3, pooled.MISC_POOL)].tolist()
    zips = pooled.zips()
    city = below(derive(lead_h, salt("city")), 3, len(pools.CITY_NAMES)).tolist()
    certs = pooled.trustedform_urls()[below(derive(lead_h, salt("cert")), 3, pooled.ID_POOL)].tolist()
    # The lead was submitted when its first step started.
    submitted = iso_ms(table.created[np.minimum(leads * len(STEP_TYPES), table.n - 1)])
    out = []
    for n, pos in enumerate(idx.tolist()):
        step = STEP_TYPES[pos % len(STEP_TYPES)]
        eh, lh, lead = int(event_h[n]), int(lead_h[n]), int(leads[n])
        start_ms = int(created[n])
        ms = 20 + eh % 900
        flow, vendor = FLOWS[lh % len(FLOWS)], VENDORS[(lh >> 8) % len(VENDORS)]
        zip_code = str(zips[(lh >> 16) % len(zips)])
        lead_fields: dict[str, Any] = {
            "id": _lead_id(data, table, pos),
            "first_name": str(first[who[n]]), "last_name": str(last[who[n]]), "email": _email(str(email[who[n]])),
            "phone_1": _phone(phones[n]), "address_1": streets[n], "city": pools.CITY_NAMES[city[n]],
            "state": pools.CITY_STATES[city[n]],
            "postal_code": {"normal": zip_code[:5], "raw": zip_code, "zip": zip_code[:5], "valid": True},
            "trustedform_cert_url": certs[n],
            "note_hge": f"Call after {5 + lh % 4} pm" if lh % 3 else None,
            "owner_hge": f"{first[(lh >> 20) % pooled.PERSON_POOL]} {last[(lh >> 20) % pooled.PERSON_POOL]}",
            "owner_email_hge": f"owner{lh % 50}@example.com", "owner_id_hge": str(lh % 50),
            "salesrabbit_lead_id_hge": str(100000 + lead),
        }
        if lh % 4 == 0:
            lead_fields["phone_2"] = _phone(phones_2[n])
        out.append({
            "id": data.hex_id(int(ids[n])), "type": step,
            "outcome": OUTCOMES[step][eh % len(OUTCOMES[step])],
            "reason": None if eh % 5 else "duplicate lead",
            "start_timestamp": start_ms, "end_timestamp": start_ms + ms, "ms": ms, "wait_ms": 0,
            "overhead_ms": eh % 7, "lag_ms": 0, "total_ms": ms, "host": "app.leadconduit.com",
            "version": "1.0.0", "handler_version": "2.14.1", "cap_reached": False, "ping_limit_reached": False,
            "module_id": f"leadconduit-{step}", "package_version": "1.3.0",
            "vars": {"flow": {"id": flow[1], "name": flow[0]}, "source": {"id": vendor[1], "name": vendor[0]},
                     "submission": {"timestamp": submitted[n]}, "lead": lead_fields},
        })
    return out


def _lead_id(data: LeadConduitData, table, pos: int) -> str:
    """vars.lead.id: the ObjectId of the lead's first event with its counter byte flipped (distinct from
    every event id, stable for the lead)."""
    first = int(table.ids[pos - pos % len(STEP_TYPES)])
    return data.hex_id(first ^ 0x800000)
