"""The HMAC signature: computed as MarketSharp documents it, accepted by the emulator over real HTTP,
refused when the secret or the clock is wrong, and computed afresh for every retry."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import time
from collections.abc import Callable

import httpx
import pytest
from dagster import Failure

from crm_pipelines.sources.marketsharp.auth import MarketSharpAuth, signature
from crm_pipelines.sources.marketsharp.resource import MarketSharpAuthError, MarketSharpResource
from crm_pipelines_tests.sources.marketsharp.conftest import SECRET_KEY, emulated_client


def test_the_signature_is_base64_of_hmac_sha256_keyed_by_the_decoded_secret():
    key = b"\x00\xffsecret"
    secret = base64.b64encode(key).decode()
    expected = base64.b64encode(hmac.new(key, b"4328my-key1700000000", hashlib.sha256).digest()).decode()
    assert signature("4328", "my-key", secret, 1700000000) == expected


def test_the_header_has_no_scheme_and_carries_the_current_time():
    request = httpx.Request("GET", "https://example.test/Contacts")
    next(MarketSharpAuth("4328", "my-key", SECRET_KEY, clock=lambda: 1700000000.9).auth_flow(request))
    company, key, epoch, digest = request.headers["Authorization"].split(":")
    assert (company, key, epoch) == ("4328", "my-key", "1700000000")
    assert digest == signature("4328", "my-key", SECRET_KEY, 1700000000)


def test_a_secret_that_is_not_base64_is_refused_up_front():
    with pytest.raises(ValueError, match="not base64"):
        MarketSharpAuth("4328", "my-key", "not base64!")


def test_a_good_signature_is_accepted_over_http(control, emulated):
    assert len(emulated.feed("/InquiryStatuses").entries) == 12


_CLOCKS: list[Callable[[], float]] = []


class ClockedClient(MarketSharpResource):
    """Signs with the test's clock (`_CLOCKS[-1]`) instead of the machine's."""

    def auth(self) -> MarketSharpAuth:
        return MarketSharpAuth(self.company_id, self.api_key, self.secret_key, clock=lambda: _CLOCKS[-1]())


def clocked(sandbox, clock: Callable[[], float]) -> ClockedClient:
    _CLOCKS.append(clock)
    return ClockedClient(**emulated_client(sandbox).model_dump())


def test_a_skewed_clock_is_refused_with_a_401_naming_the_clock(control, sandbox):
    client = clocked(sandbox, lambda: time.time() - 900)
    with pytest.raises(MarketSharpAuthError, match="clock"):
        client.feed("/InquiryStatuses")


def test_a_wrong_secret_is_refused(control, sandbox):
    with pytest.raises(Failure, match="MARKETSHARP_SECRET_KEY"):
        emulated_client(sandbox, secret_key=base64.b64encode(b"other").decode()).feed("/InquiryStatuses")


def test_a_retried_request_is_signed_again(control, sandbox):
    # The first attempt is signed with a stale time and answered 503; only a fresh signature on the retry
    # (the emulator allows 300 s of skew) gets the 200.
    control.faults({"route": "feed", "status": 503, "times": 1})
    times = itertools.chain([time.time() - 900], iter(time.time, None))
    client = clocked(sandbox, lambda: next(times))
    assert len(client.feed("/InquiryStatuses").entries) == 12
    assert control.requests("feed", status=503) == 1 and control.requests("feed", status=200) == 1
