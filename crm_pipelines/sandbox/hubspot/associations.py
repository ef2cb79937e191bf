"""Deterministic associations between tables, stored as CSR arrays in both directions (API_SHAPES §1.9)."""

from __future__ import annotations

import base64
import zlib
from dataclasses import dataclass

import numpy as np

from .config import HubSpotConfig
from .tables import Table


def _t(category: str, type_id: int, label: str | None = None) -> dict:
    return {"category": category, "typeId": type_id, "label": label}


@dataclass(frozen=True)
class AssocDef:
    from_key: str
    to_key: str
    k_probs: tuple[float, ...]  # P(a from-record has k targets), k = 0, 1, ...
    forward: tuple[dict, ...]  # associationTypes from -> to
    reverse: tuple[dict, ...]  # associationTypes to -> from
    forward_flagged: tuple[dict, ...]  # types of "flagged" pairs (labelled / primary ones carry two types)
    reverse_flagged: tuple[dict, ...]
    flag_rate: float
    heavy: bool = False  # a few from-records get more targets than one association page holds


DEFS = (
    AssocDef("contacts", "appointments", (0.30, 0.35, 0.20, 0.15),
             (_t("HUBSPOT_DEFINED", 907),), (_t("HUBSPOT_DEFINED", 906),),
             (_t("HUBSPOT_DEFINED", 907), _t("USER_DEFINED", 1451, "Primary Appointment")),
             (_t("HUBSPOT_DEFINED", 906), _t("USER_DEFINED", 1452, "Primary Contact")), 0.05, heavy=True),
    AssocDef("contacts", "divisions", (0.30, 0.55, 0.15),
             (_t("USER_DEFINED", 57),), (_t("USER_DEFINED", 58),),
             (_t("USER_DEFINED", 57),), (_t("USER_DEFINED", 58),), 0.0),
    AssocDef("contacts", "companies", (0.40, 0.60),
             (_t("HUBSPOT_DEFINED", 279),), (_t("HUBSPOT_DEFINED", 280),),
             (_t("HUBSPOT_DEFINED", 1, "Primary"), _t("HUBSPOT_DEFINED", 279)),
             (_t("HUBSPOT_DEFINED", 2, "Primary"), _t("HUBSPOT_DEFINED", 280)), 0.8),
    AssocDef("deals", "contacts", (0.05, 0.80, 0.15),
             (_t("HUBSPOT_DEFINED", 3),), (_t("HUBSPOT_DEFINED", 4),),
             (_t("HUBSPOT_DEFINED", 3),), (_t("HUBSPOT_DEFINED", 4),), 0.0),
)


class Link:
    """One direction of an association: from-index -> sorted target indices (+ which pairs are flagged)."""

    def __init__(self, n_from: int, src: np.ndarray, dst: np.ndarray, flags: np.ndarray,
                 types: tuple[dict, ...], types_flagged: tuple[dict, ...]) -> None:
        order = np.lexsort((dst, src))
        self.dst = dst[order].astype(np.int32)
        self.flags = flags[order]
        self.offsets = np.searchsorted(src[order], np.arange(n_from + 1)).astype(np.int64)
        self.types = list(types)
        self.types_flagged = list(types_flagged)

    def targets(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = int(self.offsets[i]), int(self.offsets[i + 1])
        return self.dst[lo:hi], self.flags[lo:hi]


def _pairs(d: AssocDef, n_from: int, n_to: int, cfg: HubSpotConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng([cfg.seed, zlib.crc32(f"{d.from_key}->{d.to_key}".encode())])
    empty = np.zeros(0, dtype=np.int64)
    if n_from == 0 or n_to == 0:
        return empty, empty, np.zeros(0, dtype=bool)
    k = rng.choice(len(d.k_probs), size=n_from, p=np.array(d.k_probs) / sum(d.k_probs))
    src = np.repeat(np.arange(n_from, dtype=np.int64), k)
    dst = rng.integers(0, n_to, size=len(src), dtype=np.int64)
    if d.heavy and n_from >= 1000:
        # Enough targets that per-from-id paging (assoc_page_size) is exercised.
        many = min(n_to, 2 * cfg.assoc_page_size + 17)
        for who in rng.choice(n_from, size=min(n_from, 2 + n_from // 250_000), replace=False):
            src = np.concatenate([src, np.full(many, who, dtype=np.int64)])
            dst = np.concatenate([dst, rng.choice(n_to, size=many, replace=False).astype(np.int64)])
    code = np.unique(src * n_to + dst)
    src, dst = code // n_to, code % n_to
    flags = rng.random(len(src)) < d.flag_rate
    return src, dst, flags


class Associations:
    def __init__(self, tables: dict[str, Table], cfg: HubSpotConfig) -> None:
        self.links: dict[tuple[str, str], Link] = {}
        for d in DEFS:
            n_from, n_to = tables[d.from_key].n, tables[d.to_key].n
            src, dst, flags = _pairs(d, n_from, n_to, cfg)
            self.links[(d.from_key, d.to_key)] = Link(n_from, src, dst, flags, d.forward, d.forward_flagged)
            self.links[(d.to_key, d.from_key)] = Link(n_to, dst, src, flags, d.reverse, d.reverse_flagged)

    def link(self, from_key: str, to_key: str) -> Link | None:
        return self.links.get((from_key, to_key))


def encode_offset(offset: int) -> str:
    return base64.urlsafe_b64encode(f"assoc-{offset}".encode()).decode().rstrip("=")


def decode_offset(token: object) -> int | None:
    try:
        text = str(token)
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
        if raw.startswith("assoc-"):
            return max(0, int(raw[6:]))
    except (ValueError, UnicodeDecodeError):
        pass
    return None
