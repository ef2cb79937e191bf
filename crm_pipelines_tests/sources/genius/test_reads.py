"""How rows are found: a day's partition (keyset on (updated_at, id) across one shared second, NULL and zero
`updated_at` found by the add date), a connection killed mid-read, a wrong password."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from dagster import EnvVar

from crm_pipelines.core.entity import FetchRequest, FetchWindow
from crm_pipelines.sandbox.genius import data
from crm_pipelines.sources.genius import SOURCE
from crm_pipelines.sources.genius.resource import DATABASE_URL_ENV, GeniusConfigError, GeniusResource
from crm_pipelines_tests.sources.genius.conftest import (
    PAGE_SIZE, SHARED_DAY, ZONE, client, mysql_url, sync,
)
from crm_pipelines_tests.sources.genius.expected import wall_to_utc
from crm_pipelines_tests.support import assert_same_keys

LOOKBACK = dt.timedelta(minutes=15)


def modified_in_day(rows: list[dict], key: str, delta: str, fallback: str | None, day: dt.date,
                    lookback: dt.timedelta = LOOKBACK) -> set[int]:
    """Keys whose modified time (delta, else the fallback when delta is NULL or a zero date) falls in the
    day's partition window, lookback included."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc) - lookback
    end = start + lookback + dt.timedelta(days=1)
    keys = set()
    for row in rows:
        value = row[delta]
        if (value is None or value.startswith("0000")) and fallback:
            value = row[fallback]
        if value is not None and not value.startswith("0000") and start <= wall_to_utc(value, ZONE) < end:
            keys.add(row[key])
    return keys


def test_partition_reads_every_row_of_a_shared_second_and_the_null_updated_at(genius_db, generated, warehouse, db):
    result, meta = sync(client(genius_db), warehouse, ["leads", "prospect_sources"], day=SHARED_DAY)
    leads = {r[0] for r in db.execute("SELECT id FROM genius.leads")}
    want = modified_in_day(generated.rows["lead"], "lead_id", "updated_at", "added_on", SHARED_DAY)
    assert set(generated.quirks.shared_second) <= want  # 250 rows of one second, pages of 40
    assert set(generated.quirks.null_updated_at["lead"]) | set(generated.quirks.zero_updated_at["lead"]) <= want
    assert_same_keys(leads, want, "genius.leads")
    sources = {r[0] for r in db.execute("SELECT id FROM genius.prospect_sources")}
    assert_same_keys(sources, modified_in_day(generated.rows["prospect_source"], "id", "updated_at", "add_date",
                                              SHARED_DAY), "genius.prospect_sources")
    assert meta["leads"]["records_quarantined"] == 0  # a window read never meets a row without a time
    reconciliation = {e.asset_key.path[-1]: e for e in result.get_asset_check_evaluations()
                      if e.check_name == "reconciliation"}
    for table, source, fallback in (("leads", "lead", "added_on"), ("prospect_sources", "prospect_source", "add_date")):
        counts = {k: v.value for k, v in reconciliation[table].metadata.items()}
        key = "lead_id" if source == "lead" else "id"
        # Genius's count is of the partition's day itself (no lookback), as the warehouse's is.
        exact_day = modified_in_day(generated.rows[source], key, "updated_at", fallback, SHARED_DAY, LOOKBACK * 0)
        assert reconciliation[table].passed and counts["source_count"] == counts["warehouse_count"] == len(exact_day)


def test_page_boundaries_inside_one_second_lose_nothing(genius_db, generated):
    """At the client: pages of 40 over 250 rows sharing one updated_at second, each row once."""
    genius = client(genius_db)
    table = next(t for t in SOURCE.entities if t.name == "leads")
    start = wall_to_utc(data.SHARED_SECOND, ZONE)
    pages = list(table.fetch(genius, FetchRequest(FetchWindow(start, start + dt.timedelta(seconds=1)), None)))
    ids = [r["lead_id"] for page in pages for r in page.records]
    assert len(ids) == len(set(ids)) == len(generated.quirks.shared_second)
    assert len(pages) >= len(ids) // PAGE_SIZE


