"""The HubSpot job on two Celery worker processes over the machine's RabbitMQ, one API budget shared through
the machine's Redis, against a sandbox that enforces HubSpot's published limits (100 / 10 s, search 5 / s):
a worker killed with -9 mid-step fails the run, and its re-execution from failure is exact."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus

from crm_pipelines.core.executor import CELERY_BROKER_ENV
from crm_pipelines.core.shared_ratelimit import REDIS_URL_ENV
from crm_pipelines.sources.hubspot.resource import HubSpotResource
from crm_pipelines_tests.sources.hubspot.conftest import TOKEN, day_window, ids, quarantined
from crm_pipelines_tests.support import cli_environment
from crm_pipelines_tests.support.cli import REPO_ROOT

pytestmark = pytest.mark.slow  # worker processes, a run process and RabbitMQ

# A run over three daily partitions, as a single-run backfill launches it (the entity assets'
# BackfillPolicy.single_run()). Every record is modified within them, so the run reads the whole portal;
# small pages make enough searches (~30) that two workers each pacing alone at 4 / s would together pass
# HubSpot's 5 / s (they do: 429s).
FIRST_DAY, DAYS = dt.date(2026, 11, 10), 3
LAST_DAY = FIRST_DAY + dt.timedelta(days=DAYS - 1)
RANGE_TAGS = {"dagster/asset_partition_range_start": FIRST_DAY.isoformat(),
              "dagster/asset_partition_range_end": LAST_DAY.isoformat()}
COUNTS = {"contacts": 80, "companies": 30, "deals": 30, "appointments": 30, "genius_users": 30, "owners": 12}
# The step the test kills a worker in: its pages come fast, then slowly, so it is caught with batches loaded
# in its open transaction (batches of one page).
VICTIM, VICTIM_TABLE = "hubspot__contacts", "hubspot.contacts"
FAST_PAGES, SLOW_PAGE_S = 4, 1.5
ENTITIES = ("contacts", "companies", "deals", "appointments", "divisions", "genius_users")
PUBLISHED = {"ten_secondly_limit": 100, "search_per_second": 5}
REDIS_URL = "redis://127.0.0.1:6379/0"


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=60)


@pytest.fixture
def vhost() -> Iterator[str]:
    """A RabbitMQ virtual host of this test's own: a stale worker of another run cannot take its tasks."""
    name = f"crm-test-{uuid.uuid4().hex[:10]}"
    _rabbitmqctl("add_vhost", name)
    _rabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*")
    yield name
    _rabbitmqctl("delete_vhost", name)


class Worker:
    """`dagster-celery worker start` in a session of its own (the worker and its pool child in one group)."""

    def __init__(self, name: str, env: dict[str, str], config: Path, log: Path):
        self.name = name
        self.log = log
        command = [str(Path(sys.executable).parent / "dagster-celery"), "worker", "start", "-A", "dagster_celery.app",
                   "-y", str(config), "-q", "hubspot", "-n", name, "--", "--concurrency=1", f"--logfile={log}"]
        # `dagster-celery` runs `celery` from PATH: this interpreter's.
        env = {**env, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"}
        self.proc = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log.with_suffix(".out").open("w"),
                                     stderr=subprocess.STDOUT, start_new_session=True)

    def text(self) -> str:
        return "".join(p.read_text() for p in (self.log.with_suffix(".out"), self.log) if p.exists())

    def wait_ready(self, deadline: float) -> None:
        while " ready." not in self.text():
            assert self.proc.poll() is None, f"worker {self.name} exited: {self.text()[-3000:]}"
            assert time.monotonic() < deadline, f"worker {self.name} never got ready: {self.text()[-3000:]}"
            time.sleep(0.2)

    def owns(self, pid: int) -> bool:
        try:
            return os.getpgid(pid) == self.proc.pid
        except ProcessLookupError:
            return False

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=15)


@pytest.fixture
def dagster_storage(pg_server_url) -> Iterator[str]:
    """Dagster's runs and event logs in a PostgreSQL database of their own, as on a deployment: the run
    process and every worker write there."""
    name = f"crm_dagster_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    info = psycopg.conninfo.conninfo_to_dict(pg_server_url)
    user, host = info.get("user", "postgres"), info.get("host", "127.0.0.1")
    if host.startswith("/"):  # the embedded server's socket directory
        yield f"postgresql+psycopg2://{user}@/{name}?host={host}"
    else:
        yield f"postgresql+psycopg2://{user}@{host}:{info.get('port', 5432)}/{name}"
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def home(tmp_path) -> Path:
    """DAGSTER_HOME of the run and the workers."""
    path = tmp_path / "dagster_home"
    path.mkdir()
    return path


