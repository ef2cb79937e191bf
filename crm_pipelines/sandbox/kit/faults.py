"""Fault rules: injected errors, delays, dropped connections and short pages.

Each emulator names its own routes, the statuses it can inject and its rate-limit policies (a
`FaultVocabulary`); matching, counting and seeded probabilities are the same for every CRM.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Callable

RULE_KEYS = {"route", "object_type", "status", "retry_after", "policy", "delay_s", "drop", "short_page",
             "reverse_page", "truncate_body", "after", "times", "probability"}


@dataclass(frozen=True)
class FaultVocabulary:
    """What one emulator's rules may say. `routes` excludes "any", which every rule may use."""

    routes: frozenset[str]
    statuses: frozenset[int]
    policies: frozenset[str] = frozenset()  # rate-limit policy names a 429 may carry
    short_page_routes: frozenset[str] = frozenset()  # where a cursor lets the client carry on
    reverse_page_routes: frozenset[str] = frozenset()  # where a page's records can come in reverse order

    @property
    def rule_routes(self) -> set[str]:
        return set(self.routes) | {"any"}

    @property
    def short_routes(self) -> set[str]:
        return set(self.short_page_routes) | {"any"}


@dataclass
class FaultRule:
    index: int
    route: str = "any"
    object_type: str | None = None  # canonical table key, or None for any
    status: int | None = None
    retry_after: float | None = None
    policy: str | None = None
    delay_s: float = 0.0
    drop: bool = False
    short_page: int | None = None
    reverse_page: bool = False  # the page's records in reverse order (an API breaking its own sort)
    truncate_body: int | None = None  # answer only the first N bytes of the body (a malformed payload)
    after: int = 0
    times: int | None = None
    probability: float | None = None
    matched: int = 0
    fired: int = 0
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def describe(self) -> dict[str, Any]:
        return {
            "route": self.route, "object_type": self.object_type, "status": self.status,
            "retry_after": self.retry_after, "policy": self.policy, "delay_s": self.delay_s, "drop": self.drop,
            "short_page": self.short_page, "reverse_page": self.reverse_page, "truncate_body": self.truncate_body, "after": self.after, "times": self.times,
            "probability": self.probability, "matched": self.matched, "fired": self.fired,
        }


def _number(rule: dict, key: str, kind: type, minimum: float) -> Any:
    value = rule.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and not float(value).is_integer()):
        raise ValueError(f"fault rule {key} must be a{'n integer' if kind is int else ' number'}, got {value!r}")
    if value < minimum:
        raise ValueError(f"fault rule {key} must be >= {minimum}, got {value!r}")
    return kind(value)


def parse_rules(rules: Any, seed: int, resolve_type: Callable[[str], str], vocab: FaultVocabulary) -> list[FaultRule]:
    if not isinstance(rules, list):
        raise ValueError('faults body must be {"rules": [...]}')
    parsed = []
    for i, raw in enumerate(rules):
        if not isinstance(raw, dict):
            raise ValueError(f"fault rule #{i} must be an object")
        unknown = set(raw) - RULE_KEYS
        if unknown:
            raise ValueError(f"fault rule #{i}: unknown key(s) {sorted(unknown)}; allowed: {sorted(RULE_KEYS)}")
        try:
            parsed.append(_parse_rule(i, raw, seed, resolve_type, vocab))
        except ValueError as exc:
            raise ValueError(f"fault rule #{i}: {exc}") from None
    return parsed


def _parse_rule(i: int, raw: dict, seed: int, resolve_type: Callable[[str], str], vocab: FaultVocabulary) -> FaultRule:
    route = raw.get("route", "any")
    if route not in vocab.rule_routes:
        raise ValueError(f"route must be one of {sorted(vocab.rule_routes)}, got {route!r}")
    status = raw.get("status")
    if status is not None and status not in vocab.statuses:
        raise ValueError(f"status must be one of {sorted(vocab.statuses)}, got {status!r}")
    drop, reverse_page = raw.get("drop", False), raw.get("reverse_page", False)
    if not isinstance(drop, bool) or not isinstance(reverse_page, bool):
        raise ValueError("drop and reverse_page must be true or false")
    short_page = _number(raw, "short_page", int, 0)
    delay_s = _number(raw, "delay_s", float, 0) or 0.0
    truncate_body = _number(raw, "truncate_body", int, 0)
    if status is None and not drop and short_page is None and truncate_body is None and not delay_s \
            and not reverse_page:
        raise ValueError("a rule needs at least one of status, drop, short_page, reverse_page, truncate_body, delay_s")
    if sum(x for x in (status is not None, drop, short_page is not None or reverse_page,
                       truncate_body is not None)) > 1:
        raise ValueError("status, drop, short_page or reverse_page, and truncate_body are mutually exclusive")
    if reverse_page and route not in set(vocab.reverse_page_routes) | {"any"}:
        raise ValueError(f"reverse_page applies to routes {sorted(set(vocab.reverse_page_routes) | {'any'})}, "
                         f"not {route!r}")
    if short_page is not None and route not in vocab.short_routes:
        raise ValueError(f"short_page applies to routes {sorted(vocab.short_routes)}, not {route!r}")
    if status != 429 and (raw.get("retry_after") is not None or raw.get("policy") is not None):
        raise ValueError("retry_after and policy only apply to status 429")
    policy = raw.get("policy")
    if policy is not None and policy not in vocab.policies:
        raise ValueError(f"policy must be one of {sorted(vocab.policies)}")
    probability = _number(raw, "probability", float, 0)
    if probability is not None and probability > 1:
        raise ValueError("probability must be within [0, 1]")
    object_type = raw.get("object_type")
    return FaultRule(
        index=i, route=route, object_type=resolve_type(object_type) if object_type else None, status=status,
        retry_after=_number(raw, "retry_after", float, 0), policy=policy, delay_s=delay_s, drop=drop,
        short_page=short_page, reverse_page=reverse_page, truncate_body=truncate_body, after=_number(raw, "after", int, 0) or 0, times=_number(raw, "times", int, 0),
        probability=probability, rng=random.Random(f"{seed}:fault:{i}"),
    )


class FaultSet:
    def __init__(self, vocab: FaultVocabulary) -> None:
        self.vocab = vocab
        self.rules: list[FaultRule] = []

    def pick(self, route: str, object_type: str | None) -> FaultRule | None:
        """Every matching rule counts the request; the first one that is due fires."""
        chosen = None
        for rule in self.rules:
            if rule.route not in ("any", route):
                continue
            if rule.object_type is not None and rule.object_type != object_type:
                continue
            rule.matched += 1
            if chosen is not None or rule.matched <= rule.after:
                continue
            if rule.times is not None and rule.fired >= rule.times:
                continue
            if rule.short_page is not None and route not in self.vocab.short_page_routes:
                continue
            if rule.reverse_page and route not in self.vocab.reverse_page_routes:
                continue
            if rule.probability is not None and rule.rng.random() >= rule.probability:
                continue
            rule.fired += 1
            chosen = rule
        return chosen
