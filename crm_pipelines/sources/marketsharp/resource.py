"""MarketSharp OData v2 client resource: HMAC-signed requests, Atom feeds parsed safely, the server's
`rel="next"` links followed, reads keyed on (lastUpdate, id), offset-less times read in the company's zone
(see BEHAVIOR.md)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dagster import Failure
from pydantic import field_validator

from crm_pipelines.core.config_rules import between
from crm_pipelines.core.http import HttpSourceResource, SourceApiError
from crm_pipelines.core.ratelimit import Budget
from crm_pipelines.sources.marketsharp.atom import Feed, UnsafeXmlError, parse_feed
from crm_pipelines.sources.marketsharp.auth import MarketSharpAuth
from crm_pipelines.sources.marketsharp.sets import LAST_UPDATE, SetDef

COMPANY_ID_ENV = "MARKETSHARP_COMPANY_ID"
API_KEY_ENV = "MARKETSHARP_API_KEY"
SECRET_KEY_ENV = "MARKETSHARP_SECRET_KEY"
BASE_URL_ENV = "MARKETSHARP_BASE_URL"
TIMEZONE_ENV = "MARKETSHARP_TIMEZONE"
DEFAULT_BASE_URL = "https://api4.marketsharpm.com/WcfDataService.svc"
DEFAULT_TIMEZONE = "America/New_York"
ATOM_ACCEPT = {"Accept": "application/atom+xml"}
INVALID_CHARACTERS = "invalid_characters_removed"  # metadata key: characters XML forbids, removed before parsing

Records = list[dict[str, Any]]
log = logging.getLogger(__name__)

_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?\Z", re.ASCII)


class MarketSharpAuthError(Failure):
    """MarketSharp answered 401. Names the variables, never their values."""


class MarketSharpPayloadError(Failure):
    """A feed the client refuses to read (a DTD, entities, not Atom)."""


def parse_local(text: str) -> dt.datetime:
    """An `Edm.DateTime` literal (no offset, up to 7 fractional digits) as a naive datetime."""
    if not _DATETIME.match(text):
        text = text.strip()
        if not _DATETIME.match(text):
            raise ValueError(f"not an Edm.DateTime: {text!r}")
    return dt.datetime.fromisoformat(text)  # the pattern admits no offset; digits past the 6th are dropped


def local_or_text(text: str) -> dt.datetime | str:
    """A naive local datetime, or the text itself when it is not one (the schema then flags it)."""
    try:
        return parse_local(text)
    except ValueError:
        return text


# Only times are typed while reading: the cursor compares them and they must become UTC. Every other value
# stays text for the schema's converters, which null a malformed one and record it in `_issues`.
CONVERTERS = {"Edm.DateTime": local_or_text}


class UtcText:
    """`to_utc(local).isoformat()` at a third of the cost, for every time of a page: the offset is looked up
    once per local hour. An hour whose first and last instants have different offsets (one holding a change
    of offset, even at half past as on Lord Howe Island) is converted value by value."""

    _MIXED = object()

    def __init__(self, clock: "MarketSharpResource") -> None:
        self._clock = clock
        self._zone = clock.zone
        self._offsets: dict[int, Any] = {}

    def __call__(self, local: dt.datetime) -> str:
        hour = local.toordinal() * 24 + local.hour
        offset = self._offsets.get(hour)
        if offset is None:
            start = local.replace(minute=0, second=0, microsecond=0, tzinfo=self._zone, fold=0)
            last = start.replace(minute=59, second=59, microsecond=999_999)
            offset = start.utcoffset() if start.utcoffset() == last.utcoffset() else self._MIXED
            self._offsets[hour] = offset
        if offset is self._MIXED:
            return self._clock.to_utc(local).isoformat()
        return (local - offset).isoformat() + "+00:00"


def odata_datetime(local: dt.datetime) -> str:
    return f"datetime'{local.strftime('%Y-%m-%dT%H:%M:%S.%f')}'"


class MarketSharpResource(HttpSourceResource):
    base_url: str = DEFAULT_BASE_URL
    company_id: str
    api_key: str
    secret_key: str
    # The zone of MarketSharp's offset-less `Edm.DateTime` values (the company's local time).
    timezone: str = DEFAULT_TIMEZONE
    # `$top` of each query; the server may page below it with `rel="next"` links, which are followed.
    page_size: int = 5000
    # MarketSharp documents no rate limit; this keeps a run polite. 0 turns pacing off.
    requests_per_minute: int = 300

    _page_in_range = field_validator("page_size")(between(1, 100_000))
    _budget_not_negative = field_validator("requests_per_minute")(between(0, 1_000_000))

    @field_validator("timezone")
    @classmethod
    def _a_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{TIMEZONE_ENV}/timezone must be an IANA zone such as America/New_York, got {value!r}") from None
        return value

    def setup_for_execution(self, context) -> None:
        for name, value in ((COMPANY_ID_ENV, self.company_id), (API_KEY_ENV, self.api_key),
                            (SECRET_KEY_ENV, self.secret_key)):
            if not value.strip():
                raise Failure(f"{name} is empty: set it to the MarketSharp API credential "
                              "(Admin > Apps & Add-ons Setup > API Maintenance)")
        try:
            self.auth()
        except ValueError:
            raise Failure(f"{SECRET_KEY_ENV} is not base64: copy the secret key exactly as MarketSharp shows it") from None

    def auth(self) -> MarketSharpAuth:
        return MarketSharpAuth(self.company_id, self.api_key, self.secret_key)

    def secret_values(self) -> list[str]:
        return [self.api_key, self.secret_key]

    def budgets(self) -> dict[str, Budget]:
        return {"general": Budget(self.requests_per_minute, 60.0)}

    def fetch_ahead_pages(self) -> int:
        """Paced (the default), a sync waits on each page's answer: two pages fetched and parsed ahead hide
        that wait behind the typing and loading of the batch before. Unpaced (benchmarks, tests) the threads
        would only take turns holding the GIL."""
        if self.fetch_ahead is not None:
            return self.fetch_ahead
        return 2 if self.requests_per_minute > 0 else 0

    # --- times -------------------------------------------------------------------------------------------

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def to_utc(self, local: dt.datetime) -> dt.datetime:
        """Company-local wall time -> UTC. An ambiguous time (the repeated hour when clocks go back) is read
        as its first occurrence (fold=0, daylight time); a time that never existed (skipped when clocks go
        forward) is read with the offset before the change, i.e. as if the clock had not moved yet."""
        return local.replace(tzinfo=self.zone, fold=0).astimezone(dt.timezone.utc)

    def to_local(self, moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None:
            raise ValueError("window bounds must be timezone-aware")
        return moment.astimezone(self.zone).replace(tzinfo=None)

    def _finish(self, records: Records) -> Records:
        """Local `Edm.DateTime` values -> UTC ISO-8601 text (JSON-safe, with the offset)."""
        utc_text = UtcText(self)
        for record in records:
            for name, value in record.items():
                if isinstance(value, dt.datetime):
                    record[name] = utc_text(value)
        return records

    # --- requests ----------------------------------------------------------------------------------------

    def feed(self, path: str, params: dict[str, Any] | None = None) -> Feed:
        try:
            response = self.http.request_raw("GET", path, params=params, headers=ATOM_ACCEPT,
                                             limiter=self.limiter("general"))
        except SourceApiError as exc:
            if exc.status == 401:
                raise MarketSharpAuthError(
                    f"MarketSharp rejected the signature (HTTP 401 on GET {path.split('?')[0]}): check "
                    f"{COMPANY_ID_ENV}, {API_KEY_ENV} and {SECRET_KEY_ENV}, and that this machine's clock is "
                    "right (signatures are timestamped)") from None
            raise
        try:
            feed = parse_feed(response.content, CONVERTERS)
        except (UnsafeXmlError, ValueError, SyntaxError) as exc:  # ParseError is a SyntaxError
            raise MarketSharpPayloadError(f"GET {path.split('?')[0]}: unreadable feed: {exc}") from None
        # Real payloads carry them; the sync's metadata reports how many (`invalid_characters_removed`).
        self.count_event(INVALID_CHARACTERS, feed.removed_characters)
        if feed.removed_characters:
            log.debug("GET %s: removed %d characters XML forbids before parsing", path.split("?")[0],
                      feed.removed_characters)
        return feed

    def query(self, entity_set: str, params: dict[str, Any]) -> Iterator[Feed]:
        """One query's pages: the first answer, then each `rel="next"` link the server sends."""
        feed = self.feed(f"/{entity_set}", params)
        yield feed
        while feed.next_link:
            if not feed.next_link.startswith(self.base_url.rstrip("/") + "/"):
                # Requests are signed: never send a signature to a host the link merely names.
                raise SourceApiError(f"{entity_set}: next link leaves {self.base_url}: {feed.next_link[:200]}")
            feed = self.feed(feed.next_link)
            yield feed

    def read(self, setdef: SetDef, start: dt.datetime | None = None,
             end: dt.datetime | None = None) -> Iterator[Records]:
        """Every record of a set (in [start, end) of lastUpdate for a set that has it), page by page."""
        if setdef.incremental:
            yield from self._read_by_last_update(setdef, start, end)
        else:
            yield from self._read_by_offset(setdef)

    def _read_by_offset(self, setdef: SetDef) -> Iterator[Records]:
        """A set without lastUpdate: ordered by its key, `$skip` = rows read so far; only a query that returns
        nothing ends the read (a short page may be the server's own page size)."""
        read = 0
        while True:
            params = {"$orderby": setdef.key, "$top": self.page_size, **({"$skip": read} if read else {})}
            got = 0
            for feed in self.query(setdef.entity_set, params):
                got += len(feed.entries)
                if feed.entries:
                    yield self._finish(feed.entries)
            if got == 0:
                return
            read += got

    def _read_by_last_update(self, setdef: SetDef, start: dt.datetime | None,
                             end: dt.datetime | None) -> Iterator[Records]:
        """Keyset on (lastUpdate, id): each query asks for `lastUpdate ge <last one read>` ordered by
        lastUpdate then id, skipping the rows already read at exactly that time, so rows sharing a timestamp
        across a page boundary are neither lost nor repeated. Only a query with nothing new ends the read."""
        bounds = []
        if end is not None:
            bounds.append(f"{LAST_UPDATE} lt {odata_datetime(self.to_local(end))}")
        cursor = self.to_local(start) if start is not None else None
        at_cursor: set[str] = set()  # ids read whose lastUpdate equals the cursor
        while True:
            filters = ([f"{LAST_UPDATE} ge {odata_datetime(cursor)}"] if cursor is not None else []) + bounds
            params: dict[str, Any] = {"$orderby": f"{LAST_UPDATE},{setdef.key}", "$top": self.page_size}
            if filters:
                params["$filter"] = " and ".join(filters)
            if at_cursor:
                params["$skip"] = len(at_cursor)
            got, new = 0, 0
            for feed in self.query(setdef.entity_set, params):
                got += len(feed.entries)
                fresh = []
                for record in feed.entries:
                    moment = record.get(LAST_UPDATE)
                    record_id = str(record.get(setdef.key))
                    if not isinstance(moment, dt.datetime):
                        # None or malformed: kept (the schema flags a malformed one) without moving the cursor;
                        # the server filters and orders on its own value, so the keyset is unaffected.
                        fresh.append(record)
                        continue
                    if moment == cursor and record_id in at_cursor:
                        continue
                    if cursor is None or moment > cursor:
                        cursor, at_cursor = moment, set()
                    at_cursor.add(record_id)
                    fresh.append(record)
                new += len(fresh)
                if fresh:
                    yield self._finish(fresh)
            if got == 0:
                return
            if new == 0:
                raise SourceApiError(f"{setdef.entity_set}: a query past the last row read returned only rows "
                                     "already read; the server ignores $skip, so the rest cannot be reached")
