"""A full read of one HubSpot object type on both of its rate budgets at once (BEHAVIOR.md #22).

The list endpoint's cursor is opaque: page k+1 cannot be asked for before page k is back, so one chain of
list requests uses at most 1 / latency requests a second (65 % of the ten-secondly budget at 150 ms).
Search has a budget of its own (5 / s at HubSpot, exempt from the ten-secondly one) and can be cut into id
ranges read at once. A paced full read therefore reads the id space from both ends:

- the list chain from the lowest id up (HubSpot lists in id order, its cursor being the last id read; the
  chain checks the order on every page);
- search ranges from the highest id down (sorted by hs_object_id DESCENDING), each a keyset chain, up to
  `search_windows_in_flight` at once behind the search limiter. A range's lower bound is HubSpot's own
  record at offset N below the previous range, found by a request whose page is the next range's first
  page (`Search._id_ranges`, mirrored), so bounds cost no request and no query nears the 10,000 cap;

until they meet (`Meeting`): a range is handed out only while the list has not read into it, and the list
stops at the lowest bound handed out. Neither side's share is fixed in advance: each reads as fast as its
budget and latency allow, and range sizes shrink with what is left, so both finish together.

Search sees writes a few seconds late. A record created or unarchived just before its range is read can
be missing from search, which the list would have returned; so once both sides are done, and at least
`search_index_lag_s` after the read began, one more search reads the records above the meeting point
modified since 15 minutes before the read began (`TAIL_LOOKBACK`, a partition's lookback). A record
archived just before the read may still be returned by search: the archived listing, which the caller
reads after this (as before), soft-deletes it.

If either side ever returns ids out of numeric order, the meeting point means nothing: no range is handed
out any more and the list reads on to its end, so the read stays complete (records read twice are
deduplicated by the load).
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any

from crm_pipelines.core.streaming import Prefetch
from crm_pipelines.sources.hubspot.responses import next_cursor, results_of

log = logging.getLogger(__name__)

Records = list[dict[str, Any]]
TAIL_LOOKBACK = dt.timedelta(minutes=15)  # as a partition window's lookback (BEHAVIOR.md #16)
SEARCH_RECORDS = "records_via_search"  # metadata: records a full read got through search
_MIN_RANGE_PAGES = 2  # a range's first page comes with the request that bounds the range above it


class Meeting:
    """Where the list chain (lowest ids up) and the search ranges (highest ids down) meet. Thread-safe."""

    def __init__(self, total: int, nominal_search_share: float):
        self.total = total  # HubSpot's count of active records when the read began
        self.nominal_search_share = nominal_search_share
        self.started = time.monotonic()
        self._cond = threading.Condition()
        self.floor: int | None = None  # the ranges handed out cover every id above it
        self.broken: str | None = None  # why the numeric order cannot be trusted: the list then reads it all
        self._list_top = -1
        self._list_records = 0
        self._search_records = 0
        self._assigned = 0  # records of the ranges handed out, as counted when handed out
        self._open_ranges = 0
        self._closed = False  # no range will be handed out any more
        self._ranges_ended = False
        self._cancelled = False

    # -- the list's side ---------------------------------------------------------------------------------
    def list_page(self, last_id: int | None, count: int) -> int | None:
        """The list read `count` records up to `last_id`; the floor it must stop at, if any yet."""
        with self._cond:
            self._list_records += count
            if last_id is not None:
                self._list_top = max(self._list_top, last_id)
            return None if self.broken else self.floor

    def wait_for_search(self) -> bool:
        """The list reached the floor: hand out no more ranges, wait until those handed out are read.
        False if the read was cancelled meanwhile (a failure elsewhere, or the consumer stopped)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            self._cond.wait_for(lambda: self._cancelled or (self._ranges_ended and not self._open_ranges))
            return not self._cancelled

    def list_ended(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    # -- the search side ---------------------------------------------------------------------------------
    @property
    def closed(self) -> bool:
        with self._cond:
            return self._closed or self._cancelled

    def next_range_size(self, page: int, in_flight: int, widest_pages: int) -> int:
        """Records for the next range: about a quarter of what each chain should still read, so chains that
        finish early take another range, and ranges shrink as the sides close in on each other."""
        with self._cond:
            left = max(self.total - self._list_records - self._assigned, 0)
            if self._list_records and self._search_records:
                share = self._search_records / (self._list_records + self._search_records)
            else:
                share = self.nominal_search_share
        pages = -(-int(left * share) // (2 * in_flight * page))
        return min(max(pages, _MIN_RANGE_PAGES), widest_pages) * page

    def hand_out(self, lower: int, records: int) -> bool:
        """Cover every id above `lower` by search, unless the list has read past it (then it is the list's)."""
        with self._cond:
            if self._closed or self._cancelled or self.broken or self._list_top > lower:
                self._closed = True
                self._cond.notify_all()
                return False
            self.floor = lower
            self._open_ranges += 1
            self._assigned += records
            return True

    def search_page(self, count: int) -> None:
        with self._cond:
            self._search_records += count

    def range_done(self) -> None:
        with self._cond:
            self._open_ranges -= 1
            self._cond.notify_all()

    def ranges_ended(self) -> None:
        with self._cond:
            self._closed = self._ranges_ended = True
            self._cond.notify_all()

    # -- either ------------------------------------------------------------------------------------------
    def break_order(self, reason: str) -> None:
        with self._cond:
            if self.broken is None:
                log.warning("HubSpot full read: %s; the list endpoint reads every record instead", reason)
                self.broken = reason
            self._closed = True
            self._cond.notify_all()

    def cancel(self) -> None:
        with self._cond:
            self._cancelled = True
            self._cond.notify_all()


class FullRead:
    """A mixin of HubSpotResource: it uses the resource's HTTP client, its budgets, its list and search."""

    requests_per_10s: int
    search_requests_per_s: int
    list_page_size: int
    search_page_size: int
    search_result_cap: int
    search_windows_in_flight: int
    full_read_via_search: bool
    search_index_lag_s: float

    def read_everything(self, object_type: str, properties: Sequence[str],
                        modified_property: str) -> Iterator[Records]:
        """Every active record once (a record modified during the read may come twice): through the list
        endpoint alone when pacing is off or the set is small, else from both ends (module docstring)."""
        if not (self.full_read_via_search and self.requests_per_10s and self.search_requests_per_s):
            yield from self.list_objects(object_type, properties)
            return
        began = dt.datetime.now(dt.timezone.utc)
        path = f"/crm/v3/objects/{object_type}/search"
        top = self._search_page(path, properties, [], (None, None), descending=True)
        head, total = results_of(top, path), top.get("total")
        if not isinstance(total, int) or next_cursor(top) is None or total < self._worth_splitting():
            yield from self.list_objects(object_type, properties)
            return
        meeting = Meeting(total, self._nominal_search_share())
        if _descending(_ids(head), None, None) is None:
            meeting.break_order("search returned ids out of numeric order")
        sources = itertools.chain([partial(self._list_until_meeting, object_type, properties, meeting)],
                                  self._ranges_downward(path, properties, meeting, head))
        workers = 1 + self.search_windows_in_flight
        pages = Prefetch.interleaved(sources, workers=workers, depth=2 * workers, name=f"full read {object_type}")
        try:
            yield from pages
        finally:
            meeting.cancel()  # wakes a list chain waiting at the meeting point before the threads are joined
            pages.close()
        if meeting.floor is None or meeting.broken is not None:
            return  # the list read everything
        # What search did not see yet when its ranges were read: a write from before the read is in its
        # index once the lag has passed since the read began.
        time.sleep(max(self.search_index_lag_s - (time.monotonic() - meeting.started), 0))
        for results in self.search_modified(object_type, properties, modified_property, began - TAIL_LOOKBACK,
                                            dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1),
                                            above_id=str(meeting.floor)):
            self.count_event(SEARCH_RECORDS, len(results))
            yield results

    def _worth_splitting(self) -> int:
        """Fewest records to split: as many as the list alone reads in twice the index lag at full budget
        (below that, waiting out the lag before the last search costs more than the split saves), and
        enough for two ranges of two pages."""
        list_per_s = self.requests_per_10s / 10 * self.list_page_size
        return max(int(2 * self.search_index_lag_s * list_per_s), 4 * self.search_page_size)

    def _nominal_search_share(self) -> float:
        search = self.search_requests_per_s * self.search_page_size
        return search / (search + self.requests_per_10s / 10 * self.list_page_size)

    def _list_until_meeting(self, object_type: str, properties: Sequence[str],
                            meeting: Meeting) -> Iterator[Records]:
        """The list from the lowest id up to the meeting point (to its end if the order broke)."""
        pages = self.list_objects(object_type, properties)
        try:
            last: int | None = None
            for results in pages:
                ids = _ids(results)
                if ids is None or (ids and last is not None and ids[0] < last) or ids != sorted(set(ids)):
                    meeting.break_order("the list endpoint returned ids out of numeric order")
                elif ids:
                    last = ids[-1]
                floor = meeting.list_page(last, len(results))
                if floor is None or last is None or last < floor:
                    yield results
                    continue
                mine = [r for r, i in zip(results, ids) if i <= floor]
                held = [r for r, i in zip(results, ids) if i > floor]  # the search ranges' own
                if mine:
                    yield mine
                if not meeting.wait_for_search() or meeting.broken is None:
                    return
                if held:
                    yield held
                yield from pages
                return
        finally:
            meeting.list_ended()
            pages.close()

    def _ranges_downward(self, path: str, properties: Sequence[str], meeting: Meeting,
                         head: Records) -> Iterator[Callable[[], Iterator[Records]]]:
        """Search ranges (lower, upper] from the top down, each with its first page, while the list has not
        read into them. `head` is the first page of the top range."""
        page = self.search_page_size
        widest = (self.search_result_cap - 1) // page  # pages one range query can reach below the cap
        upper: int | None = None  # inclusive; None: the top
        try:
            while not meeting.closed:
                records = meeting.next_range_size(page, self.search_windows_in_flight, widest)
                bound = [] if upper is None else [_id_filter("LTE", upper)]
                following = results_of(self._search_page(path, properties, bound, (None, str(records)),
                                                         descending=True), path)
                if not following:
                    return  # fewer than `records` left below `upper`: the list reads them
                ids = _descending(_ids(following), None, upper)
                if ids is None:
                    meeting.break_order("search returned ids out of numeric order")
                    return
                if not meeting.hand_out(ids[0], records):
                    return
                yield partial(self._range_chain, path, properties, meeting, ids[0], upper, head)
                upper, head = ids[0], following
        except BaseException:
            meeting.cancel()
            raise
        finally:
            meeting.ranges_ended()

    def _range_chain(self, path: str, properties: Sequence[str], meeting: Meeting, lower: int,
                     upper: int | None, head: Records) -> Iterator[Records]:
        """The records with lower < id <= upper, from the top down by keyset, starting with `head`."""
        filters = [_id_filter("GT", lower)] + ([] if upper is None else [_id_filter("LTE", upper)])
        first = [r for r in head if _id(r) is not None and _id(r) > lower]
        previous = upper
        try:
            for results in self._search_chain(path, properties, filters, first_page=first or None, descending=True):
                ids = _descending(_ids(results), lower, previous)
                if ids is None:
                    meeting.break_order("search returned ids out of numeric order")
                else:
                    previous = ids[-1] - 1 if ids else previous
                meeting.search_page(len(results))
                self.count_event(SEARCH_RECORDS, len(results))
                yield results
        except BaseException:
            meeting.cancel()
            raise
        finally:
            meeting.range_done()


def _id_filter(operator: str, value: int) -> dict[str, str]:
    return {"propertyName": "hs_object_id", "operator": operator, "value": str(value)}


def _id(record: dict[str, Any]) -> int | None:
    text = str(record.get("id", ""))
    return int(text) if text.isdigit() else None


def _ids(records: Records) -> list[int] | None:
    """The records' ids as numbers, or None if one is not a number."""
    ids = [_id(r) for r in records]
    return None if None in ids else ids  # type: ignore[return-value]


def _descending(ids: list[int] | None, above: int | None, at_most: int | None) -> list[int] | None:
    """`ids` if they strictly decrease within (above, at_most], else None."""
    if ids is None or any(a <= b for a, b in zip(ids, ids[1:])):
        return None
    if ids and ((at_most is not None and ids[0] > at_most) or (above is not None and ids[-1] <= above)):
        return None
    return ids
