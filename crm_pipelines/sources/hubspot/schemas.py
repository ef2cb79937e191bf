"""pandera schemas of the HubSpot entities; column names are the HubSpot property names (already snake
case), plus created_at / updated_at / archived from the object envelope."""

from __future__ import annotations

from crm_pipelines.core import columns as c
from crm_pipelines.core.columns import Bool, EntitySchema, Float, Int, Object, Text, Timestamp


class HubSpotObject(EntitySchema):
    id: Text = c.key(str_matches=r"^[0-9]+$")
    created_at: Timestamp = c.optional()
    updated_at: Timestamp = c.optional()
    archived: Bool = c.optional()


class Contact(HubSpotObject):
    createdate: Timestamp = c.optional()
    lastmodifieddate: Timestamp = c.optional()
    firstname: Text = c.optional()
    lastname: Text = c.optional()
    email: Text = c.email()
    phone: Text = c.phone()
    mobilephone: Text = c.phone()
    address: Text = c.optional()
    city: Text = c.optional()
    state: Text = c.optional()
    zip: Text = c.optional()
    division: Text = c.optional()
    marketsharp_id: Text = c.optional()
    hubspot_owner_id: Text = c.optional()
    lead_is_dnc: Bool = c.optional()
    price: Object = c.money()
    hs_merged_object_ids: Object = c.string_list()
    hge_primary_source: Text = c.optional()
    hge_secondary_source: Text = c.optional()
    lead_appointment_date: Object = c.date()
    trustedform_cert_url: Text = c.optional()
    lifecyclestage: Text = c.optional()


class Company(HubSpotObject):
    createdate: Timestamp = c.optional()
    hs_lastmodifieddate: Timestamp = c.optional()
    name: Text = c.optional()
    domain: Text = c.optional()
    phone: Text = c.phone()
    city: Text = c.optional()
    state: Text = c.optional()
    industry: Text = c.optional()
    numberofemployees: Int = c.optional(ge=0)
    annualrevenue: Object = c.money()


class Deal(HubSpotObject):
    createdate: Timestamp = c.optional()
    hs_lastmodifieddate: Timestamp = c.optional()
    dealname: Text = c.optional()
    amount: Object = c.money()
    closedate: Timestamp = c.optional()
    dealstage: Text = c.optional()
    dealtype: Text = c.optional()
    pipeline: Text = c.optional()
    hubspot_owner_id: Text = c.optional()
    division: Text = c.optional()
    priority: Text = c.optional()


class Appointment(HubSpotObject):
    hs_createdate: Timestamp = c.optional()
    hs_lastmodifieddate: Timestamp = c.optional()
    hs_appointment_name: Text = c.optional()
    hs_appointment_start: Timestamp = c.optional()
    hs_appointment_end: Timestamp = c.optional()
    hs_duration: Int = c.optional(ge=0)  # milliseconds, as HubSpot sends it
    appointment_status: Text = c.optional()
    genius_appointment_id: Int = c.optional()
    marketsharp_id: Text = c.optional()
    email: Text = c.email()
    phone1: Text = c.phone()
    is_complete: Bool = c.optional()
    division_id: Text = c.optional()
    hubspot_owner_id: Text = c.optional()
    hs_pipeline: Text = c.optional()
    hs_pipeline_stage: Text = c.optional()


class Division(HubSpotObject):
    hs_createdate: Timestamp = c.optional()
    hs_lastmodifieddate: Timestamp = c.optional()
    division_name: Text = c.optional()
    division_label: Text = c.optional()
    division_code: Text = c.optional()
    status: Text = c.optional()
    region: Text = c.optional()
    manager_name: Text = c.optional()
    manager_email: Text = c.email()


class GeniusUser(HubSpotObject):
    hs_createdate: Timestamp = c.optional()
    hs_lastmodifieddate: Timestamp = c.optional()
    name: Text = c.optional()
    email: Text = c.email()
    division: Text = c.optional()
    division_id: Text = c.optional()
    job_title: Text = c.optional()
    user_id: Int = c.optional()
    arrivy_user_id: Text = c.optional()
    user_account_type: Text = c.optional()
    user_status_inactive: Bool = c.optional()


class Owner(EntitySchema):
    id: Text = c.key(str_matches=r"^[0-9]+$")
    email: Text = c.email()
    first_name: Text = c.optional()
    last_name: Text = c.optional()
    user_id: Int = c.optional()
    user_id_including_inactive: Int = c.optional()
    type: Text = c.optional(isin=["PERSON", "QUEUE"])
    archived: Bool = c.optional()
    created_at: Timestamp = c.optional()
    updated_at: Timestamp = c.optional()
    teams: Object = c.json()


class _Association(EntitySchema):
    contact_id: Text = c.key(str_matches=r"^[0-9]+$")
    association_types: Object = c.json()


class ContactAppointment(_Association):
    appointment_id: Text = c.key(str_matches=r"^[0-9]+$")


class ContactDivision(_Association):
    division_id: Text = c.key(str_matches=r"^[0-9]+$")

