"""A small HubSpot-shaped server that is NOT our sandbox: different code, hand-written data, plain offset
search paging as HubSpot documents it. The pipeline must sync it correctly too."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN = "pat-na1-other-server-0000"


def _ms(moment: dt.datetime) -> str:
    return str(int(moment.timestamp() * 1000))


def make_contacts(day: dt.date) -> list[dict[str, Any]]:
    """Contacts around `day`: before it, inside it, after it, archived, and a few bad ones."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)
    offsets_h = [-30, -0.1, 0, 1, 5, 7.5, 12, 18, 23.99, 24, 30, 2, 3, 4, 6, 8, 9, 10, 11, 13]
    contacts = []
    for n, hours in enumerate(offsets_h):
        modified = start + dt.timedelta(hours=hours)
        cid = str(9_000_000_000 + n * 7919)
        iso = modified.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        contacts.append({
            "id": cid,
            "properties": {
                "hs_object_id": cid,
                "createdate": "2020-01-01T00:00:00Z",
                "lastmodifieddate": iso if n % 3 else _ms(modified),
                "email": "Not An Email" if n == 4 else f"  Person{n}@Example.ORG ",
                "phone": "(415) 555-0134" if n % 2 else "+44 20 7946 0958",
                "lead_is_dnc": "false" if n % 2 else "true",
                "price": "1250.5",
                "hs_merged_object_ids": "11;22" if n == 3 else None,
                "lead_appointment_date": ["2025-01-09", "1736380800000", "2025-01-09T00:00:00Z"][n % 3],
                "firstname": f"First{n}",
            },
            "createdAt": "2020-01-01T00:00:00.000Z",
            "updatedAt": iso,
            "archived": n == 5,
        })
    return contacts


class OtherHubSpot:
    def __init__(self, contacts: list[dict[str, Any]], page_size_cap: int = 3):
        self.contacts = sorted(contacts, key=lambda c: int(c["id"]))
        self.page_size_cap = page_size_cap  # forces many pages
        self.requests = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()

    def expected(self, start: dt.datetime, end: dt.datetime) -> set[str]:
        return {c["id"] for c in self.contacts if not c["archived"] and start <= _modified(c) < end}

    def _search(self, body: dict[str, Any]) -> dict[str, Any]:
        matches = [c for c in self.contacts if not c["archived"]
                   and any(all(_passes(c, f) for f in g["filters"]) for g in body.get("filterGroups", []))]
        offset = int(body.get("after") or 0)
        limit = min(int(body.get("limit", 10)), self.page_size_cap)
        page = matches[offset: offset + limit]
        response: dict[str, Any] = {"total": len(matches), "results": page}
        if offset + limit < len(matches):
            response["paging"] = {"next": {"after": str(offset + limit)}}
        return response

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def _reply(self, status: int, payload: Any) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                server.requests += 1
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    return self._reply(401, {"status": "error", "category": "INVALID_AUTHENTICATION",
                                             "message": "Authentication credentials not found."})
                if self.path.rstrip("/") == "/crm/v3/objects/contacts/search":
                    return self._reply(200, server._search(body))
                return self._reply(404, {"status": "error", "message": "not found", "category": "OBJECT_NOT_FOUND"})

        return Handler


def _modified(contact: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromisoformat(contact["updatedAt"].replace("Z", "+00:00"))


def _value_ms(value: str) -> float:
    if value.isdigit():
        return float(value)
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1000


def _passes(contact: dict[str, Any], flt: dict[str, Any]) -> bool:
    name, op, value = flt["propertyName"], flt["operator"], flt.get("value")
    if name == "hs_object_id":
        left, right = int(contact["id"]), int(value)
    else:
        left, right = _modified(contact).timestamp() * 1000, _value_ms(str(value))
    return {"GT": left > right, "GTE": left >= right, "LT": left < right, "LTE": left <= right,
            "EQ": left == right}[op]
