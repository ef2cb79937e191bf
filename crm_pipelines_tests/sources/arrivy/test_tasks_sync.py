"""Arrivy tasks through Dagster into PostgreSQL: every schedule date, edits, deletions, the guard, 401."""

from __future__ import annotations

import pytest
from dagster import DagsterResourceFunctionError, EnvVar

from crm_pipelines.sources.arrivy.resource import AUTH_KEY_ENV, AUTH_TOKEN_ENV
from crm_pipelines_tests.sources.arrivy.conftest import (
    FIRST_TASK, LAST_SPRING, NEXT_YEAR, PLAIN_TASKS, UNDATED, UNSCHEDULED, client_for, edited, failure_text, sync,
)


def live(db) -> dict[str, str]:
    return dict(db.execute("SELECT id, title FROM arrivy.tasks WHERE _deleted_at IS NULL").fetchall())


def test_a_run_loads_every_task_whatever_its_schedule(api, arrivy, warehouse, db):
    _, meta = sync("tasks", arrivy, warehouse)
    assert set(live(db)) == {str(i) for i in api.tasks}
    assert meta["records_created"] == len(api.tasks) == PLAIN_TASKS + 5
    # 16-digit ids are exact in the column and in _raw (jsonb numeric), never rounded through a float.
    row = db.execute("SELECT id, (_raw->'id')::text, group_id, start_datetime, start_datetime_original_iso_str "
                     "FROM arrivy.tasks WHERE id = %s", (str(FIRST_TASK),)).fetchone()
    assert row[:3] == ("9007199254740993", "9007199254740993", "6100296669331456")
    assert row[3].isoformat() == "2026-04-10T15:00:00+00:00"
    assert row[4] == "2025-06-02T09:00:00-07:00"
    nested = db.execute("SELECT extra_fields, customer_exact_location, jsonb_typeof(template_extra_fields) "
                        "FROM arrivy.tasks WHERE id = %s", (str(UNSCHEDULED),)).fetchone()
    assert nested == ({"hubspot_id": "123"}, {"lat": 47.6, "lng": -122.3}, "array")


def test_the_next_run_picks_up_edits_at_any_schedule_date(api, arrivy, warehouse, db):
    sync("tasks", arrivy, warehouse)
    for task_id in (LAST_SPRING, NEXT_YEAR, UNSCHEDULED, UNDATED):
        api.tasks[task_id] = edited(api.tasks[task_id], title=f"edited {task_id}",
                                    updated="2026-12-02T05:00:00.000001")
    _, meta = sync("tasks", arrivy, warehouse)
    assert (meta["records_created"], meta["records_updated"], meta["records_deleted"]) == (0, 4, 0)
    titles = live(db)
    assert all(titles[str(i)] == f"edited {i}" for i in (LAST_SPRING, NEXT_YEAR, UNSCHEDULED, UNDATED))


def test_a_deleted_task_is_soft_deleted_on_a_404_and_a_missed_one_is_read_alone(api, server, arrivy, warehouse, db):
    sync("tasks", arrivy, warehouse)
    gone, missed = FIRST_TASK + 100, FIRST_TASK + 101
    del api.tasks[gone]
    api.tasks[missed] = edited(api.tasks[missed], title="seen only by id", updated="2026-12-02T05:00:00")
    api.hidden_from_scan.add(missed)
    server.seen.clear()
    _, meta = sync("tasks", arrivy, warehouse)
    assert meta["records_deleted"] == 1
    deleted = db.execute("SELECT id FROM arrivy.tasks WHERE _deleted_at IS NOT NULL").fetchall()
    assert deleted == [(str(gone),)]
    assert live(db)[str(missed)] == "seen only by id"
    # Exactly the two tasks the scan did not return were asked for alone.
    singles = sorted(p for p in server.paths() if p.startswith("/api/tasks/"))
    assert singles == [f"/api/tasks/{gone}", f"/api/tasks/{missed}"]
    # A task that comes back is restored by the next run.
    api.tasks[gone] = edited(api.tasks[missed], id=gone)
    sync("tasks", arrivy, warehouse)
    assert str(gone) in live(db)


def test_a_mass_deletion_fails_the_run_and_keeps_nothing(api, arrivy, warehouse, db):
    sync("tasks", arrivy, warehouse)
    for n in range(5):  # 5 of 45 is over the 5 % guard
        del api.tasks[FIRST_TASK + 100 + n]
    result, _ = sync("tasks", arrivy, warehouse, raise_on_error=False)
    assert not result.success
    assert "max_delete_share" in failure_text(result)
    assert len(live(db)) == PLAIN_TASKS + 5


def test_too_many_absent_tasks_fail_before_asking_for_each(api, server, warehouse, db):
    sync("tasks", client_for(server.url), warehouse)
    api.hidden_from_scan.update(api.tasks)
    server.seen.clear()
    result, _ = sync("tasks", client_for(server.url, max_absent_checks=10), warehouse, raise_on_error=False)
    assert not result.success
    assert "max_absent_checks=10" in failure_text(result)
    assert not [p for p in server.paths() if p.startswith("/api/tasks/")]


def test_bad_credentials_fail_at_once_naming_the_variables(server, warehouse):
    result, _ = sync("tasks", client_for(server.url, auth_token="wrong-token-123"), warehouse, raise_on_error=False)
    text = failure_text(result)
    assert not result.success
    assert AUTH_KEY_ENV in text and AUTH_TOKEN_ENV in text and "wrong-token-123" not in text
    assert len(server.seen) == 1


def test_an_empty_credential_fails_at_setup_naming_its_variable(server, warehouse):
    with pytest.raises(DagsterResourceFunctionError) as failure:
        sync("tasks", client_for(server.url, auth_key="  "), warehouse)
    assert AUTH_KEY_ENV in str(failure.value.__cause__)
    assert server.seen == []


def test_credentials_wired_from_the_environment(monkeypatch, api, server, warehouse, db):
    monkeypatch.setenv(AUTH_KEY_ENV, "key")
    monkeypatch.setenv(AUTH_TOKEN_ENV, "token")
    wired = client_for(server.url, auth_key=EnvVar(AUTH_KEY_ENV), auth_token=EnvVar(AUTH_TOKEN_ENV))
    sync("tasks", wired, warehouse)
    assert len(live(db)) == len(api.tasks)
