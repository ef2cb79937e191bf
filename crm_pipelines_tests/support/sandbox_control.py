"""The sandbox's control API (`/_sandbox/<crm>/...`) as every source's tests use it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx


class SandboxControl:
    """`reset` applies `defaults` plus the call's fields on top of the config the emulator started with."""

    def __init__(self, root_url: str, crm: str, defaults: Mapping[str, Any] | None = None):
        self.crm = crm
        self.defaults = dict(defaults or {})
        self.http = httpx.Client(base_url=f"{root_url}/_sandbox/{crm}", timeout=60)

    def close(self) -> None:
        self.http.close()

    def _json(self, response: httpx.Response) -> Any:
        assert response.is_success, f"sandbox {self.crm}: {response.request.method} {response.request.url.path} " \
                                    f"answered {response.status_code}: {response.text[:500]}"
        return response.json()

    def reset(self, **config: Any) -> dict[str, Any]:
        return self._json(self.http.post("/reset", json={**self.defaults, **config}))

    def faults(self, *rules: dict[str, Any]) -> list[dict[str, Any]]:
        return self._json(self.http.post("/faults", json={"rules": list(rules)}))["rules"]

    def mutate(self, **mutation: Any) -> dict[str, Any]:
        return self._json(self.http.post("/mutations", json=mutation))

    def truth_ids(self, kind: str, **params: Any) -> list[str]:
        body = self._json(self.http.get(f"/truth/{kind}", params=params))
        return [str(i) for i in body["ids"]]

    def truth_record(self, kind: str, record_id: str) -> dict[str, Any]:
        return self._json(self.http.get(f"/truth/{kind}/{record_id}"))

    def stats(self) -> dict[str, Any]:
        return self._json(self.http.get("/stats"))

    def requests(self, route: str, status: int | None = 200) -> int:
        """Requests the emulator logged for `route` (with `status`, or any status when None)."""
        return sum(1 for e in self.stats()["log"] if e["route"] == route and (status is None or e["status"] == status))
