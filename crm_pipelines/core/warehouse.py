"""The PostgreSQL warehouse: binary COPY into a temp table, one upsert per batch, quarantine, soft delete.

A materialization loads inside ONE transaction: a fetch that fails (or a process killed with -9) leaves the
table exactly as it was, so a rerun of the window can neither duplicate nor half-apply anything.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pandas as pd
import psycopg
from dagster import ConfigurableResource
from psycopg import sql
from psycopg.types.json import Jsonb, set_json_dumps
from pydantic import field_validator

from crm_pipelines.core import copy_text, ddl, jsonb
from crm_pipelines.core.config_rules import a_fraction, fraction
from crm_pipelines.core.embedded_pg import embedded_url
from crm_pipelines.core.entity import SOURCE_UPDATED_AT, EntitySpec
from crm_pipelines.core.unseen import SeenKeys
from crm_pipelines.core.validation import QuarantineRow


class MassDeletionError(RuntimeError):
    """A run would soft-delete more than the allowed share of a table; nothing of the run is kept."""


WAREHOUSE_URL_ENV = "CRM_WAREHOUSE_URL"
EMBEDDED = "embedded"


class Warehouse(ConfigurableResource):
    """PostgreSQL warehouse: `url` is a postgresql:// URL, or "embedded" for the embedded server under
    CRM_PIPELINES_HOME (the local stack's choice; it needs the `local` extra)."""

    url: str
    max_delete_share: float = 0.05
    # A run may always soft-delete this many rows, whatever the share: on a reference table of 8 rows one
    # deletion is 12.5 %, and a share alone would refuse every single deletion on tables under 20 rows.
    max_delete_rows_floor: int = 1

    _share_is_a_fraction = field_validator("max_delete_share")(a_fraction)

    @field_validator("max_delete_rows_floor")
    @classmethod
    def _floor_not_negative(cls, value: int) -> int:
        if value < 0:
            raise ValueError(f"max_delete_rows_floor must be >= 0, got {value}")
        return value

    def setup_for_execution(self, context) -> None:
        self._target()  # a wrong value fails the run at once, before any source is read

    def _target(self) -> str:
        if self.url == EMBEDDED:
            return embedded_url()
        # A postgresql:// URL or libpq's "host=... dbname=..." form. Checked here, not by a pydantic
        # validator, whose error would echo the value (and its password).
        is_url = self.url.startswith(("postgresql://", "postgres://"))
        is_keywords = "://" not in self.url and "=" in self.url
        if not (is_url or is_keywords):
            raise ValueError(f"{WAREHOUSE_URL_ENV} must be a postgresql:// URL or the word {EMBEDDED!r}")
        return self.url

    def connect(self) -> psycopg.Connection:
        conn = psycopg.connect(self._target(), autocommit=False)
        set_json_dumps(jsonb.dumps, context=conn)
        return conn

    def read_keys(self, crm: str, entity: str, column: str = "id", chunk: int = 1000) -> Iterator[list[Any]]:
        """Stream current keys through a server-side cursor on its own connection (bounded memory)."""
        with self.connect() as conn, conn.cursor(name="read_keys") as cur:
            cur.itersize = chunk
            cur.execute(sql.SQL("SELECT {} FROM {} WHERE _deleted_at IS NULL ORDER BY 1").format(
                sql.Identifier(column), sql.Identifier(crm, entity)))
            while rows := cur.fetchmany(chunk):
                yield [row[0] for row in rows]

    @contextmanager
    def session(self, spec: EntitySpec, run_id: str, *, dry_run: bool = False,
                max_delete_share: float | None = None) -> Iterator[LoadSession]:
        """`max_delete_share` overrides the resource's share for this session only (e.g. one removal run
        an operator has vetted)."""
        share = self.max_delete_share if max_delete_share is None else fraction("max_delete_share", max_delete_share)
        with self.connect() as conn:
            ensure_table(conn, spec)
            try:
                session = LoadSession(conn, spec, run_id, share, self.max_delete_rows_floor)
                yield session
            except BaseException:
                conn.rollback()
                raise
            if dry_run:
                conn.rollback()
            else:
                conn.commit()


def ensure_table(conn: psycopg.Connection, spec: EntitySpec) -> None:
    """Create or widen the entity's table in its own short transaction (DDL locks must not be held for the
    whole load). The advisory lock is the CRM's, not the table's: steps of one CRM in parallel processes
    (Celery workers) each create the schema and its shared `_quarantine`, and `IF NOT EXISTS` does not
    stop two concurrent CREATEs of one name from colliding (UniqueViolation on pg_namespace)."""
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"crm_pipelines.ddl:{spec.crm}",))
        cur.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = %s "
                    "AND table_name = %s", (spec.crm, spec.name))
        existing = {row[0] for row in cur.fetchall()}
        for statement in ddl.ensure_statements(spec, existing):
            cur.execute(statement)


