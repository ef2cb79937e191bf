"""CPU per row of each stage of a Genius copy (the `genius_copy.py` table), one stage after the other
(nothing overlapped), and the ceilings they imply on this machine. Prints one JSON line.

    .venv/bin/python benchmarks/genius_stage_costs.py [--rows 200000]

Stages: `read` (this thread: the keyset query, the driver's rows, the records), `mariadb` (the server's
process answering it), `type` (the entity's processor), `validate` (the split), `encode` (the COPY payload),
`load` (the PostgreSQL backend: COPY into the batch table, the upsert, the keys staged for deletions).
`one_thread` = 1 / (client stages), which hold the GIL; `all_cores` = cores / (every stage). Reads the first
`--rows` rows of the benchmark table, which `genius_copy.py` builds (it is built here if missing).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import time

from _common import emit, proc_cpu_s, scratch_database, time_batch_stages
from genius_copy import DATABASE, HOST, PORT, build

from crm_pipelines.core.entity import FetchRequest, FetchWindow
from crm_pipelines.core.warehouse import Warehouse
from crm_pipelines.sources.genius import SOURCE
from crm_pipelines.sources.genius.resource import GeniusResource

STAGES = ("read", "mariadb", "type", "validate", "encode", "load")
CLIENT_STAGES = ("read", "type", "validate", "encode")


def mariadb_pid() -> int | None:
    for name in ("mariadbd", "mysqld"):
        found = subprocess.run(["pidof", name], capture_output=True, text=True).stdout.split()
        if found:
            return int(found[0])
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--table-rows", type=int, default=1_000_000, help="the benchmark table's size")
    args = parser.parse_args()

    build(args.table_rows)
    spec = SOURCE.entity("appointments")
    client = GeniusResource(database_url=f"mysql://root@{HOST}:{PORT}/{DATABASE}")
    spent = dict.fromkeys(STAGES, 0.0)
    rows = 0
    server = mariadb_pid()
    with scratch_database("genius_stages") as url, Warehouse(url=url).session(spec, "stage-costs") as session:
        pages = (page.records for page in spec.fetch(client, FetchRequest(FetchWindow(), lambda *a, **k: iter(()))))
        while rows < args.rows:
            started, server_before = time.thread_time(), proc_cpu_s(server) if server else 0.0
            records = next(pages, None)
            spent["read"] += time.thread_time() - started
            spent["mariadb"] += (proc_cpu_s(server) - server_before) if server else 0.0
            if not records:
                break
            rows += len(records)
            time_batch_stages(spec, session, records, spent)
        client.teardown_after_execution(None)
    per_row = {stage: round(seconds / rows * 1e6, 1) for stage, seconds in spent.items()}
    client_us = sum(per_row[s] for s in CLIENT_STAGES)
    total = sum(per_row.values())
    cores = os.cpu_count() or 1
    emit({"benchmark": "genius_stage_costs", "rows": rows, "page_size": client.page_size,
          "cpu_us_per_row": per_row, "client_us_per_row": round(client_us, 1), "all_us_per_row": round(total, 1),
          "cores": cores, "bound_rows_per_s": {"one_thread": round(1e6 / client_us),
                                                "all_cores": round(cores * 1e6 / total)},
          "loadavg_1m": os.getloadavg()[0]})


if __name__ == "__main__":
    main()
