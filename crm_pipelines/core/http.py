"""The one HTTP path every REST source uses: timeouts, retries with backoff, client-side rate limiting,
per-request authentication, call counting and secret redaction.

A resource authenticates through an `httpx.Auth` (`HttpSourceResource.auth()`): static headers
(`HeaderAuth`), `httpx.BasicAuth`, or a subclass of its own that signs each request. Its `auth_flow`
runs on every attempt, so a retried request carries a fresh signature. `request_json` decodes a JSON
answer; `request_raw` returns the response itself (an Atom XML client parses the bytes); both go
through the same loop of limiter, retries and redaction (`HttpClient._send`).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
from pydantic import PrivateAttr, field_validator

from crm_pipelines.core.ratelimit import Limiter
from crm_pipelines.core.resource import CallCounter, CallStats, SourceResource

# 520/524 are Cloudflare's answers when the API's origin behind it is overloaded; they heal like a 503.
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


@dataclass
class HttpRetries:
    max_attempts: int = 8
    backoff_base_s: float = 0.5
    backoff_max_s: float = 60.0
    max_retry_after_s: float = 300.0

    def backoff(self, attempt: int) -> float:
        # Full jitter keeps many workers that failed together from retrying together.
        return random.uniform(0, min(self.backoff_max_s, self.backoff_base_s * 2 ** (attempt - 1)))


class HeaderAuth(httpx.Auth):
    """Fixed credential headers on every request (a bearer token, an API key pair)."""

    def __init__(self, headers: Mapping[str, str]):
        self._headers = dict(headers)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers.update(self._headers)
        yield request


class HttpClient:
    def __init__(self, base_url: str, *, headers: dict[str, str], timeout_s: float, retry: HttpRetries,
                 secrets: Sequence[str] = (), logger: logging.Logger | None = None,
                 transport: httpx.BaseTransport | None = None,
                 not_retryable: Callable[[httpx.Response], str | None] = lambda response: None,
                 auth: httpx.Auth | None = None, counter: CallCounter | None = None):
        # httpx runs `auth` on every request it sends, so every attempt below is authenticated afresh.
        self._client = httpx.Client(base_url=base_url.rstrip("/"), headers=headers, auth=auth,
                                    timeout=httpx.Timeout(timeout_s), transport=transport)
        self.retry = retry
        self.secrets = [s for s in secrets if s]
        self.counter = counter or CallCounter()  # several request chains may share this client
        self.log = logger or logging.getLogger(__name__)
        # Says why a normally retryable answer will not heal within a run (e.g. a daily quota): fail now.
        self.not_retryable = not_retryable

    @property
    def stats(self) -> CallStats:
        return self.counter.stats

    def close(self) -> None:
        self._client.close()

    def request_json(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                     json: Any = None, limiter: Limiter | None = None,
                     accept: Sequence[int] = (200,)) -> tuple[int, Any]:
        """Send with retries; return (status, decoded body) for a status in `accept`, raise otherwise."""
        content = orjson.dumps(json) if json is not None else None
        headers = {"Content-Type": "application/json"} if json is not None else None
        response = self._send(method, path, params=params, content=content, headers=headers, limiter=limiter,
                              accept=accept)
        return response.status_code, _decode(response)

    def request_raw(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                    content: bytes | None = None, headers: Mapping[str, str] | None = None,
                    limiter: Limiter | None = None, accept: Sequence[int] = (200,)) -> httpx.Response:
        """Send with retries like `request_json`; return the response (body read) for a status in `accept`.

        `headers` add to or override the client's (e.g. `Accept: application/atom+xml`)."""
        return self._send(method, path, params=params, content=content, headers=headers, limiter=limiter,
                          accept=accept)

    def _send(self, method: str, path: str, *, params: dict[str, Any] | None, content: bytes | None,
              headers: Mapping[str, str] | None, limiter: Limiter | None,
              accept: Sequence[int]) -> httpx.Response:
        last_problem = ""
        for attempt in range(1, self.retry.max_attempts + 1):
            if limiter is not None:
                limiter.acquire()
            self.counter.count_call()
            try:
                response = self._client.request(method, path, params=params, content=content, headers=headers)
                # httpx's response and its stream refer to each other (BoundSyncStream.response): in that cycle
                # a body lives until the next full garbage collection, and megabyte pages pile up on the heap.
                # The body is read and the connection released by now.
                response.stream = httpx.ByteStream(b"")
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                last_problem = f"{type(exc).__name__}: {exc}"
                delay = self.retry.backoff(attempt)
            else:
                if response.status_code in accept:
                    return response
                last_problem = f"HTTP {response.status_code}: {_snippet(response)}"
                retryable = response.status_code in RETRYABLE_STATUSES
                if retryable and (reason := self.not_retryable(response)):
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
            self.counter.count_retry()
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


class HttpSourceResource(SourceResource):
    """Base of every REST client resource: subclasses add credentials (`auth`, `secret_values`), their rate
    budgets (`budgets`, see crm_pipelines.core.resource) and the API's own paging."""

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

    def budget_scope(self) -> str:
        # An API's limits belong to the account behind a root URL: a sandbox's budget is not production's.
        return f"{type(self).__name__}@{self.base_url.rstrip('/')}"

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

    def auth(self) -> httpx.Auth | None:
        """How every request (and every retry of it) is authenticated; see the module docstring."""
        return None

    def secret_values(self) -> list[str]:
        return []

    def not_retryable(self, response: httpx.Response) -> str | None:
        """Why a retryable-looking answer will not heal within this run (default: it always might)."""
        return None

    @property
    def http(self) -> HttpClient:
        if self._http is None:
            self._http = HttpClient(
                self.base_url, headers={"Accept": "application/json"}, auth=self.auth(),
                timeout_s=self.timeout_s, secrets=self.secret_values(), counter=self._counter,
                retry=HttpRetries(max_attempts=self.max_attempts, backoff_base_s=self.backoff_base_s,
                                  backoff_max_s=self.backoff_max_s),
                logger=logging.getLogger(f"crm_pipelines.{type(self).__name__}"), not_retryable=self.not_retryable)
        return self._http

    def teardown_after_execution(self, context) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None
