"""`make dev`: the Dagster UI (`dagster dev`) on the same sandbox and embedded warehouse as the demo."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from crm_pipelines.local.stack import REPO_ROOT, restore_default_signals, sandbox_process, stack_environment


def main() -> None:
    with sandbox_process() as sandbox_url:
        env = {**os.environ, **stack_environment(sandbox_url)}
        print(f"sandbox: {sandbox_url}; opening the Dagster UI on http://127.0.0.1:3000", flush=True)
        ui = subprocess.Popen([sys.executable, "-m", "dagster", "dev", "-w", "workspace.yaml",
                               "-h", "127.0.0.1", "-p", os.environ.get("DAGSTER_PORT", "3000")],
                              env=env, cwd=REPO_ROOT, preexec_fn=restore_default_signals)

        def stop(signum, _frame):
            ui.send_signal(signum)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        sys.exit(ui.wait())


if __name__ == "__main__":
    main()
