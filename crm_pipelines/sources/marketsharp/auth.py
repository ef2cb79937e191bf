"""MarketSharp's request signature: `Authorization: {companyId}:{apiKey}:{epochSeconds}:{hash}` with
hash = base64(HMAC-SHA256(key=base64decode(secret), msg=companyId + apiKey + epochSeconds))."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Callable, Generator

import httpx


def signature(company_id: str, api_key: str, secret_key: str, epoch_seconds: int) -> str:
    try:
        key = base64.b64decode(secret_key, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("the MarketSharp secret key is not base64") from None
    message = f"{company_id}{api_key}{epoch_seconds}".encode()
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


class MarketSharpAuth(httpx.Auth):
    """Signs every request when it is sent: httpx runs `auth_flow` on each attempt, so a retry carries a
    fresh timestamp (a signature older than the server's tolerance is a 401)."""

    def __init__(self, company_id: str, api_key: str, secret_key: str, clock: Callable[[], float] = time.time):
        signature(company_id, api_key, secret_key, 0)  # a secret that is not base64 fails here, not per request
        self._company_id, self._api_key, self._secret_key, self._clock = company_id, api_key, secret_key, clock

    def header(self) -> str:
        now = int(self._clock())
        return f"{self._company_id}:{self._api_key}:{now}:{signature(self._company_id, self._api_key, self._secret_key, now)}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self.header()
        yield request
