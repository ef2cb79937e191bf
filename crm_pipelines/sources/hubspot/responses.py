"""The envelope of HubSpot's list, search and batch answers: `results` and the `paging.next.after` cursor."""

from __future__ import annotations

from typing import Any

from crm_pipelines.core.http import SourceApiError


def results_of(data: Any, path: str) -> list[dict[str, Any]]:
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise SourceApiError(f"{path}: response has no 'results' list")
    return data["results"]


def next_cursor(data: dict[str, Any]) -> str | None:
    after = ((data.get("paging") or {}).get("next") or {}).get("after")
    return None if after is None or after == "" else str(after)
