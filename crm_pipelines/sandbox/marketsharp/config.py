"""MarketSharp emulator settings (every field can be given to `reset`, `--config marketsharp=FILE` or `--set`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from ..kit.config import EmulatorConfig
from ..kit.generate.timefmt import require_ms
from .sets import SETS


@dataclass
class MarketSharpConfig(EmulatorConfig):
    company_id: str = "4328"
    api_key: str = "sandbox-marketsharp-key"
    secret_key: str = "c2FuZGJveC1tYXJrZXRzaGFycC1zZWNyZXQ="  # base64, as MarketSharp's are
    # A signature whose timestamp is further than this from the server's clock is a 401.
    max_clock_skew_s: int = 300
    # The server's own page size: a query asking for more (or for no $top) gets this many rows and a
    # rel="next" link with a $skiptoken.
    server_page_size: int = 1000
    # The company's zone: every Edm.DateTime is rendered as wall-clock time there, without an offset.
    timezone: str = "America/New_York"
    counts: dict[str, int] = field(default_factory=lambda: {s.table: s.default_count for s in SETS})
    modified_start: str = "2026-11-25T00:00:00Z"
    modified_end: str = "2026-12-02T00:00:00Z"
    # Share of records whose text carries characters XML forbids (a raw control character and a `&#x1;`).
    invalid_char_rate: float = 0.02
    # Records of each lastUpdate set sharing one exact lastUpdate (a bulk import).
    same_timestamp_burst: int = 0

    def validate(self) -> None:
        super().validate()
        known = {s.table for s in SETS}
        if set(self.counts) - known or any(int(v) < 0 for v in self.counts.values()):
            raise ValueError(f"counts: non-negative numbers for {sorted(known)}")
        if require_ms(self.modified_end, "modified_end") <= require_ms(self.modified_start, "modified_start"):
            raise ValueError("modified_end must be after modified_start")
        if int(self.server_page_size) < 1 or int(self.max_clock_skew_s) < 0:
            raise ValueError("server_page_size must be >= 1 and max_clock_skew_s >= 0")
        if not 0 <= float(self.invalid_char_rate) <= 1:
            raise ValueError("invalid_char_rate must be within [0, 1]")
        ZoneInfo(self.timezone)
