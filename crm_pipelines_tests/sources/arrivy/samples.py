"""Raw Arrivy records shaped exactly as the API returns them (field names, value types, naive timestamps)."""

from __future__ import annotations

import copy
from typing import Any

TASK: dict[str, Any] = {
    "id": 5348024557502464, "url_safe_id": "ahRzfnRyYWNraW5nLXN5c3RlbXI", "owner": 5629499534213120,
    "title": "Roof inspection - Smith", "details": "Gate code 1234",
    "template": 5700000000000001, "template_type": "TASK",
    "start_datetime": "2025-06-02T16:00:00", "start_datetime_original_iso_str": "2025-06-02T09:00:00-07:00",
    "start_datetime_timezone": "America/Los_Angeles",
    "end_datetime": "2025-06-02T18:00:00", "end_datetime_original_iso_str": "2025-06-02T11:00:00-07:00",
    "due_datetime": None, "duration": 120, "unscheduled": False, "all_day": False,
    "status": "ENROUTE", "status_id": 6100000000000000, "status_title": "On our way",
    "entity_ids": [6473924464345088], "resource_ids": [], "worker_ids": [], "crew_ids": [],
    "group_id": 6100296669331456, "external_id": "HS-APPT-991", "external_type": "HUBSPOT",
    "customer_id": 7458024557501236, "customer_first_name": "John", "customer_last_name": "Doe",
    "customer_email": "John@Example.com ", "customer_mobile_number": "+14255550100", "customer_phone": None,
    "customer_address_line_1": "1 Main St", "customer_city": "Seattle", "customer_state": "WA",
    "customer_zipcode": "98101", "customer_country": "USA", "customer_exact_location": {"lat": 47.6, "lng": -122.3},
    "extra_fields": {"hubspot_id": "123"}, "template_extra_fields": [{"name": "Job Size", "type": "TEXT", "value": "2"}],
    "additional_addresses": [], "notifications": {"sms": True, "email": True},
    "created": "2025-05-20T12:00:00.123456", "updated": "2025-06-01T08:00:00.000001",
    "created_by": 5629499534213120, "updated_by": 5629499534213120,
    "entity_confirmation_statuses": {}, "routes": [], "mileage": None, "travel_time": 0, "task_time": 0, "total_time": 0,
}

STATUS: dict[str, Any] = {
    "id": 5910974510923776, "type": "COMPLETE", "time": "2025-06-02T18:05:31.512000",
    "reporter_name": "Alex Crew", "reporter_id": 6473924464345088,
    "extra_fields": {"notes": "Done", "files": [{"file_path": "a.jpg", "file_id": 4785074604081152}],
                     "visible_to_customer": True},
    "source": "app", "current_destination": None,
}

ENTITY: dict[str, Any] = {
    "id": 6473924464345088, "name": "Alex Crew", "type": "Night-Shift Driver", "owner": 5629499534213120,
    "email": "alex@example.com", "phone": "(425) 555-0199", "details": None, "extra_fields": {},
    "group_id": 6100296669331456, "additional_group_ids": [], "image_id": None, "image_path": None,
    "external_id": None, "external_type": None, "permission": "FIELDCREW", "is_disabled": False,
    "user_type": "USER", "invite_status": "ACCEPTED", "skill_ids": [],
    "lastreading": {"lat": 47.61, "lng": -122.33, "time": "2025-06-02T17:59:58.848640", "city": "Seattle",
                    "street": "1 Main St", "country": "US"},
    "created": "2024-01-05T10:00:00", "updated": "2025-06-02T17:59:58.848640", "joined_datetime": "2024-01-06T10:00:00",
}

READING: dict[str, Any] = {"entity": 6473924464345088, "lat": 47.61, "lng": -122.33,
                           "time": "2025-06-02T17:59:58.848640", "city": "Seattle", "street": "1 Main St",
                           "country": "US", "meta": {"battery": 80}, "authorized": True}


def task(task_id: int, updated: str = "2025-06-01T08:00:00.000001", **fields: Any) -> dict[str, Any]:
    record = copy.deepcopy(TASK)
    record.update(id=task_id, updated=updated, **fields)
    return record
