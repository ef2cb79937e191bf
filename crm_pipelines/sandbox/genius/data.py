"""A deterministic Genius database, as rows per table, written from GENIUS_SCHEMA.md alone.

Values are what MySQL stores, in the form a client writes them: DATETIME/DATE/TIME as text (wall time in the
database's zone), DECIMAL as Decimal, TINYINT(1) as 0/1. Every quirk of §3 is planted on purpose and
recorded in `Quirks`, so tests can find the rows that carry one:
- many rows of `lead` sharing one `updated_at` second (a bulk update);
- NULL and zero `updated_at` in `lead` / `prospect_source` (only the add date set), and rows with neither;
- zero dates in NOT NULL columns (`appointment.add_date`, `job_change_order.effective_date`);
- `appointment.duration` beyond 24 h; DST-edge wall times (`2024-11-03 01:30:00`, `2024-03-10 02:30:00`);
- text with emoji, combining accents, curly apostrophes, tabs, CR/LF, backslashes, `\\N`, SQL-like text, '';
- contact fields in every format, some malformed; orphans (references to rows that do not exist);
- `third_party_source` rows of the `hubspot` type and of others (some with purely numeric ids), and
  dangling `third_party_source_id` values.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

SCHEMA_SQL = Path(__file__).with_name("schema.sql")
ZERO_DATETIME = "0000-00-00 00:00:00"
ZERO_DATE = "0000-00-00"
SHARED_SECOND = "2024-06-12 09:30:00"
DST_AMBIGUOUS = "2024-11-03 01:30:00"  # America/Los_Angeles: happens twice
DST_SKIPPED = "2024-03-10 02:30:00"  # America/Los_Angeles: never happens
HUBSPOT_TYPE, OTHER_TYPES = 1, (2, 3)

NAMES = ["Ana", "José", "Zoë", "Renée", "O’Brien", "Müller", "Nguyễn", "Ali 😀", "Chloe\u0301", "D'Angelo",
         "Björk", "李", "Smith", "  padded  ", ""]
NOTES = ["plain note", "tab\there", "line one\r\nline two", "back\\slash", 'quote " and \'single\'', "\\N",
         "'; DROP TABLE lead; --", "emoji 🚀🏠", "a\u0301 combining", "", "multi\nline\nnote", "trailing space "]
EMAILS = ["john.doe@example.com", "  Mixed.Case@Example.COM ", "john.doe@", "bob@@gmail.com", "n/a", "",
          "zoë@example.com", None]
PHONES = ["215-555-0134", "(215) 555-0134", "+1 215 555 0134", "2155550134", "n/a", "N/A", "555", "", None]
CITIES = ["Philadelphia", "Wilkes-Barre", "Québec", "King of Prussia"]
LABELS = ["hubspot", "salesforce", "marketsharp"]

# Columns that refer to another table's key (no constraint exists), for plausible references.
REFERS = {
    "division_id": "division", "division": "division", "group_id": "division_group", "region_id": "division_region",
    "user_id": "user_data", "add_user_id": "user_data", "added_by": "user_data", "manager_user_id": "user_data",
    "source_user_id": "user_data", "confirm_user_id": "user_data", "complete_user_id": "user_data",
    "sold_user_id": "user_data", "cancel_user_id": "user_data", "refund_user_id": "user_data",
    "measure_user_id": "user_data", "reviewed_by": "user_data", "coc_sent_by": "user_data", "denied_by": "user_data",
    "production_user_id": "user_data", "project_coordinator_user_id": "user_data", "primary_user_id": "user_data",
    "prospect_id": "prospect", "copied_to_id": "prospect", "prospect_source_id": "prospect_source",
    "marketing_source_id": "marketing_source", "appointment_id": "appointment", "job_id": "job",
    "service_id": "service", "change_order_id": "job_change_order", "definition_id": "integration_field_definition",
    "title_id": "user_title", "user_associations_id": "users_userassociations",
    "complete_outcome_id": "appointment_outcome", "inactive_transfer_division_id": "division",
}
TYPE_REFS = {"appointment": "appointment_type", "appointment_outcome": "appointment_outcome_type",
             "marketing_source": "marketing_source_type", "job_change_order": "job_change_order_type"}


@dataclass(frozen=True)
class ColumnDef:
    name: str
    mysql_type: str
    nullable: bool


def parse_schema(text: str | None = None) -> dict[str, list[ColumnDef]]:
    """Table -> columns, from schema.sql."""
    text = text if text is not None else SCHEMA_SQL.read_text()
    tables: dict[str, list[ColumnDef]] = {}
    for name, body in re.findall(r"CREATE TABLE `(\w+)` \((.*?)\n\) ENGINE", text, re.S):
        columns = []
        for line in body.splitlines():
            match = re.match(r"\s*`(\w+)` (.+?) (NOT NULL|NULL),?$", line)
            if match:
                columns.append(ColumnDef(match.group(1), match.group(2), match.group(3) == "NULL"))
        tables[name] = columns
    return tables


COLUMNS = parse_schema()
KEYS = {"lead": ("lead_id",), "user_data": ("user_id",), "job_financing": ("job_id",),
        "marketsharp_marketing_source_map": ("marketsharp_id",),
        "appointment_to_service": ("appointment_id", "service_id")}


def key_of(table: str) -> tuple[str, ...]:
    return KEYS.get(table, ("id",))


@dataclass(frozen=True)
class Sizes:
    prospects: int = 200
    shared_second_leads: int = 250  # leads stamped with one updated_at second

    def of(self, table: str) -> int:
        n = self.prospects
        return {
            "division_region": 3, "division_group": 4, "division": 23, "user_title": 6, "service": 8,
            "appointment_type": 5, "appointment_outcome_type": 4, "appointment_outcome": 8,
            "marketing_source_type": 10, "marketsharp_source": 10, "job_status": 6, "job_change_order_type": 3,
            "job_change_order_status": 4, "job_change_order_reason": 5, "integration_field_definition": 6,
            "users_userassociations": 12, "user_data": 30, "marketing_source": 20,
            "marketsharp_marketing_source_map": 15, "integration_field": 20, "prospect": n, "lead": 2 * n,
            "prospect_source": n, "appointment": n, "job": max(n // 3, 5), "quote": max(n // 2, 5),
            "job_financing": max(n // 6, 3), "appointment_to_service": n, "job_change_order": max(n // 4, 4),
            "job_change_order_item": max(n // 2, 5), "third_party_source_type": 3, "third_party_source": max(n // 2, 12),
        }[table]


@dataclass
class Quirks:
    """Keys of the rows that carry each planted quirk (table -> keys)."""

    shared_second: list[int] = field(default_factory=list)  # lead ids
    null_updated_at: dict[str, list[int]] = field(default_factory=dict)
    zero_updated_at: dict[str, list[int]] = field(default_factory=dict)
    no_modified_time: dict[str, list[int]] = field(default_factory=dict)
    long_durations: list[int] = field(default_factory=list)  # appointment ids
    zero_dates: dict[str, list[int]] = field(default_factory=dict)
    dst_edges: list[int] = field(default_factory=list)  # appointment ids with DST-edge updated_at


class Generator:
    def __init__(self, seed: int = 7, sizes: Sizes = Sizes()) -> None:
        self.rng = random.Random(seed)
        self.sizes = sizes
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.quirks = Quirks()

    # -- values -------------------------------------------------------------------------------------------
    def moment(self, day_spread: int = 10) -> str:
        base = dt.datetime(2024, 6, 10) + dt.timedelta(seconds=self.rng.randrange(day_spread * 86400))
        return base.strftime("%Y-%m-%d %H:%M:%S")

    def day(self) -> str:
        return (dt.date(2023, 1, 1) + dt.timedelta(days=self.rng.randrange(700))).isoformat()

    def ref(self, parent: str, orphan_share: float = 0.03) -> int | str:
        keys = [row[key_of(parent)[0]] for row in self.rows.get(parent, [])]
        if not keys or self.rng.random() < orphan_share:
            # No such row (Genius has no foreign keys); small enough for a SMALLINT column.
            return max(keys, default=0) + 1 + self.rng.randrange(50)
        return self.rng.choice(keys)

    def value(self, table: str, column: ColumnDef) -> Any:
        rng, name, kind = self.rng, column.name, column.mysql_type
        if column.nullable and rng.random() < 0.12:
            return None
        width = int(re.findall(r"\d+", kind)[0]) if kind.startswith("VARCHAR") else 0
        if name in ("email", "personal_email", "signer_email"):
            return rng.choice(EMAILS) if column.nullable else "x@example.com"
        if name in ("phone1", "phone2"):  # only formats that fit (lead.phone1 is VARCHAR(12))
            return rng.choice([p for p in PHONES if p is None or len(p) <= width])
        if kind == "TINYINT(1)":
            return rng.randrange(2)
        if name in REFERS or (name == "type_id" and table in TYPE_REFS):
            parent = TYPE_REFS[table] if name == "type_id" else REFERS[name]
            return self.ref(parent)
        if re.fullmatch(r"(SMALL|BIG)?INT( UNSIGNED)?", kind):
            return rng.randrange(0, 500)
        if kind.startswith("DECIMAL"):
            precision, scale = map(int, re.findall(r"\d+", kind))
            top = 10 ** (precision - scale) - 1
            return Decimal(rng.randrange(0, min(top, 99_999) * 10**scale + 1)).scaleb(-scale)
        if kind == "TEXT":
            return rng.choice(NOTES)
        if kind.startswith("VARCHAR"):
            if name == "state":
                return rng.choice(["PA", "NJ", "DE", ""])
            if name == "city":
                return rng.choice(CITIES)[:width]
            return rng.choice(NAMES)[:width]
        if kind == "DATETIME":
            return self.moment()
        if kind == "DATE":
            return self.day()
        if kind == "TIME":
            return f"{rng.randrange(7, 20):02d}:{rng.choice(['00', '15', '30', '45'])}:00"
        raise ValueError(f"{table}.{name}: no generator for {kind}")

    # -- tables -------------------------------------------------------------------------------------------
    def build(self) -> Generator:
        for table in COLUMNS:  # schema.sql lists parents first
            self.rows[table] = [self.row(table, i + 1) for i in range(self.sizes.of(table))]
            self.plant(table)
        return self

    def row(self, table: str, number: int) -> dict[str, Any]:
        row = {c.name: self.value(table, c) for c in COLUMNS[table]}
        key = key_of(table)
        if table == "marketsharp_marketing_source_map":
            row["marketsharp_id"] = f"MS-{number:05d}"
        elif table == "appointment_to_service":
            row["appointment_id"] = (number + 1) // 2
            row["service_id"] = 1 + (number % 2) * 4 + (number // 2) % 4  # unique per appointment
        elif table == "job_financing":
            row["job_id"] = number
        elif table == "third_party_source_type":
            row["id"], row["label"] = number, LABELS[number - 1]
        elif table == "third_party_source":
            row["id"] = number
            row["third_party_source_type_id"] = HUBSPOT_TYPE if number % 2 else OTHER_TYPES[number % 4 // 2]
            # HubSpot ids are digit strings, many beyond 2^31; other systems' ids are sometimes numeric too.
            row["third_party_id"] = str(9_000_000_000 + number) if number % 2 else (
                str(4000 + number) if number % 4 == 0 else f"SF-{number}")
        else:
            row[key[0]] = number
        if "third_party_source_id" in row and row["third_party_source_id"] is not None:
            pool = self.sizes.of("third_party_source")
            row["third_party_source_id"] = self.rng.randrange(1, pool + 4)  # a few dangle past the last row
        return row

    def plant(self, table: str) -> None:
        rows, q = self.rows[table], self.quirks
        if table == "lead":
            for i, row in enumerate(rows):
                if i < self.sizes.shared_second_leads:
                    row["updated_at"] = SHARED_SECOND
                    q.shared_second.append(row["lead_id"])
            self._missing_modified(table, rows[self.sizes.shared_second_leads:], "added_on")
        if table == "prospect_source":
            self._missing_modified(table, rows, "add_date")
        if table == "marketing_source_type":
            for row in rows[:3]:
                row["updated_at"] = None
                q.null_updated_at.setdefault(table, []).append(row["id"])
        if table == "appointment":
            for row, duration in zip(rows[:4], ["26:15:00", "100:00:00", "838:59:59", "24:00:00"]):
                row["duration"] = duration
                q.long_durations.append(row["id"])
            for row in rows[4:7]:
                row["add_date"] = ZERO_DATETIME
                q.zero_dates.setdefault(table, []).append(row["id"])
            for row, moment in zip(rows[7:9], [DST_AMBIGUOUS, DST_SKIPPED]):
                row["updated_at"] = moment
                q.dst_edges.append(row["id"])
        if table == "job_change_order":
            for row in rows[:2]:
                row["effective_date"] = ZERO_DATE
                q.zero_dates.setdefault(table, []).append(row["id"])

    def _missing_modified(self, table: str, rows: list[dict[str, Any]], fallback: str) -> None:
        key = key_of(table)[0]
        q = self.quirks
        for row in rows[:9]:
            # On the shared second's day, so one partition read meets every case of §2's window at once.
            row[fallback] = f"{SHARED_SECOND[:10]} {self.rng.randrange(1, 17):02d}:{self.rng.randrange(60):02d}:07"
        for row in rows[:6]:
            row["updated_at"] = None
            q.null_updated_at.setdefault(table, []).append(row[key])
        for row in rows[6:9]:
            row["updated_at"] = ZERO_DATETIME
            q.zero_updated_at.setdefault(table, []).append(row[key])
        if table == "lead":  # added_on is nullable: a lead can have no modified time at all
            for row in rows[9:11]:
                row["updated_at"], row[fallback] = None, None
                q.no_modified_time.setdefault(table, []).append(row[key])


def generate(seed: int = 7, sizes: Sizes = Sizes()) -> Generator:
    return Generator(seed, sizes).build()
