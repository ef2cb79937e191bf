"""The MarketSharp entity sets this source reads, as one table: the OData set name, whether it carries
`lastUpdate` (then read incrementally and partitioned on it) and its columns (OData property name and the
converter kind of its warehouse column, named in snake_case). Schemas and entities are built from it."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Converter kinds (crm_pipelines.core.columns): text, int, float, bool, datetime, email, phone, money.
GUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
INTEGER = r"^-?[0-9]+$"
LAST_UPDATE = "lastUpdate"


@dataclass(frozen=True)
class SetDef:
    table: str  # warehouse table name (snake_case)
    entity_set: str  # OData entity set
    id_pattern: str  # ids as received: GUID text or an integer (stored as text)
    columns: tuple[tuple[str, str], ...]  # (OData property, kind), `id` excluded
    description: str = ""

    @property
    def incremental(self) -> bool:
        return any(name == LAST_UPDATE for name, _ in self.columns)


def snake(name: str) -> str:
    """`firstName` -> `first_name`, `email1` -> `email1`, `salesperson1Id` -> `salesperson1_id`."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


SETS: tuple[SetDef, ...] = (
    SetDef("contacts", "Contacts", GUID, (
        ("companyId", "int"), ("firstName", "text"), ("lastName", "text"), ("businessName", "text"),
        ("email1", "email"), ("email2", "email"), ("email3", "email"), ("contactPhoneId", "text"),
        ("primaryAddressId", "text"), ("source", "text"), ("contactType", "text"), ("creationDate", "datetime"),
        ("createdDate", "datetime"), ("isActive", "bool"), ("hasDncPhone", "bool"), ("doNotMail", "bool"),
        ("lastUpdate", "datetime")),
        "MarketSharp contacts (prospects, leads and customers; `contact_type` 1, 2, 3)."),
    SetDef("appointments", "Appointments", GUID, (
        ("inquiryId", "text"), ("salesperson1Id", "text"), ("salesperson2Id", "text"), ("setById", "text"),
        ("resultId", "text"), ("appointmentDate", "datetime"), ("setDate", "datetime"),
        ("issuedDate", "datetime"), ("subject", "text"), ("type", "text"), ("resultReason", "text"),
        ("note", "text"), ("isActive", "bool"), ("createdDate", "datetime"), ("createdBy", "text"),
        ("lastUpdateBy", "text"), ("lastUpdate", "datetime")),
        "MarketSharp appointments."),
    SetDef("inquiries", "Inquiries", GUID, (
        ("contactId", "text"), ("inquiryDate", "datetime"), ("inquirySourcePrimaryId", "text"),
        ("inquirySourceSecondaryId", "text"), ("inquiryStatusId", "int"), ("note", "text"),
        ("isActive", "bool"), ("lastUpdate", "datetime")),
        "MarketSharp inquiries (a contact's request, with its lead source and status)."),
    SetDef("inquiry_statuses", "InquiryStatuses", INTEGER, (
        ("name", "text"), ("isActive", "bool")),
        "MarketSharp inquiry statuses (a reference list with integer ids)."),
)
