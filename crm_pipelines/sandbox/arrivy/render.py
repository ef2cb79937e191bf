"""Arrivy's JSON shapes, rendered on demand from `ArrivyData`: naive UTC timestamps with microseconds,
`*_original_iso_str` / `*_timezone` echoes of the caller's local time, nested objects, 16-digit ids."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from ..kit.generate import pooled, pools
from ..kit.generate.batch import Batch
from ..kit.generate.hashing import below
from ..kit.generate.timefmt import iso_ms_array
from .data import NO_DATETIME, STATUS_TYPES, UNSCHEDULED, ArrivyData

ZONES = ("America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York")
SOURCES = ("web", "email", "sms", "app", "api")
PERMISSIONS = ("ADMIN", "SCHEDULER", "FIELDCREW", "LIMITEDACCESS")
ID_OWNER = 5629499534213120  # the account's user: owner, created_by, updated_by of every record
ID_TEMPLATE = 5700000000000001


def naive_us(ms: np.ndarray, micro: np.ndarray) -> list[str]:
    """`2026-06-01T08:00:00.123456`: UTC without a zone suffix, microseconds from a hash."""
    return [s[:-1] + f"{m:03d}" for s, m in zip(iso_ms_array(ms).tolist(), (micro % 1000).tolist())]


def naive_us_from_us(us: np.ndarray) -> list[str]:
    ms = us // 1000
    return naive_us(ms, us - ms * 1000)


def naive_s(ms: int) -> str:
    return dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds")


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_iso(ms: int, zone: str) -> str:
    return dt.datetime.fromtimestamp(ms / 1000, _zone(zone)).isoformat(timespec="seconds")


def _people(b: Batch) -> tuple[list[str], list[str], list[str]]:
    first, last, email = pooled.persons(0.02)
    who = b.person()
    return first[who].tolist(), last[who].tolist(), email[who].tolist()


def _pick(ids: np.ndarray, h: np.ndarray) -> list[int | None]:
    if len(ids) == 0:
        return [None] * len(h)
    return ids[below(h, 5, len(ids))].tolist()


def tasks(data: ArrivyData, idx: np.ndarray) -> list[dict[str, Any]]:
    table = data.tables["tasks"]
    b = Batch(table, idx)
    first, last, email = _people(b)
    phones = pooled.phones(0.03)[below(b.h("phone", True), 3, pooled.PHONE_POOL)].tolist()
    streets = pooled.streets()[below(b.h("street", True), 3, pooled.MISC_POOL)].tolist()
    city = below(b.h("city", True), 3, len(pools.CITY_NAMES))
    zones = [ZONES[z] for z in below(b.h("zone", True), 3, len(ZONES)).tolist()]
    groups = _pick(data.tables["groups"].ids, b.h("group", True))
    crews = data.tables["crews"].ids
    entities = _pick(data.tables["entities"].ids, b.h("entity", True))
    duration = (30 * (1 + below(b.h("duration"), 3, 8))).tolist()
    created, updated = naive_us(b.created, b.h("c_us", True)), naive_us(b.modified, b.h("u_us"))
    products = below(b.h("product", True), 3, len(pools.PRODUCTS)).tolist()
    definitions = data.tables["statuses"].ids
    out = []
    for n, i in enumerate(idx.tolist()):
        task_id = int(b.ids[n])
        overlay = table.overlay.get(i, {})
        kind = int(data.kind[i])
        start_ms = int(data.schedule_ms[i])
        end_ms = start_ms + duration[n] * 60_000
        zone = zones[n]
        status_ids, status_times = data.history(i)
        current = STATUS_TYPES[int(data.status_hash(status_ids[-1:])[0] % len(STATUS_TYPES))] if len(status_ids) \
            else "NOTSTARTED"
        scheduled = kind not in (UNSCHEDULED, NO_DATETIME)
        record = {
            "id": task_id, "url_safe_id": f"ahRzfnRyYWNraW5n{task_id:x}", "owner": ID_OWNER,
            "title": overlay.get("title", f"{pools.PRODUCTS[products[n]]} - {last[n]}"),
            "details": overlay.get("details", f"Gate code {1000 + task_id % 9000}"),
            "template": ID_TEMPLATE, "template_type": "TASK",
            "start_datetime": naive_s(start_ms) if scheduled else None,
            "start_datetime_original_iso_str": local_iso(start_ms, zone) if scheduled else None,
            "start_datetime_timezone": zone if scheduled else None,
            "end_datetime": naive_s(end_ms) if scheduled else None,
            "end_datetime_original_iso_str": local_iso(end_ms, zone) if scheduled else None,
            "end_datetime_timezone": zone if scheduled else None,
            "due_datetime": None, "duration": duration[n], "unscheduled": kind == UNSCHEDULED, "all_day": False,
            "status": current, "status_id": int(definitions[STATUS_TYPES.index(current) % len(definitions)])
            if len(definitions) else None, "status_title": current.replace("_", " ").title(),
            "entity_ids": [entities[n]] if entities[n] else [], "resource_ids": [], "worker_ids": [],
            "crew_ids": [int(crews[task_id % len(crews)])] if len(crews) and task_id % 3 == 0 else [],
            "group_id": groups[n], "external_id": f"HS-APPT-{task_id % 100000}", "external_type": "HUBSPOT",
            "customer_id": task_id - 7, "customer_first_name": first[n], "customer_last_name": last[n],
            "customer_email": email[n], "customer_mobile_number": phones[n], "customer_phone": None,
            "customer_address_line_1": streets[n], "customer_city": pools.CITY_NAMES[city[n]],
            "customer_state": pools.CITY_STATES[city[n]], "customer_zipcode": f"{10000 + task_id % 89999}",
            "customer_country": "USA",
            "customer_exact_location": {"lat": round(25 + (task_id % 2000) / 100, 4),
                                        "lng": round(-120 + (task_id % 4000) / 100, 4)},
            "extra_fields": {"hubspot_id": str(task_id % 10 ** 9)},
            "template_extra_fields": [{"name": "Job Size", "type": "TEXT", "value": str(1 + task_id % 5)}],
            "additional_addresses": [], "notifications": {"sms": True, "email": task_id % 2 == 0},
            "created": created[n], "updated": updated[n], "created_by": ID_OWNER, "updated_by": ID_OWNER,
            "entity_confirmation_statuses": {}, "routes": [], "mileage": None, "travel_time": 0,
            "task_time": duration[n], "total_time": duration[n],
        }
        out.append(record)
    return out


def statuses_of_task(data: ArrivyData, i: int) -> list[dict[str, Any]]:
    """A task's status history, oldest first."""
    ids, times = data.history(i)
    h = data.status_hash(ids)
    first, last, _ = pooled.persons(0.02)
    who = below(h, 11, pooled.PERSON_POOL)
    stamps = naive_us(times, h >> np.uint64(40))
    return [{"id": int(sid), "type": STATUS_TYPES[int(x % len(STATUS_TYPES))], "time": t,
             "reporter_name": f"{first[w]} {last[w]}", "reporter_id": ID_OWNER + int(w),
             "source": SOURCES[int((x >> np.uint64(20)) % len(SOURCES))],
             "extra_fields": {"notes": f"note {int(x % 997)}", "files": [], "visible_to_customer": bool(x & 1)},
             "current_destination": None}
            for sid, t, x, w in zip(ids.tolist(), stamps, h, who.tolist())]


