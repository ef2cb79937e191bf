"""The one HTTP path every REST source uses: timeouts, retries with backoff, client-side rate limiting,
call counting and secret redaction."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
from dagster import ConfigurableResource
from pydantic import PrivateAttr, field_validator

# 520/524 are Cloudflare's answers when HubSpot's origin is overloaded; they heal like a 503.
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 524})
REDACTED = "***"


class SourceApiError(RuntimeError):
    """A request the client could not complete; the message never contains a secret."""

    def __init__(self, message: str, status: int | None = None, body: Any = None):
        super().__init__(message)
        self.status = status
        self.body = body


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


class SlidingWindowLimiter:
    """At most `max_calls` request starts in any window of `period_s` seconds.

    A token bucket would let a full burst plus its refill through within one window, which a rolling
    server-side window (HubSpot's TEN_SECONDLY_ROLLING) answers with 429s; a log of the last starts cannot.
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


@dataclass
class RetryPolicy:
    max_attempts: int = 8
    backoff_base_s: float = 0.5
    backoff_max_s: float = 60.0
    max_retry_after_s: float = 300.0

    def backoff(self, attempt: int) -> float:
        # Full jitter keeps many workers that failed together from retrying together.
        return random.uniform(0, min(self.backoff_max_s, self.backoff_base_s * 2 ** (attempt - 1)))


@dataclass
class CallStats:
    api_calls: int = 0
    retries: int = 0


class HttpClient:
    def __init__(self, base_url: str, *, headers: dict[str, str], timeout_s: float, retry: RetryPolicy,
                 secrets: Sequence[str] = (), logger: logging.Logger | None = None,
                 transport: httpx.BaseTransport | None = None,
                 hopeless: Callable[[httpx.Response], str | None] = lambda response: None):
        self._client = httpx.Client(base_url=base_url.rstrip("/"), headers=headers,
                                    timeout=httpx.Timeout(timeout_s), transport=transport)
        self.retry = retry
        self.secrets = [s for s in secrets if s]
        self.stats = CallStats()
        self._stats_lock = threading.Lock()
        self.log = logger or logging.getLogger(__name__)
        # Says why a normally retryable answer will not heal within a run (e.g. a daily quota): fail now.
        self.hopeless = hopeless

    def close(self) -> None:
        self._client.close()

    def request_json(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                     json: Any = None, limiter: SlidingWindowLimiter | None = None,
                     accept: Sequence[int] = (200,)) -> tuple[int, Any]:
        """Send with retries; return (status, decoded body) for a status in `accept`, raise otherwise."""
        content = orjson.dumps(json) if json is not None else None
        headers = {"Content-Type": "application/json"} if json is not None else None
        last_problem = ""
        for attempt in range(1, self.retry.max_attempts + 1):
            if limiter is not None:
                limiter.acquire()
            with self._stats_lock:  # several request chains may share this client
                self.stats.api_calls += 1
            try:
                response = self._client.request(method, path, params=params, content=content, headers=headers)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                last_problem = f"{type(exc).__name__}: {exc}"
                delay = self.retry.backoff(attempt)
            else:
                if response.status_code in accept:
                    return response.status_code, _decode(response)
                last_problem = f"HTTP {response.status_code}: {_snippet(response)}"
                retryable = response.status_code in RETRYABLE_STATUSES
                if retryable and (reason := self.hopeless(response)):
                    last_problem += f" ({reason}; not retried)"
                    retryable = False
                if not retryable:
                    raise SourceApiError(self._redact(f"{method} {path} failed: {last_problem}"),
                                         status=response.status_code, body=_decode_quietly(response))
                delay = self._retry_after(response) if response.status_code == 429 else None
                if delay is None:
                    delay = self.retry.backoff(attempt)
            if attempt == self.retry.max_attempts:
                break
            with self._stats_lock:
                self.stats.retries += 1
            self.log.warning(self._redact(f"{method} {path}: {last_problem}; retry {attempt} in {delay:.2f}s"))
            time.sleep(delay)
        raise SourceApiError(self._redact(
            f"{method} {path} failed after {self.retry.max_attempts} attempts: {last_problem}"))

    def _retry_after(self, response: httpx.Response) -> float | None:
        value = response.headers.get("Retry-After")
        if value is None:
            return None
        try:
            return min(max(float(value), 0.0), self.retry.max_retry_after_s)
        except ValueError:
            return None  # an HTTP-date form; fall back to our own backoff

    def _redact(self, text: str) -> str:
        return redact(text, self.secrets)


def _decode(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return orjson.loads(response.content)
    except orjson.JSONDecodeError as exc:
        raise SourceApiError(f"{response.request.method} {response.request.url.path}: "
                             f"body is not JSON: {_snippet(response)}", status=response.status_code) from exc


def _decode_quietly(response: httpx.Response) -> Any:
    try:
        return orjson.loads(response.content) if response.content else None
    except orjson.JSONDecodeError:
        return None


def _snippet(response: httpx.Response, limit: int = 300) -> str:
    return response.text[:limit].replace("\n", " ")


class HttpSourceResource(ConfigurableResource):
    """Base of every REST client resource: subclasses add credentials and the API's own paging."""

    base_url: str
    timeout_s: float = 30.0
    max_attempts: int = 8
    backoff_base_s: float = 0.5
    backoff_max_s: float = 60.0
    # Pages fetched ahead in a background thread while a batch is typed (crm_pipelines.core.streaming);
    # None lets the source decide (fetch_ahead_pages), 0 turns it off.
    fetch_ahead: int | None = None

    _http: HttpClient | None = PrivateAttr(default=None)

    @field_validator("timeout_s", "backoff_base_s", "backoff_max_s")
    @classmethod
    def _positive(cls, value: float, info) -> float:
        if value <= 0:
            raise ValueError(f"{info.field_name} must be > 0, got {value}")
        return value

    @field_validator("fetch_ahead")
    @classmethod
    def _not_negative(cls, value: int | None) -> int | None:
        if value is not None and value < 0:
            raise ValueError(f"fetch_ahead must be >= 0, got {value}")
        return value

    def fetch_ahead_pages(self) -> int:
        """Pages to fetch ahead; off unless set: it only pays where requests wait (see streaming.py)."""
        return self.fetch_ahead or 0

    @field_validator("max_attempts")
    @classmethod
    def _at_least_one(cls, value: int) -> int:
        if value < 1:
            raise ValueError(f"max_attempts must be >= 1, got {value}")
        return value

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"base_url must start with http:// or https://, got {value!r}")
        return value

    def auth_headers(self) -> dict[str, str]:
        return {}

    def secret_values(self) -> list[str]:
        return []

    def hopeless(self, response: httpx.Response) -> str | None:
        """Why a retryable-looking answer will not heal within this run (default: it always might)."""
        return None

    @property
    def http(self) -> HttpClient:
        if self._http is None:
            self._http = HttpClient(
                self.base_url, headers={"Accept": "application/json", **self.auth_headers()},
                timeout_s=self.timeout_s, secrets=self.secret_values(),
                retry=RetryPolicy(max_attempts=self.max_attempts, backoff_base_s=self.backoff_base_s,
                                  backoff_max_s=self.backoff_max_s),
                logger=logging.getLogger(f"crm_pipelines.{type(self).__name__}"), hopeless=self.hopeless)
        return self._http

    def call_stats(self) -> CallStats:
        return self.http.stats

    def teardown_after_execution(self, context) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None
