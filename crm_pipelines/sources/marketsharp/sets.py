"""The MarketSharp entity sets this source reads, as one table: the OData set name, its key property,
whether it carries `lastUpdate` (then read incrementally and partitioned on it) and its columns (OData
property name and the converter kind of its warehouse column, named in snake_case). Schemas and entities
are built from it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

# Converter kinds (crm_pipelines.core.columns): text, int, float, bool, datetime, email, phone, money.
GUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
INTEGER = r"^-?[0-9]+$"
LAST_UPDATE = "lastUpdate"


@dataclass(frozen=True)
class SetDef:
    table: str  # warehouse table name (snake_case)
    entity_set: str  # OData entity set
    id_pattern: str  # keys as received: GUID text or an integer (stored as text)
    columns: tuple[tuple[str, str], ...]  # (OData property, kind), the key excluded
    description: str = ""
    key: str = "id"  # the key property (ContactPhones: contactId, one row per contact)

    @property
    def incremental(self) -> bool:
        return any(name == LAST_UPDATE for name, _ in self.columns)


@cache  # called for every property of every record; a feed has few distinct names
def snake(name: str) -> str:
    """`firstName` -> `first_name`, `email1` -> `email1`, `salesperson1Id` -> `salesperson1_id`."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _set(table: str, entity_set: str, columns: str, description: str, *, ids: str = GUID,
         key: str = "id") -> SetDef:
    """`columns` as "property:kind ..." (kinds as in crm_pipelines.core.columns converters)."""
    parsed = tuple(tuple(item.split(":")) for item in columns.split())
    return SetDef(table, entity_set, ids, parsed, description, key)  # type: ignore[arg-type]


_ACTIVE = "isActive:bool"
_LU = "lastUpdate:datetime"

SETS: tuple[SetDef, ...] = (
    _set("activities", "Activities", f"contactId:text activityReferenceId:int activityResultId:int employeeId:text "
         f"dueDate:datetime completedDate:datetime note:text {_ACTIVE} {_LU}",
         "MarketSharp activities (calls, visits, to-dos) on contacts."),
    _set("activity_references", "ActivityReferences", f"name:text {_ACTIVE}",
         "MarketSharp activity types (a reference list with integer ids).", ids=INTEGER),
    _set("activity_results", "ActivityResults", f"name:text {_ACTIVE} {_LU}",
         "MarketSharp activity results (integer ids).", ids=INTEGER),
    _set("addresses", "Addresses", f"contactId:text address1:text address2:text city:text state:text zip:text "
         "isPrimary:bool", "MarketSharp contact addresses."),
    _set("appointment_results", "AppointmentResults", f"name:text sold:bool {_ACTIVE}",
         "MarketSharp appointment results (e.g. sold, no sale)."),
    _set("appointments", "Appointments", "inquiryId:text salesperson1Id:text salesperson2Id:text setById:text "
         "resultId:text appointmentDate:datetime setDate:datetime issuedDate:datetime subject:text type:text "
         f"resultReason:text note:text {_ACTIVE} createdDate:datetime createdBy:text lastUpdateBy:text {_LU}",
         "MarketSharp appointments."),
    _set("companies", "Companies", f"name:text {_ACTIVE}", "MarketSharp companies (integer ids).", ids=INTEGER),
    _set("contact_phones", "ContactPhones", "homePhone:text cellPhone:text workPhone:text fax:text",
         "MarketSharp contact phone numbers, one row per contact (keyed by the contact's id).", key="contactId"),
    _set("contact_types", "ContactTypes", "contactId:text contactType:int",
         "MarketSharp contact types (1 prospect, 2 lead, 3 customer), one row per contact."),
    _set("contacts", "Contacts", "companyId:int firstName:text lastName:text businessName:text email1:email "
         "email2:email email3:email contactPhoneId:text primaryAddressId:text source:text contactType:text "
         f"creationDate:datetime createdDate:datetime {_ACTIVE} hasDncPhone:bool doNotMail:bool {_LU}",
         "MarketSharp contacts (prospects, leads and customers; `contact_type` 1, 2, 3)."),
    _set("custom_fields", "CustomFields", "contactId:text name:text value:text",
         "MarketSharp custom field values of contacts."),
    _set("customers", "Customers", f"contactId:text customerNumber:text {_ACTIVE} {_LU}",
         "MarketSharp customers."),
    _set("employees", "Employees", f"firstName:text lastName:text email:email {_ACTIVE} {_LU}",
         "MarketSharp employees (salespeople, setters)."),
    _set("inquiries", "Inquiries", "contactId:text inquiryDate:datetime inquirySourcePrimaryId:text "
         f"inquirySourceSecondaryId:text inquiryStatusId:int note:text {_ACTIVE} {_LU}",
         "MarketSharp inquiries (a contact's request, with its lead source and status)."),
    _set("inquiry_source_primaries", "InquirySourcePrimaries", f"name:text {_ACTIVE}",
         "MarketSharp primary lead sources."),
    _set("inquiry_source_secondaries", "InquirySourceSecondaries", f"inquirySourcePrimaryId:text name:text {_ACTIVE}",
         "MarketSharp secondary lead sources."),
    _set("inquiry_statuses", "InquiryStatuses", f"name:text {_ACTIVE}",
         "MarketSharp inquiry statuses (a reference list with integer ids).", ids=INTEGER),
    _set("jobs", "Jobs", "contactId:text inquiryId:text number:text name:text site:text contractDate:datetime "
         f"totalContract:money {_ACTIVE} {_LU}", "MarketSharp jobs (sold work)."),
    _set("leads", "Leads", f"contactId:text leadSource:text {_ACTIVE} {_LU}", "MarketSharp leads."),
    _set("product_details", "ProductDetails", f"productTypeId:text name:text {_ACTIVE}",
         "MarketSharp product details."),
    _set("product_interests", "ProductInterests", "contactId:text productTypeId:text inquiryId:text",
         "MarketSharp product interests of contacts."),
    _set("product_types", "ProductTypes", f"name:text {_ACTIVE}", "MarketSharp product types."),
    _set("prospects", "Prospects", f"contactId:text {_ACTIVE} {_LU}", "MarketSharp prospects."),
)