@pytest.fixture
def workers(vhost, sandbox, pg_url, dagster_storage, home) -> Iterator[tuple[dict[str, str], list[Worker]]]:
    """Two workers, stopped (or killed) whatever the test's outcome."""
    env = cli_environment(pg_url, home, HUBSPOT_BASE_URL=sandbox.hubspot_url, HUBSPOT_ACCESS_TOKEN=TOKEN,
                          DAGSTER_PG_URL=dagster_storage,
                          **{CELERY_BROKER_ENV: f"amqp://guest:guest@127.0.0.1:5672/{vhost}",
                             REDIS_URL_ENV: REDIS_URL})
    (home / "dagster.yaml").write_text(json.dumps({
        "storage": {"postgres": {"postgres_url": {"env": "DAGSTER_PG_URL"}}}, "telemetry": {"enabled": False}}))
    config = REPO_ROOT / "deploy" / "celery" / "worker.yaml"  # the operators' file (docs/OPERATIONS.md)
    started = [Worker(f"{name}-{vhost}", env, config, home / f"{name}.log") for name in ("w1", "w2")]
    try:
        # ~8 s alone; generous because both import the whole code location while the other test worker runs.
        deadline = time.monotonic() + 180
        for worker in started:
            worker.wait_ready(deadline)
        yield env, started
    finally:
        for worker in started:
            worker.stop()


