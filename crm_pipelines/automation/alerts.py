"""Where alerts go: the log always, and a Slack-compatible webhook when CRM_ALERT_WEBHOOK_URL is set.

Each alert fires once per incident: sensors keep the set of open incidents in their cursor and only
deliver on the transition from healthy to failing (see `open_incidents`).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

WEBHOOK_ENV = "CRM_ALERT_WEBHOOK_URL"
WEBSERVER_ENV = "DAGSTER_WEBSERVER_URL"
DEFAULT_WEBSERVER_URL = "http://localhost:3000"


class AlertDeliveryError(RuntimeError):
    """The webhook refused or could not be reached; the sensor tick fails and the alert is retried."""


@dataclass(frozen=True)
class Alert:
    title: str
    severity: str  # "ERROR" or "WARN"
    details: Mapping[str, str] = field(default_factory=dict)
    link: str | None = None

    def text(self) -> str:
        lines = [f"[{self.severity}] {self.title}"]
        lines += [f"{name}: {value}" for name, value in self.details.items()]
        if self.link:
            lines.append(f"run: {self.link}")
        return "\n".join(lines)

    def payload(self) -> dict:
        # Slack incoming webhooks (and Mattermost, Teams' Slack-compatible endpoints) render "text".
        return {"text": self.text()}


def run_link(run_id: str) -> str:
    base = os.environ.get(WEBSERVER_ENV) or DEFAULT_WEBSERVER_URL
    return f"{base.rstrip('/')}/runs/{run_id}"


def deliver(alert: Alert, log: logging.Logger | None = None) -> None:
    log = log or logging.getLogger("crm_pipelines.alerts")
    (log.error if alert.severity == "ERROR" else log.warning)(alert.text())
    url = os.environ.get(WEBHOOK_ENV)
    if not url:
        return
    try:
        response = httpx.post(url, json=alert.payload(), timeout=10.0)
    except httpx.HTTPError as exc:
        # The URL embeds a secret token (Slack's webhooks do): name the variable, never the value.
        raise AlertDeliveryError(f"alert webhook ({WEBHOOK_ENV}) unreachable: {type(exc).__name__}") from None
    if response.status_code >= 300:
        raise AlertDeliveryError(f"alert webhook ({WEBHOOK_ENV}) answered HTTP {response.status_code}")


def open_incidents(cursor: str | None) -> set[str]:
    return set(json.loads(cursor)) if cursor else set()


def fire_new(cursor: str | None, failing: Mapping[str, Alert], log: logging.Logger | None = None) -> str:
    """Deliver the alerts of incidents that were not open before; return the new cursor (open incidents).

    An incident that stays failing does not alert again; once it clears, a new failure alerts again.
    """
    already_open = open_incidents(cursor)
    for key in sorted(set(failing) - already_open):
        deliver(failing[key], log)
    return json.dumps(sorted(failing))
