"""The Athena stand-in's query engine: query executions with Athena's states, run by DuckDB over the
generated tables, results kept as Athena returns them (every value text, NULL as None). HTTP-free."""

from __future__ import annotations

import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from .config import ATHENA_NAMES, SalesProConfig
from .data import COLUMNS, SalesProData

_FROM = re.compile(r"\bfrom\s+\"?(?:\w+\"?\.\"?)?(\w+)\"?", re.IGNORECASE)
_DUCK_TYPES = {"varchar": "VARCHAR", "boolean": "BOOLEAN", "integer": "INTEGER", "timestamp": "TIMESTAMP_MS"}
# How DuckDB renders each type the way Athena's result files do (timestamps with milliseconds, no zone).
_RENDER = {"TIMESTAMP_MS": "strftime({c}, '%Y-%m-%d %H:%M:%S.%g')", "TIMESTAMP": "strftime({c}, '%Y-%m-%d %H:%M:%S.%g')",
           "BOOLEAN": "CAST({c} AS VARCHAR)"}
_ATHENA_TYPE = {"VARCHAR": "varchar", "BOOLEAN": "boolean", "INTEGER": "integer", "BIGINT": "bigint",
                "TIMESTAMP_MS": "timestamp", "TIMESTAMP": "timestamp", "DOUBLE": "double"}


@dataclass
class Execution:
    id: str
    query: str
    database: str
    workgroup: str
    table: str | None
    submitted: float
    running_s: float
    state: str = "QUEUED"  # QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED
    reason: str | None = None
    error: dict[str, Any] | None = None
    columns: list[tuple[str, str]] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)  # each row's GetQueryResults entry, as JSON text
    completed: float | None = None
    pending_failure: dict[str, Any] | None = None

    def advance(self, now: float) -> None:
        """Move through QUEUED -> RUNNING -> the final state as time passes."""
        if self.state in ("SUCCEEDED", "FAILED", "CANCELLED"):
            return
        elapsed = now - self.submitted
        if elapsed >= self.running_s:
            if self.pending_failure is not None:
                self.state, self.error = "FAILED", self.pending_failure
                self.reason = self.pending_failure["ErrorMessage"]
                self.rows = []
            else:
                self.state = "SUCCEEDED"
            self.completed = self.submitted + self.running_s
        elif self.state == "QUEUED" and elapsed >= min(0.05, self.running_s / 4):
            self.state = "RUNNING"