@contextlib.contextmanager
def hourly_run(env: dict[str, str], tmp_path: Path) -> Iterator[subprocess.Popen]:
    """hubspot_hourly over the three days, as `dagster job execute` (the run's own process submits the
    steps); killed if a failed assertion leaves it running."""
    # The client's own budgets stay the defaults (95 / 10 s, search 4 / s: under the published ones).
    config = tmp_path / "run.yaml"
    config.write_text(json.dumps({
        "ops": {VICTIM: {"config": {"batch_size": 10}}},
        "resources": {"hubspot": {"config": {
            "access_token": {"env": "HUBSPOT_ACCESS_TOKEN"}, "base_url": {"env": "HUBSPOT_BASE_URL"},
            "search_page_size": 10}}}}))
    with (tmp_path / "run.out").open("w") as out:
        run = subprocess.Popen(
            [sys.executable, "-m", "dagster", "job", "execute", "-m", "crm_pipelines.definitions",
             "-j", "hubspot_hourly", "--tags", json.dumps(RANGE_TAGS), "-c", str(config)],
            cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield run
    finally:
        if run.poll() is None:
            run.kill()
            run.wait(timeout=30)


# What an operator's "Re-execute > From failure" does in the UI: a new run of the failed run's job and tags
# with only the steps that did not succeed (ReexecutionOptions.from_failure), on the same workers.
REEXECUTE_FROM_FAILURE = """
import sys
from dagster import DagsterInstance, ReexecutionOptions, execute_job
from dagster._core.definitions.reconstruct import ReconstructableRepository

with DagsterInstance.get() as instance:
    parent = instance.get_run_by_id(sys.argv[1])
    job = ReconstructableRepository.for_module("crm_pipelines.definitions", "defs").get_reconstructable_job(
        parent.job_name)
    tags = {k: v for k, v in parent.tags.items() if k.startswith("dagster/asset_partition_range")}
    result = execute_job(job, instance, tags=tags,
                         reexecution_options=ReexecutionOptions.from_failure(parent.run_id, instance))
    print("re-execution run", result.run_id, "success" if result.success else "failure")
"""


def reexecute_from_failure(env: dict[str, str], run_id: str, tmp_path: Path) -> str:
    done = subprocess.run([sys.executable, "-c", REEXECUTE_FROM_FAILURE, run_id], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=180)
    (tmp_path / "reexecution.out").write_text(done.stdout + done.stderr)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return done.stdout


def assert_tables_exact(control, db) -> None:
    window = day_window(FIRST_DAY, days=DAYS)
    for entity in ENTITIES:
        expected = control.truth(entity, *window)
        loaded, bad = ids(db, f"hubspot.{entity}"), set(quarantined(db, entity))
        assert len(loaded) == len(set(loaded)), entity
        assert set(loaded) | bad == expected and expected, entity


def events(instance: DagsterInstance, run_id: str, event_type: DagsterEventType) -> list:
    return [e.dagster_event for e in instance.all_logs(run_id, of_type=event_type)]


def loaded_in_open_transaction(instance: DagsterInstance, run_id: str) -> bool:
    """The victim step has reported a loaded batch: rows are in its transaction, not yet committed."""
    return any(e.step_key == VICTIM and e.dagster_event is None
               and re.search(rf"{re.escape(VICTIM_TABLE)}: \d+ fetched, [1-9]\d* created", e.user_message)
               for e in instance.all_logs(run_id))


def _most_in_any_window(times: list[float], seconds: float) -> int:
    times = sorted(times)
    return max((sum(1 for t in times[i:] if t - start < seconds) for i, start in enumerate(times)), default=0)


def test_a_kill_9_of_a_worker_mid_step_fails_the_run_and_its_reexecution_from_failure_is_exact(
        control, workers, home, tmp_path, db, monkeypatch):
    env, both = workers
    monkeypatch.setenv("DAGSTER_PG_URL", env["DAGSTER_PG_URL"])
    # Each worker alone may spend the client's whole budget (the run keeps the defaults); only the
    # shared store keeps the two together under HubSpot's.
    assert {k: tuple(b) for k, b in HubSpotResource(access_token="t").budgets().items()} == {
        "general": (95, 10.0), "search": (4, 1.0)}
    control.reset(counts=COUNTS, modified_start=f"{FIRST_DAY}T00:00:00Z", modified_end=f"{LAST_DAY}T23:59:00Z",
                  **PUBLISHED)
    control.faults({"route": "search", "object_type": "contacts", "after": FAST_PAGES, "delay_s": SLOW_PAGE_S})

    instance = DagsterInstance.from_config(str(home))
    try:
        with hourly_run(env, tmp_path) as run:
            # Both workers take steps; then the whole worker running the victim step (pool child and all, as
            # with a lost VM) dies while that step has batches loaded in its open transaction.
            deadline = time.monotonic() + 90
            while True:
                assert run.poll() is None and time.monotonic() < deadline, (tmp_path / "run.out").read_text()[-3000:]
                runs = instance.get_runs(limit=1)
                if runs:
                    run_id = runs[0].run_id
                    starts = events(instance, run_id, DagsterEventType.STEP_START)
                    victim = next((w for w in both for e in starts if e.step_key == VICTIM and w.owns(e.pid)), None)
                    survivor = next((w for w in both if w is not victim), None)
                    if (victim and any(survivor.owns(e.pid) for e in starts) and control.requests("search") >= 10
                            and loaded_in_open_transaction(instance, run_id)):
                        break
                time.sleep(0.1)
            victim_pids = {e.pid for e in starts if victim.owns(e.pid)}
            os.killpg(victim.proc.pid, signal.SIGKILL)
            victim.proc.wait(timeout=30)
            assert not [e for e in events(instance, run_id, DagsterEventType.STEP_SUCCESS) if e.step_key == VICTIM]

            # The broker gives the step to the survivor, which fails it at once instead of running it again:
            # the run ends FAILURE (the other steps carry on).
            assert run.wait(timeout=120) != 0, (tmp_path / "run.out").read_text()[-4000:]
        control.faults()

        assert instance.get_run_by_id(run_id).status == DagsterRunStatus.FAILURE
        [failure] = events(instance, run_id, DagsterEventType.STEP_FAILURE)
        assert failure.step_key == VICTIM and survivor.owns(failure.pid)
        message = failure.step_failure_data.error.to_string()
        for words in (f"Step {VICTIM} was interrupted", "the worker running it was lost mid-step",
                      "No partial rows of the interrupted attempt were kept",
                      "each materialization loads in one PostgreSQL transaction",
                      "Re-execute this run from failure"):
            assert words in message, message
        # Steps ran in both worker processes (the victim's noted before it died).
        pids = {e.pid for e in events(instance, run_id, DagsterEventType.STEP_START)}
        assert pids & victim_pids and any(survivor.owns(pid) for pid in pids), (pids, victim_pids)
        assert all(pid in victim_pids or survivor.owns(pid) for pid in pids)
        # The batches the victim had loaded died with its transaction: the table is as before the run.
        assert db.execute(f"SELECT count(*) FROM {VICTIM_TABLE}").fetchone()[0] == 0
        assert not quarantined(db, "contacts")
        succeeded = {e.step_key for e in events(instance, run_id, DagsterEventType.STEP_SUCCESS)}
        assert succeeded >= {f"hubspot__{entity}" for entity in ENTITIES} - {VICTIM}

        # The operator re-executes the run from failure: the steps that did not succeed (the failed one, and
        # the freshness checks that wait for every asset) run, on the live worker; none that succeeded does.
        reexecute_from_failure(env, run_id, tmp_path)
        [rerun] = [r for r in instance.get_runs(limit=2) if r.run_id != run_id]
        assert rerun.status == DagsterRunStatus.SUCCESS and rerun.parent_run_id == run_id
        planned = instance.get_execution_plan_snapshot(instance.get_run_by_id(run_id).execution_plan_snapshot_id)
        rerun_starts = events(instance, rerun.run_id, DagsterEventType.STEP_START)
        assert {e.step_key for e in rerun_starts} == set(planned.step_keys_to_execute) - succeeded
        assert all(survivor.owns(e.pid) for e in rerun_starts)
    finally:
        instance.dispose()

    assert_tables_exact(control, db)  # every table is exactly the sandbox's three days

    # The sandbox never had to refuse, and no window held more than the published budget.
    log = control.stats()["log"]
    assert not [e for e in log if e["status"] == 429]
    searches = [e["t"] for e in log if e["route"] == "search"]
    others = [e["t"] for e in log if e["route"] != "search"]
    assert len(searches) > 20
    assert _most_in_any_window(searches, 1.0) <= PUBLISHED["search_per_second"]
    assert _most_in_any_window(others, 10.0) <= PUBLISHED["ten_secondly_limit"]
