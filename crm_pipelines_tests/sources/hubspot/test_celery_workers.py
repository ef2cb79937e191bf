"""The HubSpot job on two Celery worker processes over the machine's RabbitMQ, one API budget shared through
the machine's Redis, against a sandbox that enforces HubSpot's published limits (100 / 10 s, search 5 / s)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from dagster import DagsterEventType, DagsterInstance

from crm_pipelines.core.executor import CELERY_BROKER_ENV
from crm_pipelines.core.shared_ratelimit import REDIS_URL_ENV
from crm_pipelines.sources.hubspot.resource import HubSpotResource
from crm_pipelines_tests.sources.hubspot.conftest import TOKEN, day_window, ids, quarantined
from crm_pipelines_tests.support import cli_environment
from crm_pipelines_tests.support.cli import REPO_ROOT

pytestmark = pytest.mark.slow  # worker processes, a run process and RabbitMQ

DAY = dt.date(2026, 11, 12)
# Every record modified on DAY, so one partition is the whole portal; small pages make enough searches
# (~27) that two workers each pacing alone at 4 / s would together pass HubSpot's 5 / s (they do: 429s).
COUNTS = {"contacts": 60, "companies": 30, "deals": 30, "appointments": 30, "genius_users": 30, "owners": 12}
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
        deadline = time.monotonic() + 60
        for worker in started:
            worker.wait_ready(deadline)
        yield env, started
    finally:
        for worker in started:
            worker.stop()


@contextlib.contextmanager
def hourly_run(env: dict[str, str], tmp_path: Path) -> Iterator[subprocess.Popen]:
    """hubspot_hourly for DAY, as `dagster job execute` (the run's own process submits the steps); killed
    if a failed assertion leaves it running."""
    # The client's own budgets stay the defaults (95 / 10 s, search 4 / s: under the published ones).
    config = tmp_path / "run.yaml"
    config.write_text(json.dumps({"resources": {"hubspot": {"config": {
        "access_token": {"env": "HUBSPOT_ACCESS_TOKEN"}, "base_url": {"env": "HUBSPOT_BASE_URL"},
        "search_page_size": 10}}}}))
    with (tmp_path / "run.out").open("w") as out:
        run = subprocess.Popen(
            [sys.executable, "-m", "dagster", "job", "execute", "-m", "crm_pipelines.definitions",
             "-j", "hubspot_hourly", "--tags", json.dumps({"dagster/partition": DAY.isoformat()}), "-c", str(config)],
            cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield run
    finally:
        if run.poll() is None:
            run.kill()
            run.wait(timeout=30)


def assert_tables_exact(control, db) -> None:
    window = day_window(DAY)
    for entity in ENTITIES:
        expected = control.truth(entity, *window)
        loaded, bad = ids(db, f"hubspot.{entity}"), set(quarantined(db, entity))
        assert len(loaded) == len(set(loaded)), entity
        assert set(loaded) | bad == expected and expected, entity


def step_events(home: Path, event_type: DagsterEventType) -> list:
    """The run's events of `event_type` (none while the run is not created yet)."""
    with DagsterInstance.from_config(str(home)) as instance:
        return [e.dagster_event for run in instance.get_runs(limit=1)
                for e in instance.all_logs(run.run_id, of_type=event_type)]


def _most_in_any_window(times: list[float], seconds: float) -> int:
    times = sorted(times)
    return max((sum(1 for t in times[i:] if t - start < seconds) for i, start in enumerate(times)), default=0)


def test_two_workers_share_hubspots_budget_and_a_kill_9_of_one_leaves_every_table_exact(
        control, workers, home, tmp_path, db, monkeypatch):
    env, (w1, w2) = workers
    monkeypatch.setenv("DAGSTER_PG_URL", env["DAGSTER_PG_URL"])
    # Each worker alone may spend the client's whole budget (the run keeps the defaults); only the
    # shared store keeps the two together under HubSpot's.
    assert {k: tuple(b) for k, b in HubSpotResource(access_token="t").budgets().items()} == {
        "general": (95, 10.0), "search": (4, 1.0)}
    control.reset(counts=COUNTS, modified_start=f"{DAY}T00:00:00Z", modified_end=f"{DAY}T23:59:00Z", **PUBLISHED)

    with hourly_run(env, tmp_path) as run:
        # Both workers take steps; then the whole of w1 (pool child and all, as with a lost VM) dies inside one.
        def on(worker: Worker, event_type: DagsterEventType) -> set[str]:
            return {e.step_key for e in step_events(home, event_type) if worker.owns(e.pid)}

        deadline = time.monotonic() + 60
        while not (on(w1, DagsterEventType.STEP_START) - on(w1, DagsterEventType.STEP_SUCCESS)
                   and on(w2, DagsterEventType.STEP_START) and control.requests("search") >= 6):
            assert run.poll() is None and time.monotonic() < deadline, (tmp_path / "run.out").read_text()[-3000:]
            time.sleep(0.1)
        w1_pids = {e.pid for e in step_events(home, DagsterEventType.STEP_START) if w1.owns(e.pid)}
        os.killpg(w1.proc.pid, signal.SIGKILL)
        w1.proc.wait(timeout=30)
        started = {e.step_key for e in step_events(home, DagsterEventType.STEP_START) if e.pid in w1_pids}
        finished = {e.step_key for e in step_events(home, DagsterEventType.STEP_SUCCESS) if e.pid in w1_pids}
        cut_short = started - finished
        assert cut_short

        # The run does not fail: the broker gives w1's step to w2 (deploy/celery/worker.yaml).
        assert run.wait(timeout=120) == 0, (tmp_path / "run.out").read_text()[-4000:]

    # Steps ran in both worker processes: every step's pid is one of theirs (w1's noted before it died).
    pids = {e.pid for e in step_events(home, DagsterEventType.STEP_START)}
    assert pids & w1_pids and any(w2.owns(pid) for pid in pids), (pids, w1_pids, w2.proc.pid)
    assert all(pid in w1_pids or w2.owns(pid) for pid in pids)
    successes = step_events(home, DagsterEventType.STEP_SUCCESS)
    assert {e.step_key for e in successes} >= {f"hubspot__{entity}" for entity in ENTITIES}  # + freshness checks
    # w2 ran again each step w1 was killed in (what w1 had begun to load rolled back with its connection).
    assert {e.step_key for e in successes if w2.owns(e.pid)} >= cut_short

    assert_tables_exact(control, db)  # every table is exactly the sandbox's day

    # The sandbox never had to refuse, and no window held more than the published budget.
    log = control.stats()["log"]
    assert not [e for e in log if e["status"] == 429]
    searches = [e["t"] for e in log if e["route"] == "search"]
    others = [e["t"] for e in log if e["route"] != "search"]
    assert len(searches) > 20
    assert _most_in_any_window(searches, 1.0) <= PUBLISHED["search_per_second"]
    assert _most_in_any_window(others, 10.0) <= PUBLISHED["ten_secondly_limit"]
