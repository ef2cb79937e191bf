"""Per-token rate limits (API_SHAPES §1.12): ten-secondly rolling, search's own secondly bucket, daily."""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass, field

from .config import HubSpotConfig


@dataclass
class _TokenState:
    burst: deque = field(default_factory=deque)  # accepted non-search request times, last 10 s
    search: deque = field(default_factory=deque)  # accepted search request times, last 1 s
    day: int = 0
    day_count: int = 0


@dataclass
class Verdict:
    policy: str
    retry_after_s: int


class RateLimiter:
    def __init__(self, cfg: HubSpotConfig) -> None:
        self.ten_secondly = cfg.ten_secondly_limit
        self.search_per_second = cfg.search_per_second
        self.daily = cfg.daily_limit
        self._tokens: dict[str, _TokenState] = {}

    def check(self, token: str, is_search: bool, now: float | None = None) -> Verdict | None:
        """Count the request if allowed; otherwise say which policy refused it and for how long.

        Refused requests are not counted, so a client that waits Retry-After gets through.
        """
        now = time.monotonic() if now is None else now
        st = self._tokens.setdefault(token, _TokenState())
        day = int(time.time() // 86400)
        if st.day != day:
            st.day, st.day_count = day, 0
        if self.daily is not None and st.day_count >= self.daily:
            return Verdict("DAILY", max(1, math.ceil(86400 - time.time() % 86400)))
        if is_search:
            if self.search_per_second is not None:
                _trim(st.search, now - 1.0)
                if len(st.search) >= self.search_per_second:
                    return Verdict("SECONDLY", max(1, math.ceil(st.search[0] + 1.0 - now)))
            st.search.append(now)
        else:
            if self.ten_secondly is not None:
                _trim(st.burst, now - 10.0)
                if len(st.burst) >= self.ten_secondly:
                    return Verdict("TEN_SECONDLY_ROLLING", max(1, math.ceil(st.burst[0] + 10.0 - now)))
            st.burst.append(now)
        st.day_count += 1
        return None

    def headers(self, token: str) -> dict[str, str]:
        """X-HubSpot-RateLimit-* for a non-search response; limits that are off are not advertised."""
        st = self._tokens.get(token)
        out: dict[str, str] = {}
        if self.ten_secondly is not None:
            used = 0
            if st is not None:
                _trim(st.burst, time.monotonic() - 10.0)
                used = len(st.burst)
            per_second = max(1, self.ten_secondly // 10)
            out.update({
                "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
                "X-HubSpot-RateLimit-Max": str(self.ten_secondly),
                "X-HubSpot-RateLimit-Remaining": str(max(0, self.ten_secondly - used)),
                "X-HubSpot-RateLimit-Secondly": str(per_second),
                "X-HubSpot-RateLimit-Secondly-Remaining": str(max(0, per_second - _last_second(st))),
            })
        if self.daily is not None:
            out["X-HubSpot-RateLimit-Daily"] = str(self.daily)
            out["X-HubSpot-RateLimit-Daily-Remaining"] = str(max(0, self.daily - (st.day_count if st else 0)))
        return out


def _trim(q: deque, horizon: float) -> None:
    while q and q[0] <= horizon:
        q.popleft()


def _last_second(st: _TokenState | None) -> int:
    if st is None:
        return 0
    horizon = time.monotonic() - 1.0
    return sum(1 for t in reversed(st.burst) if t > horizon)
