"""CPU per record of each stage of a hubspot/contacts full sync, run one stage after the other (nothing
overlapped), and what those costs allow on this machine. Prints one JSON line.

    .venv/bin/python benchmarks/stage_costs.py [--contacts 100000]

Stages: `fetch` (this thread: HTTP + JSON decoding of list pages), `sandbox` (the emulator's process
rendering them), `type` (the entity's processor), `validate` (pandera split), `encode` (the COPY
payload), `load` (the PostgreSQL backend: COPY into the batch table and the upsert). `bound_records_per_s`
are the ceilings they imply: `one_thread` = 1 / (client stages), since they hold the GIL; `all_cores` =
cores / (every stage), since the sandbox and PostgreSQL share this machine's cores with the sync.
"""

from __future__ import annotations

import argparse
import os
import time

from _common import CONTACT_PROPERTIES, ONLY_CONTACTS, SANDBOX_TOKEN, emit, proc_cpu_s, sandbox_process, \
    scratch_database, time_batch_stages

from crm_pipelines.core.warehouse import Warehouse
from crm_pipelines.sources.hubspot import SOURCE
from crm_pipelines.sources.hubspot.resource import HubSpotResource

STAGES = ("fetch", "sandbox", "type", "validate", "encode", "load")
CLIENT_STAGES = ("fetch", "type", "validate", "encode")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=5000)
    args = parser.parse_args()

    spec = SOURCE.entity("contacts")
    spent = dict.fromkeys(STAGES, 0.0)
    records = 0
    with scratch_database("stages") as url, sandbox_process({"contacts": args.contacts, **ONLY_CONTACTS}) as sandbox:
        hubspot = HubSpotResource(base_url=f"{sandbox.url}/hubspot", access_token=SANDBOX_TOKEN,
                                  requests_per_10s=0, search_requests_per_s=0)
        with Warehouse(url=url).session(spec, "stage-costs") as session:
            pages = hubspot.list_objects("contacts", CONTACT_PROPERTIES.split(","))
            batch: list[dict] = []
            sandbox_before = proc_cpu_s(sandbox.pid)
            while True:
                started = time.thread_time()
                page = next(pages, None)
                spent["fetch"] += time.thread_time() - started
                if page is not None:
                    batch += page
                if batch and (page is None or len(batch) >= args.batch_size):
                    records += len(batch)
                    time_batch_stages(spec, session, batch, spent)
                    batch = []
                if page is None:
                    break
            spent["sandbox"] = proc_cpu_s(sandbox.pid) - sandbox_before
    per_record = {stage: round(seconds / records * 1e6, 1) for stage, seconds in spent.items()}
    client = sum(per_record[s] for s in CLIENT_STAGES)
    total = sum(per_record.values())
    cores = os.cpu_count() or 1
    emit({
        "benchmark": "stage_costs", "contacts": args.contacts, "records": records, "batch_size": args.batch_size,
        "cpu_us_per_record": per_record, "client_us_per_record": round(client, 1),
        "all_us_per_record": round(total, 1), "cores": cores,
        "bound_records_per_s": {"one_thread": round(1e6 / client), "all_cores": round(cores * 1e6 / total)},
    })


if __name__ == "__main__":
    main()
