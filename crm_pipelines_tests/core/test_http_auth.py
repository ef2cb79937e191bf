"""Per-request authentication and raw responses through the one HTTP path, against a real local HTTP server
that checks a timestamped HMAC signature (MarketSharp's scheme) and refuses a signature it has seen."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import threading
import time
from collections.abc import Callable, Generator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from crm_pipelines.core.http import HeaderAuth, HttpClient, HttpSourceResource, HttpRetries, SourceApiError

COMPANY, API_KEY = "4711", "api-key-7f3a9c"
SECRET = base64.b64encode(b"the-shared-secret-0123456789").decode()
ATOM = b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><entry/></feed>'


def signature(epoch: int) -> str:
    digest = hmac.new(base64.b64decode(SECRET), f"{COMPANY}{API_KEY}{epoch}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class SignedAuth(httpx.Auth):
    """`Authorization: {company}:{key}:{epoch}:{base64 HMAC-SHA256}`, signed when the request is sent."""

    def __init__(self, clock: Callable[[], float] = time.time):
        self.clock = clock

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        epoch = int(self.clock())
        request.headers["Authorization"] = f"{COMPANY}:{API_KEY}:{epoch}:{signature(epoch)}"
        yield request


class SigningServer:
    """Accepts a request only with a valid, fresh, never-seen signature; `/flaky` answers its first good
    request with a 503 (echoing the credentials, as a careless proxy might), `/feed` then serves Atom XML."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.flaky_left = 0
        self.log: list[tuple[str, int]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                status, body, kind = server.answer(self.path, self.headers.get("Authorization", ""))
                server.log.append((self.path, status))
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.lock = threading.Lock()

    def answer(self, path: str, authorization: str) -> tuple[int, bytes, str]:
        echo = f"credentials received: {authorization} secret {SECRET}".encode()
        company, key, epoch, sig = (authorization.split(":", 3) + ["", "", "", ""])[:4]
        with self.lock:
            valid = (company == COMPANY and key == API_KEY and epoch.isdigit()
                     and abs(time.time() - int(epoch)) < 300 and hmac.compare_digest(sig, signature(int(epoch))))
            if not valid:
                return 401, echo, "text/plain"
            if authorization in self.seen:
                return 401, b"replayed signature " + echo, "text/plain"
            self.seen.add(authorization)
            if path.startswith("/flaky") and self.flaky_left:
                self.flaky_left -= 1
                return 503, b"overloaded; " + echo, "text/plain"
        if "/feed" in path:
            return 200, ATOM, "application/atom+xml"
        return 200, b'{"ok": true}', "application/json"


@pytest.fixture
def server() -> Iterator[SigningServer]:
    srv = SigningServer()
    thread = threading.Thread(target=srv.httpd.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()
    thread.join()


class StepClock:
    """Real time, one second further on every reading: consecutive signatures differ, as they would
    with real retry delays of a second or more."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        self.now += 1
        return self.now


def client(url: str, auth: httpx.Auth, attempts: int = 3) -> HttpClient:
    return HttpClient(url, headers={}, timeout_s=5, auth=auth, secrets=[API_KEY, SECRET],
                      retry=HttpRetries(max_attempts=attempts, backoff_base_s=0.01, backoff_max_s=0.01))


def test_a_retried_request_is_signed_again(server, caplog):
    server.flaky_left = 1
    http = client(server.url, SignedAuth(StepClock()))
    with caplog.at_level(logging.WARNING):
        assert http.request_json("GET", "/flaky") == (200, {"ok": True})
    assert server.log == [("/flaky", 503), ("/flaky", 200)]
    assert (http.stats.api_calls, http.stats.retries) == (2, 1)
    assert "retry 1" in caplog.text and "credentials received" in caplog.text
    assert API_KEY not in caplog.text and SECRET not in caplog.text


def test_a_signature_computed_once_is_refused_on_retry(server):
    # The server must be able to tell: the same header on the retry is a replay, and fails the request.
    server.flaky_left = 1
    epoch = int(time.time())
    fixed = HeaderAuth({"Authorization": f"{COMPANY}:{API_KEY}:{epoch}:{signature(epoch)}"})
    with pytest.raises(SourceApiError) as failure:
        client(server.url, fixed).request_json("GET", "/flaky")
    assert failure.value.status == 401
    assert "replayed signature" in str(failure.value)
    assert API_KEY not in str(failure.value) and SECRET not in str(failure.value)


def test_a_bad_signature_fails_at_once_without_leaking_secrets(server):
    class WrongKey(SignedAuth):
        def auth_flow(self, request):
            request.headers["Authorization"] = f"{COMPANY}:{API_KEY}:{int(time.time())}:bm90LWl0"
            yield request

    with pytest.raises(SourceApiError, match="HTTP 401") as failure:
        client(server.url, WrongKey()).request_json("GET", "/anything")
    assert server.log == [("/anything", 401)]
    assert "***" in str(failure.value)
    assert API_KEY not in str(failure.value) and SECRET not in str(failure.value)


def test_request_raw_returns_the_bytes_through_the_same_retries(server):
    server.flaky_left = 0
    http = client(server.url, SignedAuth(StepClock()))
    response = http.request_raw("GET", "/feed", params={"$top": "2"}, headers={"Accept": "application/atom+xml"})
    assert response.content == ATOM
    assert response.headers["Content-Type"] == "application/atom+xml"
    server.flaky_left = 2
    assert http.request_raw("GET", "/flaky/feed").content == ATOM
    assert (http.stats.api_calls, http.stats.retries) == (4, 2)
    server.flaky_left = 5
    with pytest.raises(SourceApiError, match="after 3 attempts: HTTP 503"):
        http.request_raw("GET", "/flaky/feed")


class SignedResource(HttpSourceResource):
    """A resource as a source would write it: its auth object and its secrets."""

    api_key: str
    secret_key: str

    def auth(self) -> httpx.Auth:
        return SignedAuth(StepClock())

    def secret_values(self) -> list[str]:
        return [self.api_key, self.secret_key]


def test_a_resource_authenticates_every_request_with_its_auth_object(server):
    resource = SignedResource(base_url=server.url, api_key=API_KEY, secret_key=SECRET, backoff_base_s=0.01,
                              backoff_max_s=0.01)
    server.flaky_left = 1
    assert resource.http.request_json("GET", "/flaky")[1] == {"ok": True}
    assert resource.http.request_raw("GET", "/feed").content == ATOM
    assert (resource.call_stats().api_calls, resource.call_stats().retries) == (3, 1)
    assert len(server.seen) == 3
