"""The Genius tables this source reads, as one table of definitions (GENIUS_SCHEMA.md §5): the MySQL table, its
warehouse name, key, delta columns, the tables it refers to (asset deps), whether it is large (partitioned
on the UTC day of its modified time) and its columns with their MySQL types, as the schema doc lists them.
Warehouse types, SQL and schemas are all derived from this one table."""

from __future__ import annotations

import re
from dataclasses import dataclass

# MySQL type -> converter kind (processing.py); the warehouse type follows from the kind.
_INTEGER = re.compile(r"(?:SMALL|BIG)?INT(?: UNSIGNED)?")
# Free-text contact fields normalised as CONVENTIONS.md says (emails lower-cased, phones E.164).
EMAILS = frozenset({"email", "personal_email", "signer_email"})
PHONES = frozenset({"phone1", "phone2"})
# The three TIME columns that hold a time of day; every other TIME is an elapsed time (interval).
TIMES_OF_DAY = frozenset({("appointment", "time"), ("job", "measure_time"), ("job", "install_time")})


@dataclass(frozen=True)
class Column:
    name: str
    mysql_type: str
    nullable: bool
    kind: str  # int, bool, decimal, text, email, phone, date, datetime, interval, time


@dataclass(frozen=True)
class Join:
    """A column the warehouse adds from a join (GENIUS_SCHEMA.md §4)."""

    name: str
    kind: str  # "hubspot": third_party_source restricted to the 'hubspot' type; "primary_user"
    via: str  # the source table's column the join starts from


@dataclass(frozen=True)
class TableDef:
    source: str  # MySQL table
    table: str  # warehouse table (genius.<table>)
    key: tuple[str, ...]  # source key columns; a single one becomes warehouse column `id`
    delta: tuple[str, ...]  # modified time, then its fallback for rows where it is missing; () = none
    refers: tuple[str, ...]  # source tables it refers to (asset deps, parents first)
    large: bool
    columns: tuple[Column, ...]
    joins: tuple[Join, ...] = ()

    @property
    def partitioned(self) -> bool:
        return self.large and bool(self.delta)

    @property
    def weekly_full_read(self) -> bool:
        """A partitioned table the weekly run reads in full: its joined columns change without its
        `updated_at` (the joined tables have no modified time), or its two-column key cannot be asked
        about by the one-column weekly key read. The full read sees both, and a key it did not return is
        a deletion."""
        return self.partitioned and (bool(self.joins) or len(self.key) > 1)

    @property
    def warehouse_key(self) -> tuple[str, ...]:
        return ("id",) if len(self.key) == 1 else self.key

    def warehouse_name(self, column: str) -> str:
        return "id" if self.key == (column,) else column

    @property
    def modified_columns(self) -> tuple[str, ...]:
        """Columns whose first present value is `_source_updated_at` (§1: a table without delta uses its
        `updated_at` if it has one)."""
        if self.delta:
            return self.delta
        return ("updated_at",) if any(c.name == "updated_at" for c in self.columns) else ()


def _kind(table: str, name: str, mysql_type: str) -> str:
    if mysql_type == "TINYINT(1)":
        return "bool"
    if _INTEGER.fullmatch(mysql_type):
        return "int"
    if mysql_type.startswith("DECIMAL"):
        return "decimal"
    if mysql_type in ("DATE", "DATETIME"):
        return mysql_type.lower()
    if mysql_type == "TIME":
        return "time" if (table, name) in TIMES_OF_DAY else "interval"
    if mysql_type == "TEXT" or mysql_type.startswith("VARCHAR"):
        return "email" if name in EMAILS else "phone" if name in PHONES else "text"
    raise ValueError(f"{table}.{name}: no kind for MySQL type {mysql_type}")


