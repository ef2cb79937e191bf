"""The LeadConduit entity (leads) as an EntitySpec (BEHAVIOR.md says why it is read this way)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from crm_pipelines.core.entity import EntitySpec, FetchRequest, Page
from crm_pipelines.core.processing import record_processor
from crm_pipelines.sources.leadconduit import schemas
from crm_pipelines.sources.leadconduit.resource import LeadConduitResource

CRM = "leadconduit"
RESOURCE_KEY = "leadconduit"
LEAD_EVENT_TYPE = "source"  # the event that records a submitted lead; other types are flow steps
# Events can become visible after later ones (the legacy system looked back 2 h for them).
LOOKBACK = dt.timedelta(hours=2)


def lead_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events that are leads: one `source` event per submission."""
    return [e for e in events if e.get("type") == LEAD_EVENT_TYPE]


def fetch_leads(client: LeadConduitResource, request: FetchRequest) -> Iterator[Page]:
    window = request.window
    for events in client.events(window.start, window.end):
        leads = lead_events(events)
        if leads:
            yield Page(records=leads)


def _value(field: Any) -> Any:
    """A typed lead field (email, phone, postal code...) is an object: its `normal` form, else `raw`."""
    if isinstance(field, dict):
        return field.get("normal") if field.get("normal") is not None else field.get("raw")
    return field


def _name(part: Any, key: str) -> Any:
    return part.get(key) if isinstance(part, dict) else None


def lead_row(event: dict[str, Any]) -> dict[str, Any]:
    variables = event.get("vars") or {}
    lead = variables.get("lead") or {}
    row = {name: _value(value) for name, value in lead.items()}
    row.update(
        id=event.get("id"), lead_id=lead.get("id"), outcome=event.get("outcome"), reason=event.get("reason"),
        start_timestamp=event.get("start_timestamp"), end_timestamp=event.get("end_timestamp"),
        submission_timestamp=_name(variables.get("submission"), "timestamp"),
        flow_id=_name(variables.get("flow"), "id"), flow_name=_name(variables.get("flow"), "name"),
        source_id=_name(variables.get("source"), "id"), source_name=_name(variables.get("source"), "name"),
    )
    return row


ENTITIES: list[EntitySpec] = [
    EntitySpec(
        crm=CRM, name="leads", schema=schemas.Lead, resource_key=RESOURCE_KEY, partitioned=True,
        lookback=LOOKBACK, fetch=fetch_leads,
        process=record_processor(schemas.Lead, lead_row, "start_timestamp"),
        description="LeadConduit leads: one row per `source` event, partitioned by event creation day (UTC), "
                    "read oldest first by event id with a 2-hour lookback.",
    ),
]
