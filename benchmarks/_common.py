"""What every benchmark needs: a scratch database, the sandbox in its own process, CPU accounting per
process (this one, the sandbox, the PostgreSQL backends of the scratch database) and one JSON line out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # scripts run as `python benchmarks/x.py` from the repository root
    sys.path.insert(0, str(REPO_ROOT))

from crm_pipelines.core.embedded_pg import embedded_url  # noqa: E402
from crm_pipelines.local.stack import running_sandbox  # noqa: E402

SANDBOX_TOKEN = "sandbox-hubspot-token"
TICK = os.sysconf("SC_CLK_TCK")
# What hubspot/contacts asks the list endpoint for (its schema's columns); the dlt comparison asks for the same.
CONTACT_PROPERTIES = (
    "hs_object_id,createdate,lastmodifieddate,firstname,lastname,email,phone,mobilephone,address,city,state,zip,"
    "division,marketsharp_id,hubspot_owner_id,lead_is_dnc,price,hs_merged_object_ids,hge_primary_source,"
    "hge_secondary_source,lead_appointment_date,trustedform_cert_url,lifecyclestage"
)


def emit(result: dict[str, Any]) -> None:
    print(json.dumps(result), flush=True)


def server_url() -> str:
    """CRM_WAREHOUSE_URL's server, or the embedded PostgreSQL (unset or "embedded")."""
    url = os.environ.get("CRM_WAREHOUSE_URL")
    return url if url and url != "embedded" else embedded_url()


@contextmanager
def scratch_database(label: str) -> Iterator[str]:
    """A database of its own on the warehouse's server, dropped afterwards: a benchmark never touches the
    warehouse's own schemas."""
    base = server_url()
    name = f"bench_{label}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    info = psycopg.conninfo.conninfo_to_dict(base)
    info["dbname"] = name
    try:
        yield psycopg.conninfo.make_conninfo(**info)
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class SandboxProcess:
    url: str  # root URL; HubSpot lives under /hubspot, its control API under /_sandbox/hubspot
    pid: int

    def stats(self) -> dict[str, Any]:
        return httpx.get(f"{self.url}/_sandbox/hubspot/stats", timeout=60).json()


@contextmanager
def sandbox_process(counts: dict[str, int], config: dict[str, Any] | None = None) -> Iterator[SandboxProcess]:
    """`python -m crm_pipelines.sandbox` in its own process (its CPU is then its own) until the block ends."""
    counts_arg = ",".join(f"{k}={v}" for k, v in counts.items())
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(config or {}, fh)
    try:
        with running_sandbox(["--hubspot-counts", counts_arg, "--hubspot-config", fh.name]) as (url, proc):
            yield SandboxProcess(url, proc.pid)
    finally:
        os.unlink(fh.name)


# Every other HubSpot object type as small as the sandbox allows: only contacts are measured.
ONLY_CONTACTS = {"companies": 1, "deals": 1, "appointments": 1, "divisions": 1, "genius_users": 1, "owners": 1}


def proc_cpu_s(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK


@dataclass
class CpuMeter:
    """CPU seconds spent during the measured block by this process, the sandbox, and the PostgreSQL
    backends serving `database` (sampled, so a backend that lives under ~0.2 s may be missed)."""

    database_url: str
    sandbox_pid: int | None = None
    interval_s: float = 0.5
    _backends: dict[int, tuple[float, float]] = field(default_factory=dict)  # pid -> (first, last) cpu
    _stop: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> CpuMeter:
        self._self_before = _own_cpu()
        self._sandbox_before = proc_cpu_s(self.sandbox_pid) if self.sandbox_pid else None
        self._wall = time.perf_counter()
        self._load_before = os.getloadavg()[0]
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        dbname = psycopg.conninfo.conninfo_to_dict(self.database_url)["dbname"]
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            own = conn.info.backend_pid
            while not self._stop.is_set():
                pids = [r[0] for r in conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> %s", (dbname, own))]
                for pid in pids:
                    cpu = proc_cpu_s(pid)
                    if cpu is not None:
                        first = self._backends.get(pid, (cpu, cpu))[0]
                        self._backends[pid] = (first, cpu)
                self._stop.wait(self.interval_s)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.wall_s = time.perf_counter() - self._wall
        self.client_s = _own_cpu() - self._self_before
        after = proc_cpu_s(self.sandbox_pid) if self.sandbox_pid else None
        self.sandbox_s = None if after is None or self._sandbox_before is None else after - self._sandbox_before
        # A backend first seen mid-run had already spent a little; count it all (it was started by the run).
        self.postgres_s = sum(last for _, last in self._backends.values()) if self._backends else None
        self.load_1m = (self._load_before, os.getloadavg()[0])

    def report(self) -> dict[str, Any]:
        rounded = lambda v: None if v is None else round(v, 2)  # noqa: E731
        return {"cpu_s": {"client": rounded(self.client_s), "sandbox": rounded(self.sandbox_s),
                          "postgres": rounded(self.postgres_s)},
                "loadavg_1m": [round(x, 2) for x in self.load_1m]}


def _own_cpu() -> float:
    times = os.times()
    return times.user + times.system


def run_json(args: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run another benchmark script in its own process and return the one JSON line it printed."""
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=REPO_ROOT,
                          env={**os.environ, **(env or {})})
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(lines[-1])


def as_url(conninfo: str, password_placeholder: str | None = None) -> str:
    """A libpq conninfo string as a postgresql:// URL (what dlt's credentials take). dlt insists on a
    password; a server with trust authentication ignores the placeholder."""
    from urllib.parse import quote

    info = psycopg.conninfo.conninfo_to_dict(conninfo)
    user = quote(info.get("user") or "postgres", safe="")
    secret = info.get("password") or password_placeholder
    password = f":{quote(secret, safe='')}" if secret else ""
    host, port, dbname = info.get("host") or "", info.get("port") or "5432", info["dbname"]
    if host.startswith("/"):  # a Unix socket directory (the embedded server)
        # dlt wants a host in the URL; libpq lets the query's `host` (the socket directory) override it.
        return f"postgresql://{user}{password}@localhost:{port}/{dbname}?host={quote(host, safe='')}"
    return f"postgresql://{user}{password}@{host}:{port}/{dbname}"


def time_batch_stages(spec: Any, session: Any, records: list, spent: dict[str, float]) -> None:
    """Type, validate, encode and load one batch, one stage after the other, adding each stage's CPU
    seconds to `spent` (this thread's for the client stages, the PostgreSQL backend's for `load`)."""
    from crm_pipelines.core.validation import split_valid

    started = time.thread_time()
    processed = spec.process(records)
    spent["type"] += time.thread_time() - started
    started = time.thread_time()
    valid, _ = split_valid(spec, processed)
    spent["validate"] += time.thread_time() - started
    started = time.thread_time()
    prepared = session.prepare(valid)
    spent["encode"] += time.thread_time() - started
    backend = session.conn.info.backend_pid
    before = proc_cpu_s(backend)
    session.load_prepared(prepared)
    spent["load"] += proc_cpu_s(backend) - before