def entities(data: ArrivyData, idx: np.ndarray) -> list[dict[str, Any]]:
    b = Batch(data.tables["entities"], idx)
    first, last, email = _people(b)
    phones = pooled.phones(0.03)[below(b.h("phone", True), 3, pooled.PHONE_POOL)].tolist()
    groups = _pick(data.tables["groups"].ids, b.h("group", True))
    created, updated = naive_us(b.created, b.h("c_us", True)), naive_us(b.modified, b.h("u_us"))
    out = []
    for n, i in enumerate(idx.tolist()):
        entity_id = int(b.ids[n])
        last_reading = data.readings_of(i, None)[-1:]
        out.append({
            "id": entity_id, "name": f"{first[n]} {last[n]}", "type": ("Technician", "Night-Shift Driver",
                                                                        "Truck")[entity_id % 3],
            "owner": ID_OWNER, "email": email[n], "phone": phones[n], "details": None, "extra_fields": {},
            "group_id": groups[n], "additional_group_ids": [], "image_id": None, "image_path": None,
            "external_id": f"EMP-{entity_id % 10000}", "external_type": None,
            "permission": PERMISSIONS[entity_id % len(PERMISSIONS)], "is_disabled": entity_id % 17 == 0,
            "user_type": "CREW", "invite_status": "ACCEPTED", "skill_ids": [],
            "lastreading": readings(data, i, last_reading)[0] if len(last_reading) else None,
            "created": created[n], "updated": updated[n], "joined_datetime": created[n],
        })
    return out


def readings(data: ArrivyData, entity_pos: int, times_us: np.ndarray) -> list[dict[str, Any]]:
    entity_id = int(data.tables["entities"].ids[entity_pos])
    h = data.reading_hash(entity_id, times_us)
    city = below(h, 3, len(pools.CITY_NAMES)).tolist()
    return [{"entity": entity_id, "lat": round(25 + int(x % 2000) / 100, 5),
             "lng": round(-120 + int(x % 4000) / 100, 5),
             "time": t, "city": pools.CITY_NAMES[c], "street": f"{100 + int(x % 900)} Main St", "country": "USA",
             "meta": {"battery": int(x % 100)}, "authorized": True}
            for t, x, c in zip(naive_us_from_us(times_us), h, city)]


