"""Pre-built pools of finished (already messy) strings; records pick from them by hash.

Formatting a phone or an email per record in Python costs more than the whole HTTP round trip, so the
work is done once per process here and a page render is reduced to array lookups.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from . import pools

PERSON_POOL = 1 << 17
PHONE_POOL = 1 << 16
MISC_POOL = 1 << 16
ID_POOL = 1 << 15  # guids / certificate urls
ZIPS_PER_CITY = 64


def _arr(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _choice(rng: np.random.Generator, options: list, n: int) -> list:
    return np.array(options, dtype=object)[rng.integers(0, len(options), n)].tolist()


@lru_cache(maxsize=8)
def persons(bad_email_rate: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(first, last, email) triples, so a record's email agrees with its name."""
    n = PERSON_POOL
    rng = np.random.default_rng(1001)
    firsts = _choice(rng, pools.FIRST_NAMES, n)
    lasts = _choice(rng, pools.LAST_NAMES, n)
    doms = _choice(rng, pools.EMAIL_DOMAINS, n)
    nums = rng.integers(1, 1000, n).tolist()
    styles = rng.integers(0, 5, n).tolist()
    mess = rng.random(n).tolist()
    variant = rng.integers(0, 4, n).tolist()
    emails = []
    for first, last, dom, num, style, m, v in zip(firsts, lasts, doms, nums, styles, mess, variant):
        fl, ll = first.lower(), last.lower().replace("'", "")
        if m < bad_email_rate:
            emails.append((f"{fl}.{ll}@", "n/a", f"{fl} {ll}@{dom}", f"@{dom}")[v])
            continue
        if style == 0:
            local = f"{fl}.{ll}"
        elif style == 1:
            local = f"{fl}{ll}{num}"
        elif style == 2:
            local = f"{fl[0]}{ll}{num}"
        else:
            local = f"{fl}{'_' if style == 3 else '.'}{ll}{num}"
        if m < bad_email_rate + 0.08:
            emails.append(f"{local.title()}@{dom.title()}")  # valid once lower-cased
        elif m < bad_email_rate + 0.12:
            emails.append((f" {local}@{dom}", f"{local}@{dom} ", f"  {local}@{dom}  ", f"\t{local}@{dom}")[v])
        else:
            emails.append(f"{local}@{dom}")
    return _arr(firsts), _arr(lasts), _arr(emails)


@lru_cache(maxsize=8)
def phones(bad_phone_rate: float) -> np.ndarray:
    n = PHONE_POOL
    rng = np.random.default_rng(2002)
    areas = _choice(rng, pools.AREA_CODES, n)
    exch = rng.integers(200, 1000, n).tolist()
    line = rng.integers(0, 10000, n).tolist()
    fmt = rng.integers(0, 5, n).tolist()
    mess = rng.random(n).tolist()
    pick = rng.integers(0, 3, n).tolist()
    out = []
    for a, e, ln, f, m, k in zip(areas, exch, line, fmt, mess, pick):
        if m < bad_phone_rate:
            out.append(pools.BAD_PHONES[k])
        elif m < bad_phone_rate + 0.03:
            out.append(pools.PHONE_PLACEHOLDERS[k])
        elif f == 0:
            out.append(f"({a}) {e}-{ln:04d}")
        elif f == 1:
            out.append(f"{a}.{e}.{ln:04d}")
        elif f == 2:
            out.append(f"+1 {a} {e} {ln:04d}")
        elif f == 3:
            out.append(f"{a}{e}{ln:04d}")
        else:
            out.append(f"1-{a}-{e}-{ln:04d}")
    return _arr(out)


@lru_cache(maxsize=1)
def streets() -> np.ndarray:
    n = MISC_POOL
    rng = np.random.default_rng(3003)
    apts = rng.integers(1, 40, n).tolist()
    has_apt = (rng.random(n) < 0.1).tolist()
    return _arr([f"{num} {s} {x}" + (f" Apt {a}" if h else "") for num, s, x, a, h in zip(
        rng.integers(1, 10000, n).tolist(), _choice(rng, pools.STREET_NAMES, n),
        _choice(rng, pools.STREET_SUFFIXES, n), apts, has_apt)])


@lru_cache(maxsize=1)
def zips() -> np.ndarray:
    """ZIPS_PER_CITY zips per city (row-major); ZIP+4 sometimes, a lost leading zero sometimes."""
    rng = np.random.default_rng(4004)
    out = []
    for _, _, zip3 in pools.CITIES:
        for tail, roll, plus4 in zip(rng.integers(0, 100, ZIPS_PER_CITY).tolist(), rng.random(ZIPS_PER_CITY).tolist(),
                                     rng.integers(0, 10000, ZIPS_PER_CITY).tolist()):
            z = f"{zip3}{tail:02d}"
            out.append(f"{z}-{plus4:04d}" if roll < 0.05 else (z.lstrip("0") if roll < 0.08 else z))
    return _arr(out)


@lru_cache(maxsize=1)
def guids() -> np.ndarray:
    raw = np.random.default_rng(5005).integers(0, 2**63, (ID_POOL, 2), dtype=np.int64).tolist()
    out = []
    for a, b in raw:
        h = f"{a:016x}{b:016x}"
        out.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return _arr(out)


@lru_cache(maxsize=1)
def trustedform_urls() -> np.ndarray:
    raw = np.random.default_rng(6006).integers(0, 2**63, (ID_POOL, 3), dtype=np.int64).tolist()
    return _arr([f"https://cert.trustedform.com/{a:016x}{b:016x}{c & 0xFFFFFFFF:08x}" for a, b, c in raw])


@lru_cache(maxsize=1)
def money() -> np.ndarray:
    """Number strings the way HubSpot prints them: "1250.5", "980", "12999.99"."""
    cents = np.random.default_rng(7007).integers(5_000, 5_000_000, MISC_POOL).tolist()
    return _arr([f"{c / 100:.2f}".rstrip("0").rstrip(".") for c in cents])


DAY_MS = 86_400_000
FIRST_DAY = -3650  # 1960
LAST_DAY = 47_482  # 2100


@lru_cache(maxsize=1)
def iso_parts() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """("YYYY-MM-DD" per day from 1960, "THH:MM:SS" per second of a day, ".mmmZ" per millisecond).

    numpy's datetime_as_string costs ~1 us per value, more than everything else in a page render.
    """
    days = np.datetime_as_string(np.arange(FIRST_DAY, LAST_DAY).astype("datetime64[D]"), unit="D").astype(object)
    hours = [f"T{h:02d}:" for h in range(24)]
    minsec = [f"{m:02d}:{s:02d}" for m in range(60) for s in range(60)]
    times = _arr([h + ms for h in hours for ms in minsec])
    millis = _arr([f".{k:03d}Z" for k in range(1000)])
    return days, times, millis


def warm(bad_email_rate: float, bad_phone_rate: float) -> None:
    """Build every pool up front so the first API request is not the slow one."""
    persons(bad_email_rate)
    phones(bad_phone_rate)
    streets(), zips(), guids(), trustedform_urls(), money(), iso_parts()
