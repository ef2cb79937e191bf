"""Building blocks of per-client rate limits: rolling windows and a daily quota (UTC days).

An emulator composes them into its CRM's policy (which buckets, which headers, what a refusal looks like).
Only accepted requests are counted, so a client that waits the advised time gets through.
"""

from __future__ import annotations

import math
import time
from collections import deque


class RollingWindow:
    """Times of accepted requests over the last `seconds` (monotonic clock)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.times: deque[float] = deque()

    def used(self, now: float | None = None) -> int:
        now = time.monotonic() if now is None else now
        horizon = now - self.seconds
        while self.times and self.times[0] <= horizon:
            self.times.popleft()
        return len(self.times)

    def retry_after(self, limit: int, now: float) -> int | None:
        """Whole seconds until a slot frees, or None if a request is allowed now."""
        if self.used(now) < limit:
            return None
        return max(1, math.ceil(self.times[0] + self.seconds - now))

    def add(self, now: float) -> None:
        self.times.append(now)

    def since(self, horizon: float) -> int:
        """Accepted requests after `horizon`, without forgetting older ones."""
        return sum(1 for t in reversed(self.times) if t > horizon)


class DailyQuota:
    """Accepted requests of the current UTC day."""

    def __init__(self) -> None:
        self.day = 0
        self.count = 0

    def retry_after(self, limit: int | None) -> int | None:
        """Seconds until midnight UTC if the day's `limit` is used up, else None."""
        day = int(time.time() // 86400)
        if self.day != day:
            self.day, self.count = day, 0
        if limit is not None and self.count >= limit:
            return max(1, math.ceil(86400 - time.time() % 86400))
        return None

    def add(self) -> None:
        self.count += 1