@dataclass
class PreparedBatch:
    """A batch ready for COPY: the text payload, or the frame itself for the generic binary path."""

    rows: int
    payload: bytes | None
    frame: pd.DataFrame | None


class LoadSession:
    def __init__(self, conn: psycopg.Connection, spec: EntitySpec, run_id: str, max_delete_share: float,
                 max_delete_rows_floor: int = 1):
        self.conn = conn
        self.spec = spec
        self.run_id = run_id
        self.columns = ddl.load_columns(spec)
        self.names = [c.name for c in self.columns]
        self.max_delete_share = max_delete_share
        self.max_delete_rows_floor = max_delete_rows_floor
        types = {c.name: c.pg_type for c in self.columns}
        # Arrays of keys are passed typed: psycopg sends a list of str as an untyped array.
        self._key_arrays = sql.SQL(", ").join(
            sql.SQL("%s::{}[]").format(sql.SQL(types[k])) for k in spec.key)
        self.deleted = 0
        table = ddl.table_ident(spec)
        with conn.cursor() as cur:
            cur.execute(sql.SQL("CREATE TEMP TABLE _batch ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA").format(
                sql.SQL(", ").join(map(sql.Identifier, self.names)), table))
            cur.execute(sql.SQL("SELECT count(*) FROM {} WHERE _deleted_at IS NULL").format(table))
            self.rows_at_start = cur.fetchone()[0]
            cur.execute(sql.SQL("SELECT EXISTS (SELECT 1 FROM {} WHERE entity = %s AND resolved_at IS NULL)").format(
                ddl.quarantine_ident(spec.crm)), (spec.name,))
            self.open_quarantine = cur.fetchone()[0]
        # Keys this run read, for delete_unseen (only entities that delete by absence pay for it).
        self.seen = SeenKeys(conn, spec) if spec.deletes_unseen else None
        self._upsert = _upsert_statement(spec, self.names)
        self._resolve = _resolve_statement(spec)
        self._copy_columns = [(c.name, c.pg_type) for c in self.columns]
        column_list = sql.SQL(", ").join(map(sql.Identifier, self.names))
        self._copy_text = sql.SQL("COPY _batch ({}) FROM STDIN").format(column_list)
        self._copy_binary = sql.SQL("COPY _batch ({}) FROM STDIN (FORMAT BINARY)").format(column_list)

    def load(self, frame: pd.DataFrame) -> tuple[int, int]:
        """Upsert one batch of valid rows; return (created, updated) as counted by PostgreSQL itself.

        A row only changes when the source version is not older than the stored one and its content
        differs, so reloading the same data reports 0 created and 0 updated.
        """
        return self.load_prepared(self.prepare(frame))

    def prepare(self, frame: pd.DataFrame) -> PreparedBatch:
        """The client-side half of `load` (pure CPU, no connection use), so a pipelined caller can build
        batch k+1 while PostgreSQL still merges batch k."""
        if frame.empty:
            return PreparedBatch(0, None, None)
        payload = copy_text.encode_batch(frame, self._copy_columns)
        return PreparedBatch(len(frame), payload, frame if payload is None else None)

    def load_prepared(self, batch: PreparedBatch, skip: tuple[str, Sequence[Any]] | None = None) -> tuple[int, int]:
        """`skip` = (column, values): rows of the batch holding one of those values are left out."""
        if not batch.rows:
            return 0, 0
        with self.conn.cursor() as cur:
            cur.execute("TRUNCATE _batch")
            if batch.payload is not None:
                with cur.copy(self._copy_text) as copy:
                    copy.write(batch.payload)
            else:
                with cur.copy(self._copy_binary) as copy:
                    copy.set_types([copy_text.base_type(c.pg_type) for c in self.columns])
                    for row in _rows(batch.frame, self.names):
                        copy.write_row(row)
            if skip is not None and skip[1]:
                column, values = skip
                pg_type = next(c.pg_type for c in self.columns if c.name == column)
                cur.execute(sql.SQL("DELETE FROM _batch WHERE {} = ANY(%s::{}[])").format(
                    sql.Identifier(column), sql.SQL(pg_type)), [list(values)])
            cur.execute(self._upsert, {"run_id": self.run_id})
            created, updated = cur.fetchone()
            if self.seen is not None:
                self.seen.add_batch(cur)
            if self.open_quarantine:
                cur.execute(self._resolve, {"entity": self.spec.name})
        return created, updated

    def quarantine(self, rows: Sequence[QuarantineRow]) -> None:
        if not rows:
            return
        statement = sql.SQL(
            "INSERT INTO {} (entity, source_id, reasons, raw, run_id) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (entity, source_id) WHERE resolved_at IS NULL DO UPDATE SET reasons = excluded.reasons, "
            "raw = excluded.raw, run_id = excluded.run_id, quarantined_at = now()").format(
            ddl.quarantine_ident(self.spec.crm))
        with self.conn.cursor() as cur:
            # A record that is not an object is kept as received (a list, a string), not as {}.
            cur.executemany(statement, [(self.spec.name, r.source_id, Jsonb(r.reasons),
                                         Jsonb({} if r.raw is None else r.raw), self.run_id) for r in rows])
        self.open_quarantine = True
        if self.seen is not None:
            self.seen.add([r.source_id for r in rows])

    def soft_delete(self, keys: Sequence[tuple[Any, ...]]) -> int:
        """Mark rows the source positively reported deleted/archived; refuses a mass deletion."""
        if not keys:
            return 0
        key_cols = sql.SQL(", ").join(map(sql.Identifier, self.spec.key))
        condition = sql.SQL("({}) IN (SELECT * FROM unnest({}))").format(key_cols, self._key_arrays)
        columns = [list(col) for col in zip(*keys)]
        return self._delete_where(condition, columns)

    def kept_newer(self, keys: Sequence[Any], versions: Sequence[Any]) -> set[Any]:
        """Of these keys (a one-column key), those whose stored row is newer than the version given for it:
        the upsert kept the stored row, so rows derived from the older version must not replace its own."""
        if not keys:
            return set()
        (key,) = self.spec.key
        statement = sql.SQL("SELECT b.k FROM unnest({}, %s::timestamptz[]) AS b(k, v) JOIN {} t ON t.{} = b.k "
                            "WHERE t.{} > b.v").format(self._key_arrays, ddl.table_ident(self.spec),
                                                       sql.Identifier(key), sql.Identifier(SOURCE_UPDATED_AT))
        with self.conn.cursor() as cur:
            cur.execute(statement, [list(keys), list(versions)])
            return {row[0] for row in cur.fetchall()}

    def replace_scope(self, column: str, values: Sequence[Any], seen: Sequence[tuple[Any, ...]]) -> int:
        """Soft-delete rows of the given scope values that are not among `seen` keys: the source gave the
        complete current set for those scopes."""
        if not values:
            return 0
        key_cols = sql.SQL(", ").join(map(sql.Identifier, self.spec.key))
        seen_columns = [list(col) for col in zip(*seen)] if seen else [[] for _ in self.spec.key]
        condition = sql.SQL("{} = ANY(%s) AND ({}) NOT IN (SELECT * FROM unnest({}))").format(
            sql.Identifier(column), key_cols, self._key_arrays)
        return self._delete_where(condition, [list(values), *seen_columns])

    def delete_unseen(self) -> int:
        """Soft-delete every current row whose key this session neither loaded nor quarantined, under the
        mass-deletion guard. Only for a session that read the source's complete set (see unseen.py)."""
        if self.seen is None:
            raise ValueError(f"{self.spec.table}: delete_unseen needs an entity declared deletes_unseen")
        return self._delete_where(self.seen.unseen(), [])

    def _delete_where(self, condition: sql.Composable, params: list[Any]) -> int:
        table = ddl.table_ident(self.spec)
        with self.conn.cursor() as cur:
            cur.execute(sql.SQL("SELECT count(*) FROM {} WHERE _deleted_at IS NULL AND {}").format(table, condition),
                        params)
            pending = cur.fetchone()[0]
            allowed = max(self.max_delete_share * self.rows_at_start, self.max_delete_rows_floor)
            if pending and self.deleted + pending > allowed:
                raise MassDeletionError(
                    f"{self.spec.table}: refusing to soft-delete {self.deleted + pending} of {self.rows_at_start} "
                    f"rows in one run (max_delete_share={self.max_delete_share}, max_delete_rows_floor="
                    f"{self.max_delete_rows_floor}); nothing of this run was kept")
            cur.execute(sql.SQL("UPDATE {} SET _deleted_at = now(), _synced_at = now(), _run_id = %s "
                                "WHERE _deleted_at IS NULL AND {}").format(table, condition), [self.run_id, *params])
            self.deleted += cur.rowcount
            return cur.rowcount

    def count_window(self, start: Any, end: Any, besides: Sequence[str] = ()) -> int:
        """Rows in [start, end) on the partition axis, plus the `besides` keys (quarantined records) not
        among them."""
        table = ddl.table_ident(self.spec)
        key = sql.Identifier(self.spec.key[0])
        axis = sql.Identifier(self.spec.partition_column)
        with self.conn.cursor() as cur:
            cur.execute(sql.SQL("SELECT count(*), count(*) FILTER (WHERE {}::text = ANY(%s)) FROM {} "
                                "WHERE _deleted_at IS NULL AND {axis} >= %s AND {axis} < %s"
                                ).format(key, table, axis=axis), (list(besides), start, end))
            rows, overlap = cur.fetchone()
        return rows + len(set(besides)) - overlap

    def row_count(self) -> int:
        with self.conn.cursor() as cur:
            cur.execute(sql.SQL("SELECT count(*) FROM {} WHERE _deleted_at IS NULL").format(ddl.table_ident(self.spec)))
            return cur.fetchone()[0]


