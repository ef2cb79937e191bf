"""Property value generators: one vectorised function per `PropSpec.kind`.

Each generator sees a `Batch` (a slice of one table) and returns, per record, a str or None: as a list,
an object array, or a `Picked` (positions in a pre-built pool). Values depend only on (seed, object type,
id, version), so nothing but the tables' numpy columns has to be stored.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..kit.generate import pooled, pools
from ..kit.generate.batch import Batch, Picked
from ..kit.generate.hashing import below, unit
from ..kit.generate.timefmt import day_names, iso_ms
from .schema import PropSpec

DAY_MS = 86_400_000
NULL_RATE = 0.10
EXTRA_HASHES = ("person", "city", "appointment_window", "owner")

_SOURCE_VARIANTS = np.array([s for s in pools.SOURCES] + [s.lower() for s in pools.SOURCES]
                            + [f"{s} - {s.split()[0]} Campaign" for s in pools.SOURCES], dtype=object)
_PRODUCTS = np.array(pools.PRODUCTS, dtype=object)
_JOBS = np.array(pools.JOB_TITLES, dtype=object)
_CWORDS = np.array(pools.COMPANY_WORDS, dtype=object)
_CSUFFIX = np.array(pools.COMPANY_SUFFIXES, dtype=object)
_CFORMS = np.array(pools.COMPANY_FORMS, dtype=object)
_DURATIONS_MIN = np.array([30, 60, 90, 120, 180], dtype=np.int64)
_BOOL_TRUE_RATE = {"lead_is_dnc": 0.08, "user_status_inactive": 0.15, "is_complete": 0.45}
_ENUM_VALUES: dict[tuple, np.ndarray] = {}


def hash_names(props: list[PropSpec]) -> list[str]:
    """What a table's hash matrix holds: each property's value and null roll, plus shared draws."""
    return [p.name for p in props] + [p.name + "#null" for p in props] + list(EXTRA_HASHES)


def _strs(values: np.ndarray) -> list[str]:
    return [str(x) for x in values.tolist()]  # ~2x faster than ndarray.astype(str)


Gen = Callable[[Batch, PropSpec], "list | np.ndarray | Picked"]


def _persons(b: Batch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return pooled.persons(b.table.ctx.bad_email_rate)


def g_object_id(b: Batch, p: PropSpec) -> list:
    return b.id_strings()


def g_created(b: Batch, p: PropSpec) -> list:
    return b.memo("created_iso", lambda: iso_ms(b.created))  # type: ignore[return-value]


def g_modified(b: Batch, p: PropSpec) -> list:
    return b.memo("modified_iso", lambda: iso_ms(b.modified))  # type: ignore[return-value]


def g_full_name(b: Batch, p: PropSpec) -> list:
    first, last, _ = _persons(b)
    return (first[b.person()] + " " + last[b.person()]).tolist()


def _city_index(b: Batch) -> np.ndarray:
    return b.memo("city", lambda: below(b.h("city", stable=True), 5, len(pools.CITIES)))  # type: ignore


def g_zip(b: Batch, p: PropSpec) -> Picked:
    k = _city_index(b) * pooled.ZIPS_PER_CITY + below(b.h(p.name, stable=True), 3, pooled.ZIPS_PER_CITY)
    return Picked(pooled.zips(), k)


def g_email(b: Batch, p: PropSpec) -> Picked:
    emails = _persons(b)[2]
    if p.stable:  # the record's own email, matching its name
        return Picked(emails, b.person())
    return Picked(emails, below(b.h(p.name), 3, len(emails)))


def g_merged_ids(b: Batch, p: PropSpec) -> list:
    h = b.h(p.name)
    out: list = [None] * b.n
    for k in np.flatnonzero(unit(h, 3) < 0.04).tolist():  # merged contacts are rare
        x = int(h[k])
        out[k] = ";".join(str(10**9 + (x >> (i * 9)) % (9 * 10**11)) for i in range(1 + (x >> 50) % 3))
    return out


def g_date_mixed(b: Batch, p: PropSpec) -> list:
    """A date property in the three shapes HubSpot emits: "2025-01-09", "1736380800000", "2025-01-09T00:00:00Z"."""
    h = b.h(p.name)
    days = (b.modified // DAY_MS - below(h, 3, 60) + 14).tolist()
    names = day_names()
    first = pooled.FIRST_DAY
    return [names[d - first] if f == 0 else (str(d * DAY_MS) if f == 1 else names[d - first] + "T00:00:00Z")
            for d, f in zip(days, ((h >> np.uint64(19)) % np.uint64(3)).tolist())]


def _iso_variants(ms: np.ndarray, h: np.ndarray, epoch_share: float) -> list:
    """Mostly ISO with ms; ~10 % without ms; `epoch_share` as epoch-ms digit strings."""
    out = iso_ms(ms)
    for k, u in enumerate(unit(h, 43).tolist()):
        if u < epoch_share:
            out[k] = str(int(ms[k]))
        elif u < epoch_share + 0.10:
            out[k] = out[k][:19] + "Z"
    return out


def _company(b: Batch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    def make() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        h = b.h("name", stable=True)
        return (_CWORDS[below(h, 3, len(_CWORDS))], _CSUFFIX[below(h, 13, len(_CSUFFIX))],
                _CFORMS[below(h, 23, len(_CFORMS))])
    return b.memo("company", make)  # type: ignore[return-value]


def g_company_name(b: Batch, p: PropSpec) -> list:
    w, s, f = _company(b)
    return [f"{a} {c} {d}".strip() for a, c, d in zip(w.tolist(), s.tolist(), f.tolist())]


def g_company_domain(b: Batch, p: PropSpec) -> list:
    w, s, _ = _company(b)
    n = below(b.h(p.name, stable=True), 3, 50).tolist()
    return [f"{a}{c}{k}.com".lower().replace(" ", "").replace("&", "and") for a, c, k in zip(w.tolist(), s.tolist(), n)]


def g_employees(b: Batch, p: PropSpec) -> list:
    return _strs(1 + below(b.h(p.name), 3, 500))


def g_revenue(b: Batch, p: PropSpec) -> list:
    return _strs((10 + below(b.h(p.name), 3, 5000)) * 1000)


def g_deal_name(b: Batch, p: PropSpec) -> list:
    last = _persons(b)[1][b.person()]
    return (last + " - " + _PRODUCTS[below(b.h(p.name, stable=True), 3, len(_PRODUCTS))]).tolist()


def g_close_date(b: Batch, p: PropSpec) -> list:
    h = b.h(p.name)
    ms = b.created + below(h, 3, 120) * DAY_MS + below(h, 13, DAY_MS // 1000) * 1000 + below(h, 33, 1000)
    return _iso_variants(ms, h, epoch_share=0.10)


def _appt_window(b: Batch) -> tuple[np.ndarray, np.ndarray]:
    def make() -> tuple[np.ndarray, np.ndarray]:
        h = b.h("appointment_window")
        day = (b.created // DAY_MS + 1 + below(h, 3, 30)) * DAY_MS
        start = day + (13 + below(h, 13, 10)) * 3_600_000 + below(h, 23, 4) * 900_000  # business hours, US
        return start, _DURATIONS_MIN[below(h, 33, len(_DURATIONS_MIN))] * 60_000
    return b.memo("appt", make)  # type: ignore[return-value]


def g_appt_start(b: Batch, p: PropSpec) -> list:
    start, _ = _appt_window(b)
    return _iso_variants(start, b.h(p.name), epoch_share=0.0)


def g_appt_end(b: Batch, p: PropSpec) -> list:
    start, duration = _appt_window(b)
    return _iso_variants(start + duration, b.h(p.name), epoch_share=0.0)


def g_appt_duration(b: Batch, p: PropSpec) -> list:
    return _strs(_appt_window(b)[1])


def g_appointment_name(b: Batch, p: PropSpec) -> list:
    first, last, _ = _persons(b)
    prod = _PRODUCTS[below(b.h(p.name, stable=True), 3, len(_PRODUCTS))]
    return (first[b.person()] + " " + last[b.person()] + " - " + prod + " Consultation").tolist()


def g_int_id(b: Batch, p: PropSpec) -> list:
    return _strs(100_000 + below(b.h(p.name, stable=True), 3, 9_000_000))


def g_arrivy_id(b: Batch, p: PropSpec) -> list:
    return _strs(4_500_000_000_000_000 + below(b.h(p.name, stable=True), 3, 10**15))


def division_fields(i: int) -> tuple[str, str, str, str]:
    """(name, label, code, region) of the i-th division; numbered once the pool runs out."""
    name, code, region = pools.DIVISIONS[i % len(pools.DIVISIONS)]
    lap = i // len(pools.DIVISIONS)
    if lap:
        name, code = f"{name} {lap + 1}", f"{code}{lap + 1}"
    return name, f"{name} Division", code, region


def _own_division(field: int) -> Gen:
    return lambda b, p: [division_fields(i)[field] for i in b.idx.tolist()]


_STATUS = np.array(["active"] * 9 + ["inactive"], dtype=object)


def g_division_status(b: Batch, p: PropSpec) -> Picked:
    return Picked(_STATUS, below(b.h(p.name), 3, len(_STATUS)))


def _enum_values(b: Batch, p: PropSpec) -> np.ndarray:
    values = _ENUM_VALUES.get(p.options)
    if values is None:
        values = _ENUM_VALUES[p.options] = np.array([v for v, _ in p.options], dtype=object)
    return values


# kind -> (pool for this batch/property, hashed with the property's stable hash?). A record picks
# pool[hash(property) % len(pool)]; these are the bulk of all columns, so render() batches them.
PICKERS: dict[str, tuple[Callable[[Batch, PropSpec], np.ndarray], bool]] = {
    "phone": (lambda b, p: pooled.phones(b.table.ctx.bad_phone_rate), False),
    "street": (lambda b, p: pooled.streets(), True),
    "guid": (lambda b, p: pooled.guids(), True),
    "trustedform": (lambda b, p: pooled.trustedform_urls(), True),
    "money": (lambda b, p: pooled.money(), False),
    "enum": (_enum_values, False),
    "source_text": (lambda b, p: _SOURCE_VARIANTS, False),
    "job_title": (lambda b, p: _JOBS, False),
    "owner_id": (lambda b, p: b.table.ctx.owner_ids, False),
    "division_name": (lambda b, p: b.table.ctx.division_names, False),
    "division_id": (lambda b, p: b.table.ctx.division_ids, False),
    "bool": (lambda b, p: _BOOL_POOLS[_BOOL_TRUE_RATE.get(p.name, 0.5)], False),
}
# Booleans as a 100-slot pool whose share of "true" is the wanted rate.
_BOOL_POOLS = {rate: np.array(["true"] * round(rate * 100) + ["false"] * (100 - round(rate * 100)), dtype=object)
               for rate in set(_BOOL_TRUE_RATE.values()) | {0.5}}


_NONE = np.array([None], dtype=object)


def _picked(b: Batch, p: PropSpec) -> Picked:
    pool_fn, stable = PICKERS[p.kind]
    pool = pool_fn(b, p)
    if len(pool) == 0:  # e.g. no owners generated
        return Picked(_NONE, np.zeros(b.n, dtype=np.int64))
    return Picked(pool, below(b.h(p.name, stable), 3, len(pool)))


GENERATORS: dict[str, Gen] = {
    "object_id": g_object_id, "created": g_created, "modified": g_modified,
    "first_name": lambda b, p: Picked(_persons(b)[0], b.person()),
    "last_name": lambda b, p: Picked(_persons(b)[1], b.person()),
    "full_name": g_full_name, "email": g_email,
    "city": lambda b, p: Picked(pools.CITY_NAMES, _city_index(b)),
    "state": lambda b, p: Picked(pools.CITY_STATES, _city_index(b)),
    "zip": g_zip, "merged_ids": g_merged_ids,
    "date_mixed": g_date_mixed, "company_name": g_company_name,
    "company_domain": g_company_domain, "employees": g_employees, "revenue": g_revenue,
    "deal_name": g_deal_name, "close_date": g_close_date, "appt_start": g_appt_start, "appt_end": g_appt_end,
    "appt_duration": g_appt_duration, "appointment_name": g_appointment_name, "int_id": g_int_id,
    "arrivy_id": g_arrivy_id, "division_status": g_division_status,
    "own_division_name": _own_division(0), "own_division_label": _own_division(1),
    "own_division_code": _own_division(2), "own_division_region": _own_division(3),
}
GENERATORS.update({kind: _picked for kind in PICKERS})


def null_mask(b: Batch, props: list[PropSpec]) -> np.ndarray:
    """(n, len(props)) booleans: which optional values are null (~NULL_RATE of each)."""
    if not props:
        return np.zeros((b.n, 0), dtype=bool)
    return unit(b.hs([p.name + "#null" for p in props]), 7) < NULL_RATE


def resolve(values: object) -> object:
    return values.values() if isinstance(values, Picked) else values


def column(b: Batch, p: PropSpec) -> list:
    values = resolve(GENERATORS[p.kind](b, p))
    values = values.tolist() if isinstance(values, np.ndarray) else list(values)  # type: ignore[arg-type]
    if p.optional:
        for i in np.flatnonzero(null_mask(b, [p])[:, 0]).tolist():
            values[i] = None
    return values
