"""Replaying quarantined records through the current code loads those that can now be placed."""

from __future__ import annotations

from psycopg.types.json import Jsonb

from crm_pipelines.core.replay import build_replay_job, replay_entity
from crm_pipelines_tests.core.test_warehouse import SPEC, load, thing


def _quarantined_by_old_code(db, records):
    """Open quarantine rows as the code before field-level issues wrote them (a bad field kept the record out)."""
    table = db.execute("SELECT to_regclass('testcrm._quarantine')").fetchone()[0]
    assert table is not None
    for record in records:
        db.execute("INSERT INTO testcrm._quarantine (entity, source_id, reasons, raw, run_id) "
                   "VALUES ('things', %s, %s, %s, 'old-run')",
                   (record["id"], Jsonb(["email: not a valid email address"]), Jsonb(record)))


def test_replay_loads_records_the_old_code_quarantined_and_keeps_the_unplaceable(warehouse, db):
    load(warehouse, [thing(1), thing(4, modified="soon")])  # 4 has no readable modified time: quarantined
    _quarantined_by_old_code(db, [thing(2, email="O.Müller2@Example.COM"), thing(3, size="-4")])
    assert replay_entity(warehouse, SPEC, "replay-1") == {"replayed": 3, "loaded": 2, "still_quarantined": 1}
    rows = db.execute("SELECT id, email, size, _issues FROM testcrm.things WHERE id IN ('2', '3') ORDER BY id")
    assert rows.fetchall() == [("2", "o.müller2@example.com", 2, None),
                               ("3", "t3@example.com", None, {"size": "failed greater_than_or_equal_to(0)"})]
    open_rows = dict(db.execute("SELECT source_id, reasons FROM testcrm._quarantine WHERE resolved_at IS NULL"))
    assert list(open_rows) == ["4"] and open_rows["4"][0] == "_source_updated_at: no readable modified time"
    resolved = db.execute("SELECT source_id FROM testcrm._quarantine WHERE resolved_at IS NOT NULL ORDER BY 1")
    assert [r[0] for r in resolved] == ["2", "3"]
    # Nothing is left to do: a second replay only refreshes the unplaceable record.
    assert replay_entity(warehouse, SPEC, "replay-2") == {"replayed": 1, "loaded": 0, "still_quarantined": 1}


def test_replay_job_runs_through_dagster_and_dry_run_keeps_nothing(warehouse, db):
    load(warehouse, [thing(1)])
    _quarantined_by_old_code(db, [thing(2, email="josé@example.com")])
    job = build_replay_job([SPEC])
    config = {"ops": {"replay_quarantined_records": {"config": {"crm": "testcrm", "dry_run": True}}}}
    assert job.execute_in_process(run_config=config, resources={"warehouse": warehouse}).success
    assert db.execute("SELECT count(*) FROM testcrm.things").fetchone()[0] == 1
    config["ops"]["replay_quarantined_records"]["config"]["dry_run"] = False
    assert job.execute_in_process(run_config=config, resources={"warehouse": warehouse}).success
    assert db.execute("SELECT count(*) FROM testcrm.things").fetchone()[0] == 2
    assert db.execute("SELECT count(*) FROM testcrm._quarantine WHERE resolved_at IS NULL").fetchone()[0] == 0
