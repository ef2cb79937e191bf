"""The entity sets the emulator serves, as one table: set name, key property, id kind, default size and
each property's generator (render.py), from which its Edm type follows."""

from __future__ import annotations

from dataclasses import dataclass

# generator -> the Edm type it is declared with (strings carry no m:type)
EDM = {"guid": "Edm.Guid", "small_int": "Edm.Int32", "company": "Edm.Int32", "contact_type_int": "Edm.Int32",
       "bool": "Edm.Boolean", "created": "Edm.DateTime", "modified": "Edm.DateTime", "money": "Edm.Decimal"}


@dataclass(frozen=True)
class EmuSet:
    table: str  # the control API's object_type (snake_case)
    entity_set: str  # the OData set name in URLs
    guid_ids: bool
    default_count: int
    properties: tuple[tuple[str, str, str], ...]  # (name, Edm type, generator), the key excluded
    key: str = "id"

    @property
    def has_last_update(self) -> bool:
        return any(name == "lastUpdate" for name, _, _ in self.properties)


def _set(table: str, entity_set: str, properties: str, count: int = 300, *, guid_ids: bool = True,
         key: str = "id") -> EmuSet:
    """`properties` as "name:generator ..."."""
    parsed = []
    for item in properties.split():
        name, gen = item.split(":")
        parsed.append((name, EDM.get(gen, "Edm.String"), gen))
    return EmuSet(table, entity_set, guid_ids, count, tuple(parsed), key)


_LU = "lastUpdate:modified"
SETS: tuple[EmuSet, ...] = (
    _set("activities", "Activities", "contactId:guid activityReferenceId:small_int activityResultId:small_int "
         f"employeeId:guid dueDate:created completedDate:null note:text isActive:bool {_LU}", 600),
    _set("activity_references", "ActivityReferences", "name:source isActive:bool", 12, guid_ids=False),
    _set("activity_results", "ActivityResults", f"name:source isActive:bool {_LU}", 12, guid_ids=False),
    _set("addresses", "Addresses", "contactId:guid address1:street address2:null city:city state:state zip:zip "
         "isPrimary:bool"),
    _set("appointment_results", "AppointmentResults", "name:source sold:bool isActive:bool", 10),
    _set("appointments", "Appointments", "inquiryId:guid salesperson1Id:guid salesperson2Id:null setById:guid "
         "resultId:guid appointmentDate:created setDate:created issuedDate:null subject:text type:source "
         f"resultReason:text note:text isActive:bool createdDate:created createdBy:first lastUpdateBy:first {_LU}",
         1500),
    _set("companies", "Companies", "name:business_name isActive:bool", 5, guid_ids=False),
    _set("contact_phones", "ContactPhones", "homePhone:phone cellPhone:phone workPhone:null fax:null",
         key="contactId"),
    _set("contact_types", "ContactTypes", "contactId:guid contactType:contact_type_int"),
    _set("contacts", "Contacts", "companyId:company firstName:first lastName:last businessName:business "
         "email1:email email2:null email3:null contactPhoneId:guid primaryAddressId:guid source:source "
         f"contactType:contact_type creationDate:created createdDate:created isActive:bool hasDncPhone:bool "
         f"doNotMail:bool {_LU}", 2000),
    _set("custom_fields", "CustomFields", "contactId:guid name:source value:text"),
    _set("customers", "Customers", f"contactId:guid customerNumber:number isActive:bool {_LU}"),
    _set("employees", "Employees", f"firstName:first lastName:last email:email isActive:bool {_LU}", 40),
    _set("inquiries", "Inquiries", "contactId:guid inquiryDate:created inquirySourcePrimaryId:guid "
         f"inquirySourceSecondaryId:null inquiryStatusId:small_int note:text isActive:bool {_LU}", 1500),
    _set("inquiry_source_primaries", "InquirySourcePrimaries", "name:source isActive:bool", 8),
    _set("inquiry_source_secondaries", "InquirySourceSecondaries", "inquirySourcePrimaryId:guid name:source "
         "isActive:bool", 20),
    _set("inquiry_statuses", "InquiryStatuses", "name:source isActive:bool", 12, guid_ids=False),
    _set("jobs", "Jobs", "contactId:guid inquiryId:guid number:number name:text site:street contractDate:created "
         f"totalContract:money isActive:bool {_LU}"),
    _set("leads", "Leads", f"contactId:guid leadSource:source isActive:bool {_LU}"),
    _set("product_details", "ProductDetails", "productTypeId:guid name:source isActive:bool", 30),
    _set("product_interests", "ProductInterests", "contactId:guid productTypeId:guid inquiryId:guid"),
    _set("product_types", "ProductTypes", "name:source isActive:bool", 15),
    _set("prospects", "Prospects", f"contactId:guid isActive:bool {_LU}"),
)

BY_ENTITY_SET = {s.entity_set: s for s in SETS}
BY_TABLE = {s.table: s for s in SETS}
