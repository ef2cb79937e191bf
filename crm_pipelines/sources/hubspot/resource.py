"""HubSpot CRM v3/v4 client resource: paging, the 10k search cap, rate budgets (see BEHAVIOR.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import quote

from dagster import Failure
from pydantic import field_validator

from crm_pipelines.core.config_rules import a_budget, between
from crm_pipelines.core.http import HeaderAuth, HttpSourceResource, SourceApiError
from crm_pipelines.core.ratelimit import Budget
from crm_pipelines.sources.hubspot.full_read import FullRead
from crm_pipelines.sources.hubspot.responses import next_cursor, results_of
from crm_pipelines.sources.hubspot.search import Search

TOKEN_ENV = "HUBSPOT_ACCESS_TOKEN"
# Documented per-request maxima (API_SHAPES.md §1.3, §1.6, §1.9, §1.11).
_PAGE_MAXIMA = {"search_page_size": 200, "list_page_size": 100, "owners_page_size": 500,
                "association_batch_size": 1000}
BATCH_READ_MAX = 100  # API_SHAPES.md §1.7
NOT_FOUND = "OBJECT_NOT_FOUND"


class HubSpotResource(FullRead, Search, HttpSourceResource):
    base_url: str = "https://api.hubapi.com"
    access_token: str
    # Client-side budgets below HubSpot's published limits (100 / 10 s on the lowest tier; search 5 / s),
    # so a sync never provokes a 429 in the first place. 0 disables a limiter (sandbox benchmarks).
    requests_per_10s: int = 95
    search_requests_per_s: int = 4
    search_page_size: int = 200
    search_result_cap: int = 10_000
    # Search chains (hs_object_id ranges of one window) in flight at once, sharing the search budget:
    # HubSpot answers a search in 150-800 ms, so one chain alone uses 1-6 of its 5 requests a second.
    search_windows_in_flight: int = 4
    # A paced full refresh reads the list endpoint from the lowest id up and search ranges from the highest
    # id down at once, each on its own budget (full_read.py, BEHAVIOR.md #22); False: the list alone.
    full_read_via_search: bool = True
    # How late HubSpot's search sees a write ("a few seconds"): a full read through search ends with a search
    # for what it may have missed, made at least this long after the read began (BEHAVIOR.md #22).
    search_index_lag_s: float = 10.0
    list_page_size: int = 100
    owners_page_size: int = 100
    association_batch_size: int = 1000
    division_object_type: str = "2-37778609"
    genius_user_object_type: str = "2-42119425"

    @field_validator(*_PAGE_MAXIMA)
    @classmethod
    def _within_hubspot_maximum(cls, value: int, info) -> int:
        maximum = _PAGE_MAXIMA[info.field_name]
        if not 1 <= value <= maximum:
            raise ValueError(f"{info.field_name} must be 1..{maximum} (HubSpot's maximum), got {value}")
        return value

    _sane_in_flight = field_validator("search_windows_in_flight")(between(1, 16))

    @field_validator("search_index_lag_s")
    @classmethod
    def _sane_lag(cls, value: float) -> float:
        if not 0 <= value <= 600:
            raise ValueError(f"search_index_lag_s must be between 0 and 600 seconds, got {value}")
        return value
    _budgets_are_counts = field_validator("requests_per_10s", "search_requests_per_s")(a_budget)

    def setup_for_execution(self, context) -> None:
        if not self.access_token.strip():
            raise Failure(f"{TOKEN_ENV} is empty: set it to a HubSpot private-app access token")

    def auth(self) -> HeaderAuth:
        return HeaderAuth({"Authorization": f"Bearer {self.access_token}"})

    def budgets(self) -> dict[str, Budget]:
        return {"general": Budget(self.requests_per_10s, 10.0), "search": Budget(self.search_requests_per_s, 1.0)}

    def secret_values(self) -> list[str]:
        return [self.access_token]

    def not_retryable(self, response) -> str | None:
        # The daily quota resets at midnight in the portal's time zone: hours of retries would only add
        # error responses (HubSpot asks to keep those under 5 % of calls).
        if response.status_code == 429 and b'"DAILY"' in response.content:
            return "HubSpot daily API limit reached"
        return None

    def fetch_ahead_pages(self) -> int:
        """A paced client (the default budget) spends most of a sync waiting for its next slot: fetching
        ahead hides the typing of each batch there. Unpaced (sandbox benchmarks, tests) it would only
        contend for the GIL with that typing."""
        if self.fetch_ahead is not None:
            return self.fetch_ahead
        return 16 if self.requests_per_10s > 0 else 0

    def _get(self, path: str, params: dict[str, Any]) -> Any:
        return self.http.request_json("GET", path, params=params, limiter=self.limiter("general"))[1]

    def list_objects(self, object_type: str, properties: Sequence[str], *,
                     archived: bool = False) -> Iterator[list[dict[str, Any]]]:
        """Every (non-)archived record via the list endpoint; ends only when `paging.next` is absent."""
        params: dict[str, Any] = {"limit": self.list_page_size, "properties": ",".join(properties),
                                  "archived": "true" if archived else "false"}
        yield from self._cursor_pages(f"/crm/v3/objects/{object_type}", params)

    def list_owners(self) -> Iterator[list[dict[str, Any]]]:
        yield from self._cursor_pages("/crm/v3/owners", {"limit": self.owners_page_size, "archived": "false"})

    def _cursor_pages(self, path: str, params: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
        seen_cursors: set[str] = set()
        while True:
            data = self._get(path, params)
            yield results_of(data, path)
            after = next_cursor(data)
            if after is None:
                return
            if after in seen_cursors:
                raise SourceApiError(f"GET {path}: the API returned cursor {after!r} twice; stopping, not looping")
            seen_cursors.add(after)
            params = {**params, "after": after}

    def associations(self, from_type: str, to_type: str, from_ids: Sequence[str]) -> AssociationListing:
        """All targets of each from-id (following HubSpot's per-id paging).

        From-ids reported in `errors` (HubSpot's way of saying "no associations", or a failure) get no
        entry; a from-id whose continuation page went missing is listed but not marked complete.
        """
        path = f"/crm/v4/associations/{from_type}/{to_type}/batch/read"
        listing = AssociationListing()
        inputs: list[dict[str, str]] = [{"id": str(i)} for i in from_ids]
        while inputs:
            chunk, inputs = inputs[: self.association_batch_size], inputs[self.association_batch_size:]
            _, data = self.http.request_json("POST", path, json={"inputs": chunk},
                                             limiter=self.limiter("general"), accept=(200, 207))
            answered = set()
            for result in results_of(data, path):
                from_id = str(result["from"]["id"])
                answered.add(from_id)
                listing.targets.setdefault(from_id, []).extend(result.get("to") or [])
                after = next_cursor(result)
                if after is not None:
                    inputs.append({"id": from_id, "after": after})
            # A continuation HubSpot did not answer leaves that id's listing partial.
            listing.incomplete.update(i["id"] for i in chunk if "after" in i and i["id"] not in answered)
        return listing


    def batch_read_existing(self, object_type: str, ids: Sequence[str]) -> tuple[set[str], list[str]]:
        """Ask batch/read about at most 100 ids: (ids HubSpot returned, candidates it may have deleted).

        Candidates are only ids HubSpot itself called OBJECT_NOT_FOUND (an error entry of a 207, or a 404
        for the whole call) and ids the answer does not mention at all; every candidate still needs
        `confirm_missing`. Any other error entry raises: it says nothing about existence.
        """
        wanted = list(dict.fromkeys(str(i) for i in ids))
        if not 1 <= len(wanted) <= BATCH_READ_MAX:
            raise ValueError(f"batch read takes 1..{BATCH_READ_MAX} ids, got {len(wanted)}")
        path = f"/crm/v3/objects/{object_type}/batch/read"
        status, data = self.http.request_json(
            "POST", path, json={"inputs": [{"id": i} for i in wanted], "properties": ["hs_object_id"]},
            limiter=self.limiter("general"), accept=(200, 207, 404))
        if status == 404:
            _require_not_found(data, f"POST {path}")
            return set(), wanted
        present = {str(r["id"]) for r in results_of(data, path)}
        for error in data.get("errors") or []:
            if error.get("category") != NOT_FOUND:
                raise SourceApiError(f"POST {path}: HubSpot answered {error.get('category')!r} for ids "
                                     f"{sorted(_context_ids(error))[:5]}: {error.get('message')!r}", status=status)
        # Not-found entries and unmentioned ids alike: a merged-away contact, for one, may be answered by
        # its surviving record's id, and only the GET can tell that from a deletion.
        return present, [i for i in wanted if i not in present]

    def confirm_missing(self, object_type: str, object_id: str) -> bool:
        """True only when a plain GET of the record answers 404 OBJECT_NOT_FOUND (archived records do too).

        A 200 means it exists (also when HubSpot answers with another id, as for a merged contact); any
        other answer raises after the client's retries.
        """
        path = f"/crm/v3/objects/{object_type}/{quote(str(object_id), safe='')}"
        status, data = self.http.request_json("GET", path, params={"properties": "hs_object_id"},
                                              limiter=self.limiter("general"), accept=(200, 404))
        if status == 200:
            return False
        _require_not_found(data, f"GET {path}")
        ids = _context_ids(data)
        if ids and str(object_id) not in ids:
            raise SourceApiError(f"GET {path}: a 404 about other ids {sorted(ids)[:5]}", status=status)
        return True


def _require_not_found(data: Any, what: str) -> None:
    # A 404 from a wrong route or a proxy is not HubSpot saying the record is gone.
    if not isinstance(data, dict) or data.get("category") != NOT_FOUND:
        category = data.get("category") if isinstance(data, dict) else None
        raise SourceApiError(f"{what}: 404 without category {NOT_FOUND} (got {category!r}); not evidence "
                             "of deletion", status=404, body=data)


def _context_ids(error: Any) -> set[str]:
    context = (error.get("context") if isinstance(error, dict) else None) or {}
    return {str(i) for key in ("ids", "id") for i in (context.get(key) or [])}


@dataclass
class AssociationListing:
    targets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    incomplete: set[str] = field(default_factory=set)

    @property
    def complete_ids(self) -> list[str]:
        return [i for i in self.targets if i not in self.incomplete]
