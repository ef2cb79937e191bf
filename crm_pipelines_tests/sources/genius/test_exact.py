"""All 30 tables, read in full from a generated Genius database, compared value by value with what
GENIUS_SCHEMA.md says the warehouse must hold (expected.py), quirks included."""

from __future__ import annotations

import datetime as dt

import pytest
from psycopg import sql

from crm_pipelines.sandbox.genius import data
from crm_pipelines.sources.genius.tables import BY_SOURCE, TABLES
from crm_pipelines_tests.sources.genius.conftest import ZONE, all_entities, client, sync
from crm_pipelines_tests.sources.genius.expected import expected_table


@pytest.fixture(scope="module")
def loaded(genius_db, pg_url):
    """Every table synced once (full reads) into a fresh warehouse; the module's tests only read it."""
    import psycopg

    from crm_pipelines.core.warehouse import Warehouse

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS genius CASCADE")
    warehouse = Warehouse(url=pg_url)
    genius = client(genius_db)
    _, small = sync(genius, warehouse, all_entities(False))
    _, large = sync(genius, warehouse, all_entities(True))
    with psycopg.connect(pg_url, autocommit=True) as conn:
        yield conn, {**small, **large}


def stored(conn, table: str) -> tuple[dict, dict]:
    tabledef = next(t for t in TABLES if t.table == table)
    cur = conn.execute(sql.SQL("SELECT * FROM {} WHERE _deleted_at IS NULL").format(sql.Identifier("genius", table)))
    names = [d.name for d in cur.description]
    rows, issues = {}, {}
    for values in cur.fetchall():
        row = dict(zip(names, values))
        key = tuple(row[k] for k in tabledef.warehouse_key)
        issues[key] = row["_issues"]
        rows[key] = {k: v for k, v in row.items() if not k.startswith("_")}
    return rows, issues


@pytest.mark.parametrize("source", [t.source for t in TABLES])
def test_table_is_exact(loaded, generated, source):
    conn, meta = loaded
    table = BY_SOURCE[source].table
    want_rows, want_issues, want_quarantined = expected_table(generated, source, ZONE)
    rows, issues = stored(conn, table)
    assert set(rows) == set(want_rows), f"missing {sorted(set(want_rows) - set(rows))[:5]}, extra {sorted(set(rows) - set(want_rows))[:5]}"
    for key, want in want_rows.items():
        assert rows[key] == want, f"genius.{table} {key}: " + str(
            {c: (rows[key].get(c), v) for c, v in want.items() if rows[key].get(c) != v})
        assert issues[key] == want_issues[key], f"genius.{table} {key} _issues"
    quarantined = {r[0] for r in conn.execute(
        "SELECT source_id FROM genius._quarantine WHERE entity = %s AND resolved_at IS NULL", [table])}
    assert quarantined == {"|".join(map(str, k)) for k in want_quarantined}
    assert meta[table]["records_fetched"] == len(want_rows) + len(want_quarantined)
    assert meta[table]["dagster/row_count"] == len(want_rows)


def test_the_quirks_are_in_the_data_compared(generated):
    """The exact comparison above can only catch a wrong conversion the data contains: prove it does."""
    q = generated.quirks
    assert len(q.shared_second) >= 6 * 40 and q.long_durations and q.dst_edges
    assert q.zero_dates["appointment"] and q.zero_dates["job_change_order"]
    assert q.null_updated_at["lead"] and q.zero_updated_at["lead"] and q.no_modified_time["lead"]
    durations = {r["duration"] for r in generated.rows["appointment"] if r["id"] in q.long_durations}
    assert {"26:15:00", "100:00:00", "838:59:59"} <= durations
    notes = {r["notes"] for r in generated.rows["appointment"]}
    assert {"\\N", "tab\there", "line one\r\nline two", ""} <= notes


def test_dst_edges_and_long_durations(loaded, generated):
    conn, _ = loaded
    ambiguous, skipped = generated.quirks.dst_edges
    got = dict(conn.execute("SELECT id, updated_at FROM genius.appointments WHERE id = ANY(%s)",
                            [[ambiguous, skipped]]).fetchall())
    utc = dt.timezone.utc
    assert got[ambiguous] == dt.datetime(2024, 11, 3, 8, 30, tzinfo=utc)  # the first (daylight) 01:30
    assert got[skipped] == dt.datetime(2024, 3, 10, 10, 30, tzinfo=utc)  # the offset before the gap
    durations = dict(conn.execute("SELECT id, duration FROM genius.appointments WHERE id = ANY(%s)",
                                  [generated.quirks.long_durations]).fetchall())
    assert dt.timedelta(hours=26, minutes=15) in durations.values()
    assert dt.timedelta(hours=838, minutes=59, seconds=59) in durations.values()  # never wrapped at 24 h


def test_zero_dates_load_null_with_an_issue(loaded, generated):
    conn, _ = loaded
    for table, column, source in (("appointments", "add_date", "appointment"),
                                  ("job_change_orders", "effective_date", "job_change_order")):
        rows = conn.execute(sql.SQL("SELECT {}, _issues FROM {} WHERE id = ANY(%s)").format(
            sql.Identifier(column), sql.Identifier("genius", table)), [generated.quirks.zero_dates[source]]).fetchall()
        assert rows and all(value is None and issues[column] == "zero date" for value, issues in rows)


def test_hubspot_ids_only_from_the_hubspot_type(loaded, generated):
    """The legacy join copied other systems' ids (some purely numeric); only `hubspot` rows give one."""
    conn, _ = loaded
    types = {r["id"]: r["label"] for r in generated.rows["third_party_source_type"]}
    sources = {r["id"]: r for r in generated.rows["third_party_source"]}
    got = dict(conn.execute("SELECT id, hubspot_appointment_id FROM genius.appointments").fetchall())
    other_numeric = dangling = hubspot = 0
    for row in generated.rows["appointment"]:
        link = sources.get(row["third_party_source_id"])
        if link is None:
            dangling += row["third_party_source_id"] is not None
            assert got[row["id"]] is None
        elif types[link["third_party_source_type_id"]] != "hubspot":
            other_numeric += link["third_party_id"].isdigit()
            assert got[row["id"]] is None, f"appointment {row['id']} took a {types[link['third_party_source_type_id']]} id"
        else:
            hubspot += 1
            assert got[row["id"]] == int(link["third_party_id"]) > 2**31
    assert other_numeric and dangling and hubspot  # each case is exercised