def killer(mariadb, database: str):
    def kill() -> None:
        cur = mariadb.cursor()
        cur.execute("SELECT id FROM information_schema.processlist WHERE db = %s AND id <> CONNECTION_ID()",
                    (database,))
        ids = [row[0] for row in cur.fetchall()]
        assert ids, "the client's connection was not found"
        for conn_id in ids:
            cur.execute(f"KILL CONNECTION {int(conn_id)}")
        cur.close()

    return kill


def test_a_connection_killed_mid_read_resumes_from_the_last_key(genius_db, generated, mariadb):
    genius = client(genius_db)
    table = next(t for t in SOURCE.entities if t.name == "prospects")
    kill = killer(mariadb, genius_db)
    ids = []
    for number, page in enumerate(table.fetch(genius, FetchRequest(FetchWindow(), None))):
        ids += [r["id"] for r in page.records]
        if number in (1, 3):  # the server drops us between pages, twice
            kill()
    assert ids == sorted(r["id"] for r in generated.rows["prospect"])  # each once, in key order
    assert genius.call_stats().retries == 2


def test_retries_run_out_into_a_failure(genius_db, mariadb):
    genius = client(genius_db, max_retries=0)
    table = next(t for t in SOURCE.entities if t.name == "prospects")
    pages = table.fetch(genius, FetchRequest(FetchWindow(), None))
    next(pages)
    killer(mariadb, genius_db)()
    with pytest.raises(Exception, match="kept failing"):
        list(pages)


@pytest.fixture
def reader(mariadb, genius_db):
    """A SELECT-only account on the session's Genius database, as production has: (user, password)."""
    user, password = f"genius_ro_{uuid.uuid4().hex[:8]}", "ro-" + uuid.uuid4().hex[:12]
    cur = mariadb.cursor()
    cur.execute(f"CREATE USER '{user}'@'%' IDENTIFIED BY '{password}'")
    cur.execute(f"GRANT SELECT ON `{genius_db}`.* TO '{user}'@'%'")
    yield user, password
    cur.execute(f"DROP USER '{user}'@'%'")
    cur.close()


def account_url(genius_db: str, user: str, password: str) -> str:
    return mysql_url(genius_db).replace("root@", f"{user}:{password}@")


def test_a_select_only_account_reads_and_a_wrong_password_fails_naming_the_variable_only(
        genius_db, reader, warehouse, monkeypatch):
    user, password = reader
    monkeypatch.setenv(DATABASE_URL_ENV, account_url(genius_db, user, password))
    genius = GeniusResource(database_url=EnvVar(DATABASE_URL_ENV), timezone=ZONE, retry_backoff_s=0.01)
    result, meta = sync(genius, warehouse, ["services", "user_data"])
    assert result.success and meta["user_data"]["records_fetched"] == 30  # the join needs SELECT only

    wrong = "not-the-password-5f1c"
    monkeypatch.setenv(DATABASE_URL_ENV, account_url(genius_db, user, wrong))
    genius = GeniusResource(database_url=EnvVar(DATABASE_URL_ENV), timezone=ZONE, retry_backoff_s=0.01)
    result, _ = sync(genius, warehouse, ["services"], raise_on_error=False)
    assert not result.success
    events = "\n".join(str(e) for e in result.all_events)
    assert DATABASE_URL_ENV in events and wrong not in events and password not in events
    assert genius.call_stats().retries == 0  # a refused login is not retried


def test_a_bad_url_fails_naming_the_variable():
    genius = GeniusResource(database_url="postgres://nobody@host/db")
    with pytest.raises(GeniusConfigError, match=DATABASE_URL_ENV):
        genius.query("SELECT 1")


def test_an_unknown_time_zone_fails_naming_the_variable():
    with pytest.raises(ValueError, match="GENIUS_TIMEZONE"):
        GeniusResource(database_url="mysql://u@h/db", timezone="Mars/Olympus_Mons")
