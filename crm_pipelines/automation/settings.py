"""Per-CRM operations settings: one line per CRM sets its schedule slot, freshness and thresholds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from crm_pipelines.core.checks import Thresholds


@dataclass(frozen=True)
class CrmSettings:
    minute: int                                   # the legacy hourly slot (LEGACY_SYSTEM.md §4)
    freshness: dt.timedelta = dt.timedelta(hours=2)          # hourly-scheduled (partitioned) entities
    weekly_freshness: dt.timedelta = dt.timedelta(days=8)    # weekly full-refresh entities
    thresholds: Thresholds = field(default_factory=Thresholds)


CRM_SETTINGS: dict[str, CrmSettings] = {
    "hubspot": CrmSettings(minute=0),
    "arrivy": CrmSettings(minute=2),
    "leadconduit": CrmSettings(minute=4),
    "genius": CrmSettings(minute=8),
    "salespro": CrmSettings(minute=10),
    "marketsharp": CrmSettings(minute=12),
}


def settings_for(crm: str) -> CrmSettings:
    try:
        return CRM_SETTINGS[crm]
    except KeyError:
        raise KeyError(f"no operations settings for CRM {crm!r}: add a line to CRM_SETTINGS") from None