def _upsert_statement(spec: EntitySpec, names: list[str]) -> sql.Composed:
    cols = sql.SQL(", ").join(map(sql.Identifier, names))
    updates = sql.SQL(", ").join(
        sql.SQL("{0} = excluded.{0}").format(sql.Identifier(n)) for n in names if n not in spec.key)
    return sql.SQL(
        "WITH up AS (INSERT INTO {table} AS t ({cols}, _synced_at, _run_id) "
        "SELECT {cols}, now(), %(run_id)s FROM _batch "
        "ON CONFLICT ({key}) DO UPDATE SET {updates}, _synced_at = excluded._synced_at, "
        "_run_id = excluded._run_id, _deleted_at = NULL "
        # An older version arriving late (lookback, replays) never overwrites a newer one.
        "WHERE (t._source_updated_at IS NULL OR excluded._source_updated_at IS NULL "
        "OR excluded._source_updated_at >= t._source_updated_at) "
        # _issues too: a rerun after a typing fix must be able to clear a row's issues.
        "AND (t._raw IS DISTINCT FROM excluded._raw OR t._issues IS DISTINCT FROM excluded._issues "
        "OR t._deleted_at IS NOT NULL) "
        "RETURNING (xmax = 0) AS inserted) "
        "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up").format(
        table=ddl.table_ident(spec), cols=cols, key=sql.SQL(", ").join(map(sql.Identifier, spec.key)),
        updates=updates)


