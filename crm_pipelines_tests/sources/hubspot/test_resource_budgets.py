"""HubSpot declares its two budgets from its `requests_per_<period>` fields; core builds the limiters."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from crm_pipelines.sources.hubspot.resource import HubSpotResource


def test_hubspot_budgets_follow_its_fields_and_zero_turns_one_off():
    client = HubSpotResource(access_token="t", requests_per_10s=95, search_requests_per_s=0)
    assert {name: tuple(b) for name, b in client.budgets().items()} == {"general": (95, 10.0), "search": (0, 1.0)}
    general = client.limiter("general")
    assert general is client.limiter("general")
    assert (general.max_calls, general.period_s) == (95, pytest.approx(10.2))
    assert client.limiter("search") is None
    assert HubSpotResource(access_token="t").limiter("search").period_s == pytest.approx(1.08)


def test_a_negative_budget_is_a_configuration_error():
    with pytest.raises(ValidationError, match="search_requests_per_s must be >= 0"):
        HubSpotResource(access_token="t", search_requests_per_s=-1)
