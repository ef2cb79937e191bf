"""MarketSharp's Atom feeds: one `<entry>` per record with `m:properties`, Edm types declared, nulls as
`m:null="true"`, times as company-local wall clock without an offset, and now and then the characters XML
forbids that real payloads carry (a raw control character, a `&#x1;` reference)."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import numpy as np

from .data import MarketSharpData, SetTable

FIRST = ("Ann", "Bob", "Carla", "Dmitri", "Émilie", "Farouk", "Grace", "Hiro", "Inès", "José")
LAST = ("Smith", "O'Neil", "Nguyen", "García", "Müller", "Johnson & Sons", "Lee", "Brown")
STREETS = ("Main St", "Oak Ave", "Elm Street", "N. 5th St")
CITIES = ("Columbus", "Dayton", "Akron", "Toledo", "Erie")
SOURCES = ("Home Show", "Referral", "Web", "Canvass", "TV")
# What the injected characters look like on the wire, and what remains once a client removes them.
DIRTY_RAW, DIRTY_REF = "\x0b", "&#x1;"
DIRTY_MARK = "\x00DIRTY\x00"  # placeholder replaced after escaping, so the reference stays unescaped


def wall_text(wall_ms: int) -> str:
    """An Edm.DateTime as WCF Data Services writes it: no offset, trailing fractional zeros dropped."""
    moment = dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=int(wall_ms))
    text = moment.strftime("%Y-%m-%dT%H:%M:%S.%f").rstrip("0").rstrip(".")
    return text


def values(data: MarketSharpData, table: SetTable, idx: np.ndarray, invalid_rate: float) -> list[dict[str, Any]]:
    """Each record's properties as {name: (Edm type, text or None)}; text may carry the DIRTY_MARK."""
    modified = data.wall_ms(table.modified[idx])
    created = data.wall_ms(table.created[idx])
    out = []
    for k, pos in enumerate(idx.tolist()):
        rng = random.Random(f"{data.seed}:{table.key}:{table.texts[pos]}:{int(table.version[pos])}")
        dirty = rng.random() < invalid_rate
        key_type = "Edm.Guid" if table.emu_set.guid_ids else "Edm.Int32"
        record: dict[str, Any] = {table.emu_set.key: (key_type, table.texts[pos])}
        for name, edm, gen in table.emu_set.properties:
            record[name] = (edm, _value(gen, rng, int(modified[k]), int(created[k]), data.seed))
        if dirty:
            for name in ("firstName", "note", "name", "value", "address1", "leadSource"):
                if record.get(name, (None, None))[1] is not None:
                    edm, text = record[name]
                    record[name] = (edm, text[:2] + DIRTY_MARK + text[2:])
                    break
        overlay = table.overlay.get(pos) or {}
        for name, text in overlay.items():
            record[name] = (record.get(name, ("Edm.String", None))[0], text)
        out.append(record)
    return out


def _value(gen: str, rng: random.Random, modified: int, created: int, seed: int) -> str | None:
    if gen == "null":
        return None
    if gen == "modified":
        return wall_text(modified)
    if gen == "created":
        return wall_text(created)
    if gen == "first":
        return rng.choice(FIRST)
    if gen == "last":
        return rng.choice(LAST)
    if gen == "business":
        return None if rng.random() < 0.7 else f"{rng.choice(LAST)} Remodeling"
    if gen == "email":
        return f"{rng.choice(FIRST).lower()}{rng.randrange(1000)}@example.com" if rng.random() < 0.8 else None
    if gen == "guid":
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))
    if gen == "source":
        return rng.choice(SOURCES)
    if gen == "contact_type":
        return str(rng.choice((1, 2, 3)))
    if gen == "bool":
        return "true" if rng.random() < 0.8 else "false"
    if gen == "company":
        return str(4328)
    if gen == "small_int":
        return str(rng.randrange(1, 12))
    if gen == "business_name":
        return f"{rng.choice(LAST)} Home Improvement"
    if gen == "contact_type_int":
        return str(rng.choice((1, 2, 3)))
    if gen == "street":
        return f"{rng.randrange(1, 9999)} {rng.choice(STREETS)}"
    if gen == "city":
        return rng.choice(CITIES)
    if gen == "state":
        return rng.choice(("OH", "PA", "NY", "NJ", "TX"))
    if gen == "zip":
        return f"{rng.randrange(501, 99950):05d}"
    if gen == "phone":
        return f"({rng.randrange(201, 989)}) {rng.randrange(200, 999)}-{rng.randrange(10000):04d}"
    if gen == "number":
        return f"J-{rng.randrange(100000):06d}"
    if gen == "money":
        return f"{rng.randrange(50000, 5000000) / 100:.2f}"
    if gen == "text":
        return rng.choice(("Kitchen remodel", "Roof <leak> & gutters", "Windows x12", "Call back after 5pm"))
    raise ValueError(f"unknown generator {gen}")


def clean(text: str | None) -> str | None:
    return None if text is None else text.replace(DIRTY_MARK, "")


def truth(data: MarketSharpData, table: SetTable, idx: np.ndarray, invalid_rate: float) -> list[dict[str, Any]]:
    """The records as a correct client reads them: forbidden characters removed, times as wall-clock text."""
    return [{name: clean(text) for name, (_, text) in record.items()}
            for record in values(data, table, idx, invalid_rate)]


def feed(base: str, data: MarketSharpData, table: SetTable, idx: np.ndarray, invalid_rate: float,
         next_link: str | None) -> bytes:
    set_url = f"{base}/{table.emu_set.entity_set}"
    parts = ['<?xml version="1.0" encoding="utf-8" standalone="yes"?>',
             '<feed xml:base=', quoteattr(base + "/"), ' xmlns="http://www.w3.org/2005/Atom"'
             ' xmlns:d="http://schemas.microsoft.com/ado/2007/08/dataservices"'
             ' xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">',
             f'<title type="text">{table.emu_set.entity_set}</title><id>{escape(set_url)}</id>',
             f'<link rel="self" title="{table.emu_set.entity_set}" href="{table.emu_set.entity_set}" />']
    for record in values(data, table, idx, invalid_rate):
        key = record[table.emu_set.key][1]
        literal = f"guid'{key}'" if table.emu_set.guid_ids else key
        parts.append(f'<entry><id>{escape(set_url)}({literal})</id><content type="application/xml"><m:properties>')
        for name, (edm, text) in record.items():
            type_attr = "" if edm == "Edm.String" else f' m:type="{edm}"'
            if text is None:
                parts.append(f'<d:{name}{type_attr} m:null="true" />')
            else:
                body = escape(text).replace(DIRTY_MARK, DIRTY_RAW + DIRTY_REF)
                parts.append(f"<d:{name}{type_attr}>{body}</d:{name}>")
        parts.append("</m:properties></content></entry>")
    if next_link is not None:
        parts.append(f'<link rel="next" href={quoteattr(next_link)} />')
    parts.append("</feed>")
    return "".join(parts).encode("utf-8")


def error(code: str, message: str) -> bytes:
    return ('<?xml version="1.0" encoding="utf-8" standalone="yes"?>'
            '<error xmlns="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">'
            f"<code>{escape(code)}</code><message xml:lang=\"en-US\">{escape(message)}</message></error>").encode()
