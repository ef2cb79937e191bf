"""A real webhook receiver for alert tests (Slack-compatible JSON over real HTTP)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crm_pipelines.automation.alerts import WEBHOOK_ENV
# The alert tests run real HubSpot syncs: share the sandbox fixtures.
from crm_pipelines_tests.sources.hubspot.conftest import control, hubspot, sandbox  # noqa: F401


class WebhookReceiver:
    def __init__(self):
        self.messages: list[dict] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.messages.append(json.loads(body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/services/T000/B000/secret-token"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def texts(self) -> list[str]:
        return [m["text"] for m in self.messages]

    def close(self) -> None:
        self._server.shutdown()


@pytest.fixture
def webhook(monkeypatch):
    receiver = WebhookReceiver()
    monkeypatch.setenv(WEBHOOK_ENV, receiver.url)
    monkeypatch.setenv("DAGSTER_WEBSERVER_URL", "https://dagster.example.com")
    yield receiver
    receiver.close()
