"""The client-side limiter never lets more than N request starts into any window of the period."""

from __future__ import annotations

import threading

import pytest

from crm_pipelines.core.http import HttpRetries, redact
from crm_pipelines.core.ratelimit import Budget, SlidingWindowLimiter, skewed_window
from crm_pipelines.core.resource import SourceResource


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_no_window_ever_holds_more_than_the_limit():
    clock = FakeClock()
    limiter = SlidingWindowLimiter(10, 10.0, clock=clock, sleep=clock.sleep)
    starts = []
    for _ in range(95):
        limiter.acquire()
        starts.append(clock.now)
        clock.now += 0.05  # the request itself takes a little time
    for i, start in enumerate(starts):
        in_window = [s for s in starts[i:] if s - start < 10.0]
        assert len(in_window) <= 10
    # ...and it is not slower than it must be: 95 starts need 9 full windows, not more.
    assert starts[-1] - starts[0] < 9 * 10.0 + 1.0


def test_limiter_rejects_nonsense():
    with pytest.raises(ValueError):
        SlidingWindowLimiter(0, 10.0)


def test_backoff_grows_and_is_capped():
    policy = HttpRetries(backoff_base_s=1.0, backoff_max_s=8.0)
    assert all(0 <= policy.backoff(1) <= 1.0 for _ in range(100))
    assert all(0 <= policy.backoff(10) <= 8.0 for _ in range(100))
    assert max(policy.backoff(4) for _ in range(200)) > 4.0


def test_redact_hides_every_secret():
    assert redact("token pat-na1-abc in pat-na1-abc", ["pat-na1-abc", ""]) == "token *** in ***"


class Budgeted(SourceResource):
    requests_per_minute: int = 30
    requests_per_s: int = 0

    def budgets(self) -> dict[str, Budget]:
        return {"general": Budget(self.requests_per_minute, 60.0), "bulk": Budget(self.requests_per_s, 1.0)}


def test_a_declared_budget_becomes_one_shared_limiter_with_the_skew_allowance():
    resource = Budgeted()
    found: list[SlidingWindowLimiter | None] = []
    threads = [threading.Thread(target=lambda: found.append(resource.limiter("general"))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(limiter) for limiter in found}) == 1
    limiter = found[0]
    assert limiter.max_calls == 30 and limiter.period_s == pytest.approx(61.2)  # 2 % of a minute
    assert skewed_window(1.0) == pytest.approx(1.08)  # at least the 80 ms allowance
    assert resource.limiter("bulk") is None  # 0 calls: off
    with pytest.raises(KeyError, match="no rate budget named 'search'"):
        resource.limiter("search")


def test_a_negative_budget_is_refused():
    with pytest.raises(ValueError, match="calls >= 0"):
        Budgeted(requests_per_s=-1).limiter("bulk")
