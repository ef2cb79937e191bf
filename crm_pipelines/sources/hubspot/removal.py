"""HubSpot removal checks: which warehouse ids HubSpot no longer has (BEHAVIOR.md, "Removal").

Evidence is two-step. batch/read names the ids it could not return (a 207's OBJECT_NOT_FOUND entries, or a
404 for the whole call); each of those is then read alone, and only a 404 OBJECT_NOT_FOUND confirms it.
Throttling and server errors are retried by the client and, if they persist, fail the run: the legacy
commands took any non-200 for "every id of the chunk is gone" and hard-deleted them.
"""

from __future__ import annotations

from collections.abc import Callable

from crm_pipelines.core.removal import RemovalSpec
from crm_pipelines.sources.hubspot.entities import CRM, RESOURCE_KEY
from crm_pipelines.sources.hubspot.resource import BATCH_READ_MAX, HubSpotResource

ObjectType = str | Callable[[HubSpotResource], str]


def find_deleted(object_type: ObjectType) -> Callable[[HubSpotResource, list[str]], list[str]]:
    def find(client: HubSpotResource, ids: list[str]) -> list[str]:
        type_id = object_type(client) if callable(object_type) else object_type
        confirmed: list[str] = []
        for start in range(0, len(ids), BATCH_READ_MAX):
            _, candidates = client.batch_read_existing(type_id, ids[start:start + BATCH_READ_MAX])
            confirmed.extend(i for i in candidates if client.confirm_missing(type_id, i))
        return confirmed

    return find


def _removal(entity: str, object_type: ObjectType, label: str) -> RemovalSpec:
    return RemovalSpec(
        crm=CRM, entity=entity, resource_key=RESOURCE_KEY, find_deleted=find_deleted(object_type),
        chunk=BATCH_READ_MAX,
        description=f"Soft-deletes hubspot.{entity} rows whose {label} HubSpot confirms deleted or archived "
                    "(batch/read, then a 404 OBJECT_NOT_FOUND per id).",
    )


REMOVALS: list[RemovalSpec] = [
    _removal("contacts", "contacts", "contact"),
    _removal("companies", "companies", "company"),
    _removal("deals", "deals", "deal"),
    _removal("appointments", "0-421", "appointment (object 0-421)"),
    _removal("divisions", lambda c: c.division_object_type, "division (custom object)"),
    _removal("genius_users", lambda c: c.genius_user_object_type, "genius user (custom object)"),
]
