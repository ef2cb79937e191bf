"""The weekly run's full read of `prospects`, `appointments` and `appointment_services`: it picks up a HubSpot id
changed in `third_party_source` alone (no `updated_at` moves, so no window sees it) and soft-deletes the
two-column-keyed service links Genius lost, under the 5 % guard. The run is the weekly schedule's own request,
executed as the weekly job."""

from __future__ import annotations

import dataclasses
import datetime as dt

from dagster import DagsterInstance, Definitions, build_schedule_context

from crm_pipelines.automation.source_definitions import source_definitions
from crm_pipelines.core.assets import history_partitions
from crm_pipelines.sandbox.genius.data import HUBSPOT_TYPE, OTHER_TYPES
from crm_pipelines.sources.genius import SOURCE
from crm_pipelines_tests.sources.genius.conftest import client, sync

FULL_READ = ["prospects", "appointments", "appointment_services"]
NEW_HUBSPOT_ID = 9_123_456_789_012


def weekly_run(genius, warehouse):
    """Evaluate the weekly schedule now and execute its request on the weekly job."""
    source = dataclasses.replace(SOURCE, resources=lambda: {"genius": genius})
    defs = Definitions.merge(source_definitions(source, history_partitions()).defs,
                             Definitions(resources={"warehouse": warehouse}))
    schedule = defs.get_schedule_def("genius_weekly_full_refresh_schedule")
    (request,) = schedule.evaluate_tick(build_schedule_context(
        scheduled_execution_time=dt.datetime.now(dt.timezone.utc), repository_def=defs.get_repository_def())).run_requests
    job = defs.get_job_def("genius_weekly_full_refresh")
    return job.execute_in_process(run_config=request.run_config, partition_key=request.partition_key,
                                  instance=DagsterInstance.ephemeral(), raise_on_error=False)


def genius_rows(mariadb, statement: str) -> list[tuple]:
    cur = mariadb.cursor()
    cur.execute(statement)
    rows = cur.fetchall()
    cur.close()
    return rows


def used_hubspot_links(mariadb, database: str) -> list[int]:
    """HubSpot-typed third_party_source ids that some prospect and some appointment point at."""
    return [row[0] for row in genius_rows(mariadb, (
        f"SELECT s.id FROM `{database}`.third_party_source s WHERE s.third_party_source_type_id = {HUBSPOT_TYPE} "
        f"AND s.id IN (SELECT third_party_source_id FROM `{database}`.prospect) "
        f"AND s.id IN (SELECT third_party_source_id FROM `{database}`.appointment) ORDER BY s.id"))]


def pointing_at(mariadb, database: str, table: str, link: int) -> set[int]:
    return {row[0] for row in genius_rows(
        mariadb, f"SELECT id FROM `{database}`.`{table}` WHERE third_party_source_id = {link}")}


def hubspot_ids(db, table: str, column: str) -> dict[int, int | None]:
    return dict(db.execute(f"SELECT id, {column} FROM genius.{table}").fetchall())


def deleted_links(db) -> set[tuple[int, int]]:
    return set(db.execute("SELECT appointment_id, service_id FROM genius.appointment_services "
                          "WHERE _deleted_at IS NOT NULL").fetchall())


def test_the_weekly_schedule_reads_the_joined_and_two_column_key_tables_in_full():
    from crm_pipelines.definitions import defs  # the code location as deployed
    moment = dt.datetime(2026, 11, 29, 3, 38, tzinfo=dt.timezone.utc)
    (request,) = defs.get_schedule_def("genius_weekly_full_refresh_schedule").evaluate_tick(
        build_schedule_context(scheduled_execution_time=moment, repository_def=defs.get_repository_def())).run_requests
    assert request.partition_key == "2026-11-29"
    assert request.run_config == {"ops": {f"genius__{e}": {"config": {"full_refresh": True}} for e in FULL_READ}}
    selected = {"/".join(k.path) for k in defs.get_job_def("genius_weekly_full_refresh").asset_layer.selected_asset_keys}
    assert {f"genius/{e}" for e in FULL_READ} <= selected
    # Their full read soft-deletes what it did not see: no key read of them besides.
    assert not {f"genius/{e}_removal" for e in FULL_READ} & selected
    assert "genius/leads_removal" in selected


def test_the_weekly_run_refreshes_hubspot_ids_and_soft_deletes_lost_service_links_under_the_guard(
        scratch_db, mariadb, warehouse, db):
    genius = client(scratch_db)
    sync(genius, warehouse, FULL_READ)  # full refresh: the warehouse holds Genius as it is
    links = used_hubspot_links(mariadb, scratch_db)
    assert len(links) >= 2, "the generated data should link prospects and appointments to HubSpot"
    renumbered, retyped = links[0], links[1]
    before = {"prospects": hubspot_ids(db, "prospects", "hubspot_contact_id"),
              "appointments": hubspot_ids(db, "appointments", "hubspot_appointment_id")}

    # Only the third-party rows change: no prospect or appointment row (nor its updated_at) is touched.
    cur = mariadb.cursor()
    cur.execute(f"UPDATE `{scratch_db}`.third_party_source SET third_party_id = '{NEW_HUBSPOT_ID}' "
                f"WHERE id = {renumbered}")
    cur.execute(f"UPDATE `{scratch_db}`.third_party_source SET third_party_source_type_id = {OTHER_TYPES[0]} "
                f"WHERE id = {retyped}")
    services = genius_rows(mariadb, f"SELECT appointment_id, service_id FROM `{scratch_db}`.appointment_to_service "
                                    "ORDER BY appointment_id, service_id")
    gone = set(services[::40][:3])  # 3 of 100 links: within the guard
    for appointment_id, service_id in gone:
        cur.execute(f"DELETE FROM `{scratch_db}`.appointment_to_service "
                    f"WHERE appointment_id = {appointment_id} AND service_id = {service_id}")
    cur.close()

    result = weekly_run(genius, warehouse)
    assert result.success
    changed = 0
    for table, column in (("prospects", "hubspot_contact_id"), ("appointments", "hubspot_appointment_id")):
        expected = dict(before[table])
        expected.update({i: NEW_HUBSPOT_ID for i in pointing_at(mariadb, scratch_db, table[:-1], renumbered)})
        expected.update({i: None for i in pointing_at(mariadb, scratch_db, table[:-1], retyped)})
        assert hubspot_ids(db, table, column) == expected
        changed_here = sum(expected[i] != before[table][i] for i in expected)
        meta = result.asset_materializations_for_node(f"genius__{table}")[0].metadata
        assert meta["records_updated"].value == changed_here  # the unchanged rows are read, not rewritten
        changed += changed_here
    assert changed >= 4  # the edits did reach rows of both tables
    assert deleted_links(db) == gone
    meta = result.asset_materializations_for_node("genius__appointment_services")[0].metadata
    assert meta["records_deleted"].value == 3

    cur = mariadb.cursor()
    cur.execute(f"DELETE FROM `{scratch_db}`.appointment_to_service ORDER BY appointment_id, service_id LIMIT 7")
    cur.close()  # 7 of the 97 left: past 5 %
    result = weekly_run(genius, warehouse)
    assert not result.success
    assert "refusing to soft-delete" in str(result.all_events)
    assert deleted_links(db) == gone  # nothing of the refused run was kept

