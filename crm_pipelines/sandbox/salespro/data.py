"""SalesPro's data: the Athena tables (typed, as the warehouse behind Athena holds them) and the offices and
users CSV exports, generated deterministically from kit tables (ids, times, versions, deletions). HTTP-free:
the same records feed the DuckDB stand-in for Athena and the export files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import random
import string
from pathlib import Path
from typing import Any

import numpy as np

from ..kit.generate.tables import Dataset, Table
from ..kit.generate.timefmt import require_ms
from .config import ATHENA_NAMES, EXPORTS, TABLES, SalesProConfig

# Athena column types of each table, in Athena's column order; the key first.
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "estimates": (
        ("estimate_id", "varchar"), ("company_id", "varchar"), ("company_name", "varchar"),
        ("office_id", "varchar"), ("office_name", "varchar"), ("sales_rep_id", "varchar"),
        ("sales_rep_first_name", "varchar"), ("sales_rep_last_name", "varchar"), ("customer_id", "varchar"),
        ("customer_first_name", "varchar"), ("customer_last_name", "varchar"), ("street_address", "varchar"),
        ("city", "varchar"), ("state", "varchar"), ("zip_code", "varchar"), ("sale_amount", "varchar"),
        ("is_sale", "boolean"), ("job_type", "varchar"), ("finance_amount", "varchar"), ("bank_name", "varchar"),
        ("loan_name", "varchar"), ("down_payment", "varchar"), ("has_credit_app", "boolean"),
        ("document_count", "integer"), ("created_at", "timestamp"), ("updated_at", "timestamp")),
    "customers": (
        ("customer_id", "varchar"), ("estimate_id", "varchar"), ("company_id", "varchar"),
        ("company_name", "varchar"), ("customer_first_name", "varchar"), ("customer_last_name", "varchar"),
        ("crm_source", "varchar"), ("crm_source_id", "varchar"), ("created_at", "timestamp"),
        ("updated_at", "timestamp")),
    "credit_applications": (
        ("leap_credit_app_id", "varchar"), ("company_id", "varchar"), ("company_name", "varchar"),
        ("sales_rep_id", "varchar"),
        ("customer_id", "varchar"), ("credit_app_vendor", "varchar"), ("credit_app_vendor_id", "varchar"),
        ("credit_app_amount", "varchar"), ("credit_app_status", "varchar"), ("credit_app_note", "varchar"),
        ("created_at", "timestamp"), ("updated_at", "timestamp")),
    "lead_results": (
        ("estimate_id", "varchar"), ("company_id", "varchar"), ("lead_results", "varchar"),
        ("created_at", "timestamp"), ("updated_at", "timestamp")),
}
# The exports are Parse-style (SalesPro's backend): camelCase headers, the key `objectId`.
EXPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "offices": ("objectId", "name", "companyId", "company", "canSearchAllEstimates", "last_edit_user",
                "last_edit_date", "createdAt", "updatedAt"),
    "users": ("objectId", "username", "nameFirst", "nameLast", "email", "phoneNumber", "isActive", "isManager",
              "isAvailableToCall", "canActivateUsers", "canChangeSettings", "canSubmitCreditApps",
              "disableChangeCompany", "company", "selectedOffice", "allowedOffices", "identifier", "licenseNumber",
              "createdAt", "updatedAt", "lastLoginDate", "deactivatedDate"),
}
KEYS = {"estimates": "estimate_id", "customers": "customer_id", "credit_applications": "leap_credit_app_id",
        "lead_results": "estimate_id", "offices": "objectId", "users": "objectId"}

COMPANY = ("4711", "Home Genius Exteriors")
FIRST = ("Ann", "Bob", "Carla", "Dmitri", "Émilie", "Farouk", "Grace", "Hiro", "Inès", "José", "Zoë")
LAST = ("Smith", "O'Neil", "Nguyen", "García", "Müller", "Johnson", "Lee", "Brown", "Smith, Jr.")
STREETS = ("Main St", "Oak Ave", "Elm Street", "N. 5th St")
CITIES = (("Columbus", "OH"), ("Dayton", "OH"), ("Pittsburgh", "PA"), ("Erie", "PA"), ("Buffalo", "NY"))
JOB_TYPES = ("Windows", "Roofing", "Siding", "Gutters", "Doors", "Insulation")
VENDORS = ("GreenSky", "Service Finance", "Foundation", "Synchrony")
RESULTS = ("Sold", "Demo Not Sold", "No Demo", "Rescheduled")
# The lead-result titles SalesPro's result form writes, with how their values look.
ALPHABET = string.ascii_letters + string.digits


def parse_id(seed: int, table: str, index: int) -> str:
    """A 10-character Parse-style objectId, stable per (seed, table, index)."""
    rng = random.Random(f"{seed}:{table}:id:{index}")
    return "".join(rng.choice(ALPHABET) for _ in range(10))


def money(rng: random.Random, low: int, high: int) -> str:
    return f"${rng.randrange(low, high) * 25:,}.00"


def athena_time(ms: int) -> dt.datetime:
    return dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=int(ms))


def iso_z(ms: int) -> str:
    return athena_time(ms).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class TextTable(Table):
    """A kit table whose records are found by their Parse-style text id (mutations by `ids`)."""

    position: dict[str, int] = {}

    def indices_of(self, raw_ids: list) -> list[int | None]:
        return [self.position.get(str(raw).strip()) for raw in raw_ids]


class SalesProData(Dataset):
    def __init__(self, cfg: SalesProConfig) -> None:
        super().__init__(cfg.seed)
        self.cfg = cfg
        start, end = require_ms(cfg.modified_start, "modified_start"), require_ms(cfg.modified_end, "modified_end")
        counts = {name: int(cfg.counts.get(name, 0)) for name in TABLES}
        counts["lead_results"] = min(counts["lead_results"], counts["estimates"])  # one per estimate at most
        burst = int(cfg.same_timestamp_burst)
        for name in TABLES:
            self.tables[name] = TextTable(name, counts[name], cfg.seed, start, end,
                                      same_timestamp_burst=burst if name in ATHENA_NAMES else 0)
        self.texts = {name: [parse_id(cfg.seed, name, i) for i in range(counts[name])] for name in TABLES}
        # lead_results rows belong to estimates: they carry the estimate's id.
        self.texts["lead_results"] = self.texts["estimates"][:counts["lead_results"]]
        self.position = {name: {text: pos for pos, text in enumerate(texts)} for name, texts in self.texts.items()}
        for name, table in self.tables.items():
            table.position = self.position[name]  # type: ignore[attr-defined]
        self.export_seq = 0

    def table_key(self, name: str) -> str:
        for key, athena in ATHENA_NAMES.items():
            if name == athena:
                return key
        return super().table_key(name)

    def apply(self, key: str, action: str, idx: np.ndarray, properties: dict[str, str | None] | None,
              modified_ms: int) -> None:
        super().apply(key, action, idx, properties, modified_ms)
        if key in EXPORTS:
            self.write_export(key)

    def check_properties(self, key: str, props: object) -> dict[str, str | None]:
        """A "set" may write any text column other than the key (Athena's varchar columns, any export column)."""
        allowed = ({c for c, kind in COLUMNS[key] if kind == "varchar"} if key in COLUMNS
                   else set(EXPORT_COLUMNS[key])) - {KEYS[key]}
        if not isinstance(props, dict) or set(props) - allowed or \
                not all(v is None or isinstance(v, str) for v in props.values()):
            raise ValueError(f"properties of {key}: text or null values for {sorted(allowed)}")
        return dict(props)

    def keyless(self, name: str, pos: int) -> bool:
        """Whether this record reaches Athena without its key (customers only)."""
        if name != "customers":
            return False
        return random.Random(f"{self.seed}:keyless:{pos}").random() < float(self.cfg.missing_key_rate)

    # --- records -------------------------------------------------------------------------------------

    def live(self, name: str) -> np.ndarray:
        """Positions of the records the source holds now (deleted ones excluded)."""
        return np.flatnonzero(~self.tables[name].archived)

    def records(self, name: str, positions: np.ndarray | list[int]) -> list[dict[str, Any]]:
        """Typed records (str, bool, int, naive UTC datetime, None), as the table behind Athena or the
        export holds them."""
        table = self.tables[name]
        make = getattr(self, f"_{name}")
        out = []
        for pos in np.asarray(positions, dtype=np.int64).tolist():
            rng = random.Random(f"{self.seed}:{name}:{pos}:{int(table.version[pos])}")
            record = make(rng, pos, int(table.created[pos]), int(table.modified[pos]))
            overlay = table.overlay.get(pos)
            if overlay:
                record.update(overlay)
            out.append(record)
        return out

    def _maybe(self, rng: random.Random, value: Any) -> Any:
        return None if rng.random() < float(self.cfg.null_rate) else value

    def _pick(self, name: str, rng: random.Random) -> str | None:
        texts = self.texts[name]
        return rng.choice(texts) if texts else None

    def _estimates(self, rng: random.Random, pos: int, created: int, modified: int) -> dict[str, Any]:
        city, state = rng.choice(CITIES)
        sold = rng.random() < 0.4
        financed = sold and rng.random() < 0.5
        return {
            "estimate_id": self.texts["estimates"][pos], "company_id": COMPANY[0], "company_name": COMPANY[1],
            "office_id": self._pick("offices", rng), "office_name": f"{city} Office",
            "sales_rep_id": self._pick("users", rng), "sales_rep_first_name": rng.choice(FIRST),
            "sales_rep_last_name": rng.choice(LAST), "customer_id": self._pick("customers", rng),
            "customer_first_name": rng.choice(FIRST), "customer_last_name": rng.choice(LAST),
            "street_address": self._maybe(rng, f"{rng.randrange(1, 9999)} {rng.choice(STREETS)}"),
            "city": city, "state": state, "zip_code": f"{rng.randrange(1001, 99950):05d}",
            "sale_amount": money(rng, 100, 2000) if sold else self._maybe(rng, "$0.00"), "is_sale": sold,
            "job_type": rng.choice(JOB_TYPES), "finance_amount": money(rng, 40, 800) if financed else None,
            "bank_name": rng.choice(VENDORS) if financed else None,
            "loan_name": "12 months same as cash" if financed else None,
            "down_payment": self._maybe(rng, money(rng, 0, 80)), "has_credit_app": financed,
            "document_count": rng.randrange(0, 9), "created_at": athena_time(created),
            "updated_at": athena_time(modified)}

    def _customers(self, rng: random.Random, pos: int, created: int, modified: int) -> dict[str, Any]:
        source = rng.choice(("hubspot", "genius", "salesrabbit", None))
        return {
            "customer_id": None if self.keyless("customers", pos) else self.texts["customers"][pos],
            "estimate_id": self._pick("estimates", rng), "company_id": COMPANY[0], "company_name": COMPANY[1],
            "customer_first_name": rng.choice(FIRST), "customer_last_name": rng.choice(LAST),
            "crm_source": source, "crm_source_id": None if source is None else str(rng.randrange(10**6, 10**9)),
            "created_at": athena_time(created), "updated_at": athena_time(modified)}

    def _credit_applications(self, rng: random.Random, pos: int, created: int, modified: int) -> dict[str, Any]:
        return {
            "leap_credit_app_id": self.texts["credit_applications"][pos], "company_id": COMPANY[0],
            "company_name": COMPANY[1],
            "sales_rep_id": self._pick("users", rng), "customer_id": self._pick("customers", rng),
            "credit_app_vendor": rng.choice(VENDORS), "credit_app_vendor_id": str(rng.randrange(10**7, 10**8)),
            "credit_app_amount": money(rng, 100, 3000), "credit_app_status": rng.choice(("approved", "declined",
                                                                                          "pending")),
            "credit_app_note": self._maybe(rng, "Customer asked for a call back, \"after 5pm\""),
            "created_at": athena_time(created), "updated_at": athena_time(modified)}

    def _lead_results(self, rng: random.Random, pos: int, created: int, modified: int) -> dict[str, Any]:
        return {"estimate_id": self.texts["lead_results"][pos], "company_id": COMPANY[0],
                "lead_results": json.dumps(self.result_pairs(rng)), "created_at": athena_time(created),
                "updated_at": athena_time(modified)}

    def result_pairs(self, rng: random.Random) -> list[dict[str, str]]:
        """The result form as SalesPro stores it: a list of {title, value}, values always text. Titles come
        with the variants real forms have (a trailing "?" or space, a double-encoded "&")."""
        result = rng.choice(RESULTS)
        bucket = rng.choice(("[HRE] ", "[CC] ", ""))
        pairs = [(rng.choice(("Appointment Result", "Appointment Result ", "Result")), bucket + result),
                 ("Result Reason - Demo Not Sold (objection)", rng.choice(("Price", "Timing", "Spouse"))
                  if result == "Demo Not Sold" else ""),
                 ("Result Reason - No Demo (REQUIRES SALES MANGER APPROVAL)", "Not home" if result == "No Demo" else ""),
                 (rng.choice(("Both Homeowners Present?", "Both Homeowners Present")), rng.choice(("Yes", "No"))),
                 ("Sales Manager Present", rng.choice(("Yes", "No", ""))),
                 ("Job Size", money(rng, 100, 2000)),
                 ("Last Price Offered", money(rng, 100, 2000)),
                 ("Last PAYMENT offered", rng.choice(("", money(rng, 4, 40)))),
                 ("Customer's Final Price Commitment", rng.choice(("", money(rng, 100, 2000)))),
                 ("Deposit Type", rng.choice(("Check", "Card", "Financing", ""))),
                 ("Financing", rng.choice(("Yes", "No", "GreenSky"))),
                 (rng.choice(("Additional Services Demoed & Priced", "Additional Services Demoed \\u0026 Priced")),
                  rng.choice(("Gutters", ""))),
                 ("Did you complete your ST-8 Form Before leaving house?", rng.choice(("Yes", "No"))),
                 ("Color Selection (Default Color in Parentheses) Drip Edge Color (White), Fascia Color (White)",
                  rng.choice(("White", "Black trim"))),
                 ("Notes", rng.choice(("", "Wants a call after 5pm", "Roof <leak> & gutters, \"urgent\""))),
                 ("Favorite Color", "blue")]  # a title no column takes: kept in the list only
        total = 0
        for n in range(1, rng.randrange(1, 7) + 1):
            amount = rng.randrange(40, 800) * 25
            total += amount
            pairs += [(f"Job Type {n}", rng.choice(JOB_TYPES)), (f"Job Type {n} Amount", f"${amount:,}.00")]
        pairs.append(("Total Job Amount", f"${total:,}.00"))
        rng.shuffle(pairs)  # the form's order is not a contract
        return [{"title": title, "value": value} for title, value in pairs]

    def _offices(self, rng: random.Random, pos: int, created: int, modified: int) -> dict[str, Any]:
        city, state = CITIES[pos % len(CITIES)]
        return {"objectId": self.texts["offices"][pos], "name": f"{city}, {state} #{pos}",
                "companyId": COMPANY[0], "company": COMPANY[1],
                "canSearchAllEstimates": rng.random() < 0.5, "last_edit_user": self._pick("users", rng),
                "last_edit_date": iso_z(modified), "createdAt": iso_z(created), "updatedAt": iso_z(modified)}

    def _users(self, rng: random.Random, pos: int, created: int, modified: int) -> dict[str, Any]:
        offices = self.texts["offices"]
        allowed = sorted(rng.sample(offices, min(len(offices), rng.randrange(0, 4))))
        active = rng.random() < 0.85
        return {"objectId": self.texts["users"][pos], "username": f"user{pos}@hgex.example",
                "nameFirst": rng.choice(FIRST), "nameLast": rng.choice(LAST),
                "email": self._maybe(rng, f"User{pos}@HGEX.example.com "),
                "phoneNumber": self._maybe(rng, f"({rng.randrange(201, 989)}) 555-{rng.randrange(10000):04d}"),
                "isActive": active, "isManager": rng.random() < 0.1, "isAvailableToCall": rng.random() < 0.5,
                "canActivateUsers": rng.random() < 0.1, "canChangeSettings": rng.random() < 0.1,
                "canSubmitCreditApps": rng.random() < 0.7, "disableChangeCompany": rng.random() < 0.9,
                "company": COMPANY[0], "selectedOffice": allowed[0] if allowed else None,
                # Parse pointers to the offices, as the export writes them.
                "allowedOffices": json.dumps([{"__type": "Pointer", "className": "Office", "objectId": o}
                                              for o in allowed]),
                "identifier": f"HG-{pos:04d}", "licenseNumber": self._maybe(rng, f"LIC{rng.randrange(10**5)}"),
                "createdAt": iso_z(created), "updatedAt": iso_z(modified),
                "lastLoginDate": self._maybe(rng, iso_z(modified)),
                "deactivatedDate": None if active else iso_z(modified)}

    # --- CSV exports ---------------------------------------------------------------------------------

    def write_exports(self) -> None:
        """Clear the folder's exports and write one complete export per table (plus a truncated newer one
        when the config asks for it)."""
        folder = self.cfg.exports_path()
        folder.mkdir(parents=True, exist_ok=True)
        for name in EXPORTS:
            for old in folder.glob(f"{name}*.csv"):
                old.unlink()
            self.write_export(name)
            if self.cfg.truncated_export == name:
                self.write_export(name, truncated=True)

    def write_export(self, name: str, truncated: bool = False) -> Path:
        """A new export file `<name>_<seq>.csv` (UTF-8 with BOM), written aside and renamed into place."""
        self.export_seq += 1
        folder = self.cfg.exports_path()
        folder.mkdir(parents=True, exist_ok=True)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, EXPORT_COLUMNS[name], lineterminator="\r\n")
        writer.writeheader()
        for record in self.records(name, self.live(name)):
            writer.writerow({k: _csv_text(v) for k, v in record.items()})
        text = buffer.getvalue()
        if truncated:
            text = text[: max(len(text) - 37, text.index("\n") + 5)]  # cut inside the last row
        path = folder / f"{name}_{self.export_seq:05d}.csv"
        tmp = path.with_suffix(".csv.part")
        tmp.write_text(text, encoding="utf-8-sig")
        os.replace(tmp, path)
        return path


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)

