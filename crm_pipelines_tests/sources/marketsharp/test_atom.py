"""The Atom parser: characters XML forbids are removed and counted; a DTD or an entity bomb is refused
before anything is expanded, in bounded time and memory."""

from __future__ import annotations

import resource
import time

import pytest

from crm_pipelines.sources.marketsharp.atom import UnsafeXmlError, parse_feed, sanitize

HEAD = ('<feed xmlns="http://www.w3.org/2005/Atom" xmlns:d="http://schemas.microsoft.com/ado/2007/08/dataservices" '
        'xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">')


def _entry(props: str) -> str:
    return f'<entry><content type="application/xml"><m:properties>{props}</m:properties></content></entry>'


_TEXT: dict = {}  # no converter: every value stays text


def test_properties_become_records_with_types_nulls_and_the_next_link():
    body = (HEAD + _entry('<d:id m:type="Edm.Guid">7c9e6679-7425-40de-944b-e07fc1f90ae7</d:id>'
                          '<d:firstName>Ann &amp; Bob</d:firstName><d:email1 m:null="true" />'
                          '<d:companyId m:type="Edm.Int32">4328</d:companyId>')
            + '<link rel="next" href="https://x/Contacts?$skiptoken=guid\'7c9e\'" /></feed>').encode()
    feed = parse_feed(body, {"Edm.Int32": int})
    assert feed.entries == [{"id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "firstName": "Ann & Bob",
                             "email1": None, "companyId": 4328}]
    assert feed.types == {"id": "Edm.Guid", "firstName": "Edm.String", "email1": "Edm.String",
                          "companyId": "Edm.Int32"}
    assert feed.next_link == "https://x/Contacts?$skiptoken=guid'7c9e'" and feed.removed_characters == 0


def test_forbidden_characters_are_removed_and_counted_and_allowed_ones_kept():
    body = (HEAD + _entry("<d:note>a\x01b&#x1;c&#11;d&#x1F;e\te&#65;&#x10;&#xD;</d:note>") + "</feed>").encode()
    feed = parse_feed(body, _TEXT)
    assert feed.entries[0]["note"] == "abcde\teA\r"
    assert feed.removed_characters == 5


def test_sanitize_keeps_tab_newline_and_character_references_xml_allows():
    assert sanitize(b"a\tb\nc\rd&#9;&#10;&#x20;&#xe9;") == (b"a\tb\nc\rd&#9;&#10;&#x20;&#xe9;", 0)
    assert sanitize(b"\x00\x08\x0b\x0c\x0e\x1f&#0;&#x0;&#31;") == (b"", 9)


BOMB = ('<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
        + ']>' + HEAD + _entry("<d:note>&j;</d:note>") + "</feed>")


def test_an_entity_bomb_is_refused_unexpanded_in_bounded_memory():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with pytest.raises(UnsafeXmlError, match="DTD or entities"):
        parse_feed(BOMB.encode(), _TEXT)
    assert time.monotonic() - started < 1.0
    # Expanded, &j; would be 48 * 10**9 characters; the peak RSS grows by less than 20 MB.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 20_000


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE feed SYSTEM "http://127.0.0.1:9/evil.dtd">',
    '<!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    "<!DOCTYPE feed>",
])
def test_any_dtd_is_refused(doctype):
    body = ('<?xml version="1.0"?>' + doctype + HEAD + _entry("<d:note>x</d:note>") + "</feed>").encode()
    with pytest.raises(UnsafeXmlError):
        parse_feed(body, _TEXT)


def test_a_body_that_is_not_an_atom_feed_is_refused():
    with pytest.raises(ValueError, match="Atom feed"):
        parse_feed(b"<error><message>nope</message></error>", _TEXT)