class QueryEngine:
    """Executions by id, the DuckDB database they run on (rebuilt when the data changed), query faults."""

    def __init__(self, data: SalesProData, cfg: SalesProConfig) -> None:
        self.data = data
        self.cfg = cfg
        self.executions: dict[str, Execution] = {}
        self.fault_counts = [{"matched": 0, "fired": 0} for _ in cfg.query_faults]
        self._duck: duckdb.DuckDBPyConnection | None = None
        self._built_generation = -1
        self._lock = threading.Lock()

    def close(self) -> None:
        if self._duck is not None:
            self._duck.close()
            self._duck = None

    def _database(self) -> duckdb.DuckDBPyConnection:
        if self._duck is None or self._built_generation != self.data.generation:
            self.close()
            con = duckdb.connect(":memory:")
            con.execute("SET TimeZone = 'UTC'")
            for name, athena in ATHENA_NAMES.items():
                columns = COLUMNS[name]
                frame = pd.DataFrame(self.data.records(name, self.data.live(name)),
                                     columns=[c for c, _ in columns])
                ddl = ", ".join(f'"{c}" {_DUCK_TYPES[t]}' for c, t in columns)
                con.execute(f'CREATE TABLE "{athena}" ({ddl})')
                if len(frame):
                    con.register("_frame", frame)
                    con.execute(f'INSERT INTO "{athena}" SELECT * FROM _frame')
                    con.unregister("_frame")
            self._duck = con
            self._built_generation = self.data.generation
        return self._duck

    def _fault_for(self, table: str | None) -> dict[str, Any] | None:
        for rule, counts in zip(self.cfg.query_faults, self.fault_counts):
            wanted = rule.get("table")
            if wanted is not None and wanted not in (table, ATHENA_NAMES.get(table or "", None)) \
                    and ATHENA_NAMES.get(wanted) != table:
                continue
            counts["matched"] += 1
            if counts["matched"] <= int(rule.get("after") or 0):
                continue
            if rule.get("times") is not None and counts["fired"] >= int(rule["times"]):
                continue
            counts["fired"] += 1
            return rule
        return None

    def start(self, query: str, database: str, workgroup: str) -> Execution:
        match = _FROM.search(query)
        table = match.group(1).lower() if match else None
        execution = Execution(id=str(uuid.uuid4()), query=query, database=database, workgroup=workgroup,
                              table=table, submitted=time.monotonic(), running_s=float(self.cfg.query_running_s))
        self.executions[execution.id] = execution
        rule = self._fault_for(table)
        if rule is not None and rule.get("state", "FAILED") == "SLOW":
            execution.running_s = max(execution.running_s, float(rule.get("running_s") or 30.0))
            rule = None
        if database != self.cfg.database:
            self._fail(execution, f"SCHEMA_NOT_FOUND: line 1:1: Schema '{database}' does not exist", retryable=False)
            return execution
        if rule is not None:
            retryable = bool(rule.get("retryable", False))
            message = rule.get("message") or ("GENERIC_INTERNAL_ERROR: an internal error occurred; please retry"
                                              if retryable else "HIVE_BAD_DATA: error parsing field value")
            execution.pending_failure = _athena_error(message, retryable)
            return execution
        try:
            self._run(execution)
        except duckdb.Error as exc:
            self._fail(execution, f"SYNTAX_ERROR: {str(exc).splitlines()[0]}", retryable=False)
        return execution

    def _run(self, execution: Execution) -> None:
        """Run the query; keep each result row as the JSON text of its GetQueryResults entry, rendered by
        DuckDB itself (a row's cells as text, NULL as a cell without VarCharValue)."""
        with self._lock:
            con = self._database()
            relation = con.sql(execution.query)
            names, types = relation.columns, [str(t) for t in relation.types]
            cells = []
            for n, t in zip(names, types):
                text = _RENDER.get(t, "CAST({c} AS VARCHAR)").format(c=f'q."{n}"')
                cells.append(f"""CASE WHEN {text} IS NULL THEN '{{}}' ELSE '{{"VarCharValue":' || to_json({text}) || '}}' END""")
            row = """'{"Data":[' || """ + " || ',' || ".join(cells) + " || ']}'"
            cursor = con.execute(f"SELECT {row} FROM ({execution.query}) AS q")
            execution.rows = [r[0] for r in cursor.fetchall()]
            execution.columns = [(n, _ATHENA_TYPE.get(t, "varchar")) for n, t in zip(names, types)]

    def _fail(self, execution: Execution, message: str, retryable: bool) -> None:
        execution.pending_failure = _athena_error(message, retryable)
        execution.running_s = 0.0
        execution.advance(time.monotonic())

    def get(self, query_id: str) -> Execution | None:
        execution = self.executions.get(query_id)
        if execution is not None:
            execution.advance(time.monotonic())
        return execution

    def stop(self, execution: Execution) -> None:
        execution.advance(time.monotonic())
        if execution.state in ("QUEUED", "RUNNING"):
            execution.state, execution.reason = "CANCELLED", "Query cancelled by user"
            execution.completed, execution.rows = time.monotonic(), []


def _athena_error(message: str, retryable: bool) -> dict[str, Any]:
    # ErrorCategory 1 = SYSTEM, 2 = USER (Athena's codes); ErrorType 401 = internal, 1300 = user query error.
    return {"ErrorCategory": 1 if retryable else 2, "ErrorType": 401 if retryable else 1300,
            "Retryable": retryable, "ErrorMessage": message}
