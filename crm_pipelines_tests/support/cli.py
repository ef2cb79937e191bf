"""Runs of the `dagster asset materialize` CLI in a subprocess, as an operator would start them: in the
background (to kill one with -9 mid-run) or to the end."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]


def start_materialize(env: dict[str, str], selection: str, run_config: dict[str, Any],
                      partition: str | None = None) -> subprocess.Popen:
    """The CLI in a session of its own, so a kill reaches the whole process group."""
    command = [sys.executable, "-m", "dagster", "asset", "materialize", "-m", "crm_pipelines.definitions",
               "--select", selection, "--config-json", json.dumps(run_config)]
    if partition is not None:
        command += ["--partition", partition]
    return subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)


def kill_9_once(proc: subprocess.Popen, in_flight: Callable[[], bool], timeout_s: float = 120) -> None:
    """SIGKILL the run's process group as soon as `in_flight()` says it is well under way."""
    deadline = time.monotonic() + timeout_s
    while not in_flight():
        assert proc.poll() is None, proc.stdout.read().decode()[-3000:]
        assert time.monotonic() < deadline, "the run never got going"
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def finish(proc: subprocess.Popen, timeout_s: float = 240) -> str:
    """Wait for a run that must succeed; return its output."""
    output = proc.communicate(timeout=timeout_s)[0].decode()
    assert proc.returncode == 0, output[-3000:]
    return output
