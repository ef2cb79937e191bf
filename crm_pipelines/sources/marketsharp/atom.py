"""MarketSharp's Atom (OData v2) feeds, parsed safely: characters XML forbids are removed first (real
payloads carry them), a DTD or an entity is refused before parsing (defusedxml reads the prolog), the body is
parsed by lxml with entity resolution, DTD loading and the network off, and each `m:properties` element
becomes a dict of typed values."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"
DATA = "{http://schemas.microsoft.com/ado/2007/08/dataservices}"
META = "{http://schemas.microsoft.com/ado/2007/08/dataservices/metadata}"
_TYPE, _NULL = f"{META}type", f"{META}null"
_PROPERTIES = f"{META}properties"  # inside <content>, or beside it in media-link entries
# Belt and braces: the prolog was already read for a DTD. huge_tree=False keeps libxml2's limits on depth and
# text size, so a hostile page fails instead of growing without bound.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=True, remove_pis=True)

# Raw C0 controls other than tab, LF and CR, and numeric references to them (`&#x1;`, `&#11;`): XML 1.0
# forbids both, and one of them would fail the whole page.
_FORBIDDEN_BYTES = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0D))
_FORBIDDEN_REFERENCE = re.compile(rb"&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F])|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]));")

Converters = Mapping[str, Callable[[str], Any]]  # Edm type -> the value's parser; text stays text otherwise


class UnsafeXmlError(ValueError):
    """The payload declares a DTD or entities: refused before anything is expanded or fetched."""


@dataclass
class Feed:
    entries: list[dict[str, Any]]
    next_link: str | None
    removed_characters: int = 0
    types: dict[str, str] = field(default_factory=dict)  # property name -> Edm type (as declared)


def sanitize(body: bytes) -> tuple[bytes, int]:
    """The body without the characters XML forbids, and how many were removed."""
    clean = body.translate(None, _FORBIDDEN_BYTES)
    removed = len(body) - len(clean)
    if b"&#" in clean:
        clean, references = _FORBIDDEN_REFERENCE.subn(b"", clean)
        removed += references
    return clean, removed


class _RootReached(Exception):
    pass


class _PrologOnly:
    """A parser target that stops at the root element: only the prolog, where a DTD would be, is read."""

    def start(self, tag: str, attrs: dict) -> None:
        raise _RootReached

    def end(self, tag: str) -> None:
        pass

    def data(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


def refuse_dtd(body: bytes) -> None:
    """defusedxml reads the prolog, the only place XML lets a document declare a DTD or an entity, and refuses
    either before anything is expanded or fetched; parsing stops at the root element."""
    probe = DefusedXMLParser(target=_PrologOnly(), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    try:
        probe.feed(body)
        probe.close()
    except _RootReached:
        return
    except DefusedXmlException as exc:
        raise UnsafeXmlError(f"the feed declares a DTD or entities ({type(exc).__name__}); refused unexpanded") from None


def parse_feed(body: bytes, converters: Converters) -> Feed:
    """Entries of one feed page, each property typed by `converters` of its declared Edm type."""
    clean, removed = sanitize(body)
    refuse_dtd(clean)
    root = etree.fromstring(clean, _PARSER)
    if root.tag != f"{ATOM}feed":
        raise ValueError(f"expected an Atom feed, got <{root.tag}>")
    entries, types, names = [], {}, {}
    for entry in root.iterchildren(f"{ATOM}entry"):
        record: dict[str, Any] = {}
        for props in entry.iter(_PROPERTIES):
            for prop in props:
                tag = prop.tag
                name = names.get(tag)
                if name is None:
                    name = names[tag] = tag.removeprefix(DATA)
                edm = prop.get(_TYPE, "Edm.String")
                types[name] = edm
                if prop.get(_NULL) == "true":
                    record[name] = None
                else:
                    convert = converters.get(edm)
                    text = prop.text or ""
                    record[name] = text if convert is None else convert(text)
            break
        entries.append(record)
    next_link = next((link.get("href") for link in root.iterchildren(f"{ATOM}link") if link.get("rel") == "next"),
                     None)
    return Feed(entries=entries, next_link=next_link, removed_characters=removed, types=types)
