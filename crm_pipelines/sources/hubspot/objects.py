"""The HubSpot object types the project reads, in one place: each entity's object type id (standard
types are fixed; a custom object's id belongs to the portal and is set on the `hubspot` resource), its
modified-time property and how BEHAVIOR.md and the UI name it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from crm_pipelines.sources.hubspot.resource import HubSpotResource


@dataclass(frozen=True)
class ObjectType:
    entity: str  # the warehouse table
    type_id: Callable[[HubSpotResource], str]
    modified_property: str
    label: str

    def of(self, client: HubSpotResource) -> str:
        return self.type_id(client)


def _fixed(type_id: str) -> Callable[[HubSpotResource], str]:
    return lambda client: type_id


CONTACTS = ObjectType("contacts", _fixed("contacts"), "lastmodifieddate", "contact (object 0-1)")
COMPANIES = ObjectType("companies", _fixed("companies"), "hs_lastmodifieddate", "company (object 0-2)")
DEALS = ObjectType("deals", _fixed("deals"), "hs_lastmodifieddate", "deal (object 0-3)")
APPOINTMENTS = ObjectType("appointments", _fixed("0-421"), "hs_lastmodifieddate", "appointment (object 0-421)")
DIVISIONS = ObjectType("divisions", lambda client: client.division_object_type, "hs_lastmodifieddate",
                       "division (custom object; type id set on the hubspot resource)")
GENIUS_USERS = ObjectType("genius_users", lambda client: client.genius_user_object_type, "hs_lastmodifieddate",
                          "genius user (custom object; type id set on the hubspot resource)")

SYNCED = (CONTACTS, COMPANIES, DEALS, APPOINTMENTS, DIVISIONS, GENIUS_USERS)