def _table(source: str, table: str, *, columns: str, key: tuple[str, ...] = ("id",), delta: tuple[str, ...] = (),
           refers: tuple[str, ...] = (), large: bool = False, joins: tuple[Join, ...] = ()) -> TableDef:
    parsed = []
    for line in columns.strip().splitlines():
        name, rest = line.split(None, 1)
        nullable = rest.endswith(" NULL")
        mysql_type = rest.removesuffix(" NULL").strip()
        parsed.append(Column(name, mysql_type, nullable, _kind(source, name, mysql_type)))
    return TableDef(source, table, key, delta, refers, large, tuple(parsed), joins)


# Dependency order of GENIUS_SCHEMA.md §2. `users_userassociations` and `user_data` refer to each other:
# the association table comes first (its primary user is read through it). `division_group`'s
# `paysimple_secret` and `mes_profile_key` hold third-party credentials: they are never read (BEHAVIOR.md).
TABLES: tuple[TableDef, ...] = (
    _table('division_region', 'division_regions', columns="""
    id        SMALLINT
    name      VARCHAR(64) NULL
    is_active TINYINT(1)
"""),
    _table('division_group', 'division_groups', delta=('updated_at',), columns="""
    id                     SMALLINT
    group_label            VARCHAR(64) NULL
    region                 INT
    default_time_zone_name VARCHAR(64)
    intern_payroll_start   INT NULL
    painter_payroll_start  INT NULL
    is_active              TINYINT(1)
    cc_profile_id          VARCHAR(32) NULL
    mes_profile_id         VARCHAR(25) NULL
    docusign_acct_id       VARCHAR(50) NULL
    paysimple_username     VARCHAR(20) NULL
    hub_account_id         INT NULL
    created_at             DATETIME
    updated_at             DATETIME
"""),
    _table('division', 'divisions', delta=('updated_at',), refers=('division_group', 'division_region'), columns="""
    id                   INT
    group_id             SMALLINT NULL
    region_id            SMALLINT NULL
    label                VARCHAR(255) NULL
    abbreviation         VARCHAR(50) NULL
    is_utility           TINYINT(1)
    is_corp              TINYINT(1)
    is_omniscient        TINYINT(1)
    is_inactive          INT
    account_scheduler_id INT NULL
    created_at           DATETIME
    updated_at           DATETIME
"""),
    _table('user_title', 'user_titles', delta=('updated_at',), columns="""
    id                     SMALLINT
    title                  VARCHAR(100) NULL
    abbreviation           VARCHAR(10) NULL
    roles                  VARCHAR(256) NULL
    type_id                SMALLINT
    section_id             SMALLINT NULL
    sort                   SMALLINT
    pay_component_group_id SMALLINT NULL
    is_active              TINYINT(1)
    is_unique_per_division TINYINT(1)
    created_at             DATETIME
    updated_at             DATETIME
"""),
    _table('service', 'services', delta=('updated_at',), columns="""
    id               SMALLINT
    label            VARCHAR(100) NULL
    is_active        TINYINT(1)
    is_lead_required TINYINT(1)
    order_number     SMALLINT
    created_at       DATETIME
    updated_at       DATETIME
"""),
    _table('appointment_type', 'appointment_types', columns="""
    id        INT
    label     VARCHAR(50) NULL
    is_active TINYINT(1)
"""),
    _table('appointment_outcome_type', 'appointment_outcome_types', columns="""
    id         INT
    label      VARCHAR(50) NULL
    sort_idx   SMALLINT UNSIGNED
    is_active  TINYINT(1)
    created_at DATETIME
    updated_at DATETIME
"""),
    _table('appointment_outcome', 'appointment_outcomes', delta=('updated_at',), refers=('appointment_outcome_type',), columns="""
    id         INT
    type_id    SMALLINT UNSIGNED
    label      VARCHAR(50) NULL
    is_active  TINYINT(1)
    created_at DATETIME
    updated_at DATETIME
"""),
    _table('marketing_source_type', 'marketing_source_types', delta=('updated_at', 'created_at'), columns="""
    id          INT
    label       VARCHAR(255) NULL
    description TEXT NULL
    is_active   TINYINT(1)
    list_order  INT NULL
    created_at  DATETIME
    updated_at  DATETIME NULL
"""),
    _table('marketsharp_source', 'marketsharp_sources', delta=('updated_at',), columns="""
    id             INT
    marketsharp_id VARCHAR(256)
    source_name    VARCHAR(128)
    inactive       SMALLINT
    created_at     DATETIME
    updated_at     DATETIME
"""),
    _table('job_status', 'job_statuses', columns="""
    id        INT
    label     VARCHAR(50) NULL
    is_system SMALLINT
"""),
    _table('job_change_order_type', 'job_change_order_types', columns="""
    id    INT
    label VARCHAR(32) NULL
"""),
    _table('job_change_order_status', 'job_change_order_statuses', columns="""
    id            INT
    label         VARCHAR(32)
    is_selectable SMALLINT
"""),
    _table('job_change_order_reason', 'job_change_order_reasons', columns="""
    id          INT
    label       VARCHAR(100) NULL
    description VARCHAR(255) NULL
"""),
    _table('integration_field_definition', 'integration_field_definitions', columns="""
    id             INT
    integration_id INT
    label          VARCHAR(32)
    key_name       VARCHAR(64)
    is_user        TINYINT(1)
    is_division    TINYINT(1)
    hint           VARCHAR(255) NULL
    input_type     VARCHAR(50) NULL
"""),
    _table('users_userassociations', 'user_associations', delta=('updated_at',), columns="""
    id              INT
    primary_user_id INT NULL
    created_at      DATETIME
    updated_at      DATETIME
"""),
    _table('user_data', 'user_data', key=('user_id',), delta=('updated_at',), refers=('division', 'user_title', 'users_userassociations'),
           joins=(Join('primary_user_id', 'primary_user', 'user_associations_id'),), columns="""
    user_id                       INT
    division_id                   INT
    title_id                      SMALLINT NULL
    manager_user_id               INT NULL
    first_name                    VARCHAR(100) NULL
    first_name_alt                VARCHAR(100) NULL
    last_name                     VARCHAR(100) NULL
    email                         VARCHAR(254) NULL
    personal_email                VARCHAR(254) NULL
    birth_date                    DATE NULL
    gender_id                     INT NULL
    marital_status_id             INT NULL
    time_zone_name                VARCHAR(50)
    hired_on                      DATETIME NULL
    start_date                    DATETIME NULL
    add_user_id                   INT NULL
    add_datetime                  DATETIME NULL
    is_inactive                   TINYINT(1)
    inactive_on                   DATETIME NULL
    inactive_reason_id            SMALLINT NULL
    inactive_reason_other         VARCHAR(255) NULL
    user_associations_id          INT NULL
    inactive_transfer_division_id INT NULL
    updated_at                    DATETIME
"""),
    _table('marketing_source', 'marketing_sources', delta=('updated_at',), refers=('marketing_source_type', 'user_data'), columns="""
    id                         INT
    type_id                    INT
    label                      VARCHAR(255) NULL
    description                TEXT NULL
    start_date                 DATE NULL
    end_date                   DATE NULL
    add_user_id                INT
    add_date                   DATETIME NULL
    is_active                  TINYINT(1)
    is_allow_lead_modification TINYINT(1)
    updated_at                 DATETIME
"""),
    _table('marketsharp_marketing_source_map', 'marketsharp_marketing_source_maps', key=('marketsharp_id',), delta=('updated_at',), refers=('marketing_source',), columns="""
    marketsharp_id      VARCHAR(128)
    marketing_source_id INT NULL
    created_at          DATETIME
    updated_at          DATETIME
"""),
    _table('integration_field', 'integration_fields', delta=('updated_at',), refers=('division', 'integration_field_definition', 'user_data'), columns="""
    id            INT
    definition_id INT
    user_id       INT NULL
    division_id   INT NULL
    field_value   VARCHAR(128) NULL
    created_at    DATETIME
    updated_at    DATETIME
"""),
    _table('prospect', 'prospects', delta=('updated_at',), refers=('division', 'user_data'), large=True,
           joins=(Join('hubspot_contact_id', 'hubspot', 'third_party_source_id'),), columns="""
    id                    INT
    division_id           INT
    user_id               INT NULL
    first_name            VARCHAR(100) NULL
    last_name             VARCHAR(100) NULL
    alt_first_name        VARCHAR(100) NULL
    alt_last_name         VARCHAR(100) NULL
    address1              VARCHAR(255) NULL
    address2              VARCHAR(255) NULL
    city                  VARCHAR(100) NULL
    county                VARCHAR(100) NULL
    state                 VARCHAR(2) NULL
    zip                   VARCHAR(20) NULL
    year_built            SMALLINT NULL
    phone1                VARCHAR(20) NULL
    phone2                VARCHAR(20) NULL
    email                 VARCHAR(254) NULL
    notes                 TEXT NULL
    add_user_id           INT
    add_date              DATETIME NULL
    marketsharp_id        VARCHAR(100) NULL
    leap_customer_id      VARCHAR(100) NULL
    third_party_source_id INT NULL
    updated_at            DATETIME
"""),
    _table('lead', 'leads', key=('lead_id',), delta=('updated_at', 'added_on'), refers=('division', 'prospect', 'user_data'), large=True, columns="""
    lead_id      INT
    first_name   VARCHAR(50) NULL
    last_name    VARCHAR(50) NULL
    email        VARCHAR(100) NULL
    phone1       VARCHAR(12) NULL
    address1     VARCHAR(50) NULL
    city         VARCHAR(50) NULL
    state        VARCHAR(2) NULL
    zip          VARCHAR(7) NULL
    source       SMALLINT
    added_by     INT
    division     INT
    notes        TEXT NULL
    status       SMALLINT NULL
    copied_to_id INT NULL
    added_on     DATETIME NULL
    updated_at   DATETIME NULL
"""),
    _table('prospect_source', 'prospect_sources', delta=('updated_at', 'add_date'), refers=('marketing_source', 'prospect', 'user_data'), large=True, columns="""
    id                  INT
    prospect_id         INT
    marketing_source_id INT
    source_date         DATETIME NULL
    notes               TEXT NULL
    add_user_id         INT
    add_date            DATETIME
    updated_at          DATETIME NULL
    source_user_id      INT NULL
"""),
    _table('appointment', 'appointments', delta=('updated_at',), refers=('appointment_outcome', 'appointment_type', 'prospect', 'prospect_source', 'user_data'),
           large=True, joins=(Join('hubspot_appointment_id', 'hubspot', 'third_party_source_id'),), columns="""
    id                    INT
    prospect_id           INT
    prospect_source_id    INT NULL
    user_id               INT NULL
    type_id               INT
    date                  DATE NULL
    time                  TIME NULL
    duration              TIME NULL
    address1              VARCHAR(255) NULL
    address2              VARCHAR(255) NULL
    city                  VARCHAR(100) NULL
    state                 VARCHAR(2) NULL
    zip                   VARCHAR(20) NULL
    email                 VARCHAR(254) NULL
    notes                 TEXT NULL
    add_user_id           INT
    add_date              DATETIME
    assign_date           DATETIME NULL
    confirm_user_id       INT NULL
    confirm_date          DATETIME NULL
    confirm_with          VARCHAR(100) NULL
    spouses_present       INT
    is_complete           INT
    complete_outcome_id   INT NULL
    complete_user_id      INT NULL
    complete_date         DATETIME NULL
    updated_at            DATETIME
    marketsharp_id        VARCHAR(100) NULL
    marketsharp_appt_type VARCHAR(100) NULL
    leap_estimate_id      VARCHAR(100) NULL
    third_party_source_id INT NULL
"""),
    _table('job', 'jobs', delta=('updated_at',), refers=('division', 'job_status', 'prospect', 'service', 'user_data'), large=True, columns="""
    id                               INT
    client_cid                       INT NULL
    prospect_id                      INT
    division_id                      INT
    user_id                          INT NULL
    production_user_id               INT NULL
    project_coordinator_user_id      INT NULL
    production_month                 INT NULL
    subcontractor_id                 INT NULL
    subcontractor_status_id          SMALLINT NULL
    subcontractor_confirmed          SMALLINT
    status                           INT
    is_in_progress                   SMALLINT
    ready_status                     SMALLINT NULL
    prep_status_id                   SMALLINT NULL
    prep_status_set_date             DATETIME NULL
    prep_status_is_reset             SMALLINT
    prep_status_notes                TEXT NULL
    prep_issue_id                    VARCHAR(32) NULL
    service_id                       SMALLINT
    is_lead_pb                       SMALLINT
    contract_number                  VARCHAR(50) NULL
    contract_date                    DATE NULL
    contract_amount                  DECIMAL(11,2)
    contract_amount_difference       TEXT NULL
    contract_hours                   INT
    contract_file_id                 INT NULL
    job_value                        DECIMAL(11,2)
    deposit_amount                   DECIMAL(11,2)
    deposit_type_id                  SMALLINT NULL
    is_financing                     SMALLINT
    sales_tax_rate                   DECIMAL(7,5)
    is_sales_tax_exempt              SMALLINT
    commission_payout                DECIMAL(11,2)
    accrued_commission_payout        DECIMAL(11,2)
    sold_user_id                     INT NULL
    sold_date                        DATE NULL
    start_request_date               DATE NULL
    deadline_date                    DATE NULL
    ready_date                       DATE NULL
    jsa_sent                         SMALLINT NULL
    start_date                       DATE NULL
    end_date                         DATE NULL
    add_user_id                      INT
    add_date                         DATETIME
    cancel_date                      DATE NULL
    cancel_user_id                   INT NULL
    cancel_reason_id                 SMALLINT NULL
    is_refund                        SMALLINT
    refund_date                      DATE NULL
    refund_user_id                   INT NULL
    finish_date                      DATE NULL
    is_earned_not_paid               SMALLINT
    materials_arrival_date           DATE NULL
    measure_date                     DATE NULL
    measure_time                     TIME NULL
    measure_user_id                  INT NULL
    time_format                      SMALLINT NULL
    materials_estimated_arrival_date DATE NULL
    materials_ordered                DATETIME NULL
    install_date                     DATE NULL
    install_time                     TIME NULL
    install_time_format              SMALLINT NULL
    price_level                      VARCHAR(32) NULL
    price_level_goal                 SMALLINT NULL
    price_level_commission           DECIMAL(3,1) NULL
    price_level_commission_reduction SMALLINT NULL
    is_reviewed                      SMALLINT
    reviewed_by                      INT NULL
    pp_id_updated                    SMALLINT
    hoa                              SMALLINT NULL
    hoa_approved                     SMALLINT NULL
    materials_ordered_old            SMALLINT NULL
    start_month_old                  SMALLINT NULL
    cogs_report_month                VARCHAR(50) NULL
    is_cogs_report_month_updated     SMALLINT
    forecast_month                   VARCHAR(50) NULL
    coc_sent_on                      DATETIME NULL
    coc_sent_by                      INT NULL
    company_cam_link                 VARCHAR(256) NULL
    pm_finished_on                   DATE NULL
    estimate_job_duration            SMALLINT NULL
    payment_not_finalized_reason     INT NULL
    reasons_other                    VARCHAR(255) NULL
    payment_type                     INT NULL
    payment_amount                   DECIMAL(11,2) NULL
    is_payment_finalized             SMALLINT NULL
    is_company_cam                   SMALLINT NULL
    is_five_star_review              SMALLINT NULL
    projected_end_date               DATE NULL
    is_company_cam_images_correct    SMALLINT NULL
    post_pm_closeout_date            DATE NULL
    pre_pm_closeout_date             DATE NULL
    actual_install_date              DATETIME NULL
    in_progress_substatus_id         INT NULL
    is_loan_document_uptodate        SMALLINT NULL
    is_labor_adjustment_correct      SMALLINT NULL
    is_change_order_correct          SMALLINT NULL
    is_coc_pdf_attached              SMALLINT
    updated_at                       DATETIME
"""),
    _table('quote', 'quotes', delta=('updated_at',), refers=('appointment', 'job', 'prospect', 'service', 'user_data'), large=True, columns="""
    id               INT
    prospect_id      INT
    appointment_id   INT
    job_id           INT NULL
    client_cid       INT NULL
    service_id       SMALLINT
    label            VARCHAR(255) NULL
    description      TEXT NULL
    amount           DECIMAL(10,2)
    expire_date      DATE NULL
    status_id        INT
    contract_file_id INT NULL
    estimate_file_id INT NULL
    add_user_id      INT
    add_date         DATETIME
    updated_at       DATETIME
"""),
    _table('job_financing', 'job_financings', key=('job_id',), refers=('job', 'user_data'), columns="""
    job_id                         INT
    term_id                        INT NULL
    financed_amount                DECIMAL(9,2)
    max_financed_amount            DECIMAL(9,2)
    bid_rate                       DECIMAL(5,3) NULL
    commission_reduction           DECIMAL(5,3) NULL
    signed_on                      DATETIME NULL
    cancellation_period_expires_on DATETIME NULL
    app_submission_date            DATETIME NULL
    is_joint_application           SMALLINT
    applicant                      VARCHAR(50) NULL
    co_applicant                   VARCHAR(50) NULL
    status                         SMALLINT
    approved_on                    DATETIME NULL
    loan_expiration_date           DATETIME NULL
    denied_on                      DATETIME NULL
    denied_by                      INT NULL
    why_book                       TEXT NULL
    would_book                     SMALLINT NULL
    is_financing_factor            SMALLINT NULL
    satisfied                      TEXT NULL
    docs_completed                 DATETIME NULL
    active_stipulation_notes       TEXT NULL
    is_active_stipulations_cleared SMALLINT
    legal_app_name                 VARCHAR(100) NULL
"""),
    _table('appointment_to_service', 'appointment_services', key=('appointment_id', 'service_id'), delta=('updated_at',), refers=('appointment', 'service'), large=True, columns="""
    appointment_id INT
    service_id     SMALLINT
    created_at     DATETIME
    updated_at     DATETIME
"""),
    _table('job_change_order', 'job_change_orders', delta=('updated_at',), refers=('job', 'job_change_order_reason', 'job_change_order_status', 'job_change_order_type', 'user_data'), large=True, columns="""
    id                             INT
    job_id                         INT
    number                         VARCHAR(20)
    status_id                      SMALLINT
    type_id                        SMALLINT
    adjustment_change_order_id     INT NULL
    effective_date                 DATE
    total_amount                   DECIMAL(9,2)
    add_user_id                    INT NULL
    add_date                       DATETIME
    sold_user_id                   INT NULL
    sold_date                      DATETIME NULL
    cancel_user_id                 INT NULL
    cancel_date                    DATETIME NULL
    reason_id                      SMALLINT NULL
    envelope_id                    VARCHAR(64) NULL
    total_contract_amount          DECIMAL(9,2)
    total_pre_change_orders_amount DECIMAL(9,2)
    signer_name                    VARCHAR(100) NULL
    signer_email                   VARCHAR(100) NULL
    financing_note                 VARCHAR(255) NULL
    updated_at                     DATETIME
"""),
    _table('job_change_order_item', 'job_change_order_items', delta=('updated_at',), refers=('job_change_order',), large=True, columns="""
    id              INT
    change_order_id INT
    description     VARCHAR(256) NULL
    amount          DECIMAL(8,2)
    created_at      DATETIME
    updated_at      DATETIME
"""),
)

BY_SOURCE = {t.source: t for t in TABLES}
