"""LeadConduit Events API client resource: Basic auth as user `API`, keyset paging by event id in
ascending order (see BEHAVIOR.md)."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx
from dagster import Failure
from pydantic import field_validator

from crm_pipelines.core.config_rules import a_budget, between
from crm_pipelines.core.http import HttpSourceResource, SourceApiError
from crm_pipelines.core.ratelimit import Budget

API_KEY_ENV = "LEADCONDUIT_API_KEY"
BASE_URL_ENV = "LEADCONDUIT_BASE_URL"
DEFAULT_BASE_URL = "https://app.leadconduit.com"
USERNAME = "API"  # LeadConduit's fixed Basic-auth user; the API key is the password
MAX_LIMIT = 1000

Records = list[dict[str, Any]]


class LeadConduitAuthError(Failure):
    """LeadConduit answered 401: the key is wrong (or the account has no API access to lead data)."""


class LeadConduitResource(HttpSourceResource):
    base_url: str = DEFAULT_BASE_URL
    api_key: str
    # Undocumented limit; the legacy client kept to 100 a minute without trouble. 0 turns pacing off.
    requests_per_minute: int = 100
    page_limit: int = MAX_LIMIT

    _limit_in_range = field_validator("page_limit")(between(1, MAX_LIMIT))
    _budget_not_negative = field_validator("requests_per_minute")(a_budget)

    def setup_for_execution(self, context) -> None:
        if not self.api_key.strip():
            raise Failure(f"{API_KEY_ENV} is empty: set it to the LeadConduit account API key")

    def _basic_token(self) -> str:
        return base64.b64encode(f"{USERNAME}:{self.api_key}".encode()).decode()

    def auth(self) -> httpx.BasicAuth:
        return httpx.BasicAuth(USERNAME, self.api_key)

    def secret_values(self) -> list[str]:
        return [self.api_key, self._basic_token()]

    def budgets(self) -> dict[str, Budget]:
        return {"general": Budget(self.requests_per_minute, 60.0)}  # one budget for every endpoint

    def _get(self, path: str, params: dict[str, Any]) -> Any:
        try:
            return self.http.request_json("GET", path, params=params, limiter=self.limiter("general"))[1]
        except SourceApiError as exc:
            if exc.status == 401:
                raise LeadConduitAuthError(
                    f"LeadConduit rejected the credentials (HTTP 401 on GET {path}): check {API_KEY_ENV} "
                    f"(Basic auth, user {USERNAME}); free accounts get 401 on lead data") from None
            raise

    def events(self, start: dt.datetime | None = None, end: dt.datetime | None = None) -> Iterator[Records]:
        """Events created in [start, end) (everything when both are None), oldest first.

        Keyset paging: `sort=asc` (the API's default is newest first, which `after_id` would walk the
        wrong way), `limit`, and `after_id` = the last id of the previous page; only an empty page ends
        the read (a short page may come before the end: its last id is still a cursor that loses nothing,
        and one more request per read is cheap). `end` is inclusive at LeadConduit, so one millisecond
        before ours is sent.
        """
        params: dict[str, Any] = {"sort": "asc", "limit": self.page_limit}
        if start is not None:
            params["start"] = _iso(start)
        if end is not None:
            params["end"] = _iso(end - dt.timedelta(milliseconds=1))
        after: str | None = None
        while True:
            page = self._get("/events", {**params, **({"after_id": after} if after else {})})
            if not isinstance(page, list) or not all(isinstance(e, dict) and isinstance(e.get("id"), str)
                                                     for e in page):
                raise SourceApiError("GET /events: expected a JSON array of events with string ids")
            ids = [e["id"] for e in page]
            # ObjectIds are fixed-width hex: text order is creation order. A page out of order means the
            # server did not sort ascending, and after_id would skip or repeat events.
            if ids != sorted(ids) or (after is not None and ids and ids[0] <= after):
                raise SourceApiError("GET /events: events are not in ascending id order after "
                                     f"{after!r}; refusing to page on")
            if not page:
                return
            yield page
            after = ids[-1]


def _iso(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("LeadConduit query times must be timezone-aware")
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
