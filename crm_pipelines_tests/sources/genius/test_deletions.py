"""Rows deleted in Genius: soft-deleted by the weekly key read (large tables), the weekly full read (those with
joined columns or a two-column key: test_weekly_full_read.py) or the hourly full read (small ones), never
beyond the 5 % guard."""

from __future__ import annotations

from dagster import materialize

from crm_pipelines.sources.genius import SOURCE
from crm_pipelines_tests.sources.genius.conftest import client, sync


def delete_rows(mariadb, database: str, table: str, key: str, keys: list[int]) -> None:
    cur = mariadb.cursor()
    cur.execute(f"DELETE FROM `{database}`.`{table}` WHERE `{key}` IN ({', '.join(map(str, keys))})")
    cur.close()


def deleted(db, table: str) -> set[int]:
    return {r[0] for r in db.execute(f"SELECT id FROM genius.{table} WHERE _deleted_at IS NOT NULL")}


def remove(genius, warehouse, entity: str):
    asset = next(a for a in SOURCE.removal_assets() if a.key.path == ["genius", f"{entity}_removal"])
    return materialize([asset], resources={"genius": genius, "warehouse": warehouse}, raise_on_error=False)


def test_weekly_key_read_soft_deletes_what_genius_lost_under_the_guard(scratch_db, mariadb, warehouse, db):
    genius = client(scratch_db)
    sync(genius, warehouse, ["prospect_sources"])  # full refresh: 100 prospect sources
    assert db.execute("SELECT count(*) FROM genius.prospect_sources").fetchone()[0] == 100

    delete_rows(mariadb, scratch_db, "prospect_source", "id", [3, 50, 97])  # 3 %: within the guard
    result = remove(genius, warehouse, "prospect_sources")
    assert result.success
    assert deleted(db, "prospect_sources") == {3, 50, 97}
    meta = result.asset_materializations_for_node("genius__prospect_sources_removal")[0].metadata
    assert meta["records_deleted"].value == 3 and meta["records_checked"].value == 100

    delete_rows(mariadb, scratch_db, "prospect_source", "id", list(range(10, 17)))  # 7 more: past 5 %
    result = remove(genius, warehouse, "prospect_sources")
    assert not result.success
    assert "refusing to soft-delete" in str(result.all_events)
    assert deleted(db, "prospect_sources") == {3, 50, 97}  # nothing of the refused run was kept


def test_the_hourly_full_read_of_a_small_table_soft_deletes_a_missing_row(scratch_db, mariadb, warehouse, db):
    genius = client(scratch_db)
    sync(genius, warehouse, ["user_data"])
    delete_rows(mariadb, scratch_db, "user_data", "user_id", [7])  # 1 of 30: within the guard
    _, meta = sync(genius, warehouse, ["user_data"])
    assert deleted(db, "user_data") == {7} and meta["user_data"]["records_deleted"] == 1
