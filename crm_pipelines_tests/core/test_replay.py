"""Replaying quarantined records through the current schema loads those that now pass."""

from __future__ import annotations

import dataclasses

from crm_pipelines.core import columns as c
from crm_pipelines.core.columns import Int
from crm_pipelines.core.processing import record_processor
from crm_pipelines.core.replay import build_replay_job, replay_entity
from crm_pipelines_tests.core.test_warehouse import SPEC, Thing, load, thing


class RelaxedThing(Thing):
    size: Int = c.optional()  # the rule "size >= 0" turned out wrong: negative sizes are legitimate


RELAXED = dataclasses.replace(SPEC, schema=RelaxedThing, process=record_processor(RelaxedThing, dict, "modified"))


def test_replay_resolves_a_record_once_its_rule_is_fixed(warehouse, db):
    load(warehouse, [thing(1), thing(2, size="-4"), thing(3, email="still not an email")])
    assert replay_entity(warehouse, SPEC, "replay-1") == {"replayed": 2, "loaded": 0, "still_quarantined": 2}

    counts = replay_entity(warehouse, RELAXED, "replay-2")
    assert counts == {"replayed": 2, "loaded": 1, "still_quarantined": 1}
    assert db.execute("SELECT size FROM testcrm.things WHERE id = '2'").fetchone() == (-4,)
    open_rows = dict(db.execute("SELECT source_id, reasons FROM testcrm._quarantine WHERE resolved_at IS NULL"))
    assert list(open_rows) == ["3"] and any("email" in r for r in open_rows["3"])
    assert db.execute("SELECT resolved_at IS NOT NULL FROM testcrm._quarantine WHERE source_id = '2'").fetchone()[0]


def test_replay_job_runs_through_dagster_and_dry_run_keeps_nothing(warehouse, db):
    load(warehouse, [thing(2, size="-4")])
    job = build_replay_job([RELAXED])
    config = {"ops": {"replay_quarantined_records": {"config": {"crm": "testcrm", "dry_run": True}}}}
    assert job.execute_in_process(run_config=config, resources={"warehouse": warehouse}).success
    assert db.execute("SELECT count(*) FROM testcrm.things").fetchone()[0] == 0
    config["ops"]["replay_quarantined_records"]["config"]["dry_run"] = False
    assert job.execute_in_process(run_config=config, resources={"warehouse": warehouse}).success
    assert db.execute("SELECT count(*) FROM testcrm.things").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM testcrm._quarantine WHERE resolved_at IS NULL").fetchone()[0] == 0
