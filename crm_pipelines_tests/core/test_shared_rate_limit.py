"""One budget across processes: the Redis sliding window (CRM_RATE_LIMIT_REDIS_URL) on the machine's Redis."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
import uuid

import pytest

from crm_pipelines.core import shared_ratelimit
from crm_pipelines.core.ratelimit import Budget, SlidingWindowLimiter, skewed_window
from crm_pipelines.core.resource import SourceResource
from crm_pipelines.core.shared_ratelimit import REDIS_URL_ENV, RedisSlidingWindowLimiter, budget_key

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(scope="module")
def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.fail(f"the machine's Redis at {REDIS_URL} does not answer ({exc}); .ci/run starts it")
    yield client
    client.close()


@pytest.fixture
def scope(redis_client):
    """A budget scope of this test's own, so no other run on the shared Redis draws on it."""
    name = f"test-{uuid.uuid4().hex[:12]}"
    yield name
    keys = list(redis_client.scan_iter(f"{budget_key(name, '')}*"))
    if keys:
        redis_client.delete(*keys)


def _most_in_any_window(starts: list[float], period_s: float) -> int:
    starts = sorted(starts)
    return max(sum(1 for s in starts[i:] if s - start < period_s) for i, start in enumerate(starts))


# Each process takes `n` slots of the shared budget and prints when it got each (same machine, same clock).
_WORKER = textwrap.dedent("""
    import json, sys, time
    import redis
    from crm_pipelines.core.shared_ratelimit import RedisSlidingWindowLimiter
    url, key, calls, period, n, start_at = sys.argv[1:]
    limiter = RedisSlidingWindowLimiter(redis.Redis.from_url(url), key, int(calls), float(period))
    time.sleep(max(0.0, float(start_at) - time.time()))  # both processes begin together
    starts = []
    for _ in range(int(n)):
        limiter.acquire()
        starts.append(time.time())
    print(json.dumps(starts))
""")


def test_two_processes_share_one_budget(scope):
    calls, period_s, each = 10, 0.5, 15
    key = budget_key(scope, "general")
    window_s = skewed_window(period_s)  # as Limiters builds it: what the source counts is `period_s`
    start_at = time.time() + 1.5
    procs = [subprocess.Popen([sys.executable, "-c", _WORKER, REDIS_URL, key, str(calls), str(window_s), str(each),
                               str(start_at)], stdout=subprocess.PIPE, text=True) for _ in range(2)]
    starts = []
    for proc in procs:
        out, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0
        starts += json.loads(out)
    assert len(starts) == 2 * each
    # Each process alone may start 10 in a window; together they still never exceed 10 in any window...
    assert _most_in_any_window(starts, period_s) <= calls
    # ...and the budget is used, not starved: 30 starts need 2 more windows after the first burst.
    assert max(starts) - min(starts) < 2 * window_s + 0.5


def test_threads_of_one_process_share_it_too_and_the_wait_is_the_oldest_start_leaving(redis_client, scope):
    limiter = RedisSlidingWindowLimiter(redis_client, budget_key(scope, "search"), 3, 0.4)
    began = time.monotonic()
    for _ in range(4):
        limiter.acquire()
    # The 4th start waited for the 1st to leave the 0.4 s window, and not much longer.
    assert 0.38 <= time.monotonic() - began < 0.7


class Budgeted(SourceResource):
    requests_per_s: int = 5

    def budgets(self) -> dict[str, Budget]:
        return {"general": Budget(self.requests_per_s, 1.0), "off": Budget(0, 1.0)}


def test_the_environment_selects_the_shared_store_else_the_in_process_window(monkeypatch, redis_client, scope):
    monkeypatch.delenv(REDIS_URL_ENV, raising=False)
    assert isinstance(Budgeted().limiter("general"), SlidingWindowLimiter)

    monkeypatch.setenv(REDIS_URL_ENV, REDIS_URL)
    monkeypatch.setattr(Budgeted, "budget_scope", lambda self: scope)
    shared = Budgeted().limiter("general")
    assert isinstance(shared, RedisSlidingWindowLimiter)
    assert shared.key == budget_key(scope, "general") and shared.period_s == pytest.approx(1.08)
    assert Budgeted().limiter("off") is None
    shared.acquire()
    assert redis_client.zcard(shared.key) == 1


def test_a_malformed_url_is_refused_naming_the_variable(monkeypatch):
    monkeypatch.setenv(REDIS_URL_ENV, "127.0.0.1:6379")
    with pytest.raises(ValueError, match=REDIS_URL_ENV):
        shared_ratelimit.shared_store()


def test_an_http_source_scopes_its_budget_by_api_root():
    from crm_pipelines.core.http import HttpSourceResource

    class Api(HttpSourceResource):
        pass

    assert Api(base_url="https://api.example.com/").budget_scope() == "Api@https://api.example.com"