def groups(data: ArrivyData, idx: np.ndarray) -> list[dict[str, Any]]:
    b = Batch(data.tables["groups"], idx)
    city = below(b.h("city", True), 3, len(pools.CITY_NAMES)).tolist()
    created, updated = naive_us(b.created, b.h("c_us", True)), naive_us(b.modified, b.h("u_us"))
    return [{"id": int(g), "owner": ID_OWNER, "name": f"{pools.DIVISIONS[i % len(pools.DIVISIONS)][0]} {i}",
             "description": None, "email": f"office{i}@example.com", "phone": "(512) 555-0100",
             "mobile_number": None, "emergency": None, "extra_fields": {}, "address_line_1": "1 Main St",
             "address_line_2": None, "city": pools.CITY_NAMES[city[n]], "state": pools.CITY_STATES[city[n]],
             "country": "USA", "zipcode": "78701", "exact_location": {"lat": 30.27, "lng": -97.74},
             "timezone": ZONES[int(g) % len(ZONES)], "image_id": None, "image_path": None, "is_default": i == 0,
             "is_disabled": False, "is_implicit": False, "territory_ids": [], "created": created[n],
             "updated": updated[n]}
            for n, (i, g) in enumerate(zip(idx.tolist(), b.ids.tolist()))]


def crews(data: ArrivyData, idx: np.ndarray) -> list[dict[str, Any]]:
    b = Batch(data.tables["crews"], idx)
    members = data.tables["entities"].n
    created, updated = naive_us(b.created, b.h("c_us", True)), naive_us(b.modified, b.h("u_us"))
    out = []
    for n, (i, crew_id) in enumerate(zip(idx.tolist(), b.ids.tolist())):
        positions = np.unique(np.array([(crew_id + k * 7) % members for k in range(3)], dtype=np.int64)) \
            if members else np.zeros(0, dtype=np.int64)
        embedded = entities(data, positions)
        out.append({"id": crew_id, "owner": ID_OWNER, "name": f"Crew {i + 1}", "description": None,
                    "group_id": None, "extra_fields": {}, "entity_ids": [e["id"] for e in embedded],
                    "entities_data": embedded, "created": created[n], "updated": updated[n]})
    return out


def status_definitions(data: ArrivyData, idx: np.ndarray) -> list[dict[str, Any]]:
    b = Batch(data.tables["statuses"], idx)
    created, updated = naive_us(b.created, b.h("c_us", True)), naive_us(b.modified, b.h("u_us"))
    return [{"id": s, "owner": ID_OWNER, "title": STATUS_TYPES[i % 13].replace("_", " ").title(),
             "type": STATUS_TYPES[i % 13], "type_id": i % 13 + 1, "color": f"#{s % 0xFFFFFF:06x}",
             "is_active": True, "order": i, "description": None, "visible_to_customer": i % 2 == 0,
             "require_signature": False, "require_rating": i % 13 == 3, "extra_fields": {},
             "created": created[n], "updated": updated[n]}
            for n, (i, s) in enumerate(zip(idx.tolist(), b.ids.tolist()))]


def bookings(data: ArrivyData, idx: np.ndarray) -> list[dict[str, Any]]:
    b = Batch(data.tables["bookings"], idx)
    first, last, email = _people(b)
    tasks_ids = data.tables["tasks"].ids
    updated, created = naive_us(b.modified, b.h("u_us")), naive_us(b.created, b.h("c_us", True))
    out = []
    for n, booking_id in enumerate(b.ids.tolist()):
        start = int(b.modified[n]) + 86_400_000 * (1 + booking_id % 30)
        start -= start % 900_000
        zone = ZONES[booking_id % len(ZONES)]
        out.append({"id": booking_id, "owner": ID_OWNER, "title": f"Booking {last[n]}", "details": None,
                    "start_datetime": naive_s(start), "start_datetime_original_iso_str": local_iso(start, zone),
                    "start_datetime_timezone": zone, "end_datetime": naive_s(start + 3_600_000),
                    "end_datetime_original_iso_str": local_iso(start + 3_600_000, zone),
                    "end_datetime_timezone": zone, "customer_first_name": first[n], "customer_last_name": last[n],
                    "customer_email": email[n], "extra_fields": {},
                    "task_id": int(tasks_ids[booking_id % len(tasks_ids)])
                    if len(tasks_ids) and booking_id % 2 else None,
                    "created": created[n], "updated": updated[n]})
    return out


RENDERERS = {"tasks": tasks, "entities": entities, "groups": groups, "crews": crews, "statuses": status_definitions,
             "bookings": bookings}
