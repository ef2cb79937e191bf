"""The warehouse against a real PostgreSQL: DDL, exact upsert counts, quarantine, soft delete and its guard."""

from __future__ import annotations

from typing import Any

import pytest

from crm_pipelines.core import columns as c
from crm_pipelines.core.columns import EntitySchema, Int, Object, Text, Timestamp
from crm_pipelines.core.entity import EntitySpec
from crm_pipelines.core.processing import record_processor
from crm_pipelines.core.validation import split_valid
from crm_pipelines.core.warehouse import MassDeletionError, Warehouse


class Thing(EntitySchema):
    id: Text = c.key()
    name: Text = c.optional()
    size: Int = c.optional(ge=0)
    email: Text = c.email()
    modified: Timestamp = c.optional()
    tags: Object = c.string_list()
    price: Object = c.money()


SPEC = EntitySpec(crm="testcrm", name="things", schema=Thing, resource_key="unused",
                  fetch=lambda client, request: iter(()), process=record_processor(Thing, dict, "modified"))


def thing(i: int, modified: str = "2026-01-01T00:00:00Z", **extra: Any) -> dict[str, Any]:
    return {"id": str(i), "name": f"thing {i}", "size": str(i), "email": f"T{i}@Example.com ",
            "modified": modified, "tags": "a;b", "price": "$1,000.10", **extra}


def load(warehouse, records, run_id="run-1", dry_run=False):
    with warehouse.session(SPEC, run_id, dry_run=dry_run) as session:
        valid, quarantined = split_valid(SPEC, SPEC.process(records))
        counts = session.load(valid)
        session.quarantine(quarantined)
        return counts, quarantined


def test_table_is_created_with_typed_and_system_columns(warehouse, db):
    load(warehouse, [thing(1)])
    columns = dict(db.execute("SELECT column_name, data_type FROM information_schema.columns "
                              "WHERE table_schema='testcrm' AND table_name='things'").fetchall())
    assert columns["size"] == "bigint"
    assert columns["modified"] == "timestamp with time zone"
    assert columns["tags"] == "jsonb"
    assert columns["price"] == "numeric"
    for system in ("_source_updated_at", "_synced_at", "_deleted_at", "_raw", "_run_id", "_issues"):
        assert system in columns
    row = db.execute("SELECT email, tags, price::text, _raw->>'name', _run_id FROM testcrm.things").fetchone()
    assert row == ("t1@example.com", ["a", "b"], "1000.10", "thing 1", "run-1")


def test_upsert_counts_are_exact_and_reloading_is_a_no_op(warehouse, db):
    assert load(warehouse, [thing(i) for i in range(10)])[0] == (10, 0)
    assert load(warehouse, [thing(i) for i in range(10)])[0] == (0, 0)
    changed = [thing(i, modified="2026-01-02T00:00:00Z", name="renamed") for i in range(3)]
    assert load(warehouse, changed + [thing(10)])[0] == (1, 3)
    assert db.execute("SELECT count(*) FROM testcrm.things WHERE name = 'renamed'").fetchone()[0] == 3
    assert db.execute("SELECT count(*) FROM testcrm.things").fetchone()[0] == 11


def test_an_older_version_never_overwrites_a_newer_one(warehouse, db):
    load(warehouse, [thing(1, modified="2026-01-05T00:00:00Z", name="new")])
    assert load(warehouse, [thing(1, modified="2026-01-01T00:00:00Z", name="old")])[0] == (0, 0)
    assert db.execute("SELECT name FROM testcrm.things").fetchone()[0] == "new"


def test_duplicates_in_one_batch_keep_the_latest(warehouse, db):
    records = [thing(1, modified="2026-01-03T00:00:00Z", name="latest"),
               thing(1, modified="2026-01-01T00:00:00Z", name="stale")]
    assert load(warehouse, records)[0] == (1, 0)
    assert db.execute("SELECT name FROM testcrm.things").fetchone()[0] == "latest"


def test_malformed_fields_load_as_null_with_issues_and_only_unplaceable_records_are_quarantined(warehouse, db):
    records = [thing(1), thing(2, email="not an email"), thing(3, size="-4"), thing(4, modified="soon"),
               thing(5, modified=None), {"name": "no id", "modified": "2026-01-01T00:00:00Z"}, ["not", "an object"]]
    (created, _), quarantined = load(warehouse, records)
    assert created == 3
    rows = db.execute("SELECT id, email, size, _issues, _raw->>'email' FROM testcrm.things ORDER BY id").fetchall()
    assert rows == [("1", "t1@example.com", 1, None, "T1@Example.com "),
                    ("2", None, 2, {"email": "not a valid email address"}, "not an email"),
                    ("3", "t3@example.com", None, {"size": "failed greater_than_or_equal_to(0)"}, "T3@Example.com ")]
    assert [(q.source_id, q.reasons) for q in quarantined] == [
        ("4", ["_source_updated_at: no readable modified time", "modified: not a datetime"]),
        ("5", ["_source_updated_at: no readable modified time"]),
        (None, ["id: failed not_nullable (value <NA>)"]),
        (None, ["record: not an object", "id: failed not_nullable (value <NA>)"])]
    kept = db.execute("SELECT raw FROM testcrm._quarantine WHERE reasons->>0 = 'record: not an object'")
    assert kept.fetchone() == (["not", "an object"],)  # the record as received, not an empty object
    # The same unplaceable record again refreshes its open row instead of adding one.
    load(warehouse, [thing(4, modified="later")], run_id="run-2")
    assert db.execute("SELECT count(*), max(run_id) FROM testcrm._quarantine WHERE source_id='4'").fetchone() \
        == (1, "run-2")
    load(warehouse, [thing(4, modified="2026-02-01T00:00:00Z")], run_id="run-3")
    assert db.execute("SELECT resolved_at IS NOT NULL FROM testcrm._quarantine WHERE source_id='4'").fetchone()[0]
    assert db.execute("SELECT count(*) FROM testcrm.things WHERE id='4'").fetchone()[0] == 1


