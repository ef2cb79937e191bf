"""Genius fixtures: a generated Genius database in the machine's MariaDB (127.0.0.1:3306, root), created for
the session and dropped after it, a client resource pointed at it, and a materialize helper."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from dagster import materialize

from crm_pipelines.core.assets import history_partitions
from crm_pipelines.sandbox.genius import data, database
from crm_pipelines.sources.genius import SOURCE
from crm_pipelines.sources.genius.resource import GeniusResource

MYSQL_HOST, MYSQL_PORT = "127.0.0.1", 3306
ZONE = "America/Los_Angeles"  # a zone with DST, so the conversions can be wrong
SIZES = data.Sizes(prospects=200, shared_second_leads=250)
PAGE_SIZE = 40  # far below the 250 leads of one second: every boundary case is crossed
SHARED_DAY = dt.date.fromisoformat(data.SHARED_SECOND[:10])


def mysql_url(name: str) -> str:
    return f"mysql://root@{MYSQL_HOST}:{MYSQL_PORT}/{name}"


@pytest.fixture(scope="session")
def mariadb() -> Iterator[Any]:
    conn = database.connect(MYSQL_HOST, MYSQL_PORT)
    yield conn
    conn.close()


@pytest.fixture(scope="session")
def generated() -> data.Generator:
    return data.generate(seed=11, sizes=SIZES)


@pytest.fixture(scope="session")
def genius_db(mariadb, generated) -> Iterator[str]:
    """The session's read-only Genius database (tests that change data make their own, `scratch_db`)."""
    name = f"genius_test_{uuid.uuid4().hex[:10]}"
    database.write(mariadb, name, generated)
    yield name
    database.drop_database(mariadb, name)


@pytest.fixture
def scratch_db(mariadb) -> Iterator[str]:
    """A small Genius database a test may change."""
    name = f"genius_scratch_{uuid.uuid4().hex[:10]}"
    database.write(mariadb, name, data.generate(seed=5, sizes=data.Sizes(prospects=100, shared_second_leads=10)))
    yield name
    database.drop_database(mariadb, name)


def client(name: str, **overrides: Any) -> GeniusResource:
    settings = {"timezone": ZONE, "page_size": PAGE_SIZE, "retry_backoff_s": 0.01, **overrides}
    return GeniusResource(database_url=mysql_url(name), **settings)


def sync(genius: GeniusResource, warehouse, entities: list[str], *, day: dt.date | None = None,
         config: dict | None = None, raise_on_error: bool = True):
    """Materialize entities in one run: all partitioned (the partition of `day`, or a full refresh) or all
    unpartitioned. (result, {entity: metadata values})."""
    assets = SOURCE.entity_assets(history_partitions())
    partitioned = {SOURCE.entity(e).partitioned for e in entities}
    assert len(partitioned) == 1, "one run holds partitioned or unpartitioned entities, not both"
    full = partitioned == {True} and day is None
    op_config = {"full_refresh": True, **(config or {})} if full else (config or {})
    result = materialize([assets[e] for e in entities], resources={"genius": genius, "warehouse": warehouse},
                         partition_key=(day or SHARED_DAY).isoformat() if partitioned == {True} else None,
                         raise_on_error=raise_on_error,
                         run_config={"ops": {f"genius__{e}": {"config": op_config} for e in entities}})
    if not result.success:
        return result, {}
    meta = {}
    for e in entities:
        materialization = result.asset_materializations_for_node(f"genius__{e}")[0]
        meta[e] = {k: v.value for k, v in materialization.metadata.items()}
    return result, meta


def all_entities(partitioned: bool) -> list[str]:
    return [s.name for s in SOURCE.entities if s.partitioned == partitioned]
