"""kill -9 in the middle of a SalesPro lead_results run (the `dagster asset materialize` CLI, both tables of
the multi-asset), then a rerun (in this process: one CLI start-up is enough to prove the kill): exact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crm_pipelines.sources.salespro.resource import ACCESS_KEY_ENV, ENDPOINT_ENV, EXPORTS_DIR_ENV, SECRET_KEY_ENV
from crm_pipelines_tests.sources.salespro.conftest import ACCESS_KEY_ID, DAY, emulated_client, endpoint, stored, sync
from crm_pipelines_tests.support import assert_same_keys, cli_environment, kill_9_once, start_materialize

pytestmark = pytest.mark.slow  # subprocesses of the dagster CLI


def start_cli(pg_url: str, sandbox, exports_dir: str, tmp_path: Path):
    env = cli_environment(pg_url, tmp_path, **{ACCESS_KEY_ENV: ACCESS_KEY_ID, SECRET_KEY_ENV: "test-secret",
                                               ENDPOINT_ENV: endpoint(sandbox), EXPORTS_DIR_ENV: exports_dir})
    config = {"ops": {"salespro__lead_results": {"config": {"batch_size": 20, "full_refresh": True}}},
              "resources": {"salespro": {"config": {
                  "aws_access_key_id": {"env": ACCESS_KEY_ENV}, "aws_secret_access_key": {"env": SECRET_KEY_ENV},
                  "endpoint_url": {"env": ENDPOINT_ENV}, "page_size": 25, "prefetch_pages": 0}}}}
    return start_materialize(env, "salespro/lead_results,salespro/lead_result_line_items", config, DAY.isoformat())


def test_kill_9_mid_run_then_rerun_is_exact(control, sandbox, exports_dir, pg_url, db, warehouse, tmp_path):
    control.faults({"route": "GetQueryResults", "delay_s": 0.1})  # a slow API keeps the run in flight
    kill_9_once(start_cli(pg_url, sandbox, exports_dir, tmp_path),
                lambda: control.requests("GetQueryResults") >= 4)
    for table in ("lead_results", "lead_result_line_items"):
        exists = db.execute(f"SELECT to_regclass('salespro.{table}')").fetchone()[0]
        assert not exists or db.execute(f"SELECT count(*) FROM salespro.{table}").fetchone()[0] == 0

    control.faults()
    sync(emulated_client(sandbox, exports_dir), warehouse, "lead_results", config={"full_refresh": True})
    ids = control.in_window("lead_results")["ids"]
    assert_same_keys(stored(db, "lead_results"), ids, "salespro.lead_results")
    expected = [f"{rid}:{n}" for rid in ids
                for n in range(1, 7)
                if any(p["title"] == f"Job Type {n}"
                       for p in json.loads(control.truth_record("lead_results", rid)["lead_results"]))]
    items = [f"{e}:{n}" for e, n in db.execute("SELECT estimate_id, job_type_number FROM "
                                               "salespro.lead_result_line_items WHERE _deleted_at IS NULL")]
    assert_same_keys(items, expected, "salespro.lead_result_line_items")