def _resolve_statement(spec: EntitySpec) -> sql.Composed:
    """Resolve the open quarantine rows of the records in `_batch` (param: the entity name).

    Each distinct id of the batch is looked up by its own scalar subquery, which can only be planned as a
    probe of the partial unique index on (entity, source_id) WHERE resolved_at IS NULL; the rows found are
    then updated by ctid. So the work follows the batch, not the number of open quarantine rows. A join or
    `IN (SELECT ...)` was planned, without statistics on the temp table, as a walk over every open row of the
    entity (or worse, a nested loop over both): 15-30 s a batch with ~45k open rows.
    """
    q = ddl.quarantine_ident(spec.crm)
    return sql.SQL(
        "UPDATE {q} q SET resolved_at = now() WHERE q.resolved_at IS NULL AND q.ctid = ANY(ARRAY("
        "SELECT (SELECT o.ctid FROM {q} o WHERE o.entity = %(entity)s AND o.resolved_at IS NULL "
        "AND o.source_id = k.source_id) FROM (SELECT DISTINCT concat_ws(':', {key}) AS source_id FROM _batch) k))"
    ).format(q=q, key=sql.SQL(", ").join(map(sql.Identifier, spec.key)))


def _rows(frame: pd.DataFrame, names: list[str]) -> Iterator[tuple[Any, ...]]:
    """Rows of plain Python values with None for every kind of missing value (NaN, NaT, pd.NA)."""
    columns = []
    for name in names:
        series = frame[name]
        if series.dtype == object:
            columns.append([None if _missing(v) else v for v in series.tolist()])
        else:
            columns.append(series.astype(object).where(series.notna(), None).tolist())
    return zip(*columns)


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)

