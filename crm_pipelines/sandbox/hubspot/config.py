"""Knobs of the HubSpot emulator. Plain data so it can travel as JSON (CLI file, control API)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..kit.config import EmulatorConfig

DEFAULT_COUNTS: dict[str, int] = {
    "contacts": 5000,
    "companies": 500,
    "deals": 1000,
    "appointments": 2000,
    "divisions": 23,
    "genius_users": 200,
    "owners": 40,
}


@dataclass
class HubSpotConfig(EmulatorConfig):
    token: str = "sandbox-hubspot-token"
    counts: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_COUNTS))
    # Records' last-modified times are spread over [modified_start, modified_end).
    modified_start: str = "2026-10-01T00:00:00Z"
    modified_end: str = "2026-11-28T00:00:00Z"
    division_type_id: str = "2-37778609"
    genius_user_type_id: str = "2-42119425"
    portal_id: int = 21547935
    # Search: the real cap is 10,000; tests lower it to reach it cheaply.
    search_cap: int = 10000
    search_max_limit: int = 200
    # Sources disagree on the real caps (API_SHAPES §1.6), hence configurable.
    search_max_groups: int = 5
    search_max_filters_per_group: int = 6
    search_max_filters_total: int = 18
    list_max_limit: int = 100
    # Real behaviour past the list maximum is unverified: 400 by default, clamp on request.
    list_clamp: bool = False
    ten_secondly_limit: int | None = None
    search_per_second: int | None = None
    daily_limit: int | None = None
    retry_after_on_429: bool = True
    assoc_page_size: int = 100
    bad_email_rate: float = 0.02
    bad_phone_rate: float = 0.01
    archived_rate: float = 0.03
    list_duplicate_rate: float = 0.0
    same_timestamp_burst: int = 0
    # Search sees a write this long after it (HubSpot: a few seconds); 0 = at once. README: "Search index lag".
    search_index_lag_ms: int = 0
    # Search filters and sorts hs_object_id as text ("719869649082" < "7199"), as one report suspects HubSpot of.
    search_compares_ids_as_text: bool = False

    def __post_init__(self) -> None:
        # A partial `counts` means "these differ from the defaults"; use 0 to drop an object type.
        self.counts = {**DEFAULT_COUNTS, **{k: int(v) for k, v in self.counts.items()}}
        super().__post_init__()

    def validate(self) -> None:
        super().validate()
        unknown = set(self.counts) - set(DEFAULT_COUNTS)
        if unknown:
            raise ValueError(f"unknown object type(s) in counts: {sorted(unknown)}")
        for name, n in self.counts.items():
            if n < 0:
                raise ValueError(f"counts[{name}] must be >= 0")
        if self.search_cap < 1 or self.search_max_limit < 1 or self.list_max_limit < 1:
            raise ValueError("limits and caps must be >= 1")
        if self.search_index_lag_ms < 0:
            raise ValueError("search_index_lag_ms must be >= 0")
        if self.assoc_page_size < 1:
            raise ValueError("assoc_page_size must be >= 1")
        for rate in ("bad_email_rate", "bad_phone_rate", "archived_rate", "list_duplicate_rate"):
            if not 0.0 <= float(getattr(self, rate)) <= 1.0:
                raise ValueError(f"{rate} must be within [0, 1]")
