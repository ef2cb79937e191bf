"""pandera schemas of the Arrivy entities; column names are Arrivy's field names, which are already snake
case. Ids are 16-digit integers in JSON: they are kept as text (digits), exactly, never through a float."""

from __future__ import annotations

from crm_pipelines.core import columns as c
from crm_pipelines.core.columns import Bool, EntitySchema, Float, Int, Object, Text, Timestamp

DIGITS = r"^[0-9]+$"


class _Record(EntitySchema):
    id: Text = c.key(str_matches=DIGITS)
    owner: Text = c.optional()
    created: Timestamp = c.optional()
    updated: Timestamp = c.optional()
    extra_fields: Object = c.json()


class _Scheduled(_Record):
    """Fields tasks and bookings share: the schedule (UTC, with the caller's original string and zone)
    and the customer."""

    title: Text = c.optional()
    details: Text = c.optional()
    template: Text = c.optional()
    start_datetime: Timestamp = c.optional()
    start_datetime_original_iso_str: Text = c.optional()
    start_datetime_timezone: Text = c.optional()
    end_datetime: Timestamp = c.optional()
    end_datetime_original_iso_str: Text = c.optional()
    end_datetime_timezone: Text = c.optional()
    status: Text = c.optional()
    group_id: Text = c.optional()
    entity_ids: Object = c.json()
    crew_ids: Object = c.json()
    external_id: Text = c.optional()
    customer_id: Text = c.optional()
    customer_first_name: Text = c.optional()
    customer_last_name: Text = c.optional()
    customer_email: Text = c.email()
    customer_mobile_number: Text = c.phone()
    customer_phone: Text = c.phone()
    customer_address_line_1: Text = c.optional()
    customer_address_line_2: Text = c.optional()
    customer_city: Text = c.optional()
    customer_state: Text = c.optional()
    customer_zipcode: Text = c.optional()
    customer_country: Text = c.optional()
    customer_timezone: Text = c.optional()
    customer_exact_location: Object = c.json()
    template_extra_fields: Object = c.json()


class Task(_Scheduled):
    url_safe_id: Text = c.optional()
    template_type: Text = c.optional()
    due_datetime: Timestamp = c.optional()
    due_datetime_original_iso_str: Text = c.optional()
    due_datetime_timezone: Text = c.optional()
    duration: Int = c.optional()  # minutes
    unscheduled: Bool = c.optional()
    all_day: Bool = c.optional()
    status_id: Text = c.optional()
    status_title: Text = c.optional()
    resource_ids: Object = c.json()
    worker_ids: Object = c.json()
    external_type: Text = c.optional()
    additional_addresses: Object = c.json()
    notifications: Object = c.json()
    created_by: Text = c.optional()
    updated_by: Text = c.optional()
    entity_confirmation_statuses: Object = c.json()
    routes: Object = c.json()
    entity_routes: Object = c.json()
    files: Object = c.json()
    forms: Object = c.json()
    items: Object = c.json()
    skill_details: Object = c.json()
    travel_time: Int = c.optional()
    task_time: Int = c.optional()
    total_time: Int = c.optional()


class Booking(_Scheduled):
    task_id: Text = c.optional()


class TaskStatus(EntitySchema):
    id: Text = c.key(str_matches=DIGITS)
    task_id: Text = c.key(str_matches=DIGITS)
    type: Text = c.optional()
    time: Timestamp = c.optional()
    reporter_name: Text = c.optional()
    reporter_id: Text = c.optional()
    source: Text = c.optional()
    extra_fields: Object = c.json()


class Entity(_Record):
    name: Text = c.optional()
    type: Text = c.optional()
    email: Text = c.email()
    phone: Text = c.phone()
    details: Text = c.optional()
    group_id: Text = c.optional()
    additional_group_ids: Object = c.json()
    image_id: Text = c.optional()
    image_path: Text = c.optional()
    external_id: Text = c.optional()
    external_type: Text = c.optional()
    permission: Text = c.optional()
    is_disabled: Bool = c.optional()
    user_type: Text = c.optional()
    invite_status: Text = c.optional()
    skill_ids: Object = c.json()
    lastreading: Object = c.json()
    joined_datetime: Timestamp = c.optional()


class Crew(_Record):
    name: Text = c.optional()
    description: Text = c.optional()
    group_id: Text = c.optional()
    entity_ids: Object = c.json()
    entities_data: Object = c.json()


class Group(_Record):
    name: Text = c.optional()
    description: Text = c.optional()
    email: Text = c.email()
    phone: Text = c.phone()
    mobile_number: Text = c.phone()
    emergency: Text = c.optional()
    address_line_1: Text = c.optional()
    address_line_2: Text = c.optional()
    city: Text = c.optional()
    state: Text = c.optional()
    country: Text = c.optional()
    zipcode: Text = c.optional()
    exact_location: Object = c.json()
    timezone: Text = c.optional()
    image_id: Text = c.optional()
    image_path: Text = c.optional()
    is_default: Bool = c.optional()
    is_disabled: Bool = c.optional()
    is_implicit: Bool = c.optional()
    territory_ids: Object = c.json()


class Status(_Record):
    title: Text = c.optional()
    type: Text = c.optional()
    type_id: Text = c.optional()
    color: Text = c.optional()
    is_active: Bool = c.optional()
    order: Int = c.optional()
    description: Text = c.optional()
    visible_to_customer: Bool = c.optional()
    require_signature: Bool = c.optional()
    require_rating: Bool = c.optional()


class LocationReport(EntitySchema):
    entity_id: Text = c.key(str_matches=DIGITS)
    time: Timestamp = c.key()
    lat: Float = c.optional()
    lng: Float = c.optional()
    city: Text = c.optional()
    street: Text = c.optional()
    country: Text = c.optional()
    authorized: Bool = c.optional()
