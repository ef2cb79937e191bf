"""pandera schema of LeadConduit leads: the `source` event's envelope plus the lead's fields, named as in
`vars.lead` (typed fields such as email and phone_1 hold their `normal` value)."""

from __future__ import annotations

from crm_pipelines.core import columns as c
from crm_pipelines.core.columns import EntitySchema, Text, Timestamp

OBJECT_ID = r"^[0-9a-f]{24}$"


class Lead(EntitySchema):
    id: Text = c.key(str_matches=OBJECT_ID)  # the source event's id
    lead_id: Text = c.optional()  # vars.lead.id: one lead, several events
    outcome: Text = c.optional()
    reason: Text = c.optional()
    start_timestamp: Timestamp = c.optional()  # epoch milliseconds in the API
    end_timestamp: Timestamp = c.optional()
    submission_timestamp: Timestamp = c.optional()  # vars.submission.timestamp
    flow_id: Text = c.optional()
    flow_name: Text = c.optional()
    source_id: Text = c.optional()
    source_name: Text = c.optional()
    first_name: Text = c.optional()
    last_name: Text = c.optional()
    email: Text = c.email()
    phone_1: Text = c.phone()
    phone_2: Text = c.phone()
    address_1: Text = c.optional()
    address_2: Text = c.optional()
    city: Text = c.optional()
    state: Text = c.optional()
    postal_code: Text = c.optional()
    country: Text = c.optional()
    comments: Text = c.optional()
    trustedform_cert_url: Text = c.optional()
    # The account's custom fields (suffix _hge), as the legacy system kept them.
    note_hge: Text = c.optional()
    owner_hge: Text = c.optional()
    owner_email_hge: Text = c.optional()
    owner_id_hge: Text = c.optional()
    salesrabbit_lead_id_hge: Text = c.optional()
