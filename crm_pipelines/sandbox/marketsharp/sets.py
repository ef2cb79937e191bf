"""The entity sets the emulator serves, as one table: set name, warehouse-style key, id kind, default
size and each property's Edm type and value generator (render.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EmuSet:
    table: str  # the control API's object_type (snake_case)
    entity_set: str  # the OData set name in URLs
    guid_ids: bool
    default_count: int
    properties: tuple[tuple[str, str, str], ...]  # (name, Edm type, generator), `id` excluded

    @property
    def has_last_update(self) -> bool:
        return any(name == "lastUpdate" for name, _, _ in self.properties)


SETS: tuple[EmuSet, ...] = (
    EmuSet("contacts", "Contacts", True, 2000, (
        ("companyId", "Edm.Int32", "company"), ("firstName", "Edm.String", "first"),
        ("lastName", "Edm.String", "last"), ("businessName", "Edm.String", "business"),
        ("email1", "Edm.String", "email"), ("email2", "Edm.String", "null"), ("email3", "Edm.String", "null"),
        ("contactPhoneId", "Edm.Guid", "guid"), ("primaryAddressId", "Edm.Guid", "guid"),
        ("source", "Edm.String", "source"), ("contactType", "Edm.String", "contact_type"),
        ("creationDate", "Edm.DateTime", "created"), ("createdDate", "Edm.DateTime", "created"),
        ("isActive", "Edm.Boolean", "bool"), ("hasDncPhone", "Edm.Boolean", "bool"),
        ("doNotMail", "Edm.Boolean", "bool"), ("lastUpdate", "Edm.DateTime", "modified"))),
    EmuSet("appointments", "Appointments", True, 1500, (
        ("inquiryId", "Edm.Guid", "guid"), ("salesperson1Id", "Edm.Guid", "guid"),
        ("salesperson2Id", "Edm.Guid", "null"), ("setById", "Edm.Guid", "guid"), ("resultId", "Edm.Guid", "guid"),
        ("appointmentDate", "Edm.DateTime", "created"), ("setDate", "Edm.DateTime", "created"),
        ("issuedDate", "Edm.DateTime", "null"), ("subject", "Edm.String", "text"), ("type", "Edm.String", "source"),
        ("resultReason", "Edm.String", "text"), ("note", "Edm.String", "text"), ("isActive", "Edm.Boolean", "bool"),
        ("createdDate", "Edm.DateTime", "created"), ("createdBy", "Edm.String", "first"),
        ("lastUpdateBy", "Edm.String", "first"), ("lastUpdate", "Edm.DateTime", "modified"))),
    EmuSet("inquiries", "Inquiries", True, 1500, (
        ("contactId", "Edm.Guid", "guid"), ("inquiryDate", "Edm.DateTime", "created"),
        ("inquirySourcePrimaryId", "Edm.Guid", "guid"), ("inquirySourceSecondaryId", "Edm.Guid", "null"),
        ("inquiryStatusId", "Edm.Int32", "small_int"), ("note", "Edm.String", "text"),
        ("isActive", "Edm.Boolean", "bool"), ("lastUpdate", "Edm.DateTime", "modified"))),
    EmuSet("inquiry_statuses", "InquiryStatuses", False, 12, (
        ("name", "Edm.String", "source"), ("isActive", "Edm.Boolean", "bool"))),
)

BY_ENTITY_SET = {s.entity_set: s for s in SETS}
BY_TABLE = {s.table: s for s in SETS}
