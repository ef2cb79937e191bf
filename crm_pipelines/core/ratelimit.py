"""Client-side rate budgets: a resource declares them, core builds and shares one limiter per budget.

A source's resource declares its budgets as `budgets() -> {name: Budget(calls, period_s)}` from its own
fields (convention: fields named `requests_per_<period>`, `0` = off) and asks `limiter(name)` before each
request. `Limiters` builds each limiter on first use, once per name even when request chains run in
threads, with the window made a little longer than the source's (`skewed_window`). With a shared store
(Redis, crm_pipelines.core.shared_ratelimit) every process using the same scope draws on one budget.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any, NamedTuple, Protocol

# The smallest widening of a budget's window; see skewed_window.
SKEW_ALLOWANCE_S = 0.08


class Budget(NamedTuple):
    """At most `calls` request starts per `period_s` seconds; `calls == 0` turns the budget off."""

    calls: int
    period_s: float


class Limiter(Protocol):
    max_calls: int
    period_s: float

    def acquire(self) -> None:
        """Block until one more request may start within the budget; count it."""


class SlidingWindowLimiter:
    """At most `max_calls` request starts in any window of `period_s` seconds.

    A token bucket would let a full burst plus its refill through within one window, which a rolling
    server-side window (a "ten-secondly rolling" limit) answers with 429s; a log of the last starts cannot.
    """

    def __init__(self, max_calls: int, period_s: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        if max_calls < 1 or period_s <= 0:
            raise ValueError("rate limit needs max_calls >= 1 and period_s > 0")
        self.max_calls = max_calls
        self.period_s = period_s
        self._starts: deque[float] = deque()
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    def acquire(self) -> None:
        while True:
            with self._lock:
                now = self._clock()
                while self._starts and now - self._starts[0] >= self.period_s:
                    self._starts.popleft()
                if len(self._starts) < self.max_calls:
                    self._starts.append(now)
                    return
                wait = self.period_s - (now - self._starts[0])
            self._sleep(max(wait, 0.001))


def skewed_window(period_s: float) -> float:
    """The window a limiter keeps for a source's `period_s`.

    The source counts a request when it gets to it, we when we send it: if request k was delayed more than
    request k + calls (thread scheduling here, queueing there), the two land closer than we sent them. The
    window is longer by what such delays add up to: at most ~70 ms measured in the rate-limit benchmark
    against the sandbox (send 39 ms, server-side 30 ms), and 2 % on a ten-second window (six 429s a minute
    at 50 ms latency without it).
    """
    return period_s + max(0.02 * period_s, SKEW_ALLOWANCE_S)


class Limiters:
    """One limiter per budget name, built on first use from `budgets()` and shared by every thread.

    With a Redis client as `store`, each budget is the log under `scope` and its name in Redis, shared by
    every process of every machine that uses the same scope (crm_pipelines.core.shared_ratelimit)."""

    def __init__(self, budgets: Callable[[], dict[str, Budget]], *, scope: str = "", store: Any = None):
        self._budgets = budgets
        self._scope = scope
        self._store = store
        self._built: dict[str, Limiter | None] = {}
        self._lock = threading.Lock()

    def _build(self, name: str, calls: int, period_s: float) -> Limiter:
        if self._store is None:
            return SlidingWindowLimiter(calls, skewed_window(period_s))
        from crm_pipelines.core.shared_ratelimit import RedisSlidingWindowLimiter, budget_key

        return RedisSlidingWindowLimiter(self._store, budget_key(self._scope, name), calls, skewed_window(period_s))

    def get(self, name: str) -> Limiter | None:
        """The limiter of budget `name`, or None when the budget is off (0 calls)."""
        with self._lock:  # request chains run in threads: one limiter per budget, never two
            if name not in self._built:
                budgets = self._budgets()
                if name not in budgets:
                    raise KeyError(f"no rate budget named {name!r} (declared: {sorted(budgets)})")
                calls, period_s = budgets[name]
                if calls < 0 or period_s <= 0:
                    raise ValueError(f"rate budget {name!r} needs calls >= 0 and period_s > 0, got "
                                     f"{calls} per {period_s} s")
                self._built[name] = self._build(name, calls, period_s) if calls else None
            return self._built[name]
