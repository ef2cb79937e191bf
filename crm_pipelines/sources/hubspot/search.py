"""HubSpot search (POST /crm/v3/objects/{type}/search): records modified in a window, by keyset on
hs_object_id (never near the 10,000-result cap), with several id ranges of one window in flight.

A mixin of HubSpotResource: it uses the resource's HTTP client, its search budget and its settings
(`search_page_size`, `search_result_cap`, `search_windows_in_flight`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from functools import partial
from typing import Any

from crm_pipelines.core.http import SourceApiError
from crm_pipelines.core.streaming import Prefetch
from crm_pipelines.sources.hubspot.responses import next_cursor, results_of

_START: tuple[str | None, str | None] = (None, None)  # a search cursor: (last id read, offset)


class Search:
    search_page_size: int
    search_result_cap: int
    search_windows_in_flight: int

    def search_count(self, object_type: str, modified_property: str, start: dt.datetime, end: dt.datetime) -> int:
        """HubSpot's own count (`total`, not capped) of records with start <= modified < end."""
        body = {"filterGroups": [{"filters": _window_filters(modified_property, start, end)}],
                "properties": ["hs_object_id"], "limit": 1}
        data = self.http.request_json("POST", f"/crm/v3/objects/{object_type}/search", json=body,
                                      limiter=self.limiter("search"))[1]
        if not isinstance(data, dict) or not isinstance(data.get("total"), int):
            raise SourceApiError(f"search on {object_type}: response has no integer 'total'")
        return data["total"]

    def search_modified(self, object_type: str, properties: Sequence[str], modified_property: str,
                        start: dt.datetime, end: dt.datetime, *,
                        above_id: str | None = None) -> Iterator[list[dict[str, Any]]]:
        """Records with start <= modified < end (and hs_object_id > `above_id` if given), by keyset on
        hs_object_id; several id ranges in flight.

        A search request waits its latency (150-800 ms at HubSpot) while the search budget would allow
        the next one, so one chain of requests alone cannot use the budget. The first page says how many
        records the window holds (`total`); a window with at least two pages left per chain in flight is
        cut into consecutive id ranges of about equal counts (`_id_ranges`), and up to
        `search_windows_in_flight` of them are paged at once, sharing the one search limiter. A smaller
        window costs no request more than one chain.
        """
        path = f"/crm/v3/objects/{object_type}/search"
        base_filters = _window_filters(modified_property, start, end)
        if above_id is not None:
            base_filters.append({"propertyName": "hs_object_id", "operator": "GT", "value": above_id})
        first = self._search_page(path, properties, base_filters, _START)
        results, cursor = self._follow(path, first, _START)
        if results:
            yield results
        if cursor is None:
            return
        last_id, after = cursor
        total, in_flight = first.get("total"), self.search_windows_in_flight
        left = total - len(results) if isinstance(total, int) else 0
        page = self.search_page_size
        widest = (self.search_result_cap - 1) // page  # pages one range query can reach below the cap
        # (an empty page with a cursor goes on by offset: that is the one chain's business)
        if in_flight <= 1 or after is not None or left < 2 * in_flight * page or widest < 2:
            yield from self._search_chain(path, properties, base_filters, cursor)
            return
        # Two ranges per chain in flight, so a chain that finishes early takes another instead of idling;
        # whole pages per range, at most what one query can page through (the cap).
        pages_per_range = min(max(-(-left // (2 * in_flight * page)), 2), widest)
        chains = (partial(self._search_chain, path, properties, base_filters + bounds, first_page=first_page)
                  for bounds, first_page in self._id_ranges(path, properties, base_filters, last_id,
                                                            pages_per_range * page))
        pages = Prefetch.interleaved(chains, workers=in_flight, depth=2 * in_flight, name=f"search {object_type}")
        try:
            yield from pages
        finally:
            pages.close()

    def _id_ranges(self, path: str, properties: Sequence[str], base_filters: list[dict[str, str]], last_id: str,
                   ids_per_range: int) -> Iterator[tuple[list[dict[str, str]], list[dict[str, Any]] | None]]:
        """Consecutive hs_object_id ranges above `last_id` of about `ids_per_range` records each, as
        (bounds, the range's first page if already read).

        A range ends where HubSpot's own order puts the record at offset `ids_per_range` of the rest, so
        the ranges follow HubSpot's order and density: ids are far from uniform (they jumped from 5 to
        11-12 digits at HubSpot). Ranges that share their bounds and are open at both ends leave no gap
        under any order, so comparing ids as text or as numbers (API_SHAPES §1.6) cannot lose a record;
        only if HubSpot sorted one way and compared the other could two ranges overlap, and a record read
        twice is deduplicated per batch and upserted idempotently. The request that finds a boundary
        reads a whole page from there, which is the next range's first page: boundaries cost no request of
        their own. Generated lazily, one range at a time; a record modified mid-sync keeps its id, so it
        stays in its range.
        """
        lower = {"propertyName": "hs_object_id", "operator": "GT", "value": last_id}
        first_page: list[dict[str, Any]] | None = None
        while True:
            data = self._search_page(path, properties, [*base_filters, lower], (None, str(ids_per_range)))
            following = results_of(data, path)
            if not following:
                yield [lower], first_page
                return
            upper = str(following[0]["id"])
            yield [lower, {"propertyName": "hs_object_id", "operator": "LT", "value": upper}], first_page
            lower = {"propertyName": "hs_object_id", "operator": "GTE", "value": upper}
            first_page = following

    def _search_page(self, path: str, properties: Sequence[str], filters: list[dict[str, str]],
                     cursor: tuple[str | None, str | None], *, descending: bool = False) -> Any:
        """One page of a search sorted by hs_object_id (ascending, or `descending`), from after `cursor` =
        (last id read, offset)."""
        last_id, after = cursor
        if last_id is not None:
            filters = [*filters, {"propertyName": "hs_object_id", "operator": "LT" if descending else "GT",
                                  "value": last_id}]
        body: dict[str, Any] = {
            "filterGroups": [{"filters": filters}] if filters else [],
            "sorts": [{"propertyName": "hs_object_id", "direction": "DESCENDING" if descending else "ASCENDING"}],
            "properties": list(properties),
            "limit": self.search_page_size,
        }
        if after is not None:
            body["after"] = after
        return self.http.request_json("POST", path, json=body, limiter=self.limiter("search"))[1]

    def _follow(self, path: str, data: Any, cursor: tuple[str | None, str | None],
                ) -> tuple[list[dict[str, Any]], tuple[str | None, str | None] | None]:
        """A search page's records and the cursor of the next page (None: the query has ended).

        The next page is a fresh query "hs_object_id > last id" instead of an offset: a record that moves
        out of the window mid-sync cannot shift later records past an offset, and no query ever reaches
        the 10,000-result cap. An empty page that still carries a cursor continues that query by offset.
        """
        results = results_of(data, path)
        next_after = next_cursor(data)
        if next_after is None:
            return results, None
        if results:
            return results, (str(results[-1]["id"]), None)
        if int(next_after) + self.search_page_size > self.search_result_cap:
            raise SourceApiError(f"POST {path}: empty pages with a cursor up to the {self.search_result_cap}"
                                 "-result cap; refusing to stop silently")
        return results, (cursor[0], next_after)

    def _search_chain(self, path: str, properties: Sequence[str], filters: list[dict[str, str]],
                      cursor: tuple[str | None, str | None] | None = None, *,
                      first_page: list[dict[str, Any]] | None = None,
                      descending: bool = False) -> Iterator[list[dict[str, Any]]]:
        """One filtered search paged by keyset (`_follow`), from `cursor` or from after `first_page`."""
        if first_page:
            yield first_page
            cursor = (str(first_page[-1]["id"]), None)
        cursor = cursor or _START
        while cursor is not None:
            data = self._search_page(path, properties, filters, cursor, descending=descending)
            results, cursor = self._follow(path, data, cursor)
            if results:
                yield results


def _window_filters(modified_property: str, start: dt.datetime, end: dt.datetime) -> list[dict[str, str]]:
    return [{"propertyName": modified_property, "operator": "GTE", "value": str(_epoch_ms(start))},
            {"propertyName": modified_property, "operator": "LT", "value": str(_epoch_ms(end))}]


def _epoch_ms(moment: dt.datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("search windows must be timezone-aware")
    return int(moment.timestamp() * 1000)
