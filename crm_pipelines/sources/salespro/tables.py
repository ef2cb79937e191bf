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
    key: str  # the source's key column; stored as `id`
    columns: tuple[tuple[str, str], ...]  # (source column, kind), the key excluded
    csv: bool = False
    description: str = ""


def _columns(spec: str) -> tuple[tuple[str, str], ...]:
    return tuple(tuple(item.split(":")) for item in spec.split())  # type: ignore[misc]


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
        "company_id:text sales_rep_id:text customer_id:text credit_app_vendor:text credit_app_vendor_id:text "
        f"credit_app_amount:money credit_app_status:text credit_app_note:text {_TIMES}"),
        description="SalesPro (Leap) credit applications (Athena `credit_applications`)."),
    TableDef("offices", "offices", "office_id", _columns(
        "name:text company_id:text company_name:text can_search_all_estimates:bool last_edit_user:text "
        f"last_edit_date:datetime {_TIMES}"), csv=True,
        description="SalesPro offices, from the latest complete `offices*.csv` export."),
    TableDef("users", "users", "user_object_id", _columns(
        "username:text first_name:text last_name:text email:email phone_number:phone is_active:bool "
        "is_manager:bool company_id:text selected_office:text allowed_offices:json identifier:text "
        f"license_number:text {_TIMES} last_login_date:datetime deactivated_date:datetime"), csv=True,
        description="SalesPro users, from the latest complete `users*.csv` export."),
)

BY_NAME = {t.name: t for t in TABLES}

# lead_results: estimate_id keyed; the `lead_results` JSON list of {title, value} is typed by title into
# these columns (title -> column, kind); every other title stays in the `lead_results` column only.
LEAD_RESULTS_TABLE = "lead_results"
LEAD_RESULT_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("Appointment Result", "appointment_result", "text"),
    ("Result Reason - Demo Not Sold", "result_reason_demo_not_sold", "text"),
    ("Result Reason - No Demo", "result_reason_no_demo", "text"),
    ("Both Homeowners Present", "both_homeowners_present", "bool"),
    ("Job Size", "job_size", "int"),
    ("Total Job Amount", "total_job_amount", "money"),
    ("Last Price Offered", "last_price_offered", "money"),
    ("Customer's Final Price Commitment", "customers_final_price_commitment", "money"),
    ("Deposit Type", "deposit_type", "text"),
    ("Financing", "financing", "bool"),
    ("Notes", "notes", "text"),
)
LINE_ITEMS = 6  # "Job Type N" / "Job Type N Amount", N = 1..6
