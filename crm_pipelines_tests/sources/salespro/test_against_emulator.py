"""SalesPro through Dagster into PostgreSQL against the sandbox's Athena stand-in (boto3 over real HTTP)
and its CSV exports: every table equals the emulator's records exactly, whatever the paging and faults."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from decimal import Decimal

from crm_pipelines.sources.salespro.resource import SalesProQueryError
from crm_pipelines_tests.sources.salespro.conftest import (
    DAY, emulated_client, failure_text, quarantined, stored, sync,
)
from crm_pipelines_tests.support import assert_same_keys

ATHENA_TABLES = ("customers", "estimates", "credit_applications", "lead_results")


def test_a_partition_holds_exactly_the_estimates_of_its_window(control, emulated, warehouse, db):
    _, meta = sync(emulated, warehouse, "estimates")
    truth = control.in_partition("estimates")
    assert truth["count"] > 150
    assert_same_keys(stored(db, "estimates"), truth["ids"], "salespro.estimates")
    assert meta["estimates"]["api_calls"] == sum(control.operations().values())
    # An hourly run reads only its window: one query (the window holds fewer rows than rows_per_query).
    assert control.operations()["StartQueryExecution"] == 1


def test_a_full_refresh_reads_every_table_exactly_in_one_query_each(control, emulated, warehouse, db):
    for number, table in enumerate(ATHENA_TABLES, start=1):
        _, meta = sync(emulated, warehouse, table, config={"full_refresh": True})
        truth = control.in_window(table)
        assert_same_keys(stored(db, table), truth["ids"], f"salespro.{table}")
        # Only records without a key are quarantined (customers without customer_id).
        assert len(quarantined(db, table)) == truth["keyless"] == meta[table]["records_quarantined"]
        assert control.operations()["StartQueryExecution"] == number
        issues = db.execute(f"SELECT count(*) FROM salespro.{table} WHERE _issues IS NOT NULL").fetchone()[0]
        assert issues == 0


def test_customers_without_a_key_are_quarantined_not_dropped(control, emulated, warehouse, db):
    control.reset(missing_key_rate=0.05)
    sync(emulated, warehouse, "customers", config={"full_refresh": True})
    truth = control.in_window("customers")
    rows = db.execute("SELECT source_id, reasons, raw FROM salespro._quarantine WHERE entity = 'customers'").fetchall()
    assert len(rows) == truth["keyless"] > 10
    assert all(source_id is None and raw["customer_id"] is None and "id" in json.dumps(reasons)
               for source_id, reasons, raw in rows)


def test_strings_are_typed_by_the_schema(control, emulated, warehouse, db):
    sync(emulated, warehouse, "estimates", config={"full_refresh": True})
    rows = db.execute("SELECT id, is_sale, has_credit_app, sale_amount, down_payment, street_address, "
                      "document_count, updated_at, _raw FROM salespro.estimates ORDER BY id LIMIT 400").fetchall()
    falses = nulls = 0
    for eid, is_sale, has_app, sale, down, street, docs, updated, raw in rows:
        truth = control.truth_record("estimates", eid)
        # "false" is False (the legacy system's bool("false") stored True).
        assert raw["is_sale"] in ("true", "false") and is_sale is (raw["is_sale"] == "true")
        assert has_app is truth["has_credit_app"]
        falses += raw["is_sale"] == "false"
        # "$12,500.00" is 12500.00; NULL (a missing VarCharValue) stays null.
        assert sale == (None if truth["sale_amount"] is None else Decimal(truth["sale_amount"].strip("$").replace(",", "")))
        assert down == (None if truth["down_payment"] is None else Decimal(truth["down_payment"].strip("$").replace(",", "")))
        assert street == truth["street_address"] and raw["street_address"] == truth["street_address"]
        nulls += street is None
        assert docs == truth["document_count"]
        # Athena's zone-less timestamps are UTC.
        assert updated == dt.datetime.fromisoformat(truth["updated_at"]).replace(tzinfo=dt.timezone.utc) \
            if isinstance(truth["updated_at"], str) else updated == truth["updated_at"].replace(tzinfo=dt.timezone.utc)
    assert falses > 100 and nulls > 5


def _money(text: str) -> Decimal:
    return Decimal(text.strip("$").replace(",", ""))


def test_lead_results_and_their_line_items_come_from_one_read(control, emulated, warehouse, db):
    _, meta = sync(emulated, warehouse, "lead_results", config={"full_refresh": True})
    assert control.operations()["StartQueryExecution"] == 1
    truth = control.in_window("lead_results")
    assert_same_keys(stored(db, "lead_results"), truth["ids"], "salespro.lead_results")
    expected_items, buckets = [], 0
    for rid, result, bucket, both, st8, total, last_price, job_size, services, original, issues in db.execute(
            "SELECT id, appointment_result, status_bucket, both_homeowners_present, st8_completed, "
            "total_job_amount, last_price_offered, job_size, additional_services_demoed_priced, lead_results, "
            "_issues FROM salespro.lead_results").fetchall():
        listed = json.loads(control.truth_record("lead_results", rid)["lead_results"])
        assert original == listed  # kept as received, titles no column takes included
        pairs = {p["title"].strip().rstrip("?").replace("\\u0026", "&"): p["value"] for p in listed}
        assert result == pairs.get("Appointment Result", pairs.get("Result"))
        assert bucket == (result[:result.index("]") + 1] if result.startswith("[") else None)
        buckets += bucket is not None
        assert both is (pairs["Both Homeowners Present"] == "Yes")
        assert st8 is (pairs["Did you complete your ST-8 Form Before leaving house"] == "Yes")
        assert services == (pairs["Additional Services Demoed & Priced"] or None)
        assert total == _money(pairs["Total Job Amount"]) and job_size == _money(pairs["Job Size"])
        assert last_price == _money(pairs["Last Price Offered"])
        assert issues is None
        expected_items += [(rid, n, pairs[f"Job Type {n}"], _money(pairs[f"Job Type {n} Amount"]))
                           for n in range(1, 7) if f"Job Type {n}" in pairs]
    assert buckets > 10
    items = db.execute("SELECT estimate_id, job_type_number, job_type, amount FROM salespro.lead_result_line_items "
                       "WHERE _deleted_at IS NULL").fetchall()
    assert sorted(items) == sorted(expected_items) and len(items) > len(truth["ids"])
    assert meta["lead_result_line_items"]["records_created"] == len(items)
    assert meta["lead_result_line_items"]["dagster/row_count"] == len(items)
    assert meta["lead_results"]["records_fetched"] == len(truth["ids"])


def test_a_line_item_removed_from_a_re_read_result_is_soft_deleted(control, emulated, warehouse, db):
    sync(emulated, warehouse, "lead_results", config={"full_refresh": True})
    rid = db.execute("SELECT estimate_id FROM salespro.lead_result_line_items GROUP BY estimate_id "
                     "HAVING count(*) >= 2 LIMIT 1").fetchone()[0]
    kept = [{"title": "Appointment Result", "value": "Sold"}, {"title": "Job Type 1", "value": "Roofing"},
            {"title": "Job Type 1 Amount", "value": "$9,000.00"}]
    control.mutate(object_type="lead_results", ids=[rid], action="set", properties={"lead_results": json.dumps(kept)},
                   modified_at="2026-12-01T23:59:59Z")  # newer than any generated time
    sync(emulated, warehouse, "lead_results", day=dt.date(2026, 12, 1))
    live = db.execute("SELECT job_type_number, job_type, amount FROM salespro.lead_result_line_items "
                      "WHERE estimate_id = %s AND _deleted_at IS NULL", [rid]).fetchall()
    assert live == [(1, "Roofing", Decimal("9000.00"))]
    assert db.execute("SELECT count(*) FROM salespro.lead_result_line_items WHERE estimate_id = %s "
                      "AND _deleted_at IS NOT NULL", [rid]).fetchone()[0] >= 1


def test_an_older_copy_of_a_result_changes_neither_it_nor_its_line_items(control, emulated, warehouse, db):
    sync(emulated, warehouse, "lead_results", config={"full_refresh": True})
    rid = db.execute("SELECT estimate_id FROM salespro.lead_result_line_items GROUP BY estimate_id "
                     "HAVING count(*) >= 2 LIMIT 1").fetchone()[0]
    before = db.execute("SELECT job_type_number, job_type, amount FROM salespro.lead_result_line_items "
                        "WHERE estimate_id = %s AND _deleted_at IS NULL ORDER BY 1", [rid]).fetchall()
    stored_result = db.execute("SELECT appointment_result FROM salespro.lead_results WHERE id = %s", [rid]).fetchone()
    # Athena now serves a version of the result older than the one loaded, with one job type.
    older = [{"title": "Appointment Result", "value": "No Sale"}, {"title": "Job Type 1", "value": "Siding"},
             {"title": "Job Type 1 Amount", "value": "$1.00"}]
    control.mutate(object_type="lead_results", ids=[rid], action="set", properties={"lead_results": json.dumps(older)},
                   modified_at="2019-01-01T00:00:00Z")
    sync(emulated, warehouse, "lead_results", config={"full_refresh": True})
    assert db.execute("SELECT appointment_result FROM salespro.lead_results WHERE id = %s", [rid]).fetchone() == stored_result
    after = db.execute("SELECT job_type_number, job_type, amount FROM salespro.lead_result_line_items "
                       "WHERE estimate_id = %s AND _deleted_at IS NULL ORDER BY 1", [rid]).fetchall()
    assert after == before


def test_a_malformed_result_list_loads_with_issues(control, emulated, warehouse, db):
    rid = control.in_partition("lead_results")["ids"][0]
    control.mutate(object_type="lead_results", ids=[rid], action="set", properties={"lead_results": "[{not json"},
                   modified_at="2026-11-28T10:00:00Z")
    sync(emulated, warehouse, "lead_results")
    issues, result = db.execute("SELECT _issues, appointment_result FROM salespro.lead_results WHERE id = %s",
                                [rid]).fetchone()
    assert result is None and "lead_results" in issues


def test_pages_and_queries_split_inside_a_burst_of_one_timestamp_lose_nothing(control, sandbox, exports_dir,
                                                                                 warehouse, db):
    # 600 estimates share one updated_at; 250 rows a query, 70 rows a page: query and page boundaries both
    # fall inside the burst, so only the (updated_at, estimate_id) keyset can carry on without loss.
    control.reset(same_timestamp_burst=600)
    client = emulated_client(sandbox, exports_dir, rows_per_query=250, page_size=70)
    sync(client, warehouse, "estimates", config={"full_refresh": True})
    assert_same_keys(stored(db, "estimates"), control.in_window("estimates")["ids"], "salespro.estimates")
    ops = control.operations()
    assert ops["StartQueryExecution"] == 5  # 251 rows a query: 4 full ones, then the last 96
    assert ops["GetQueryResults"] >= 1100 // 70


def test_rows_on_a_partition_edge_belong_to_the_later_day(control, emulated, warehouse, db):
    ids = control.in_window("estimates")["ids"]
    midnight = dt.datetime.combine(DAY + dt.timedelta(days=1), dt.time(), tzinfo=dt.timezone.utc)
    control.mutate(object_type="estimates", ids=ids[:5], action="touch", modified_at=midnight.isoformat())
    control.mutate(object_type="estimates", ids=ids[5:10], action="touch",
                   modified_at=(midnight - dt.timedelta(milliseconds=1)).isoformat())
    sync(emulated, warehouse, "estimates")
    loaded = set(stored(db, "estimates"))
    assert not loaded & set(ids[:5]) and set(ids[5:10]) <= loaded
    assert_same_keys(loaded, control.in_partition("estimates")["ids"], "salespro.estimates")
    sync(emulated, warehouse, "estimates", day=DAY + dt.timedelta(days=1))
    assert set(ids[:10]) <= set(stored(db, "estimates"))


def test_throttling_5xx_and_dropped_connections_are_retried_past_botocores_three_attempts(control, emulated, warehouse, db):
    control.faults({"route": "GetQueryResults", "status": 429, "times": 4},
                   {"route": "StartQueryExecution", "status": 429, "policy": "TooManyRequestsException", "times": 2},
                   {"route": "GetQueryExecution", "status": 500, "times": 2},
                   {"route": "GetQueryResults", "status": 503, "times": 1, "after": 5},
                   {"route": "GetQueryResults", "drop": True, "times": 1, "after": 6})
    _, meta = sync(emulated, warehouse, "estimates", config={"full_refresh": True})
    rules = control.http.get("/faults").json()["rules"]
    assert all(rule["fired"] == (rule["times"]) for rule in rules), rules
    assert meta["estimates"]["retries"] == 10
    assert_same_keys(stored(db, "estimates"), control.in_window("estimates")["ids"], "salespro.estimates")


def test_throttling_past_every_attempt_fails_the_run(control, sandbox, exports_dir, warehouse, db):
    control.faults({"route": "GetQueryResults", "status": 429})
    result, _ = sync(emulated_client(sandbox, exports_dir, max_attempts=3), warehouse, "estimates",
                     raise_on_error=False)
    assert not result.success and "ThrottlingException" in failure_text(result)
    assert control.operations(status=429)["GetQueryResults"] == 3
    assert db.execute("SELECT to_regclass('salespro.estimates') IS NULL OR "
                      "(SELECT count(*) = 0 FROM salespro.estimates)").fetchone()[0]


def test_a_retryable_failed_query_is_run_again(control, emulated, warehouse, db):
    control.reset(query_faults=[{"table": "estimate", "retryable": True, "times": 2}])
    _, meta = sync(emulated, warehouse, "estimates")
    assert control.operations()["StartQueryExecution"] == 3
    assert meta["estimates"]["retries"] == 2
    assert_same_keys(stored(db, "estimates"), control.in_partition("estimates")["ids"], "salespro.estimates")


def test_a_failed_query_that_is_not_retryable_fails_with_athenas_reason(control, emulated, warehouse, db):
    control.reset(query_faults=[{"table": "estimate", "retryable": False,
                                 "message": "HIVE_BAD_DATA: Error parsing field value '12,5' for field 3"}])
    result, _ = sync(emulated, warehouse, "estimates", raise_on_error=False)
    assert not result.success
    assert "HIVE_BAD_DATA: Error parsing field value '12,5' for field 3" in failure_text(result)
    assert control.operations()["StartQueryExecution"] == 1


def test_a_query_past_the_limit_is_stopped(control, sandbox, exports_dir, warehouse, db):
    control.reset(query_faults=[{"table": "estimate", "state": "SLOW", "running_s": 60}])
    result, _ = sync(emulated_client(sandbox, exports_dir, query_timeout_s=0.4), warehouse, "estimates",
                     raise_on_error=False)
    assert not result.success and "query_timeout_s=0.4" in failure_text(result)
    assert control.operations()["StopQueryExecution"] == 1
    assert any(e["route"] == "GetQueryExecution" for e in control.stats()["log"])


def test_a_slow_query_within_the_limit_is_polled_to_the_end(control, emulated, warehouse, db):
    control.reset(query_running_s=0.6)
    sync(emulated, warehouse, "estimates")
    # Polled while QUEUED/RUNNING, then once more when SUCCEEDED (polls are at most poll_max_s = 0.05 s apart).
    assert control.operations()["GetQueryExecution"] >= 2
    assert_same_keys(stored(db, "estimates"), control.in_partition("estimates")["ids"], "salespro.estimates")


def test_a_query_cancelled_elsewhere_fails_with_athenas_reason(control, sandbox, exports_dir):
    control.reset(query_faults=[{"table": "estimate", "state": "SLOW", "running_s": 30}])
    client = emulated_client(sandbox, exports_dir)
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            client.run_query("SELECT * FROM estimate")
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    emulator = sandbox.salespro
    deadline = time.monotonic() + 10
    while not emulator.engine.executions and time.monotonic() < deadline:
        time.sleep(0.01)
    with emulator.lock:  # an operator stops it in the console
        emulator.engine.stop(next(iter(emulator.engine.executions.values())))
    thread.join(timeout=10)
    assert len(outcome) == 1 and isinstance(outcome[0], SalesProQueryError)
    assert "CANCELLED" in str(outcome[0]) and "Query cancelled by user" in str(outcome[0])
    assert control.operations()["StartQueryExecution"] == 1  # a cancelled query is not run again
