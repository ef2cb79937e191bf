"""The MarketSharp emulator over real HTTP: the signed Authorization header and its clock check, Atom
feeds, server paging with absolute rel="next" links, $filter/$orderby/$top/$skip on lastUpdate, and
faults (a status, a truncated body)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import xml.etree.ElementTree as ET

import httpx
import pytest

from crm_pipelines.sandbox import MarketSharpConfig, Sandbox

COMPANY, KEY = "901", "emulator-test-key"
SECRET = base64.b64encode(b"emulator-test-secret").decode()
ATOM = "{http://www.w3.org/2005/Atom}"
D = "{http://schemas.microsoft.com/ado/2007/08/dataservices}"
M = "{http://schemas.microsoft.com/ado/2007/08/dataservices/metadata}"
CONFIG = {"company_id": COMPANY, "api_key": KEY, "secret_key": SECRET, "server_page_size": 40,
          "counts": {"contacts": 130, "inquiry_statuses": 7}, "invalid_char_rate": 0, "same_timestamp_burst": 0}


def signed(epoch: int | None = None, key: str = KEY) -> str:
    """The header as MarketSharp documents it, computed here independently of the client's code."""
    epoch = int(time.time()) if epoch is None else epoch
    digest = hmac.new(base64.b64decode(SECRET), f"{COMPANY}{key}{epoch}".encode(), hashlib.sha256).digest()
    return f"{COMPANY}:{key}:{epoch}:{base64.b64encode(digest).decode()}"


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(marketsharp=MarketSharpConfig.from_dict(CONFIG), port=0) as sb:
        yield sb


@pytest.fixture
def ctl(sandbox):
    with httpx.Client(base_url=f"{sandbox.url}/_sandbox/marketsharp", timeout=30) as client:
        assert client.post("/reset", json=CONFIG).status_code == 200
        yield client


@pytest.fixture
def root(sandbox, ctl) -> str:
    return f"{sandbox.url_for('marketsharp')}/WcfDataService.svc"


def get(url: str, params: dict | None = None, auth: str | None = None) -> httpx.Response:
    return httpx.get(url, params=params, headers={"Authorization": auth or signed()}, timeout=30)


def rows(body: bytes) -> tuple[list[dict[str, str | None]], str | None]:
    feed = ET.fromstring(body)
    assert feed.tag == f"{ATOM}feed"
    out = []
    for props in feed.iter(f"{M}properties"):
        out.append({p.tag.removeprefix(D): None if p.get(f"{M}null") == "true" else (p.text or "") for p in props})
    nxt = [link.get("href") for link in feed.findall(f"{ATOM}link") if link.get("rel") == "next"]
    return out, (nxt[0] if nxt else None)


def walk(url: str, params: dict) -> tuple[list[dict], int]:
    """Every row of a query, following next links; (rows, requests)."""
    got = get(url, params)
    requests, out = 1, []
    while True:
        assert got.status_code == 200, got.text
        page, nxt = rows(got.content)
        out += page
        if nxt is None:
            return out, requests
        got, requests = get(nxt), requests + 1


def truth(ctl: httpx.Client, table: str) -> list[str]:
    got = ctl.get(f"/truth/{table}", params={"archived": "false"})
    assert got.status_code == 200, got.text
    return got.json()["ids"]


def test_only_a_fresh_signature_of_the_configured_credentials_is_accepted(root):
    url = f"{root}/Contacts"
    assert get(url, {"$top": 1}).status_code == 200
    for header in ("", signed(key="other-key"), signed(int(time.time()) - 400), signed(int(time.time()) + 400),
                   signed()[:-4] + "AAA=", f"Basic {base64.b64encode(b'a:b').decode()}"):
        refused = httpx.get(url, headers={"Authorization": header} if header else {})
        assert refused.status_code == 401, header
        assert refused.content.lstrip().startswith(b"<")  # an XML error body, as WCF Data Services answers
    assert get(url, {"$top": 1}, auth=signed(int(time.time()) - 200)).status_code == 200  # within the skew


def test_server_pages_carry_absolute_next_links_that_read_every_row_once_in_key_order(root, ctl):
    first, nxt = rows(get(f"{root}/Contacts").content)
    assert len(first) == 40 and nxt is not None and nxt.startswith(root + "/Contacts?")
    assert "$skiptoken" in httpx.URL(nxt).params
    read, requests = walk(f"{root}/Contacts", {})
    ids = [r["id"] for r in read]
    assert ids == sorted(truth(ctl, "contacts")) and requests == 4  # 130 rows, pages of 40
    # $top caps the whole query, across its pages; $skip counts rows.
    capped, _ = walk(f"{root}/Contacts", {"$top": 50})
    assert [r["id"] for r in capped] == ids[:50]
    skipped, _ = walk(f"{root}/Contacts", {"$top": 7, "$skip": 45})
    assert [r["id"] for r in skipped] == ids[45:52]


def test_filters_and_ordering_on_last_update_compare_wall_clock_times(root):
    everything, _ = walk(f"{root}/Contacts", {"$orderby": "lastUpdate,id"})
    keys = [(r["lastUpdate"], r["id"]) for r in everything]
    assert keys == sorted(keys) and len(keys) == 130
    low, high = keys[30][0], keys[90][0]
    window, _ = walk(f"{root}/Contacts", {"$orderby": "lastUpdate asc,id",
                                          "$filter": f"lastUpdate ge datetime'{low}' and lastUpdate lt datetime'{high}'"})
    assert [(r["lastUpdate"], r["id"]) for r in window] == [k for k in keys if low <= k[0] < high]


@pytest.mark.parametrize("path, params, status", [
    ("/Nope", {}, 404),
    ("/Contacts", {"$expand": "Inquiries"}, 400),
    ("/Contacts", {"$filter": "firstName eq 'Ann'"}, 400),
    ("/InquiryStatuses", {"$orderby": "lastUpdate"}, 400),
])
def test_what_the_emulator_does_not_serve_is_refused(root, path, params, status):
    assert get(f"{root}{path}", params).status_code == status


def test_reference_sets_have_integer_ids_and_no_last_update(root, ctl):
    read, _ = walk(f"{root}/InquiryStatuses", {})
    assert sorted(int(r["id"]) for r in read) == sorted(int(i) for i in truth(ctl, "inquiry_statuses"))
    assert all("lastUpdate" not in r for r in read)


def test_faults_answer_a_status_or_a_truncated_body(root, ctl):
    rules = [{"route": "feed", "status": 503, "times": 1}, {"route": "feed", "truncate_body": 300, "times": 1}]
    assert ctl.post("/faults", json={"rules": rules}).status_code == 200
    assert get(f"{root}/Contacts").status_code == 503
    cut = get(f"{root}/Contacts")
    assert cut.status_code == 200 and len(cut.content) == 300 == int(cut.headers["content-length"])
    with pytest.raises(ET.ParseError):
        ET.fromstring(cut.content)
    assert get(f"{root}/Contacts").status_code == 200  # both rules spent
    assert ctl.post("/faults", json={"rules": [{"route": "feed", "truncate_body": 10, "drop": True}]}).status_code == 400
