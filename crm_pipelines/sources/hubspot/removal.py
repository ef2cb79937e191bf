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
from crm_pipelines.sources.hubspot.objects import SYNCED, ObjectType
from crm_pipelines.sources.hubspot.resource import BATCH_READ_MAX, HubSpotResource

def find_deleted(object_type: Callable[[HubSpotResource], str]) -> Callable[[HubSpotResource, list[str]], list[str]]:
    def find(client: HubSpotResource, ids: list[str]) -> list[str]:
        type_id = object_type(client)
        confirmed: list[str] = []
        for start in range(0, len(ids), BATCH_READ_MAX):
            _, candidates = client.batch_read_existing(type_id, ids[start:start + BATCH_READ_MAX])
            confirmed.extend(i for i in candidates if client.confirm_missing(type_id, i))
        return confirmed

    return find


def _removal(objects: ObjectType) -> RemovalSpec:
    return RemovalSpec(
        crm=CRM, entity=objects.entity, resource_key=RESOURCE_KEY, find_deleted=find_deleted(objects.of),
        chunk=BATCH_READ_MAX,
        description=f"Soft-deletes hubspot.{objects.entity} rows whose {objects.label} HubSpot confirms deleted "
                    "or archived (batch/read, then a 404 OBJECT_NOT_FOUND per id).",
    )


REMOVALS: list[RemovalSpec] = [_removal(objects) for objects in SYNCED]
