"""A running sandbox per test session, reset over HTTP before each test that asks for `hs`."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from crm_pipelines.sandbox import HubSpotConfig, Sandbox

TOKEN = "test-token"
# Small enough to reset in milliseconds, big enough that one contact has >100 appointments.
BASE = HubSpotConfig(
    token=TOKEN,
    counts={"contacts": 1500, "companies": 100, "deals": 400, "appointments": 600, "divisions": 23,
            "genius_users": 60, "owners": 40},
)


class HubSpotHarness:
    """An HTTP view of the emulator: the API (authenticated) and its control API."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.api = httpx.Client(base_url=sandbox.hubspot_url, headers={"Authorization": f"Bearer {TOKEN}"},
                                timeout=30)
        self.ctl = httpx.Client(base_url=sandbox.url + "/_sandbox/hubspot", timeout=60)

    def close(self) -> None:
        self.api.close()
        self.ctl.close()

    # -- control ---------------------------------------------------------------------------
    def reset(self, **config: Any) -> dict:
        resp = self.ctl.post("/reset", json=config)
        assert resp.status_code == 200, resp.text
        return resp.json()["config"]

    def faults(self, *rules: dict) -> list[dict]:
        resp = self.ctl.post("/faults", json={"rules": list(rules)})
        assert resp.status_code == 200, resp.text
        return resp.json()["rules"]

    def mutate(self, **spec: Any) -> dict:
        resp = self.ctl.post("/mutations", json=spec)
        assert resp.status_code == 200, resp.text
        return resp.json()

    def truth(self, object_type: str, **params: str) -> list[str]:
        resp = self.ctl.get(f"/truth/{object_type}", params=params)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert body["count"] == len(body["ids"])
        return body["ids"]

    def truth_record(self, object_type: str, object_id: str) -> dict:
        resp = self.ctl.get(f"/truth/{object_type}/{object_id}")
        assert resp.status_code == 200, resp.text
        return resp.json()

    def stats(self) -> dict:
        return self.ctl.get("/stats").json()

    # -- API walkers written from the reference, independent of the project's clients ------
    def list_pages(self, object_type: str, **params: Any) -> list[dict]:
        """Every page body of a list scan; stops only when `paging` is absent (never on a short page)."""
        params = {"limit": 100, **params}
        pages = []
        for _ in range(1000):
            resp = self.api.get(f"/crm/v3/objects/{object_type}", params=params)
            assert resp.status_code == 200, resp.text
            body = resp.json()
            pages.append(body)
            nxt = body.get("paging", {}).get("next")
            if not nxt:
                return pages
            params["after"] = nxt["after"]
        raise AssertionError("list paging never ended")

    def search_pages(self, object_type: str, body: dict, max_pages: int = 1000) -> list[dict]:
        body = {"limit": 100, **body}
        pages = []
        for _ in range(max_pages):
            resp = self.api.post(f"/crm/v3/objects/{object_type}/search", json=body)
            assert resp.status_code == 200, resp.text
            page = resp.json()
            pages.append(page)
            nxt = page.get("paging", {}).get("next")
            if not nxt:
                return pages
            body = {**body, "after": nxt["after"]}
        if max_pages < 1000:
            return pages
        raise AssertionError("search paging never ended")


def ids_of(pages: list[dict]) -> list[str]:
    return [r["id"] for page in pages for r in page["results"]]


@pytest.fixture(scope="session")
def sandbox() -> Any:
    with Sandbox(hubspot=BASE) as sb:
        yield sb


@pytest.fixture()
def hs(sandbox: Sandbox) -> Any:
    harness = HubSpotHarness(sandbox)
    harness.reset()
    yield harness
    harness.close()
