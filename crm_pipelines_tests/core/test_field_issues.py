"""Field-level issues in the warehouse: `_issues` upserts, the ALTER path, bytes in `_raw`, and quarantine
resolution whose work is bounded by the batch, not by the number of open quarantine rows."""

from __future__ import annotations

import dataclasses

import pytest

from crm_pipelines.core import columns as c
from crm_pipelines.core.columns import Int
from crm_pipelines.core.processing import record_processor
from crm_pipelines.core.validation import split_valid
from crm_pipelines_tests.core.test_warehouse import SPEC, Thing, load, thing


class RelaxedThing(Thing):
    size: Int = c.optional()  # the rule "size >= 0" turned out wrong: negative sizes are legitimate


RELAXED = dataclasses.replace(SPEC, schema=RelaxedThing, process=record_processor(RelaxedThing, dict, "modified"))


def _load(warehouse, spec, records, run_id):
    with warehouse.session(spec, run_id) as session:
        valid, quarantined = split_valid(spec, spec.process(records))
        assert not quarantined
        return session.load(valid)


def test_a_rerun_after_a_fix_clears_issues_and_identical_reloads_change_nothing(warehouse, db):
    records = [thing(1), thing(2, size="-4")]
    assert _load(warehouse, SPEC, records, "run-1") == (2, 0)
    assert _load(warehouse, SPEC, records, "run-2") == (0, 0)
    assert db.execute("SELECT size, _issues FROM testcrm.things WHERE id = '2'").fetchone() == \
        (None, {"size": "failed greater_than_or_equal_to(0)"})
    # Same raw records, fixed rule: the row with issues is rewritten, the clean one is not.
    assert _load(warehouse, RELAXED, records, "run-3") == (0, 1)
    assert db.execute("SELECT size, _issues, _run_id FROM testcrm.things WHERE id = '2'").fetchone() == \
        (-4, None, "run-3")
    assert _load(warehouse, RELAXED, records, "run-4") == (0, 0)


def test_an_existing_table_gains_the_issues_column(warehouse, db):
    load(warehouse, [thing(1)])
    db.execute("ALTER TABLE testcrm.things DROP COLUMN _issues")  # a table made before the column existed
    load(warehouse, [thing(2, email="nope")])
    assert db.execute("SELECT id, _issues FROM testcrm.things ORDER BY id").fetchall() == \
        [("1", None), ("2", {"email": "not a valid email address"})]


@pytest.mark.parametrize("binary_path", [False, True])
def test_bytes_in_a_record_load_decoded(warehouse, db, monkeypatch, binary_path):
    if binary_path:  # the generic per-row COPY must encode `_raw` the same way
        monkeypatch.setattr("crm_pipelines.core.copy_text.encode_batch", lambda frame, columns: None)
    load(warehouse, [thing(1, name=b"caf\xc3\xa9", blob=b"\xff\x00", flag=b"\x01", email=b"\xff@x.com")])
    row = db.execute("SELECT name, _raw->>'name', _raw->>'blob', _raw->>'flag', _issues FROM testcrm.things")
    assert row.fetchone() == ("café", "café", "\\xff00", "\\x01", {"email": "not a valid email address"})


def _reads(conn) -> tuple[int, int]:
    """Tuples this transaction has read from the quarantine table so far (sequential, by index)."""
    return conn.execute("SELECT seq_tup_read, coalesce(idx_tup_fetch, 0) FROM pg_stat_xact_user_tables "
                        "WHERE schemaname = 'testcrm' AND relname = '_quarantine'").fetchone()


def test_resolving_quarantine_rows_reads_what_the_batch_needs_not_every_open_row(warehouse, db):
    load(warehouse, [thing(0)])
    open_rows = 30_000
    db.execute("INSERT INTO testcrm._quarantine (entity, source_id, reasons, raw) "
               "SELECT 'things', g::text, '[]', '{}' FROM generate_series(1, %s) g", (open_rows,))
    batch = 200
    with warehouse.session(SPEC, "run-r") as session:
        valid, _ = split_valid(SPEC, SPEC.process([thing(i) for i in range(open_rows - batch + 1, open_rows + 1)]))
        seq_before, idx_before = _reads(session.conn)
        assert session.load(valid) == (batch, 0)
        seq_after, idx_after = _reads(session.conn)
    assert seq_after - seq_before == 0
    assert idx_after - idx_before <= 2 * batch  # one probe per id (plus its update), not 30,000 rows
    assert db.execute("SELECT count(*) FROM testcrm._quarantine WHERE resolved_at IS NOT NULL").fetchone()[0] == batch
