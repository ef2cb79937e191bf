"""The SELECTs the Genius client runs, built from the table definitions (BEHAVIOR.md says why each is so).

Every read is a keyset page: `WHERE <filter> AND (<order columns> > <last row's values>) ORDER BY <order
columns> LIMIT n`, so rows sharing one `updated_at` second are never lost at a page boundary and no OFFSET
skips rows that move while the table changes. Temporal columns are read as text (`CAST(... AS CHAR)`): a
driver must not get the chance to turn a zero date into NULL (mysql-connector does) or a `TIME` beyond 24 h
into something else; processing.py types them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crm_pipelines.sources.genius.tables import Join, TableDef

TEMPORAL = frozenset({"date", "datetime", "time", "interval"})
# Any real date sorts after this; zero dates ('0000-00-00 ...') and NULL do not.
MISSING_DATE = "'1000-01-01'"


def _ident(name: str) -> str:
    return f"`{name}`"


def _select_item(table: TableDef, column: str, kind: str) -> str:
    if kind in TEMPORAL:
        return f"CAST(t.{_ident(column)} AS CHAR) AS {_ident(column)}"
    return f"t.{_ident(column)}"


def _join(join: Join) -> tuple[str, str]:
    """(select item, FROM clause addition) of a joined column."""
    if join.kind == "hubspot":
        # The label restricts third_party_source itself (the legacy join tested it in the ON clause of the
        # type's LEFT JOIN, which only nulled the type row and kept another system's id).
        return (f"hs.third_party_id AS {_ident(join.name)}",
                "LEFT JOIN (third_party_source hs JOIN third_party_source_type hst "
                "ON hst.id = hs.third_party_source_type_id AND hst.label = 'hubspot') "
                f"ON hs.id = t.{_ident(join.via)}")
    if join.kind == "primary_user":
        return (f"ua.primary_user_id AS {_ident(join.name)}",
                f"LEFT JOIN users_userassociations ua ON ua.id = t.{_ident(join.via)}")
    raise ValueError(f"unknown join kind {join.kind!r}")


def select_from(table: TableDef) -> str:
    items = [_select_item(table, c.name, c.kind) for c in table.columns]
    joins = [_join(j) for j in table.joins]
    items += [item for item, _ in joins]
    return f"SELECT {', '.join(items)} FROM {_ident(table.source)} t {' '.join(clause for _, clause in joins)}"


def after(order: Sequence[str]) -> str:
    """Keyset condition "(c1, c2, ...) > (%s, %s, ...)" spelled out, which MariaDB turns into index ranges;
    parameters: the last row's values in order, each repeated as the expansion needs (see `after_params`)."""
    terms = []
    for i, column in enumerate(order):
        equal = [f"t.{_ident(c)} = %s" for c in order[:i]]
        terms.append("(" + " AND ".join([*equal, f"t.{_ident(column)} > %s"]) + ")")
    return "(" + " OR ".join(terms) + ")"


def after_params(values: Sequence[object]) -> list[object]:
    return [v for i in range(len(values)) for v in values[: i + 1]]


@dataclass(frozen=True)
class Read:
    """One keyset scan: a filter (with its parameters) and the columns it is ordered by."""

    table: TableDef
    order: tuple[str, ...]
    where: str = ""
    params: tuple[object, ...] = ()

    def page_sql(self, last: Sequence[object] | None, size: int) -> tuple[str, list[object]]:
        conditions = [self.where] if self.where else []
        params = list(self.params)
        if last is not None:
            conditions.append(after(self.order))
            params += after_params(last)
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        order = ", ".join(f"t.{_ident(c)}" for c in self.order)
        return f"{select_from(self.table)}{where} ORDER BY {order} LIMIT {int(size)}", params


def full_read(table: TableDef) -> Read:
    """Every row, in key order: rows whose modified time is NULL or a zero date included."""
    return Read(table, table.key)


def window_reads(table: TableDef, start: str, end: str) -> list[Read]:
    """Rows modified in [start, end) (wall times in GENIUS_TIMEZONE): by the delta column, then, for a
    table with a fallback, the rows whose delta is missing (NULL or a zero date) by the fallback column."""
    delta = table.delta[0]
    reads = [Read(table, (delta, *table.key), f"t.{_ident(delta)} >= %s AND t.{_ident(delta)} < %s", (start, end))]
    for fallback in table.delta[1:]:
        missing = f"(t.{_ident(delta)} IS NULL OR t.{_ident(delta)} < {MISSING_DATE})"
        reads.append(Read(table, (fallback, *table.key),
                          f"{missing} AND t.{_ident(fallback)} >= %s AND t.{_ident(fallback)} < %s", (start, end)))
    return reads


def modified_counts(read: Read) -> tuple[str, list[object]]:
    """Rows of a window scan per distinct value of its ordering time (as text): a count the client can
    still check against the exact UTC window (a second holds many rows, so this is small)."""
    column = f"t.{_ident(read.order[0])}"
    return (f"SELECT CAST({column} AS CHAR), COUNT(*) FROM {_ident(read.table.source)} t WHERE {read.where} "
            f"GROUP BY {column}", list(read.params))


def existing_keys_sql(table: TableDef, count: int) -> str:
    (key,) = table.key
    marks = ", ".join(["%s"] * count)
    return f"SELECT {_ident(key)} FROM {_ident(table.source)} WHERE {_ident(key)} IN ({marks})"
