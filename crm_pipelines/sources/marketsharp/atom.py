"""MarketSharp's Atom (OData v2) feeds, parsed safely: characters XML forbids are removed first (real
payloads carry them), a DTD or an entity is refused (no expansion, no external fetch: defusedxml), and each
`entry/content/m:properties` becomes a dict of typed values."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

ATOM = "{http://www.w3.org/2005/Atom}"
DATA = "{http://schemas.microsoft.com/ado/2007/08/dataservices}"
META = "{http://schemas.microsoft.com/ado/2007/08/dataservices/metadata}"

# Raw C0 controls other than tab, LF, CR, and numeric references to them (`&#x1;`, `&#11;`): XML 1.0
# forbids both, and one of them would fail the whole page.
_FORBIDDEN = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F])|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]));")


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
    return _FORBIDDEN.subn(b"", body)


def parse_feed(body: bytes, convert: Callable[[str, str], Any]) -> Feed:
    """Entries of one feed page; `convert(edm_type, text)` types each non-null property value."""
    clean, removed = sanitize(body)
    try:
        root = fromstring(clean, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnsafeXmlError(f"the feed declares a DTD or entities ({type(exc).__name__}); refused unexpanded") from None
    if root.tag != f"{ATOM}feed":
        raise ValueError(f"expected an Atom feed, got <{root.tag}>")
    entries, types = [], {}
    for entry in root.iter(f"{ATOM}entry"):
        props = entry.find(f"{ATOM}content/{META}properties")
        if props is None:
            props = entry.find(f"{META}properties")  # media-link entries carry them outside <content>
        record: dict[str, Any] = {}
        for prop in props if props is not None else ():
            name = prop.tag.removeprefix(DATA)
            edm = prop.get(f"{META}type", "Edm.String")
            types[name] = edm
            record[name] = None if prop.get(f"{META}null") == "true" else convert(edm, prop.text or "")
        entries.append(record)
    next_link = next((link.get("href") for link in root.findall(f"{ATOM}link") if link.get("rel") == "next"), None)
    return Feed(entries=entries, next_link=next_link, removed_characters=removed, types=types)