def test_a_failed_session_leaves_the_table_untouched(warehouse, db):
    load(warehouse, [thing(1)])
    with pytest.raises(RuntimeError, match="fetch broke"):
        with warehouse.session(SPEC, "run-x") as session:
            session.load(split_valid(SPEC, SPEC.process([thing(i) for i in range(2, 50)]))[0])
            raise RuntimeError("fetch broke")
    assert db.execute("SELECT count(*) FROM testcrm.things").fetchone()[0] == 1


def test_dry_run_writes_nothing_but_counts(warehouse, db):
    (created, updated), _ = load(warehouse, [thing(i) for i in range(5)], dry_run=True)
    assert (created, updated) == (5, 0)
    assert db.execute("SELECT count(*) FROM testcrm.things").fetchone()[0] == 0


def test_soft_delete_marks_rows_and_a_restored_record_comes_back(warehouse, db):
    load(warehouse, [thing(i) for i in range(100)])
    with warehouse.session(SPEC, "run-d") as session:
        assert session.soft_delete([("5",), ("6",), ("not-there",)]) == 2
        assert session.row_count() == 98
    load(warehouse, [thing(5, modified="2026-03-01T00:00:00Z")])
    deleted = db.execute("SELECT id FROM testcrm.things WHERE _deleted_at IS NOT NULL").fetchall()
    assert deleted == [("6",)]


def test_mass_deletion_is_refused_and_nothing_is_kept(warehouse, db):
    load(warehouse, [thing(i) for i in range(100)])
    with pytest.raises(MassDeletionError, match="refusing to soft-delete 6 of 100"):
        with warehouse.session(SPEC, "run-d") as session:
            session.soft_delete([(str(i),) for i in range(3)])
            session.soft_delete([(str(i),) for i in range(3, 6)])
    assert db.execute("SELECT count(*) FROM testcrm.things WHERE _deleted_at IS NOT NULL").fetchone()[0] == 0


def test_a_small_table_may_lose_one_row_a_run_whatever_the_share(warehouse, db):
    load(warehouse, [thing(i) for i in range(8)])
    with warehouse.session(SPEC, "run-1") as session:
        assert session.soft_delete([("3",)]) == 1  # 12.5 % of the table, within the floor of one row
    with pytest.raises(MassDeletionError, match="refusing to soft-delete 2 of 7 .*max_delete_rows_floor=1"):
        with warehouse.session(SPEC, "run-2") as session:
            session.soft_delete([("4",), ("5",)])
    lenient = Warehouse(url=warehouse.url, max_delete_rows_floor=2)
    with lenient.session(SPEC, "run-3") as session:
        assert session.soft_delete([("4",), ("5",)]) == 2
    with pytest.raises(ValueError, match="max_delete_rows_floor"):
        Warehouse(url=warehouse.url, max_delete_rows_floor=-1)


def test_replace_scope_soft_deletes_only_unlisted_rows_of_the_scope(warehouse, db):
    load(warehouse, [thing(i, name=f"group {i % 2}") for i in range(100)])
    with warehouse.session(SPEC, "run-r") as session:
        # The source listed ids 0 and 2 as the complete current set of scope "thing 0"/"thing 2"/"thing 4".
        gone = session.replace_scope("name", ["group 0"], [("0",), ("2",)] + [(str(i),) for i in range(6, 100, 2)])
    assert gone == 1  # id 4
    assert db.execute("SELECT id FROM testcrm.things WHERE _deleted_at IS NOT NULL").fetchall() == [("4",)]


def test_read_keys_streams_current_keys_in_chunks(warehouse, db):
    load(warehouse, [thing(i) for i in range(25)])
    with warehouse.session(SPEC, "run-d") as session:
        session.soft_delete([("3",)])
    chunks = list(warehouse.read_keys("testcrm", "things", chunk=10))
    assert [len(chunk) for chunk in chunks] == [10, 10, 4]
    assert "3" not in {k for chunk in chunks for k in chunk}
