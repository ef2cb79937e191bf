"""Object types the emulator serves and the properties each one carries (API_SHAPES §1.2-§1.4, §1.8)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..kit.generate.pools import SOURCES
from .config import HubSpotConfig
from .errors import ApiError

def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


@dataclass(frozen=True)
class PropSpec:
    name: str
    type: str
    kind: str  # generator name in values.py
    optional: bool = False  # ~10 % null
    stable: bool = False  # value survives a "touch" (names, emails, addresses do not churn)
    options: tuple[tuple[str, str], ...] = ()  # (value, label) for enumerations


def _enum(*labels: str) -> tuple[tuple[str, str], ...]:
    return tuple((_slug(label), label) for label in labels)


BOOL_OPTIONS = (("true", "Yes"), ("false", "No"))


@dataclass
class ObjectSpec:
    key: str  # canonical name used across the sandbox (counts, truth, mutations)
    type_id: str
    aliases: tuple[str, ...]
    created_prop: str
    modified_prop: str
    props: list[PropSpec]
    list_defaults: tuple[str, ...]
    search_defaults: tuple[str, ...]
    singular: str
    by_name: dict[str, PropSpec] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_name = {p.name: p for p in self.props}

    @property
    def always(self) -> tuple[str, ...]:
        # HubSpot adds these to every object response whatever `properties` says.
        return ("hs_object_id", self.created_prop, self.modified_prop)


def _contacts() -> ObjectSpec:
    props = [
        PropSpec("hs_object_id", "number", "object_id"),
        PropSpec("createdate", "datetime", "created"),
        PropSpec("lastmodifieddate", "datetime", "modified"),
        PropSpec("firstname", "string", "first_name", optional=True, stable=True),
        PropSpec("lastname", "string", "last_name", optional=True, stable=True),
        PropSpec("email", "string", "email", optional=True, stable=True),
        PropSpec("phone", "phone_number", "phone", optional=True),
        PropSpec("mobilephone", "phone_number", "phone", optional=True),
        PropSpec("address", "string", "street", optional=True, stable=True),
        PropSpec("city", "string", "city", optional=True, stable=True),
        PropSpec("state", "string", "state", optional=True, stable=True),
        PropSpec("zip", "string", "zip", optional=True, stable=True),
        PropSpec("division", "string", "division_name", optional=True),
        PropSpec("marketsharp_id", "string", "guid", optional=True, stable=True),
        PropSpec("hubspot_owner_id", "enumeration", "owner_id", optional=True),
        PropSpec("lead_is_dnc", "bool", "bool", options=BOOL_OPTIONS),
        PropSpec("price", "number", "money", optional=True),
        PropSpec("hs_merged_object_ids", "enumeration", "merged_ids"),
        PropSpec("hge_primary_source", "enumeration", "enum", optional=True, options=_enum(*SOURCES)),
        PropSpec("hge_secondary_source", "string", "source_text", optional=True),
        PropSpec("lead_appointment_date", "date", "date_mixed", optional=True),
        PropSpec("trustedform_cert_url", "string", "trustedform", optional=True, stable=True),
        PropSpec("lifecyclestage", "enumeration", "enum", optional=True, options=_enum(
            "Subscriber", "Lead", "MarketingQualifiedLead", "SalesQualifiedLead", "Opportunity", "Customer",
            "Evangelist", "Other")),
    ]
    return ObjectSpec(
        "contacts", "0-1", ("contacts", "contact", "0-1"), "createdate", "lastmodifieddate", props,
        ("firstname", "lastname", "email"),
        ("createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"),
        "Contact")


def _companies() -> ObjectSpec:
    props = [
        PropSpec("hs_object_id", "number", "object_id"),
        PropSpec("createdate", "datetime", "created"),
        PropSpec("hs_lastmodifieddate", "datetime", "modified"),
        PropSpec("name", "string", "company_name", stable=True),
        PropSpec("domain", "string", "company_domain", optional=True, stable=True),
        PropSpec("phone", "phone_number", "phone", optional=True),
        PropSpec("city", "string", "city", optional=True, stable=True),
        PropSpec("state", "string", "state", optional=True, stable=True),
        PropSpec("industry", "enumeration", "enum", optional=True, options=_enum(
            "Construction", "Building Materials", "Real Estate", "Consumer Services", "Renewables Environment",
            "Architecture Planning", "Financial Services", "Retail")),
        PropSpec("numberofemployees", "number", "employees", optional=True),
        PropSpec("annualrevenue", "number", "revenue", optional=True),
    ]
    return ObjectSpec(
        "companies", "0-2", ("companies", "company", "0-2"), "createdate", "hs_lastmodifieddate", props,
        ("name", "domain"), ("createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"),
        "Company")


def _deals() -> ObjectSpec:
    props = [
        PropSpec("hs_object_id", "number", "object_id"),
        PropSpec("createdate", "datetime", "created"),
        PropSpec("hs_lastmodifieddate", "datetime", "modified"),
        PropSpec("dealname", "string", "deal_name", stable=True),
        PropSpec("amount", "number", "money", optional=True),
        PropSpec("closedate", "datetime", "close_date", optional=True),
        PropSpec("dealstage", "enumeration", "enum", options=(
            ("appointmentscheduled", "Appointment Scheduled"), ("qualifiedtobuy", "Qualified To Buy"),
            ("presentationscheduled", "Presentation Scheduled"),
            ("decisionmakerboughtin", "Decision Maker Bought-In"), ("contractsent", "Contract Sent"),
            ("closedwon", "Closed Won"), ("closedlost", "Closed Lost"))),
        PropSpec("dealtype", "enumeration", "enum", optional=True, options=(
            ("newbusiness", "New Business"), ("existingbusiness", "Existing Business"))),
        PropSpec("pipeline", "enumeration", "enum", options=(("default", "Sales Pipeline"),)),
        PropSpec("hubspot_owner_id", "enumeration", "owner_id", optional=True),
        PropSpec("division", "string", "division_name", optional=True),
        PropSpec("priority", "enumeration", "enum", optional=True, options=_enum("Low", "Medium", "High")),
    ]
    return ObjectSpec(
        "deals", "0-3", ("deals", "deal", "0-3"), "createdate", "hs_lastmodifieddate", props,
        ("dealname", "amount", "closedate", "pipeline", "dealstage"),
        ("amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id",
         "pipeline"),
        "Deal")


def _appointments() -> ObjectSpec:
    props = [
        PropSpec("hs_object_id", "number", "object_id"),
        PropSpec("hs_createdate", "datetime", "created"),
        PropSpec("hs_lastmodifieddate", "datetime", "modified"),
        PropSpec("hs_appointment_name", "string", "appointment_name", stable=True),
        PropSpec("hs_appointment_start", "datetime", "appt_start"),
        PropSpec("hs_appointment_end", "datetime", "appt_end"),
        PropSpec("hs_duration", "number", "appt_duration"),
        PropSpec("appointment_status", "enumeration", "enum", options=_enum(
            "Scheduled", "Confirmed", "Completed", "Cancelled", "No Show", "Rescheduled")),
        PropSpec("genius_appointment_id", "number", "int_id", optional=True, stable=True),
        PropSpec("marketsharp_id", "string", "guid", optional=True, stable=True),
        PropSpec("email", "string", "email", optional=True, stable=True),
        PropSpec("phone1", "phone_number", "phone", optional=True),
        PropSpec("is_complete", "bool", "bool", options=BOOL_OPTIONS),
        PropSpec("division_id", "string", "division_id", optional=True),
        PropSpec("hubspot_owner_id", "enumeration", "owner_id", optional=True),
        PropSpec("hs_pipeline", "enumeration", "enum", options=(("appointments_pipeline", "Appointments"),)),
        PropSpec("hs_pipeline_stage", "enumeration", "enum", options=_enum(
            "Booked", "Confirmed", "Ran", "Sold", "Not Sold", "Cancelled")),
    ]
    return ObjectSpec(
        "appointments", "0-421", ("appointments", "appointment", "0-421"), "hs_createdate", "hs_lastmodifieddate",
        props, ("hs_appointment_name", "hs_appointment_start", "hs_appointment_end"),
        ("hs_createdate", "hs_lastmodifieddate", "hs_object_id"), "Appointment")


def _divisions(cfg: HubSpotConfig) -> ObjectSpec:
    props = [
        PropSpec("hs_object_id", "number", "object_id"),
        PropSpec("hs_createdate", "datetime", "created"),
        PropSpec("hs_lastmodifieddate", "datetime", "modified"),
        PropSpec("division_name", "string", "own_division_name", stable=True),
        PropSpec("division_label", "string", "own_division_label", optional=True, stable=True),
        PropSpec("division_code", "string", "own_division_code", stable=True),
        PropSpec("status", "enumeration", "division_status", options=_enum("Active", "Inactive")),
        PropSpec("region", "string", "own_division_region", optional=True, stable=True),
        PropSpec("manager_name", "string", "full_name", optional=True),
        PropSpec("manager_email", "string", "email", optional=True),
    ]
    fqn = f"p{cfg.portal_id}_divisions"
    return ObjectSpec(
        "divisions", cfg.division_type_id, ("divisions", "p_divisions", fqn, cfg.division_type_id),
        "hs_createdate", "hs_lastmodifieddate", props, ("division_name",),
        ("hs_createdate", "hs_lastmodifieddate", "hs_object_id"), "Division")


def _genius_users(cfg: HubSpotConfig) -> ObjectSpec:
    props = [
        PropSpec("hs_object_id", "number", "object_id"),
        PropSpec("hs_createdate", "datetime", "created"),
        PropSpec("hs_lastmodifieddate", "datetime", "modified"),
        PropSpec("name", "string", "full_name", stable=True),
        PropSpec("email", "string", "email", optional=True, stable=True),
        PropSpec("division", "string", "division_name", optional=True),
        PropSpec("division_id", "string", "division_id", optional=True),
        PropSpec("job_title", "string", "job_title", optional=True),
        PropSpec("user_id", "number", "int_id", stable=True),
        PropSpec("arrivy_user_id", "string", "arrivy_id", optional=True, stable=True),
        PropSpec("user_account_type", "enumeration", "enum", options=_enum(
            "Admin", "Manager", "Sales Rep", "Installer", "Office")),
        PropSpec("user_status_inactive", "bool", "bool", options=BOOL_OPTIONS),
    ]
    fqn = f"p{cfg.portal_id}_genius_users"
    return ObjectSpec(
        "genius_users", cfg.genius_user_type_id,
        ("genius_users", "p_genius_users", fqn, cfg.genius_user_type_id),
        "hs_createdate", "hs_lastmodifieddate", props, ("name",),
        ("hs_createdate", "hs_lastmodifieddate", "hs_object_id"), "Genius User")


OBJECT_KEYS = ("contacts", "companies", "deals", "appointments", "divisions", "genius_users")


class Registry:
    """Object specs for one config (custom type ids are portal-specific)."""

    def __init__(self, cfg: HubSpotConfig) -> None:
        specs = [_contacts(), _companies(), _deals(), _appointments(), _divisions(cfg), _genius_users(cfg)]
        self.specs: dict[str, ObjectSpec] = {s.key: s for s in specs}
        self._lookup: dict[str, ObjectSpec] = {}
        for spec in specs:
            for alias in spec.aliases:
                self._lookup[alias.lower()] = spec

    def resolve(self, name: str) -> ObjectSpec:
        spec = self._lookup.get(name.lower())
        if spec is None:
            raise ApiError(400, "VALIDATION_ERROR", f"Unable to infer object type from: {name}")
        return spec

    def try_resolve(self, name: str | None) -> ObjectSpec | None:
        return self._lookup.get(name.lower()) if name else None

    def table_key(self, name: str) -> str:
        """Key for truth/mutations: any object alias, or "owners"."""
        if name.lower() == "owners":
            return "owners"
        spec = self._lookup.get(name.lower())
        if spec is None:
            raise ValueError(f"unknown object_type {name!r}; use one of {list(OBJECT_KEYS) + ['owners']}")
        return spec.key
