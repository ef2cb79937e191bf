"""PostgreSQL alone: how many rows a second one backend takes through the warehouse's load (COPY into the
batch table, the upsert, the keys staged for deletions) when the client has nothing else to do. The COPY
payloads are built first, untimed, by the real pipeline from the real source; then one transaction loads
them, as a materialization does. Prints one JSON line.

    .venv/bin/python benchmarks/pg_merge_ceiling.py --source hubspot [--rows 100000]
    .venv/bin/python benchmarks/pg_merge_ceiling.py --source genius [--rows 100000]

No sync of the entity can be faster than `rows_per_s` on this machine: a materialization loads in one
transaction, so on one backend. `backend_cpu_us_per_row` is that backend's CPU; `payload_bytes_per_row`
shows what it parses (CONVENTIONS.md's `_raw` jsonb is most of it). `--no-raw` loads the same rows with
`_raw` emptied to `{}`, to show what the raw record costs PostgreSQL (a figure only: the warehouse keeps it).
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Iterator

from _common import CONTACT_PROPERTIES, ONLY_CONTACTS, SANDBOX_TOKEN, emit, proc_cpu_s, sandbox_process, \
    scratch_database

from crm_pipelines.core.entity import EntitySpec, FetchRequest, FetchWindow
from crm_pipelines.core.validation import split_valid
from crm_pipelines.core.warehouse import LoadSession, PreparedBatch, Warehouse


def hubspot_pages(rows: int) -> Iterator[tuple[EntitySpec, Iterator[list[dict]]]]:
    from crm_pipelines.sources.hubspot import SOURCE
    from crm_pipelines.sources.hubspot.resource import HubSpotResource

    with sandbox_process({"contacts": rows, **ONLY_CONTACTS}) as sandbox:
        hubspot = HubSpotResource(base_url=f"{sandbox.url}/hubspot", access_token=SANDBOX_TOKEN,
                                  requests_per_10s=0, search_requests_per_s=0)
        yield SOURCE.entity("contacts"), hubspot.list_objects("contacts", CONTACT_PROPERTIES.split(","))


def genius_pages(rows: int) -> Iterator[tuple[EntitySpec, Iterator[list[dict]]]]:
    from genius_copy import DATABASE, HOST, PORT, build

    from crm_pipelines.sources.genius import SOURCE
    from crm_pipelines.sources.genius.resource import GeniusResource

    build(max(rows, 1_000_000))
    spec = SOURCE.entity("appointments")
    client = GeniusResource(database_url=f"mysql://root@{HOST}:{PORT}/{DATABASE}")
    pages = spec.fetch(client, FetchRequest(FetchWindow(), lambda *a, **k: iter(())))
    yield spec, (page.records for page in pages)


SOURCES = {"hubspot": hubspot_pages, "genius": genius_pages}


def prepared_batches(session: LoadSession, spec: EntitySpec, pages: Iterator[list[dict]], rows: int,
                     batch_size: int, no_raw: bool) -> list[PreparedBatch]:
    batches, batch, total = [], [], 0
    for page in pages:
        batch += page
        if len(batch) >= batch_size:
            valid, _ = split_valid(spec, spec.process(batch))
            if no_raw:
                valid["_raw"] = [{}] * len(valid)
            batches.append(session.prepare(valid))
            total += len(batch)
            batch = []
            if total >= rows:
                break
    return batches


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", choices=sorted(SOURCES), required=True)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=None, help="default: the entity's own")
    parser.add_argument("--no-raw", action="store_true")
    args = parser.parse_args()

    with scratch_database("pg_ceiling") as url:
        for spec, pages in SOURCES[args.source](args.rows):
            with Warehouse(url=url).session(spec, "pg-ceiling") as session:
                batches = prepared_batches(session, spec, pages, args.rows, args.batch_size or spec.batch_size,
                                           args.no_raw)
                rows = sum(b.rows for b in batches)
                backend = session.conn.info.backend_pid
                load_before, cpu_before = os.getloadavg()[0], proc_cpu_s(backend)
                started = time.perf_counter()
                for batch in batches:
                    session.load_prepared(batch)
                wall = time.perf_counter() - started
                cpu = proc_cpu_s(backend) - cpu_before
            emit({"benchmark": "pg_merge_ceiling", "source": args.source, "entity": spec.table, "rows": rows,
                  "raw": "emptied" if args.no_raw else "kept", "batches": len(batches),
                  "payload_bytes_per_row": round(sum(len(b.payload or b"") for b in batches) / rows),
                  "rows_per_s": round(rows / wall), "backend_cpu_us_per_row": round(cpu / rows * 1e6, 1),
                  "wall_s": round(wall, 2), "loadavg_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)]})


if __name__ == "__main__":
    main()
