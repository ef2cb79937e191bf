"""What the asset factory and the removal assets need from a source's client, whatever it talks to.

A client is the Dagster resource an EntitySpec names (`resource_key`). Core asks it two things
(`SourceClient`): `call_stats()`, the running count of calls to the source and of retries (the
`api_calls` and `retries` metadata; for a database source a call is a query) with any counts of the
source's own (`count_event(name)`, e.g. characters removed from payloads: metadata under that name), and optionally
`fetch_ahead_pages()`, how many pages to read ahead in a thread (0 or absent: none). Everything else
between a client and its EntitySpecs is the source's own business.

`SourceResource` is the base every client resource can build on: a thread-safe call counter
(`count_call()`, `count_retry()`) and the rate budgets it declares (`budgets()`, `limiter(name)`;
crm_pipelines.core.ratelimit), shared through Redis across processes when CRM_RATE_LIMIT_REDIS_URL is set
(`budget_scope()` names whose budget it is there). HTTP clients get both from HttpSourceResource (crm_pipelines.core.http),
which counts for them; a database client calls `count_call()` per query and `count_retry()` per retry.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from dagster import ConfigurableResource
from pydantic import PrivateAttr

from crm_pipelines.core.ratelimit import Budget, Limiter, Limiters
from crm_pipelines.core.shared_ratelimit import shared_store


@dataclass
class CallStats:
    api_calls: int = 0
    retries: int = 0
    # Counts of the source's own, by metadata key (e.g. `invalid_characters_removed`).
    events: dict[str, int] = field(default_factory=dict)


class CallCounter:
    """Counts calls and retries from any number of threads; `stats` is live (read it before and after)."""

    def __init__(self) -> None:
        self.stats = CallStats()
        self._lock = threading.Lock()

    def count_call(self, n: int = 1) -> None:
        with self._lock:
            self.stats.api_calls += n

    def count_retry(self, n: int = 1) -> None:
        with self._lock:
            self.stats.retries += n

    def count_event(self, name: str, n: int = 1) -> None:
        with self._lock:
            self.stats.events[name] = self.stats.events.get(name, 0) + n


@runtime_checkable
class SourceClient(Protocol):
    def call_stats(self) -> CallStats:
        """The live counts of calls to the source (requests, queries) and retries since the client began."""


def fetch_ahead_pages(client: Any) -> int:
    """Pages `client` wants fetched ahead in a thread (its optional `fetch_ahead_pages()`), else 0."""
    ask = getattr(client, "fetch_ahead_pages", None)
    return ask() if ask is not None else 0


class SourceResource(ConfigurableResource):
    """Base of a source's client resource: counts calls and retries, builds limiters from `budgets()`."""

    _counter: CallCounter = PrivateAttr(default_factory=CallCounter)
    _limiters: Limiters | None = PrivateAttr(default=None)
    _limiters_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def budgets(self) -> dict[str, Budget]:
        """The source's client-side rate budgets by name, from the resource's `requests_per_<period>` fields
        (0 calls = off). None by default."""
        return {}

    def budget_scope(self) -> str:
        """Whose budgets these are in a shared store: every client with the same scope draws on one budget
        (by default, every resource of this class)."""
        return type(self).__name__

    def limiter(self, name: str) -> Limiter | None:
        """The one shared limiter of budget `name` (None when it is off); acquire it before each call."""
        with self._limiters_lock:
            if self._limiters is None:
                self._limiters = Limiters(self.budgets, scope=self.budget_scope(), store=shared_store())
        return self._limiters.get(name)

    def count_call(self, n: int = 1) -> None:
        self._counter.count_call(n)

    def count_retry(self, n: int = 1) -> None:
        self._counter.count_retry(n)

    def count_event(self, name: str, n: int = 1) -> None:
        """Count something of the source's own; the sync reports it as metadata `name` (int)."""
        self._counter.count_event(name, n)

    def call_stats(self) -> CallStats:
        return self._counter.stats
