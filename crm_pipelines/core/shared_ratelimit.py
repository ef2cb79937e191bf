"""One rate budget for every process and machine that syncs a CRM: the sliding window log in Redis.

Selected by CRM_RATE_LIMIT_REDIS_URL (`redis://host:6379/0`); unset, each process keeps its own window
(crm_pipelines.core.ratelimit.SlidingWindowLimiter). Same rule as that limiter: at most `max_calls` request
starts in any window of `period_s` seconds, so a rolling server-side window never sees a burst.

Why a script of our own rather than a library: `limits`' moving window takes whole seconds (our windows
carry the skew allowance, 10.2 s and 1.08 s) and stamps entries with each client's clock, which drifts
between machines. Here the log is a sorted set stamped with Redis's own clock in one atomic script, so
every worker reads the same time and two workers cannot both take the last slot.

Redis unreachable means the request is not sent: a shared budget that silently fell back to per-process
windows would let N workers spend N budgets (the 429 storm this exists to prevent).
"""

from __future__ import annotations

import functools
import os
import time
import uuid
from collections.abc import Callable
from typing import Any

REDIS_URL_ENV = "CRM_RATE_LIMIT_REDIS_URL"
KEY_PREFIX = "crm_pipelines:ratelimit"

# KEYS[1]: the budget's log (member = one request start, score = its start in µs of Redis time).
# ARGV: max calls, window in µs, a member unique to this request. Returns 0 when the request may start
# now (and logs it), else the µs until the oldest start leaves the window.
_ACQUIRE = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000000 + tonumber(now_parts[2])
local max_calls = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < max_calls then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 1000)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
"""


class RedisSlidingWindowLimiter:
    """At most `max_calls` request starts in any window of `period_s` seconds, across every process
    that uses the same Redis `key`."""

    def __init__(self, redis: Any, key: str, max_calls: int, period_s: float, *,
                 sleep: Callable[[float], None] = time.sleep):
        if max_calls < 1 or period_s <= 0:
            raise ValueError("rate limit needs max_calls >= 1 and period_s > 0")
        self.max_calls = max_calls
        self.period_s = period_s
        self.key = key
        self._script = redis.register_script(_ACQUIRE)
        self._sleep = sleep

    def acquire(self) -> None:
        window_us = int(self.period_s * 1_000_000)
        member = uuid.uuid4().hex
        while True:
            wait_us = int(self._script(keys=[self.key], args=[self.max_calls, window_us, member]))
            if wait_us == 0:
                return
            self._sleep(max(wait_us / 1_000_000, 0.001))


@functools.lru_cache(maxsize=4)
def _client(url: str) -> Any:
    import redis  # only where a shared store is configured

    try:
        # One pool per process and URL: every resource of every step shares its connections.
        return redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5, health_check_interval=30)
    except ValueError as exc:
        raise ValueError(f"{REDIS_URL_ENV} is not a Redis URL (redis://host:6379/0): {exc}") from None


def shared_store() -> Any | None:
    """The Redis client named by CRM_RATE_LIMIT_REDIS_URL, or None when it is unset (per-process budgets).
    A malformed URL raises naming the variable; call it at load to fail there."""
    url = os.environ.get(REDIS_URL_ENV, "").strip()
    return _client(url) if url else None


def budget_key(scope: str, name: str) -> str:
    return f"{KEY_PREFIX}:{scope}:{name}"
