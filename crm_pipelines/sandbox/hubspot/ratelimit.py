"""Per-token rate limits (API_SHAPES §1.12): ten-secondly rolling, search's own secondly bucket, daily."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ..kit.ratelimit import DailyQuota, RollingWindow
from .config import HubSpotConfig


@dataclass
class _TokenState:
    burst: RollingWindow = field(default_factory=lambda: RollingWindow(10.0))  # non-search requests
    search: RollingWindow = field(default_factory=lambda: RollingWindow(1.0))
    day: DailyQuota = field(default_factory=DailyQuota)


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
        """Count the request if allowed; otherwise say which policy refused it and for how long."""
        now = time.monotonic() if now is None else now
        st = self._tokens.setdefault(token, _TokenState())
        wait = st.day.retry_after(self.daily)
        if wait is not None:
            return Verdict("DAILY", wait)
        if is_search:
            if self.search_per_second is not None:
                wait = st.search.retry_after(self.search_per_second, now)
                if wait is not None:
                    return Verdict("SECONDLY", wait)
            st.search.add(now)
        else:
            if self.ten_secondly is not None:
                wait = st.burst.retry_after(self.ten_secondly, now)
                if wait is not None:
                    return Verdict("TEN_SECONDLY_ROLLING", wait)
            st.burst.add(now)
        st.day.add()
        return None

    def headers(self, token: str) -> dict[str, str]:
        """X-HubSpot-RateLimit-* for a non-search response; limits that are off are not advertised."""
        st = self._tokens.get(token)
        out: dict[str, str] = {}
        if self.ten_secondly is not None:
            now = time.monotonic()
            used = st.burst.used(now) if st is not None else 0
            last_second = st.burst.since(now - 1.0) if st is not None else 0
            per_second = max(1, self.ten_secondly // 10)
            out.update({
                "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
                "X-HubSpot-RateLimit-Max": str(self.ten_secondly),
                "X-HubSpot-RateLimit-Remaining": str(max(0, self.ten_secondly - used)),
                "X-HubSpot-RateLimit-Secondly": str(per_second),
                "X-HubSpot-RateLimit-Secondly-Remaining": str(max(0, per_second - last_second)),
            })
        if self.daily is not None:
            out["X-HubSpot-RateLimit-Daily"] = str(self.daily)
            out["X-HubSpot-RateLimit-Daily-Remaining"] = str(max(0, self.daily - (st.day.count if st else 0)))
        return out
