"""The SalesPro tables this source reads, as one table: where each comes from (an Athena table or a CSV
export), its key, and its columns (name and converter kind, crm_pipelines.core.columns). Schemas and
entities are built from it; BEHAVIOR.md says why each is read the way it is."""

from __future__ import annotations

from dataclasses import dataclass

# Kinds: text, int, bool, datetime, money (exact numeric from "$12,500.00"), email, phone, json.
UPDATED_AT = "updated_at"


@dataclass(frozen=True)
class TableDef:
    name: str  # warehouse table (snake_case plural)
    source: str  # the Athena table, or the CSV export's file prefix (offices*.csv)
    key: str  # the source's key field; stored as `id`
    columns: tuple[tuple[str, str, str], ...]  # (column, kind, source field), the key excluded
    csv: bool = False
    description: str = ""


def _columns(spec: str) -> tuple[tuple[str, str, str], ...]:
    """"column:kind" (the source field has the column's name) or "column:kind:sourceField"."""
    parsed = []
    for item in spec.split():
        column, kind, *field = item.split(":")
        parsed.append((column, kind, field[0] if field else column))
    return tuple(parsed)


_TIMES = "created_at:datetime updated_at:datetime"

TABLES: tuple[TableDef, ...] = (
    TableDef("customers", "customer", "customer_id", _columns(
        "estimate_id:text company_id:text company_name:text customer_first_name:text customer_last_name:text "
        f"crm_source:text crm_source_id:text {_TIMES}"),
        description="SalesPro customers (Athena `customer`)."),
    TableDef("estimates", "estimate", "estimate_id", _columns(
        "company_id:text company_name:text office_id:text office_name:text sales_rep_id:text "
        "sales_rep_first_name:text sales_rep_last_name:text customer_id:text customer_first_name:text "
        "customer_last_name:text street_address:text city:text state:text zip_code:text sale_amount:money "
        "is_sale:bool job_type:text finance_amount:money bank_name:text loan_name:text down_payment:money "
        f"has_credit_app:bool document_count:int {_TIMES}"),
        description="SalesPro estimates (Athena `estimate`)."),
    TableDef("credit_applications", "credit_applications", "leap_credit_app_id", _columns(
        "company_id:text company_name:text sales_rep_id:text customer_id:text credit_app_vendor:text credit_app_vendor_id:text "
        f"credit_app_amount:money credit_app_status:text credit_app_note:text {_TIMES}"),
        description="SalesPro (Leap) credit applications (Athena `credit_applications`)."),
    # The exports are Parse-style (SalesPro's backend): camelCase headers, the key `objectId`, ISO times with Z.
    TableDef("offices", "offices", "objectId", _columns(
        "name:text company_id:text:companyId company_name:text:company "
        "can_search_all_estimates:bool:canSearchAllEstimates last_edit_user:text last_edit_date:datetime "
        "created_at:datetime:createdAt updated_at:datetime:updatedAt"), csv=True,
        description="SalesPro offices, from the latest complete `offices*.csv` export."),
    TableDef("users", "users", "objectId", _columns(
        "username:text first_name:text:nameFirst last_name:text:nameLast email:email "
        "phone_number:phone:phoneNumber is_active:bool:isActive is_manager:bool:isManager "
        "is_available_to_call:bool:isAvailableToCall can_activate_users:bool:canActivateUsers "
        "can_change_settings:bool:canChangeSettings can_submit_credit_apps:bool:canSubmitCreditApps "
        "disable_change_company:bool:disableChangeCompany company_id:text:company "
        "selected_office:text:selectedOffice allowed_offices:json:allowedOffices identifier:text "
        "license_number:text:licenseNumber created_at:datetime:createdAt updated_at:datetime:updatedAt "
        "last_login_date:datetime:lastLoginDate deactivated_date:datetime:deactivatedDate"), csv=True,
        description="SalesPro users, from the latest complete `users*.csv` export."),
)

BY_NAME = {t.name: t for t in TABLES}

