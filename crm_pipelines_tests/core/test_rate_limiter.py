"""The client-side limiter never lets more than N request starts into any window of the period."""

from __future__ import annotations

import pytest

from crm_pipelines.core.http import RetryPolicy, SlidingWindowLimiter, redact


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
    policy = RetryPolicy(backoff_base_s=1.0, backoff_max_s=8.0)
    assert all(0 <= policy.backoff(1) <= 1.0 for _ in range(100))
    assert all(0 <= policy.backoff(10) <= 8.0 for _ in range(100))
    assert max(policy.backoff(4) for _ in range(200)) > 4.0


def test_redact_hides_every_secret():
    assert redact("token pat-na1-abc in pat-na1-abc", ["pat-na1-abc", ""]) == "token *** in ***"
