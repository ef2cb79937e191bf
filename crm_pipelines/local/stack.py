"""The laptop stack behind `make demo` / `make dev`: the CRM sandbox, the embedded warehouse and a Dagster
home, all under CRM_PIPELINES_HOME, with no credentials needed."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from crm_pipelines.core.embedded_pg import embedded_url, pipelines_home
from crm_pipelines.core.warehouse import EMBEDDED, WAREHOUSE_URL_ENV
from crm_pipelines.sources import discover

REPO_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def restore_default_signals() -> None:
    """Children started from a non-interactive shell inherit ignored SIGINT/SIGTERM (dagster dev would then
    never stop); give them the default handlers back."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextmanager
def running_sandbox(extra_args: list[str] | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run `python -m crm_pipelines.sandbox` until the block ends; yield its root URL and its process."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "crm_pipelines.sandbox", "--host", "127.0.0.1", "--port", str(port),
         *(extra_args or [])],
        stdout=subprocess.PIPE, text=True, preexec_fn=restore_default_signals, cwd=REPO_ROOT)
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("sandbox listening on"):
                break
        else:
            raise RuntimeError(f"the CRM sandbox exited with code {proc.wait()} before it was ready")
        yield f"http://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def sandbox_process(extra_args: list[str] | None = None) -> Iterator[str]:
    with running_sandbox(extra_args) as (url, _):
        yield url


def stack_environment(sandbox_url: str) -> dict[str, str]:
    """Environment for Dagster processes that talk to the sandbox and the local warehouse: every source's
    sandbox wiring, and the embedded warehouse unless CRM_WAREHOUSE_URL names another."""
    home = pipelines_home()
    dagster_home = Path(os.environ.get("DAGSTER_HOME") or home / "dagster")
    dagster_home.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO_ROOT / "dagster.yaml", dagster_home / "dagster.yaml")
    env = {"CRM_PIPELINES_HOME": str(home), "DAGSTER_HOME": str(dagster_home),
           WAREHOUSE_URL_ENV: os.environ.get(WAREHOUSE_URL_ENV) or EMBEDDED}
    for source in discover():
        env.update(source.sandbox.env(sandbox_url))
    if env[WAREHOUSE_URL_ENV] == EMBEDDED:
        embedded_url(home)  # start it once here rather than racing in several run workers
    return env