# lead_results: estimate_id keyed; the `lead_results` JSON list of {title, value} is typed by title into these
# columns: (column, kind, titles). Titles match in snake_case (lead_results.snake: case, punctuation, a
# trailing "?", "-" or space and "\u0026" escapes do not matter); a title ending in "*" matches by prefix.
# The legacy system's columns and the titles it mapped (several titles may fill one column); every other
# title stays in the `lead_results` column only.
LEAD_RESULTS_TABLE = "lead_results"
LEAD_RESULT_COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("appointment_result", "text", ("Appointment Result", "Result")),
    ("result_reason_demo_not_sold", "text", ("Result Reason - Demo Not Sold (objection)",
                                             "Result Reason - Demo Not Sold")),
    ("result_reason_no_demo", "text", ("Result Reason - No Demo (REQUIRES SALES MANGER APPROVAL)",
                                       "Result Reason - No Demo")),
    ("both_homeowners_present", "bool", ("Both Homeowners Present?",)),
    ("sales_manager_present", "bool", ("Sales Manager Present",)),
    ("job_size", "money", ("Job Size",)),
    ("total_job_amount", "money", ("Total Job Amount",)),
    ("one_year_price", "money", ("One Year Price",)),
    ("last_price_offered", "money", ("Last Price Offered",)),
    ("last_payment_offered", "money", ("Last PAYMENT offered",)),
    ("no_brainer_commitment", "money", ("Customer No Brainer Payment Commitment ($0.00 if you did not get "
                                        "commitment)",)),
    ("customers_final_price_commitment", "money", ("Customer's Final Price Commitment",)),
    ("deposit_type", "text", ("Deposit Type",)),
    ("deposit_amount", "money", ("Deposit Amount",)),
    ("balance_type", "text", ("Balance Type", "Balance Form Of Payment")),
    ("balance_amount", "money", ("Balance Amount",)),
    ("preferred_payment", "text", ("Preferred Payment",)),
    ("financing", "text", ("Financing",)),
    ("financing_approved", "bool", ("Financing Approved",)),
    ("loan_docs_signed", "bool", ("Loan Docs Signed",)),
    ("job_type", "text", ("Job Type",)),
    ("services", "text", ("Services",)),
    ("requested_start_month", "text", ("Requested Start Month (If Any)",)),
    ("deadline", "text", ("Deadline (If Any)",)),
    ("timing", "text", ("Timing",)),
    ("scheduling_notes", "text", ("Scheduling Notes",)),
    ("upload_estimate_sheet_company_cam", "bool", ("Did you Upload Estimate Sheet to Company Cam",)),
    ("st8_completed", "bool", ("Did you complete your ST-8 Form Before leaving house?",
                               "Did the homeowner complete the ST-8 Form before leaving house?")),
    ("did_use_company_cam", "bool", ("Did you use company cam",)),
    ("client_most_likely_to_add_on", "text", ("Client most likely to add on:",)),
    ("warm_up_topic", "text", ("Warm Up Topic",)),
    ("urgency_time_frame", "text", ("Urgency Time Frame",)),
    ("additional_services_demoed_priced", "text", ("Additional Services Demoed & Priced",)),
    ("describe_rapport_hot_button", "text", ("Describe Rapport & Hot Button",)),
    ("company_story_pain_point", "text", ("Company Story - what is customer's pain point",)),
    ("call_to_action", "text", ("Call To Action - what is the urgency & main consequence",)),
    ("price_conditioning_response", "text", ("Price Conditioning Response (Where do they want to fall & why)",)),
    ("notes", "text", ("Notes",)),
    ("closing_notes", "text", ("Closing Notes (how could you have booked this job)",)),
    ("notes_for_install_team", "text", ("Notes for Install Team", "Project Notes")),
    ("details_discussed_for_install", "text", ("Details Discussed With Homeowner That Installation Needs To Know",)),
    ("measurement_tool", "text", ("Measurement Tool(s) Used",)),
    ("dumpster_preference", "text", ("Dumpster Preference",)),
    ("color_selection", "text", ("Color Selection*",)),
    ("has_consider_solar", "text", ("Has / would this customer ever consider Solar",)),
)
# Derived, not a title: the bracketed prefix of appointment_result ("[HRE] Demo Sold" -> "[HRE]").
STATUS_BUCKET = "status_bucket"
LINE_ITEMS = 6  # "Job Type N" / "Job Type N Amount", N = 1..6
