"""The offices and users CSV exports (UTF-8 with BOM): the latest complete export is the current set; a row
absent from it is soft-deleted, at most 5 % of a table per run."""

from __future__ import annotations

import json
from pathlib import Path

from crm_pipelines_tests.sources.salespro.conftest import failure_text, stored, sync
from crm_pipelines_tests.support import assert_same_keys


def test_exports_load_exactly_through_the_byte_order_mark(control, emulated, warehouse, db, exports_dir):
    newest = sorted(Path(exports_dir).glob("users*.csv"))[-1]
    assert newest.read_bytes().startswith(b"\xef\xbb\xbfobjectId,")
    for table in ("offices", "users"):
        _, meta = sync(emulated, warehouse, table)
        assert_same_keys(stored(db, table), control.in_window(table)["ids"], f"salespro.{table}")
        assert meta[table]["records_quarantined"] == 0


def test_export_values_are_typed(control, emulated, warehouse, db):
    sync(emulated, warehouse, "offices")
    sync(emulated, warehouse, "users")
    rows = db.execute("SELECT id, first_name, email, phone_number, is_active, can_submit_credit_apps, company_id, "
                      "allowed_offices, deactivated_date, _issues FROM salespro.users").fetchall()
    for uid, first, email, phone, active, credit_apps, company, allowed, deactivated, issues in rows:
        truth = control.truth_record("users", uid)
        assert first == truth["nameFirst"]  # accents and "Smith, Jr." survive the CSV
        assert email == (None if truth["email"] is None else truth["email"].strip().lower())
        assert phone is None or phone.startswith("+1")
        assert active is truth["isActive"] and (deactivated is None) is truth["isActive"]  # "TRUE"/"FALSE"
        assert credit_apps is truth["canSubmitCreditApps"] and company == truth["company"]
        assert allowed == json.loads(truth["allowedOffices"])  # Parse pointers, as jsonb
        assert issues is None
    offices = db.execute("SELECT id, company_id, company_name, can_search_all_estimates FROM salespro.offices").fetchall()
    for oid, company_id, company_name, search_all in offices:
        truth = control.truth_record("offices", oid)
        assert (company_id, company_name, search_all) == (truth["companyId"], truth["company"],
                                                          truth["canSearchAllEstimates"])


def test_a_truncated_newest_export_is_skipped_for_the_previous_complete_one(control, emulated, warehouse, db,
                                                                            exports_dir):
    control.reset(truncated_export="users")
    files = sorted(Path(exports_dir).glob("users*.csv"))
    assert len(files) == 2 and not files[-1].read_bytes().endswith(b"\n")
    _, meta = sync(emulated, warehouse, "users")
    assert_same_keys(stored(db, "users"), control.in_window("users")["ids"], "salespro.users")
    assert meta["users"]["records_deleted"] == 0


def test_a_row_absent_from_the_latest_export_is_soft_deleted(control, emulated, warehouse, db):
    sync(emulated, warehouse, "users")
    gone = control.in_window("users")["ids"][:3]
    control.mutate(object_type="users", ids=gone, action="archive")  # a new export without them
    _, meta = sync(emulated, warehouse, "users")
    assert meta["users"]["records_deleted"] == 3
    assert_same_keys(stored(db, "users"), control.in_window("users")["ids"], "salespro.users")
    deleted = [r[0] for r in db.execute("SELECT id FROM salespro.users WHERE _deleted_at IS NOT NULL")]
    assert sorted(deleted) == sorted(gone)


def test_an_export_missing_more_than_five_percent_deletes_nothing(control, emulated, warehouse, db):
    sync(emulated, warehouse, "users")
    control.mutate(object_type="users", ids=control.in_window("users")["ids"][:10], action="archive")
    result, _ = sync(emulated, warehouse, "users", raise_on_error=False)
    assert not result.success and "refusing to soft-delete 10 of 80" in failure_text(result)
    assert db.execute("SELECT count(*) FROM salespro.users WHERE _deleted_at IS NULL").fetchone()[0] == 80


def test_no_exports_folder_fails_naming_the_variable(sandbox, warehouse, tmp_path):
    from crm_pipelines_tests.sources.salespro.conftest import emulated_client

    result, _ = sync(emulated_client(sandbox, ""), warehouse, "offices", raise_on_error=False)
    assert not result.success and "SALESPRO_EXPORTS_DIR is not set" in failure_text(result)
    result, _ = sync(emulated_client(sandbox, str(tmp_path)), warehouse, "offices", raise_on_error=False)
    assert "no complete offices*.csv export" in failure_text(result)
